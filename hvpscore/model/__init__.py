"""Model heads: calibrated LightGBM binary classifiers per target, explanations, artifacts and
MLflow tracking.

>>> from hvpscore.model import TARGETS
>>> TARGETS
('maintained_10y', 'overseas_family', 'pledge', 'award', 'high_value')
"""

from hvpscore.model._calibration import Calibrator, fit_calibrator
from hvpscore.model._explain import explain_rows, reason_text
from hvpscore.model._metrics import (
    METRICS,
    binary_metrics,
    expected_calibration_error,
    top_decile_precision,
)
from hvpscore.model._model import Head, HvpModel, load_model
from hvpscore.model._split import DEFAULT_SPLIT, split_parts
from hvpscore.model._targets import TARGETS, labels_for, target_info
from hvpscore.model._train import DEFAULT_PARAMS, data_hash, evaluate_model, train_model

__all__ = [
    "DEFAULT_PARAMS",
    "DEFAULT_SPLIT",
    "METRICS",
    "TARGETS",
    "Calibrator",
    "Head",
    "HvpModel",
    "binary_metrics",
    "data_hash",
    "evaluate_model",
    "expected_calibration_error",
    "explain_rows",
    "fit_calibrator",
    "labels_for",
    "load_model",
    "reason_text",
    "split_parts",
    "target_info",
    "top_decile_precision",
    "train_model",
]
