"""Invariants of the criteria engine over random records (hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_records import canonical_frame

from hvpscore.rules import evaluate_criteria
from hvpscore.schema import LEGAL_STATUSES, PATENT_TYPES

FLAGS = ["hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award"]
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
record = st.fixed_dictionaries({
    "patent_id": st.just("X"),
    "patent_type": st.one_of(st.none(), st.sampled_from(PATENT_TYPES)),
    "legal_status": st.one_of(st.none(), st.sampled_from(LEGAL_STATUSES)),
    "filing_date": dates,
    "grant_date": dates,
    "lapse_date": dates,
    "ipc": st.one_of(st.none(), st.lists(st.sampled_from(
        ["H04L27/26", "A61K8/02", "G06Q10/06", "F16H57/02", "B60L53/10", "bad"]), max_size=3)),
    "title": st.one_of(st.none(), st.sampled_from(["基于区块链的方法", "齿轮"])),
    "overseas_granted": st.one_of(st.none(), st.lists(st.sampled_from(["US", "HK", "CN", "EP"]),
                                                      max_size=2)),
    "pledge_amount_cny": st.one_of(st.none(), st.floats(0, 1e8)),
    "awards": st.one_of(st.none(), st.lists(st.sampled_from(
        ["china_patent_gold", "provincial_patent_award"]), max_size=2)),
    "award_year": st.one_of(st.none(), st.integers(1990, 2030)),
})


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(record, min_size=1, max_size=20),
       as_of=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
def test_invariants(rows, as_of):
    df = canonical_frame(rows)
    out = evaluate_criteria(df, as_of=as_of)
    assert out.index.equals(df.index)
    assert (out["is_high_value"] == out[FLAGS].any(axis=1)).all()
    # every flag needs a valid invention in force
    assert not (out[FLAGS].any(axis=1) & ~out["in_force"]).any()
    assert not (out["in_force"] & (df["patent_type"] != "invention")).any()
    ts = pd.Timestamp(as_of)
    lapsed = df["lapse_date"].notna() & (df["lapse_date"] <= ts)
    assert not (out["in_force"] & lapsed).any()
    granted_later = df["grant_date"].notna() & (df["grant_date"] > ts)
    assert not (out["in_force"] & granted_later).any()
    assert not (out["in_force"] & df["legal_status"].isin(["pending", "rejected",
                                                            "withdrawn"])).any()
    term = df["filing_date"] + pd.DateOffset(years=20)
    assert not (out["in_force"] & df["filing_date"].notna() & (term <= ts)).any()
    m = out["hv_maintained_10y"]
    assert (out.loc[m, "maintained_years"] > 9.99).all()
    assert ((df.loc[m, "filing_date"] + pd.DateOffset(years=10)) < ts).all()
    # evidence: every row that is not counted says why; every met flag has evidence
    assert (out.loc[~out["in_force"], "hv_evidence"].str.len() > 0).all()
    assert (out.loc[out["is_high_value"], "hv_evidence"].str.len() > 0).all()
    assert (out.loc[out["is_high_value"], "hv_evidence_zh"].str.len() > 0).all()
    assert np.isfinite(out["maintained_years"].fillna(0)).all()
