"""The planted-set evaluation on the real claims texts of /work/shared (skipped when absent):
precision and recall of the shipped thresholds stay above the floors measured when they were
set (benchmarks/eval_screen.py: eval split precision 1.000, recall 0.914)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SHARED = Path("/work/shared/data/claims-truth-dev/claims_truth_dev.jsonl")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED.exists(), reason="shared claims data absent")]


def test_planted_real_claims_precision_recall_floor():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import eval_screen

    r = eval_screen.evaluate("eval")
    op = r["shipped"]
    assert r["positives"] == 81
    assert op["precision"] >= 0.95, op
    assert op["recall"] >= 0.85, op
