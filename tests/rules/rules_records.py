"""Canonical frames built by hand, typed as hvpscore.io.read_records types them."""

from __future__ import annotations

import pandas as pd

from hvpscore.schema import COLUMNS

_DTYPES = {"bool": "boolean", "int": "Int64", "float": "float64"}


def canonical_frame(rows: list[dict], index=None) -> pd.DataFrame:
    """A DataFrame with every canonical column, typed as hvpscore.io.read_records types them."""
    data = {}
    for col in COLUMNS:
        values = [r.get(col.name) for r in rows]
        if col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype=object)).astype(
                "datetime64[ns]")
        elif col.kind == "list":
            data[col.name] = pd.Series(values, dtype=object)
        elif col.kind in _DTYPES:
            data[col.name] = pd.Series(values, dtype=_DTYPES[col.kind])
        else:
            data[col.name] = pd.Series(values, dtype=object)
    df = pd.DataFrame(data)
    if index is not None:
        df.index = index
    return df
