"""Fast per-key helpers (mode, joined unique values) without Python-level groupby lambdas."""

from __future__ import annotations

import pandas as pd

__all__ = ["mode_by_key", "unique_join_by_key"]


def mode_by_key(keys, values) -> pd.Series:
    """The most frequent non-empty value per key (ties: the smallest value), indexed by key."""
    df = pd.DataFrame({"k": list(keys), "v": list(values)})
    df = df[df["v"].map(lambda v: isinstance(v, str) and v != "")]
    if df.empty:
        return pd.Series(dtype=object)
    c = df.groupby(["k", "v"], sort=False).size().rename("n").reset_index()
    c = c.sort_values(["k", "n", "v"], ascending=[True, False, True], kind="mergesort")
    c = c.drop_duplicates("k")
    return pd.Series(c["v"].to_numpy(), index=c["k"].to_numpy(), dtype=object)


def unique_join_by_key(keys, values, sep: str = "；") -> pd.Series:
    """The sorted distinct values per key joined by ``sep``, indexed by key."""
    df = pd.DataFrame({"k": list(keys), "v": [str(v) for v in values]}).drop_duplicates()
    df = df.sort_values(["k", "v"], kind="mergesort")
    return df.groupby("k", sort=False)["v"].agg(sep.join)
