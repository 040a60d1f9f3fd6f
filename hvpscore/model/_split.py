"""Stable hash split of records by ``patent_id``: the same id always lands in the same part."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_SPLIT", "split_parts"]

# fractions of 100 hash buckets (train, valid for early stopping, calibration, test)
DEFAULT_SPLIT = {"salt": "hvpscore-split-v1", "train": 0.6, "valid": 0.1, "calib": 0.1,
                 "test": 0.2}


def _bucket(ids: pd.Series, salt: str) -> np.ndarray:
    return np.array(
        [int(hashlib.sha256(f"{salt}:{i}".encode()).hexdigest()[:8], 16) % 1000 / 1000.0
         for i in ids.astype(str)],
        dtype=float,
    )


def split_parts(ids: pd.Series, split: dict | None = None) -> np.ndarray:
    """Part name per row: ``train``, ``valid``, ``calib`` or ``test`` (by hash of the id)."""
    s = {**DEFAULT_SPLIT, **(split or {})}
    u = _bucket(ids, s["salt"])
    edges = np.cumsum([s["train"], s["valid"], s["calib"]])
    out = np.full(len(u), "test", dtype=object)
    out[u < edges[2]] = "calib"
    out[u < edges[1]] = "valid"
    out[u < edges[0]] = "train"
    return out
