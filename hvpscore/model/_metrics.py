"""Held-out metrics: ROC AUC, PR AUC, Brier score, expected calibration error, top-decile precision."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

__all__ = ["METRICS", "binary_metrics", "expected_calibration_error", "reliability_table",
           "top_decile_precision"]

METRICS = ("auc", "pr_auc", "brier", "ece", "top_decile_precision")


def expected_calibration_error(y, p, *, bins: int = 10) -> float:
    """ECE over ``bins`` equal-width probability bins: sum over bins of
    (rows in bin / rows) x |mean predicted - observed rate|."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(ece)


def reliability_table(y, p, *, bins: int = 10) -> list[dict]:
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        if m.any():
            out.append({"bin": b, "n": int(m.sum()), "predicted": float(p[m].mean()),
                        "observed": float(y[m].mean())})
    return out


def top_decile_precision(y, p) -> float:
    """Share of positives among the 10 % highest-scored rows."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    k = max(1, int(np.ceil(len(p) * 0.1)))
    top = np.argsort(-p, kind="stable")[:k]
    return float(y[top].mean())


def binary_metrics(y, p) -> dict[str, float]:
    """All of :data:`METRICS` plus ``n`` and ``base_rate``; AUCs are NaN with one class only."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    two = len(np.unique(y)) == 2
    return {
        "auc": float(roc_auc_score(y, p)) if two else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if two else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
        "top_decile_precision": top_decile_precision(y, p),
        "n": int(len(y)),
        "base_rate": float(y.mean()) if len(y) else float("nan"),
    }
