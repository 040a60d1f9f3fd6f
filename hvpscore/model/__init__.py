"""Model heads: calibrated LightGBM binary classifiers per target, explanations, artifacts and
MLflow tracking.

Names are imported on first use (PEP 562), so ``hvpscore --help`` does not load LightGBM.

>>> from hvpscore.model import TARGETS
>>> TARGETS
('maintained_10y', 'maintained_10y_given_4y', 'maintained_10y_given_8y', 'overseas_family', 'pledge', 'award', 'high_value')
"""

from __future__ import annotations

import importlib

_WHERE = {
    "Calibrator": "_calibration",
    "fit_calibrator": "_calibration",
    "explain_rows": "_explain",
    "reason_text": "_explain",
    "METRICS": "_metrics",
    "binary_metrics": "_metrics",
    "bootstrap_ci": "_metrics",
    "expected_calibration_error": "_metrics",
    "top_decile_precision": "_metrics",
    "Head": "_model",
    "HvpModel": "_model",
    "load_model": "_model",
    "DEFAULT_SPLIT": "_split",
    "split_parts": "_split",
    "TARGETS": "_targets",
    "conditional_heads": "_targets",
    "labels_for": "_targets",
    "target_info": "_targets",
    "CV_SALT": "_train",
    "DEFAULT_PARAMS": "_train",
    "cross_validate": "_train",
    "cv_folds": "_train",
    "cv_matrices": "_train",
    "cv_score": "_train",
    "data_hash": "_train",
    "evaluate_model": "_train",
    "train_model": "_train",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'hvpscore.model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hvpscore.model.{mod}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
