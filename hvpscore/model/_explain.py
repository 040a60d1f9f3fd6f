"""Readable reasons from LightGBM per-row feature contributions (``pred_contrib=True``).

Contributions are in log-odds of the head's raw score and sum (with the bias) to it exactly.
Computing them is costly (TreeSHAP), so it happens only when reasons are asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore.features import feature_spec

__all__ = ["explain_rows", "reason_text"]


def reason_text(name: str, value: float, contribution: float, lang: str = "en") -> str:
    """``"3 claims as granted (−0.08)"`` / ``"授权权利要求3项（−0.08）"``."""
    label = feature_spec(name).label(value, lang)
    c = f"{contribution:+.2f}".replace("-", "−")
    return f"{label}（{c}）" if lang == "zh" else f"{label} ({c})"


def explain_rows(head, F: pd.DataFrame, *, k: int = 3, chunk: int = 20_000) -> pd.DataFrame:
    """Top-``k`` contributions per row of ``F``: columns ``reasons`` (zh), ``reasons_en`` and
    ``reason_features`` (list of ``{feature, value, contribution}``)."""
    if k <= 0:
        return pd.DataFrame(index=F.index, columns=["reasons", "reasons_en", "reason_features"])
    names = head.features
    X = head.matrix(F)
    zh, en, items = [], [], []
    for start in range(0, len(X), chunk):
        part = X[start:start + chunk]
        contrib = head.booster.predict(part, pred_contrib=True)[:, :-1]
        kk = min(k, contrib.shape[1])
        top = np.argsort(-np.abs(contrib), axis=1, kind="stable")[:, :kk]
        for i in range(len(part)):
            row_zh, row_en, row_items = [], [], []
            for j in top[i]:
                c = float(contrib[i, j])
                if c == 0.0:
                    continue
                v = float(part[i, j])
                row_zh.append(reason_text(names[j], v, c, "zh"))
                row_en.append(reason_text(names[j], v, c, "en"))
                row_items.append({"feature": names[j], "value": None if np.isnan(v) else v,
                                  "contribution": round(c, 4)})
            zh.append("；".join(row_zh))
            en.append("; ".join(row_en))
            items.append(row_items)
    return pd.DataFrame({"reasons": zh, "reasons_en": en, "reason_features": items},
                        index=F.index)
