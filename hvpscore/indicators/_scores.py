"""Reading a score table written by ``hvpscore score`` / ``hvpscore criteria`` back in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hvpscore._errors import InputError

__all__ = ["read_scores"]

_BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
         "是": True, "否": False}
_FLAGS = ("is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award",
          "in_force")


def read_scores(path) -> pd.DataFrame:
    """A score table from .parquet, .csv, .xlsx or .jsonl; flag columns become booleans.

    A flag value other than true/false (or 1/0) is an error naming the row, column and value.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"score table {p} does not exist; make it with hvpscore score ... -o {p}")
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        df = pd.read_parquet(p)
    elif suffix == ".csv":
        df = pd.read_csv(p, dtype={"patent_id": str}, encoding="utf-8-sig")
    elif suffix in (".xlsx", ".xls"):
        df = pd.read_excel(p, dtype={"patent_id": str}, engine="openpyxl")
    elif suffix in (".jsonl", ".ndjson"):
        df = pd.read_json(p, lines=True, dtype={"patent_id": str})
    else:
        raise InputError(f"{p}: a score table is .parquet, .csv, .xlsx or .jsonl")
    for c in _FLAGS:
        if c in df.columns and df[c].dtype != bool:
            raw = df[c]
            vals = raw.map(lambda v: v if isinstance(v, bool) else _BOOL.get(
                str(v).strip().lower()) if not pd.isna(v) else False)
            bad = vals.isna()
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise InputError(f"{p}, row {i + 1}, {c}: {raw.iloc[i]!r} is not true/false; "
                                 "give the score table as hvpscore score wrote it")
            df[c] = vals.astype(bool)
    return df
