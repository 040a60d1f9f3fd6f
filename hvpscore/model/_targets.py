"""Targets of the model heads and how their labels are obtained (see data/targets.yaml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.schema import OUTCOME_PREFIX

__all__ = ["TARGETS", "conditional_heads", "labels_for", "label_free_of_rules", "target_info"]


@cache
def _targets() -> dict:
    text = resources.files("hvpscore.model").joinpath("data/targets.yaml").read_text("utf-8")
    return _yaml_safe_load(text)["targets"]


TARGETS: tuple[str, ...] = tuple(_targets())


def target_info(target: str) -> dict:
    try:
        return _targets()[target]
    except KeyError:
        raise InputError(f"target {target!r} is not one of {', '.join(TARGETS)}") from None


def label_free_of_rules(target: str, records: pd.DataFrame) -> bool:
    """True when the labels of ``target`` need no criteria engine (an outcome column or a
    maintenance derivation)."""
    return (OUTCOME_PREFIX + target in records.columns
            or target_info(target)["derive"] in ("maintained", "maintained_given"))


def conditional_heads(targets) -> dict[int, str]:
    """``{given age: target}`` of the conditional maintenance heads among ``targets``
    (``{4: "maintained_10y_given_4y", 8: ...}``)."""
    out = {}
    for t in targets:
        info = target_info(t)
        if info["derive"] == "maintained_given" and info.get("base") == "maintained_10y":
            out[int(info["given_years"])] = t
    return dict(sorted(out.items()))


def labels_for(records: pd.DataFrame, target: str, *, as_of=None, policy=None,
               criteria: pd.DataFrame | None = None) -> tuple[pd.Series, str]:
    """Labels (nullable Int8; NA = unknown, not used for training) and where they came from.

    An ``outcome_<target>`` column wins when it holds any value; otherwise the label is derived
    for mature records as documented in ``data/targets.yaml``.
    """
    info = target_info(target)
    if info["derive"] == "maintained_given":
        return _given_labels(records, info, as_of=as_of, policy=policy, criteria=criteria)
    col = OUTCOME_PREFIX + target
    if col in records.columns and records[col].notna().any():
        y = pd.to_numeric(records[col], errors="coerce").astype("Float64")
        bad = y.notna() & ~y.isin([0, 1])
        if bad.any():
            rows = list(np.flatnonzero(bad.to_numpy())[:5] + 1)
            raise InputError(f"{col}: values other than 0/1 in rows {rows}; outcomes must be 0 or 1")
        return y.astype("Int8"), f"column {col}"
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    filed = pd.to_datetime(records.get("filing_date"), errors="coerce")
    invention = records.get("patent_type").eq("invention") if "patent_type" in records else None
    mature = filed.notna() & (filed <= as_of - pd.DateOffset(years=int(info["maturity_years"])))
    if invention is not None:
        mature &= invention.fillna(False).astype(bool)
    if info["derive"] == "maintained":
        y = _maintained(records, filed, as_of, int(info["years"]))
    else:
        if criteria is None:
            from hvpscore.rules import evaluate_criteria  # the criteria engine (issue 4)

            criteria = evaluate_criteria(records, policy=policy, as_of=as_of)
        y = pd.Series(criteria[info["derive"]].to_numpy(), index=records.index).astype("Float64")
    y = y.where(mature)
    return y.astype("Int8"), f"derived ({info['derive']}) as of {as_of.date()} on records filed " \
                             f"≥ {info['maturity_years']} years earlier"


def _given_labels(records, info, *, as_of, policy, criteria) -> tuple[pd.Series, str]:
    base, base_src = labels_for(records, info["base"], as_of=as_of, policy=policy,
                                criteria=criteria)
    a = int(info["given_years"])
    col = f"{OUTCOME_PREFIX}maintained_{a}y"
    if col in records.columns and records[col].notna().any():
        cond = pd.to_numeric(records[col], errors="coerce").astype("Float64")
        cond_src = f"column {col}"
    else:
        ts = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
        filed = pd.to_datetime(records.get("filing_date"), errors="coerce")
        cond = _maintained(records, filed, ts, a)
        cond_src = f"in force {a} years after filing (derived)"
    y = base.astype("Float64").where(cond.eq(1).fillna(False).astype(bool))
    return y.astype("Int8"), f"{base_src} on the rows in force at age {a} ({cond_src})"


def _maintained(records: pd.DataFrame, filed: pd.Series, as_of: pd.Timestamp,
                years: int) -> pd.Series:
    status = records.get("legal_status", pd.Series([None] * len(records), index=records.index))
    lapse = pd.to_datetime(records.get("lapse_date"), errors="coerce")
    end = filed + pd.DateOffset(years=years)
    y = pd.Series(np.nan, index=records.index, dtype="Float64")
    alive = status.eq("in_force").fillna(False).astype(bool) & (lapse.isna() | (lapse > as_of))
    y[alive & (end < as_of)] = 1.0
    dead = status.isin(["lapsed", "expired", "invalidated"]).fillna(False).astype(bool) | (
        lapse.notna() & (lapse <= as_of))
    y[dead & lapse.notna() & (lapse > end)] = 1.0
    y[dead & lapse.notna() & (lapse <= end)] = 0.0
    return y
