"""Probability calibration fitted on held-out rows, stored as plain JSON numbers."""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from hvpscore._errors import InputError, ModelError

__all__ = ["Calibrator", "fit_calibrator"]

METHODS = ("isotonic", "platt", "none")


class Calibrator:
    """Maps raw scores (LightGBM probabilities) to calibrated probabilities.

    ``isotonic``: a monotone step map stored as knots (x, y), applied by linear interpolation.
    ``platt``: ``1 / (1 + exp(-(a * logit(p) + b)))``. ``none``: identity.
    """

    def __init__(self, method: str, params: dict):
        self.method = method
        self.params = params

    def __call__(self, p) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        if self.method == "none":
            return p
        if self.method == "platt":
            z = _logit(p)
            return 1.0 / (1.0 + np.exp(-(self.params["a"] * z + self.params["b"])))
        x = np.asarray(self.params["x"], dtype=float)
        y = np.asarray(self.params["y"], dtype=float)
        return np.interp(p, x, y)

    def to_dict(self) -> dict:
        return {"method": self.method, **self.params}

    @classmethod
    def from_dict(cls, d: dict) -> Calibrator:
        method = d.get("method")
        if method not in METHODS:
            raise ModelError(f"calibration method {method!r} in model metadata is not one of "
                             f"{', '.join(METHODS)}")
        params = {k: v for k, v in d.items() if k != "method"}
        return cls(method, params)


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit_calibrator(raw, y, method: str = "isotonic") -> Calibrator:
    """Fit a calibrator of ``method`` on held-out raw scores ``raw`` and labels ``y``."""
    if method not in METHODS:
        raise InputError(f"calibration {method!r} is not one of {', '.join(METHODS)}")
    raw = np.asarray(raw, dtype=float)
    y = np.asarray(y, dtype=float)
    if method == "none":
        return Calibrator("none", {})
    if len(np.unique(y)) < 2:
        raise InputError(
            f"the calibration part has only one class ({int(y[0]) if len(y) else 'no rows'}); "
            f"give more labelled rows or use calibration='none'")
    if method == "platt":
        lr = LogisticRegression(C=1e6, max_iter=1000).fit(_logit(raw)[:, None], y)
        return Calibrator("platt", {"a": float(lr.coef_[0, 0]), "b": float(lr.intercept_[0])})
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
    return Calibrator("isotonic", {"x": [float(v) for v in iso.X_thresholds_],
                                   "y": [float(v) for v in iso.y_thresholds_]})
