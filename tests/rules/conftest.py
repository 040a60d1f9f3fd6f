"""Hand-built canonical records for the criteria tests."""

from __future__ import annotations

import pandas as pd
import pytest

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


BASE = {
    "patent_id": "CN201610000001.X",
    "patent_type": "invention",
    "filing_date": "2016-05-02",
    "grant_date": "2017-03-01",
    "legal_status": "in_force",
    "ipc": ["F16H57/02"],  # gears: no strategic emerging industry
}


@pytest.fixture
def make():
    """make(**overrides) -> a one-record canonical frame; make([dict, ...]) -> several records."""

    def _make(rows=None, **over):
        if rows is None:
            rows = [dict(BASE, **over)]
        else:
            rows = [dict(BASE, **r) for r in rows]
        return canonical_frame(rows)

    return _make
