"""Benchmark inputs: realistic cn-export rows from ``hvpscore.datasets``, tiled to any size.

``make_patents`` is slow for big stocks (claims texts are generated one by one), so a base of
``BASE`` records is generated once (cached under the system temp directory) and repeated with
fresh, valid application numbers (serials renumbered, check digit recomputed), so that a
million-row file has a million distinct patents.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore.numbers import cn_check_digits

BASE = 20_000
VERSION = 2  # bump when the generated files change (cached files are keyed by it)
CACHE = Path(tempfile.gettempdir()) / "hvpscore-bench" / f"v{VERSION}"
TEXT_COLUMNS = ["摘要", "权利要求书"]


def base_export(seed: int = 7) -> pd.DataFrame:
    """The cached base: ``BASE`` cn-export rows (all text cells)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cn-export-{BASE}-{seed}.parquet"
    if not path.exists():
        from hvpscore.datasets import make_patents, to_cn_export

        df = to_cn_export(make_patents(BASE, seed=seed), seed=seed)
        df.to_parquet(path, index=False)
    return pd.read_parquet(path)


def renumber(ids: pd.Series, start: int) -> pd.Series:
    """Distinct valid application numbers for the rows of one copy: each keeps its year and
    type digit, its 7-digit serial becomes the row's running number ``start + i`` (old 8-digit
    numbers become 12-digit ones of the same year), the check digit is recomputed."""
    s = ids.astype(str)
    prefix = np.where(s.str.startswith("ZL"), "ZL", "")
    body = s.str.replace("ZL", "", regex=False).str.split(".").str[0]
    long = body.str.len() == 12
    # old 8-digit numbers (1985-2003): YY + type digit + 5-digit serial
    century = np.where(body.str[:2].astype(int) >= 85, "19", "20")
    head = np.where(long, body.str[:5], century + body.str[:3])
    serial = (start + np.arange(len(s))) % 10_000_000
    digits = pd.Series(head, index=s.index) + pd.Series(serial, index=s.index).map("{:07d}".format)
    checks = cn_check_digits(digits.to_numpy(dtype=object))
    return pd.Series(prefix, index=s.index) + digits + "." + pd.Series(checks, index=s.index)


def stock_csv(n: int, *, text: bool, path: Path | None = None) -> Path:
    """A cn-export CSV of ``n`` distinct patents (with or without the abstract/claims texts)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = path or CACHE / f"stock-{n}-{'text' if text else 'notext'}.csv"
    if path.exists():
        return path
    base = base_export()
    if not text:
        base = base.drop(columns=TEXT_COLUMNS)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        copy = 0
        done = 0
        while done < n:
            part = base.iloc[: min(len(base), n - done)].copy()
            part["申请号"] = renumber(part["申请号"], done)
            part.to_csv(fh, index=False, header=copy == 0)
            done += len(part)
            copy += 1
    return path


def canonical_parquet(n: int, *, text: bool) -> Path:
    """The same stock, read once and written as canonical Parquet."""
    import pyarrow.parquet as pq

    from hvpscore.io import validate_file

    path = CACHE / f"canonical-{n}-{'text' if text else 'notext'}.parquet"
    if not path.exists():
        tmp = path.with_name("tmp-" + path.name)
        run = validate_file(stock_csv(n, text=text), tmp, profile="cn-export")
        if run.summary.rejected:  # the generated stock is meant to be clean
            raise SystemExit(f"the benchmark stock has {run.summary.rejected} rejected rows: "
                             f"see {run.rejects_path}")
        pq.write_table(pq.read_table(tmp).drop_columns(["row"]), path)
        tmp.unlink()
    return path
