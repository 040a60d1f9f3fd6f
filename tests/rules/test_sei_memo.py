"""One SEI assignment per chunk: the criteria and the model's ``sei`` feature share it inside
``sei_memo`` (score_records), with the same values as when each computes its own."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore.datasets import make_patents
from hvpscore.features._compute import KERNELS
from hvpscore.rules import assign_sei, evaluate_criteria
from hvpscore.rules._sei import assign_sei_records, sei_memo


def _records():
    recs = make_patents(400, seed=11)
    # a keyword only in the abstract, a missing title, a number in a text column
    recs.loc[recs.index[0], "title"] = None
    recs.loc[recs.index[1], "abstract"] = 12.5
    return recs


def test_feature_and_criteria_share_one_assignment_with_the_same_values():
    recs = _records()
    alone = KERNELS["sei"](recs, None)
    crit_alone = evaluate_criteria(recs, as_of="2025-12-31")
    with sei_memo():
        crit = evaluate_criteria(recs, as_of="2025-12-31")
        shared = KERNELS["sei"](recs, None)
        again = assign_sei_records(recs, ("title", "abstract", "claims_text"), text_sep="\n")
        assert again is assign_sei_records(recs, ("title", "abstract", "claims_text"))
    np.testing.assert_array_equal(alone, shared)
    pd.testing.assert_frame_equal(crit, crit_alone)


def test_joined_rows_match_a_series_of_joined_texts():
    recs = _records()
    cols = ["title", "abstract", "claims_text"]
    joined = recs[cols[0]].fillna("").astype(object).map(str)
    for c in cols[1:]:
        joined = joined + "\n" + recs[c].fillna("").astype(object).map(str)
    a = assign_sei(recs["ipc"], joined)
    b = assign_sei(recs["ipc"], recs[cols], text_sep="\n")
    pd.testing.assert_frame_equal(a, b)
    assert a["sei_rule"].str.contains("kw:").any()  # keyword rules decided some rows
