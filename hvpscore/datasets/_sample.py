"""The shipped sample ``data/sample/patents.csv``: how it is made, reproducibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore.datasets._export import to_cn_export
from hvpscore.datasets._generator import make_patents

__all__ = ["SAMPLE_ARGS", "sample_records", "write_sample"]

# n, seed, as_of of the shipped sample, and the share of rows that keep their claims text (real
# exports often lack it; dropping some keeps the file small).
# The seed is the first from 20251231 on for which every one of the five criteria holds for at
# least 3 valid invention patents, at least one pledge reaches 10,000,000 CNY (the pledge default
# of the cnipa-2021 policy in hvpscore.rules) and the high-value share is within 3 points of
# 43.1 %: 3,000 rows hold only ~330 valid inventions, so rare criteria such as awards may otherwise
# be absent and the README's demo would not show them. Seeds 20251231-20251235 each failed one
# condition (searched after the generator's pledge threshold became the policy's 10,000,000 CNY).
SAMPLE_ARGS = {"n": 3000, "seed": 20251236, "as_of": "2025-12-31"}
CLAIMS_KEPT = {"invention": 0.7, "utility_model": 0.3, "design": 0.0}


def sample_records(n: int = SAMPLE_ARGS["n"], seed: int = SAMPLE_ARGS["seed"],
                   as_of: str = SAMPLE_ARGS["as_of"]) -> pd.DataFrame:
    """The canonical records behind the sample: ``make_patents`` with some claims texts dropped."""
    df = make_patents(n, seed=seed, as_of=as_of)
    rng = np.random.default_rng(seed + 1)
    keep_p = df["patent_type"].map(CLAIMS_KEPT).astype(float).to_numpy()
    drop = rng.random(len(df)) >= keep_p
    df["claims_text"] = df["claims_text"].where(~drop, None)
    return df


def write_sample(path: str | Path, n: int = SAMPLE_ARGS["n"], seed: int = SAMPLE_ARGS["seed"],
                 as_of: str = SAMPLE_ARGS["as_of"]) -> Path:
    """Write the sample stock in the ``cn-export`` layout as UTF-8 CSV with BOM (Excel-friendly)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    export = to_cn_export(sample_records(n, seed, as_of), seed=seed)
    export.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path
