"""Hand-built canonical records for the criteria tests."""

from __future__ import annotations

import pytest
from rules_records import canonical_frame

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
