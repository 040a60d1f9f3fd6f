"""Readable reasons and value-dimension sub-scores from LightGBM per-row feature contributions
(``pred_contrib=True``).

Contributions are in log-odds of the head's raw score and sum (with the bias) to it exactly.
Computing them is costly (TreeSHAP), so it happens only when reasons or sub-scores are asked for.

Reasons a person can use:

* no reason is built from a missing value: the contributions of features whose value is unknown
  are summed into one "信息不全 / incomplete information" item naming the missing fields (shown
  only when that sum itself is not negligible);
* contributions smaller than :data:`MIN_CONTRIBUTION` (log-odds) are not reasons;
* each reason carries its value dimension (legal / technical / economic, see
  ``hvpscore/features/data/features.yaml``) and whether it is ``actionable`` while drafting.

Sub-scores: per dimension d, ``100 / (1 + exp(-S_d))`` where ``S_d`` is the sum of the
contributions of the head's features grouped under d (missing values included: the model's view of
what the record lacks). 50 means the dimension moves the patent neither up nor down from the
training rows' average; 73 means its features add +1 log-odds, 27 that they take 1 away.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore.features import DIMENSIONS, feature_spec
from hvpscore.schema import column

__all__ = ["INCOMPLETE", "MIN_CONTRIBUTION", "dimension_columns", "explain_rows", "reason_text"]

MIN_CONTRIBUTION = 0.01  # log-odds; |contribution| below this is no reason
INCOMPLETE = "incomplete_information"  # the feature name of the grouped missing-value item
_INCOMPLETE_LABEL = {"zh": "信息不全", "en": "incomplete information"}


def dimension_columns() -> list[str]:
    """``["dim_legal", "dim_technical", "dim_economic"]``: sub-score columns of the score table."""
    return [f"dim_{d}" for d in DIMENSIONS]


def _signed(contribution: float) -> str:
    return f"{contribution:+.2f}".replace("-", "−")


def reason_text(name: str, value: float, contribution: float, lang: str = "en") -> str:
    """``"3 claims as granted (−0.08)"`` / ``"授权权利要求3项（−0.08）"``."""
    label = feature_spec(name).label(value, lang)
    c = _signed(contribution)
    return f"{label}（{c}）" if lang == "zh" else f"{label} ({c})"


def _field_name(feature: str, lang: str) -> str:
    """The canonical column a feature is read from, as a person calls it (主体规模 …)."""
    src = feature_spec(feature).sources[0]
    try:
        col = column(src)
    except KeyError:  # pragma: no cover - the registry checks its sources when loaded
        return src
    return col.zh if lang == "zh" else col.en


def _incomplete_text(features: list[str], contribution: float, lang: str) -> str:
    names = []
    for f in features:
        n = _field_name(f, lang)
        if n not in names:
            names.append(n)
    sep = "、" if lang == "zh" else ", "
    label = _INCOMPLETE_LABEL[lang]
    c = _signed(contribution)
    if lang == "zh":
        return f"{label}：{sep.join(names)}未知（{c}）"
    return f"{label}: {sep.join(names)} unknown ({c})"


def explain_rows(head, F: pd.DataFrame, *, k: int = 3, chunk: int = 20_000,
                 min_contribution: float = MIN_CONTRIBUTION,
                 dimensions: bool = False) -> pd.DataFrame:
    """Top-``k`` reasons per row of ``F``: columns ``reasons`` (zh), ``reasons_en`` and
    ``reason_features`` (list of ``{feature, value, contribution, dimension, actionable}``; the
    grouped missing-value item has feature ``incomplete_information``, value None and
    ``fields``). With ``dimensions=True`` also the sub-score columns of
    :func:`dimension_columns` (0–100, one decimal)."""
    names = list(head.features)
    dims = np.array([DIMENSIONS.index(feature_spec(n).dimension) for n in names])
    cols = ["reasons", "reasons_en", "reason_features"]
    if k <= 0 and not dimensions:
        return pd.DataFrame(index=F.index, columns=cols)
    X = head.matrix(F)
    zh, en, items = [], [], []
    subs = np.full((len(X), len(DIMENSIONS)), np.nan)
    specs = [feature_spec(n) for n in names]
    for start in range(0, len(X), chunk):
        part = X[start:start + chunk]
        contrib = head.booster.predict(part, pred_contrib=True)[:, :-1]
        if dimensions:
            for d in range(len(DIMENSIONS)):
                s = contrib[:, dims == d].sum(axis=1)
                subs[start:start + len(part), d] = np.round(100.0 / (1.0 + np.exp(-s)), 1)
        if k <= 0:
            continue
        missing = np.isnan(part)
        for i in range(len(part)):
            c_row = contrib[i]
            cand = []
            miss_j = [j for j in np.flatnonzero(missing[i]) if c_row[j] != 0.0]
            miss_sum = float(c_row[miss_j].sum()) if miss_j else 0.0
            for j in np.flatnonzero(~missing[i] & (np.abs(c_row) >= min_contribution)):
                cand.append((abs(float(c_row[j])), int(j)))
            if miss_j and abs(miss_sum) >= min_contribution:
                cand.append((abs(miss_sum), -1))
            cand.sort(key=lambda t: (-t[0], t[1]))
            row_zh, row_en, row_items = [], [], []
            for _, j in cand[:k]:
                if j < 0:
                    feats = [names[m] for m in sorted(miss_j, key=lambda m: -abs(c_row[m]))]
                    row_zh.append(_incomplete_text(feats, miss_sum, "zh"))
                    row_en.append(_incomplete_text(feats, miss_sum, "en"))
                    row_items.append({"feature": INCOMPLETE, "value": None,
                                      "contribution": round(miss_sum, 4), "fields": feats,
                                      "dimension": None, "actionable": False})
                    continue
                c = float(c_row[j])
                v = float(part[i, j])
                row_zh.append(reason_text(names[j], v, c, "zh"))
                row_en.append(reason_text(names[j], v, c, "en"))
                row_items.append({"feature": names[j], "value": v, "contribution": round(c, 4),
                                  "dimension": specs[j].dimension,
                                  "actionable": specs[j].actionable})
            zh.append("；".join(row_zh))
            en.append("; ".join(row_en))
            items.append(row_items)
    if k > 0:
        out = pd.DataFrame({"reasons": zh, "reasons_en": en, "reason_features": items},
                           index=F.index)
    else:
        out = pd.DataFrame(index=F.index, columns=cols)
    if dimensions:
        for d, name in enumerate(dimension_columns()):
            out[name] = subs[:, d]
    return out
