"""Held-out metrics: ROC AUC, PR AUC, Brier score, expected calibration error, top-decile precision."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

__all__ = ["METRICS", "binary_metrics", "bootstrap_ci", "expected_calibration_error", "reliability_table",
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


def _weighted(groups_asc, y, p, w, bins: int) -> tuple[float, float, float, float]:
    """AUC, average precision, Brier and ECE of rows weighted by ``w`` (bootstrap counts).
    ``groups_asc``: rank of each row's score among the distinct scores (ties share a rank)."""
    ng = int(groups_asc.max()) + 1
    wp = np.bincount(groups_asc, weights=w * y, minlength=ng)
    wn = np.bincount(groups_asc, weights=w * (1 - y), minlength=ng)
    P, N = wp.sum(), wn.sum()
    below = np.cumsum(wn) - wn
    auc = float((wp * (below + 0.5 * wn)).sum() / (P * N)) if P > 0 and N > 0 else float("nan")
    tp = np.cumsum(wp[::-1])
    fp = np.cumsum(wn[::-1])
    keep = (wp[::-1] + wn[::-1]) > 0
    prec = np.where(keep, tp / np.maximum(tp + fp, 1e-300), 0.0)
    ap = float((wp[::-1] * prec).sum() / P) if P > 0 else float("nan")
    W = w.sum()
    brier = float((w * (p - y) ** 2).sum() / W)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    bp = np.bincount(idx, weights=w * p, minlength=bins)
    by = np.bincount(idx, weights=w * y, minlength=bins)
    ece = float(np.abs(bp - by).sum() / W)
    return auc, ap, brier, ece


def bootstrap_ci(y, p, *, n: int = 1000, level: float = 0.95, seed: int = 0,
                 bins: int = 10) -> dict[str, list[float]]:
    """Percentile bootstrap intervals (``n`` resamples of the rows, with replacement) of ROC AUC,
    PR AUC (average precision), Brier score and ECE: ``{metric: [low, high]}``.

    Each resample is a vector of row counts, so the metrics are computed as weighted sums over
    the rows sorted once (ties grouped as in scikit-learn)."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    if len(y) == 0 or n <= 0:
        return {}
    _, groups = np.unique(p, return_inverse=True)
    rng = np.random.default_rng(seed)
    out = np.empty((n, 4))
    for i in range(n):
        w = np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)).astype(float)
        out[i] = _weighted(groups, y, p, w, bins)
    a = (1 - level) / 2
    lo = np.nanquantile(out, a, axis=0)
    hi = np.nanquantile(out, 1 - a, axis=0)
    return {m: [float(lo[j]), float(hi[j])] for j, m in enumerate(("auc", "pr_auc", "brier",
                                                                     "ece"))}
