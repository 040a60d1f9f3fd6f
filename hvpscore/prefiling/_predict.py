"""Draft-stage predictions: the heads of a draft-stage model on the draft as one record.

Only a model of stage ``draft`` is accepted (every feature of every head known before filing);
the shipped one is ``models/default-draft``. Reasons come from LightGBM's per-row contributions;
a reason is left out when its value is missing (no reason is built from what the draft does not
say), when its contribution is negligible, and it is marked ``actionable`` only when the applicant
can change it at the draft stage (``data/advice.yaml``: ``actionable``).
"""

from __future__ import annotations

import math
import os
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from hvpscore._errors import InputError, ModelError
from hvpscore.prefiling._data import advice_texts, thresholds

__all__ = ["DRAFT_MODEL_ENV", "default_draft_model_path", "predict", "resolve_draft_model"]

DRAFT_MODEL_ENV = "HVPSCORE_DRAFT_MODEL"


def default_draft_model_path() -> Path:
    """``$HVPSCORE_DRAFT_MODEL``, else ``hvpscore/_models/default-draft`` (installed package
    data), else ``models/default-draft`` of the source checkout."""
    env = os.environ.get(DRAFT_MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1]
    for cand in (here / "_models" / "default-draft", here.parent / "models" / "default-draft"):
        if (cand / "metadata.json").is_file():
            return cand
    raise ModelError("no draft-stage model found (looked in hvpscore/_models/default-draft and "
                     "models/default-draft of the checkout); train one with "
                     "`python training/train_default.py --stage draft`, pass model=DIR, set "
                     f"{DRAFT_MODEL_ENV}=DIR, or pass model=False to skip predictions")


@cache
def _load_cached(path: str, mtime: float):
    from hvpscore.model import load_model

    return load_model(path)


def resolve_draft_model(model: Any = None):
    """A draft-stage :class:`~hvpscore.model.HvpModel` (None = the shipped default-draft model,
    loaded once per process); ``False`` -> None (no predictions)."""
    if model is False:
        return None
    from hvpscore.model import HvpModel

    if model is None:
        p = default_draft_model_path()
        m = _load_cached(str(p), (p / "metadata.json").stat().st_mtime)
    elif isinstance(model, HvpModel):
        m = model
    elif isinstance(model, (str, Path)):
        p = Path(model)
        if not (p / "metadata.json").is_file():
            raise ModelError(f"model: {str(p)!r} is not a model directory (no metadata.json); "
                             "give a directory written by `hvpscore train --stage draft`.")
        m = _load_cached(str(p.resolve()), (p / "metadata.json").stat().st_mtime)
    else:
        raise InputError(f"model must be a model directory, an HvpModel, None or False, got "
                         f"{type(model).__name__}")
    if m.stage != "draft":
        raise ModelError(f"model {m.version!r} is of stage {m.stage!r}: the pre-filing review "
                         "needs a draft-stage model (features known before filing only); use "
                         "models/default-draft or train one with `--stage draft`.")
    return m


def _given(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    if isinstance(v, (str, list, tuple, dict)):
        return len(v) > 0
    return True


def _advice():
    return advice_texts()


def _features(model, records, as_of: str):
    """The model's feature matrix for ``records``: each fitted transformer of the model's
    pipeline in turn, joined (what the FeatureUnion does, without its dispatch overhead on one
    row). Falls back to ``model.transform`` when the columns would differ."""
    import pandas as pd

    union = model.features
    parts = []
    for _, t in union.transformer_list:
        t.as_of = as_of
        parts.append(t.transform(records))
    F = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    if list(F.columns) != model.feature_names:
        return model.transform(records, as_of=as_of)
    return F


def _what_if(head, x: np.ndarray, j: int, spec: dict, p0: float) -> dict[str, float] | None:
    """The head's probability with feature ``j`` of the row ``x`` (the head's columns) changed by
    the drafting-practice step."""
    step = spec.get("step") or {}
    v = float(x[0, j])
    if "add" in step:
        v2 = v + float(step["add"])
    elif "mul" in step:
        v2 = float(round(v * float(step["mul"])))
    elif "set" in step:
        v2 = float(step["set"])
    else:
        return None
    if v2 == v:
        return None
    x2 = x.copy()
    x2[0, j] = v2
    p1 = float(np.clip(head.calibrator(head.booster.predict(x2, num_threads=1)), 0.0, 1.0)[0])
    adv = _advice()
    gain = p1 - p0
    if gain <= 0 or (gain < float(adv.get("min_gain", 0.0))
                     and p1 < p0 * (1 + float(adv.get("min_gain_relative", 0.0)))):
        return None
    return {"value": v2, "probability": round(p1, 4)}


@cache
def _spec(name: str):
    from hvpscore.features import feature_spec

    return feature_spec(name)


def predict(draft_record: dict[str, Any], model, *, as_of: str) -> dict[str, Any]:
    """Probabilities and reasons per head of ``model`` for one draft record."""
    import pandas as pd

    from hvpscore.model import target_info

    th = thresholds()["predictions"]
    min_c = float(th["min_contribution"])
    k = int(th["max_reasons"])
    actionable = {a["feature"]: a for a in _advice()["actionable"]}
    records = pd.DataFrame([draft_record])
    F = _features(model, records, as_of)
    # one numeric row, indexed by column position: no pandas in the loop below
    cols = {c: i for i, c in enumerate(F.columns)}
    row = F.to_numpy(dtype=float)
    heads = []
    for target, head in model.heads.items():
        # one row: a single LightGBM thread (thread start-up costs more than the row)
        x = row[:, [cols[f] for f in head.features]]
        p = float(np.clip(head.calibrator(head.booster.predict(x, num_threads=1)), 0.0, 1.0)[0])
        contrib = head.booster.predict(x, pred_contrib=True, num_threads=1)[0]
        items = []
        for j, name in enumerate(head.features):
            c = float(contrib[j])
            v = float(x[0, j])
            if math.isnan(v) or abs(c) < min_c:
                continue
            spec = _spec(name)
            if not any(_given(draft_record.get(src)) for src in spec.sources):
                continue  # the draft does not say: no reason from a missing value
            items.append({
                "feature": name,
                "value": v,
                "contribution": round(c, 4),
                "text_zh": spec.label(v, "zh"),
                "text_en": spec.label(v, "en"),
                # changeable while drafting (registry) and with an advice text for it
                "actionable": spec.actionable and name in actionable,
                "_j": j,
            })
        items.sort(key=lambda r: -abs(r["contribution"]))
        items = items[:k]
        info = target_info(target)
        metrics = head.info.get("metrics", {})
        auc = metrics.get("auc")
        skill = bool(auc is not None and auc >= 0.55)
        for r in items:
            j = r.pop("_j")
            if skill and r["actionable"] and r["contribution"] < 0:
                r["what_if"] = _what_if(head, x, j, actionable[r["feature"]], p)
        heads.append({
            "target": target,
            "name_zh": info.get("zh", target),
            "name_en": info.get("en", target),
            "probability": round(p, 4),
            "base_rate": metrics.get("base_rate"),
            "heldout_auc": auc,
            "skill": skill,
            "reasons": items,
        })
    meta = model.metadata
    synthetic = "make_patents" in str(meta.get("training_data", {}).get("source", ""))
    return {
        "available": True,
        "model": {"name": meta.get("name"), "version": model.version, "stage": model.stage,
                  "synthetic": synthetic,
                  "training_data": meta.get("training_data", {}).get("source")},
        "heads": heads,
    }
