"""Fast per-key helpers (mode, joined unique values) without Python-level groupby lambdas."""

from __future__ import annotations

import pandas as pd

__all__ = ["mode_by_key", "unique_join_by_key"]


def mode_by_key(keys, values, latest=None) -> pd.Series:
    """The most frequent non-empty value per key, indexed by key. Ties: the value seen with the
    latest ``latest`` (e.g. filing dates, so the current spelling wins), then the smallest value."""
    df = pd.DataFrame({"k": list(keys), "v": list(values)})
    df["t"] = pd.to_datetime(pd.Series(list(latest)) if latest is not None else pd.NaT)
    df = df[df["v"].map(lambda v: isinstance(v, str) and v != "")]
    if df.empty:
        return pd.Series(dtype=object)
    g = df.groupby(["k", "v"], sort=False)
    c = g.size().rename("n").to_frame().join(g["t"].max()).reset_index()
    c["t"] = c["t"].fillna(pd.Timestamp.min)
    c = c.sort_values(["k", "n", "t", "v"], ascending=[True, False, False, True],
                      kind="mergesort")
    c = c.drop_duplicates("k")
    return pd.Series(c["v"].to_numpy(), index=c["k"].to_numpy(), dtype=object)


def unique_join_by_key(keys, values, sep: str = "；") -> pd.Series:
    """The sorted distinct values per key joined by ``sep``, indexed by key."""
    df = pd.DataFrame({"k": list(keys), "v": [str(v) for v in values]}).drop_duplicates()
    df = df.sort_values(["k", "v"], kind="mergesort")
    return df.groupby("k", sort=False)["v"].agg(sep.join)
