"""The run date ``as_of`` shared by criteria and scoring."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from hvpscore._errors import InputError

__all__ = ["parse_as_of"]


def parse_as_of(as_of: Any) -> pd.Timestamp:
    """``as_of`` as a midnight Timestamp (None = today); InputError naming the value otherwise."""
    if as_of is None:
        return pd.Timestamp(_dt.date.today())
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise InputError(f"as_of: {as_of!r} is not a date; use YYYY-MM-DD") from None
    if pd.isna(ts):
        raise InputError(f"as_of: {as_of!r} is not a date; use YYYY-MM-DD")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()
