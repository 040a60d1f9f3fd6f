"""The one-draft feature row (no DataFrame) gives the values of the model's feature pipeline."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from hvpscore.prefiling import default_draft_model_path, read_draft
from hvpscore.prefiling._predict import _features, _row_path_ok, row_features

AS_OF = "2025-06-30"
_IPCS = [["H01M10/613"], ["G06F16/00", "G06N3/08"], ["A61K31/00"], ["  b65g1/00 "], ["Z99"], [],
         ["H04L27/26", "h04l5/00", "H04W"], ["", " "], ["9X"], ["G"]]
_TAGS = ["high_tech", "specialized_sme", "listed_key", "other"]


@pytest.fixture(scope="module")
def model():
    from hvpscore.model import load_model

    return load_model(default_draft_model_path())


def _drafts(n: int, seed: int) -> list[dict]:
    """Draft records as check_draft builds them, with the fields drawn at random (some absent,
    some odd: blank IPC codes, tags outside the list, no claims)."""
    from hvpscore.datasets import make_claims_texts

    gen = make_claims_texts(n, seed=seed)
    rng = random.Random(seed)
    out = []
    for row in gen.itertuples():
        d: dict = {"claims_text": row.claims_text if rng.random() < 0.9 else ""}
        if rng.random() < 0.7:
            d["title"] = "一种" + str(row.field).replace("_", "") + "装置"
        if rng.random() < 0.5:
            d["abstract"] = "本发明公开了一种电池热管理和人工智能图像识别方法。" * rng.randint(1, 3)
        if rng.random() < 0.7:
            d["ipc"] = rng.choice(_IPCS)
        if rng.random() < 0.5:
            d["applicant_type"] = rng.choice(["enterprise", "university", "individual", "other"])
        if rng.random() < 0.5:
            d["applicants"] = ["甲公司"] * rng.randint(1, 3)
        if rng.random() < 0.5:
            d["inventors"] = ["张三"] * rng.randint(1, 5)
        if rng.random() < 0.4:
            d["enterprise_tags"] = rng.sample(_TAGS, rng.randint(0, 3))
        if not d["claims_text"] and "title" not in d:
            d["title"] = "一种杯子"
        rec = read_draft(d).record()
        rec["patent_type"] = "invention"
        out.append(rec)
    return out


def test_the_shipped_draft_model_takes_the_row_path(model):
    assert _row_path_ok(model)


def test_row_equals_the_pipeline(model):
    recs = _drafts(150, seed=11)
    # the raw records too, as a caller of predict() may give them (missing keys, None, NaN)
    recs += [{"claims_text": "1. 一种杯子，包括杯体。"}, {"ipc": ["H01M10/613"], "title": None},
             {"ipc": ["H01M10/613"], "abstract": "锂离子电池", "claims_text": None},
             {"applicant_type": 3, "inventors": "张三", "enterprise_tags": ("high_tech",)}]
    compared = 0
    for rec in recs:
        mine = row_features(model, rec, AS_OF)
        ref = _features(model, pd.DataFrame([rec]), AS_OF)[list(model.feature_names)]
        np.testing.assert_array_equal(mine, ref.to_numpy(dtype=float), err_msg=str(rec)[:300])
        compared += 1
    assert compared == len(recs)
    # the comparison sees every feature both known and unknown (so it can fail on each)
    rows = np.vstack([row_features(model, r, AS_OF) for r in recs])
    for j, name in enumerate(model.feature_names):
        col = rows[:, j]
        assert np.isnan(col).any() and (~np.isnan(col)).any(), name
        if name != "sei":
            assert len(set(col[~np.isnan(col)])) > 1, name
    assert set(rows[:, model.feature_names.index("sei")]) >= {0.0, 1.0}


def test_a_model_with_other_features_takes_the_pipeline(model):
    import copy

    other = copy.deepcopy(model)
    fam = other.features.transformer_list[0][1]
    fam.issue_table_ = {"CN|2020-01-01": [0.0, 1.0]}  # a fitted table: the row path cannot know
    assert not _row_path_ok(other)
    rec = _drafts(3, seed=2)[0]
    np.testing.assert_array_equal(row_features(other, rec, AS_OF),
                                  row_features(model, rec, AS_OF))
