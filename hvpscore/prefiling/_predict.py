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
import re
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
    from hvpscore.features import transform_features

    F = transform_features(model.features, records, as_of=as_of)
    if list(F.columns) != model.feature_names:
        return model.transform(records, as_of=as_of)
    return F


# -- one draft, no DataFrame: the draft-stage features of one record as plain numbers ----------
# Each function gives the value the family's kernel (hvpscore/features/_compute.py) gives on a
# one-row frame of the record; tests/prefiling/test_predict_row.py checks them against the
# pipeline on generated drafts. A model with any other feature takes the pipeline.

_NAN = math.nan
_LISTS = (list, tuple, np.ndarray)
_APPLICANT_TYPES = {c: float(i) for i, c in enumerate(
    ("enterprise", "university", "research_institute", "individual", "government", "other"))}
_IPC_CLASS = re.compile(r"^([A-H])(\d\d)")


def _text_sums() -> dict[str, tuple[str, ...]]:
    """Our text feature -> the claim features summed into it: the batch pipeline's own map
    (imported on first use: hvpscore.features pulls scikit-learn)."""
    from hvpscore.features._compute import _TEXT_MAP

    return _TEXT_MAP


def _list_len(v) -> float:
    return float(len(v)) if isinstance(v, _LISTS) else _NAN


def _missing(v) -> bool:
    """None, NaN or pandas' NA: what ``fillna`` replaces."""
    return (v is None or (isinstance(v, float) and math.isnan(v))
            or type(v).__name__ == "NAType")


def _main_ipc(v) -> str | None:
    if isinstance(v, _LISTS) and len(v) and isinstance(v[0], str):
        return v[0].strip().upper()
    return None


def _ipc_section(rec) -> float:
    c = _main_ipc(rec.get("ipc"))
    return float("ABCDEFGH".index(c[0])) if c and c[0] in "ABCDEFGH" else _NAN


def _ipc_class(rec) -> float:
    c = _main_ipc(rec.get("ipc"))
    m = _IPC_CLASS.match(c) if c else None
    return float("ABCDEFGH".index(m.group(1)) * 100 + int(m.group(2))) if m else _NAN


def _ipc_subclasses(rec) -> float:
    v = rec.get("ipc")
    if not isinstance(v, _LISTS):
        return _NAN
    return float(len({str(c).strip().upper()[:4] for c in v if str(c).strip()}))


def _tag(tag: str):
    def f(rec):
        v = rec.get("enterprise_tags")
        return float(tag in v) if isinstance(v, _LISTS) else _NAN
    return f


def _sei_row(rec) -> float:
    ipc = rec.get("ipc")
    if not _list_len(ipc) > 0:
        return _NAN
    from hvpscore.rules import assign_sei

    parts = ["" if _missing(rec[c]) else str(rec[c]) for c in ("title", "abstract", "claims_text")
             if c in rec]
    res = assign_sei([ipc], ["\n".join(parts)] if parts else None)
    return float(bool(res["sei"].iloc[0]))


def _text_row(rec) -> dict[str, float]:
    from hvpscore.claims._features import CLAIM_FEATURE_NAMES, features_one

    t = rec.get("claims_text")
    if not (isinstance(t, str) and t.strip()):
        return dict.fromkeys(_text_sums(), _NAN)
    pos = {n: i for i, n in enumerate(CLAIM_FEATURE_NAMES)}
    row = features_one(t)
    out = {}
    for ours, theirs in _text_sums().items():
        vals = [row[pos[c]] for c in theirs if not math.isnan(row[pos[c]])]
        out[ours] = float(sum(vals)) if vals else _NAN
    return out


_ROW = {
    "applicant_type": lambda r: (_APPLICANT_TYPES.get(r.get("applicant_type"), _NAN)
                                 if isinstance(r.get("applicant_type"), str) else _NAN),
    "n_applicants": lambda r: _list_len(r.get("applicants")),
    "n_inventors": lambda r: _list_len(r.get("inventors")),
    "enterprise_tag_count": lambda r: _list_len(r.get("enterprise_tags")),
    "tag_high_tech": _tag("high_tech"),
    "tag_specialized_sme": _tag("specialized_sme"),
    "tag_listed_key": _tag("listed_key"),
    "ipc_section": _ipc_section,
    "ipc_class": _ipc_class,
    "n_ipc": lambda r: _list_len(r.get("ipc")),
    "n_ipc_subclasses": _ipc_subclasses,
    "sei": _sei_row,
}


class _Plan:
    """What one prediction needs from a model, derived once per loaded model: the feature names
    (sklearn rebuilds them on every call), their positions, each head's columns, and whether
    the row path applies (every feature has a one-record function above, none is a fitted
    per-cohort or per-issue value)."""

    def __init__(self, model):
        from hvpscore.features._compute import COHORT_BASE
        from hvpscore.features._transformers import FeatureFamily

        self.model = model
        self.names = list(model.feature_names)
        self.cols = {c: i for i, c in enumerate(self.names)}
        self.head_cols = {t: [self.cols[f] for f in h.features] for t, h in model.heads.items()}
        names: list[str] = []
        good = True
        for _, t in model.features.transformer_list:
            if type(t).transform is not FeatureFamily.transform or getattr(
                    t, "issue_table_", None):
                good = False
            names.extend(t.features_)
        self.row_path = (good and names == self.names
                         and all((n in _ROW or n in _text_sums()) and n not in COHORT_BASE
                                 for n in names))


_PLANS: dict[int, _Plan] = {}


def _plan(model) -> _Plan:
    p = _PLANS.get(id(model))
    if p is None or p.model is not model:
        if len(_PLANS) > 16:
            _PLANS.clear()
        p = _PLANS[id(model)] = _Plan(model)
    return p


def _row_path_ok(model) -> bool:
    return _plan(model).row_path


def row_features(model, record: dict[str, Any], as_of: str) -> np.ndarray:
    """The feature row (1 x n, ``model.feature_names`` order) of one draft record: plain Python
    on the record for the draft-stage features, else the model's feature pipeline."""
    plan = _plan(model)
    if not plan.row_path:
        import pandas as pd

        F = _features(model, pd.DataFrame([record]), as_of)
        return F[plan.names].to_numpy(dtype=float)
    text = None
    out = np.empty((1, len(plan.names)), dtype=float)
    for j, name in enumerate(plan.names):
        if name in _text_sums():
            if text is None:
                text = _text_row(record)
            out[0, j] = text[name]
        else:
            out[0, j] = _ROW[name](record)
    return out


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
    from hvpscore.model import target_info

    th = thresholds()["predictions"]
    min_c = float(th["min_contribution"])
    k = int(th["max_reasons"])
    actionable = {a["feature"]: a for a in _advice()["actionable"]}
    row = row_features(model, draft_record, as_of)
    plan = _plan(model)
    heads = []
    for target, head in model.heads.items():
        # one row: a single LightGBM thread (thread start-up costs more than the row)
        x = row[:, plan.head_cols[target]]
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
