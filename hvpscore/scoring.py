"""``score_records``: canonical records -> the score table of design.md (rules + model heads).

The CLI (``hvpscore score``), the MLflow pyfunc model and the service all call this function.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError, ModelError

__all__ = ["DEFAULT_MODEL_ENV", "default_model_path", "percentile", "resolve_model",
           "score_records"]

DEFAULT_MODEL_ENV = "HVPSCORE_MODEL"
_CRITERIA = ("maintained_10y", "overseas_family", "pledge", "award")
_DEAD_STATUSES = ("lapsed", "expired", "invalidated", "rejected", "withdrawn")


def default_model_path() -> Path:
    """Where the default model lives: ``$HVPSCORE_MODEL``, else ``hvpscore/_models/default``
    (installed package data), else ``models/default`` of the source checkout."""
    env = os.environ.get(DEFAULT_MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "_models" / "default", here.parent / "models" / "default"):
        if (cand / "metadata.json").is_file():
            return cand
    raise ModelError(
        "no default model found (looked in hvpscore/_models/default and models/default of the "
        f"checkout); pass --model DIR or set {DEFAULT_MODEL_ENV}=DIR")


def resolve_model(model=None):
    """An :class:`~hvpscore.model.HvpModel` from ``None`` (default model), a path or a model."""
    from hvpscore.model import HvpModel, load_model

    if model is None:
        return load_model(default_model_path())
    if isinstance(model, HvpModel):
        return model
    if isinstance(model, (str, Path)):
        return load_model(model)
    raise InputError(f"model must be a model directory or an HvpModel, got {type(model).__name__}")


def percentile(values) -> np.ndarray:
    """Percentile rank (0–100, ties averaged, one decimal) of each value within ``values``."""
    v = pd.Series(np.asarray(values, dtype=float))
    if v.empty:
        return np.array([], dtype=float)
    return np.round(100.0 * v.rank(pct=True, method="average").to_numpy(), 1)


def score_records(records: pd.DataFrame, model=None, policy=None, as_of=None, reasons: int = 0,
                  ) -> pd.DataFrame:
    """Score canonical records: official criteria flags with evidence, one calibrated
    probability per model head, ``p_high_value``, ``score`` (0–100), ``percentile`` within the
    run, optional top-``reasons`` explanations, ``model_version``, ``policy_id``, ``as_of``.

    One output row per input row, same order and index.

    ``p_high_value`` is 1 for a patent the rules already count as high-value, 0 for one that can
    no longer count (lapsed, expired, invalidated, rejected, withdrawn; utility models and
    designs), otherwise the ``high_value`` head or, when the model has none, the chance that at
    least one criterion head fires (treated as independent) or the SEI flag holds.
    """
    from hvpscore.rules import evaluate_criteria

    if not isinstance(records, pd.DataFrame):
        raise InputError(f"records must be a pandas DataFrame of canonical records, got "
                         f"{type(records).__name__}; read files with hvpscore.read_records")
    if not isinstance(reasons, (int, np.integer)) or reasons < 0:
        raise InputError(f"reasons: {reasons!r} is not a count; use 0 (none) or e.g. 3")
    ts = parse_as_of(as_of)
    m = resolve_model(model)
    crit = evaluate_criteria(records, policy=policy, as_of=ts)
    F = m.transform(records, as_of=ts.date().isoformat())
    probs = m.predict_proba(records, F=F)

    out = pd.DataFrame(index=records.index)
    out["patent_id"] = records["patent_id"].to_numpy()
    for c in ("is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge",
              "hv_award", "hv_evidence", "hv_evidence_zh", "in_force", "maintained_years"):
        out[c] = crit[c].to_numpy()
    for c in probs.columns:
        out[c] = probs[c].to_numpy()

    if "p_high_value" in probs.columns:
        p_model = probs["p_high_value"].to_numpy()
    else:
        miss = np.ones(len(records))
        for t in _CRITERIA:
            if f"p_{t}" in probs.columns:
                miss *= 1.0 - probs[f"p_{t}"].to_numpy()
        p_model = 1.0 - miss
    status = records["legal_status"] if "legal_status" in records.columns else pd.Series(
        [None] * len(records), index=records.index)
    ptype = records["patent_type"] if "patent_type" in records.columns else pd.Series(
        [None] * len(records), index=records.index)
    dead = (status.isin(_DEAD_STATUSES) | ptype.isin(["utility_model", "design"])).to_numpy(
        dtype=bool)
    hv = crit["is_high_value"].fillna(False).to_numpy(dtype=bool)
    p_hv = np.where(hv, 1.0, np.where(dead, 0.0, p_model))
    out["p_high_value"] = p_hv
    out["score"] = np.round(100.0 * p_hv, 1)
    out["percentile"] = percentile(p_hv)
    if reasons:
        ex = m.explain(records, k=int(reasons), F=F)
        out["reasons"] = ex["reasons"].to_numpy()
        out["reasons_en"] = ex["reasons_en"].to_numpy()
    out["model_version"] = m.version
    out["policy_id"] = crit.attrs.get("policy_id")
    out["as_of"] = ts.date().isoformat()
    return out
