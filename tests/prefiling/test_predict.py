"""The draft-stage model: stage safety of every head, reasons a person can act on."""

from __future__ import annotations

import numpy as np
import pytest

from hvpscore.features import feature_spec
from hvpscore.prefiling import check_draft, default_draft_model_path
from hvpscore.prefiling._data import advice_texts
from hvpscore.schema import COLUMNS as SCHEMA
from hvpscore.schema import stage_rank
from tests.prefiling.drafts import base, to_record


@pytest.fixture(scope="module")
def model():
    from hvpscore.model import load_model

    return load_model(default_draft_model_path())


def test_every_head_uses_draft_stage_features_only(model):
    assert model.stage == "draft"
    assert set(model.targets) == {"maintained_10y", "overseas_family", "high_value"}
    for head in model.heads.values():
        for name in head.features:
            assert feature_spec(name).stage == "draft", name
            for src in feature_spec(name).sources:
                col = next(c for c in SCHEMA if c.name == src)
                assert stage_rank(col.stage) <= stage_rank("draft"), (name, src)


def test_later_stage_columns_change_nothing(model):
    from hvpscore.datasets import make_patents

    recs = make_patents(400, seed=7, as_of="2025-12-31")
    p0 = model.predict_proba(recs, as_of="2025-12-31")
    later = [c.name for c in SCHEMA if stage_rank(c.stage) > stage_rank("draft")
             and c.name in recs.columns]
    assert {"filing_date", "grant_date", "legal_status", "pct_application",
            "overseas_granted", "claims_count"} <= set(later)
    rng = np.random.default_rng(0)
    shuffled = recs.copy()
    for col in later:
        shuffled[col] = recs[col].to_numpy()[rng.permutation(len(recs))]
    p1 = model.predict_proba(shuffled, as_of="2025-12-31")
    np.testing.assert_array_equal(p0.to_numpy(), p1.to_numpy())
    # and the draft-stage columns do matter (the test can fail)
    moved = recs.copy()
    moved["claims_text"] = recs["claims_text"].to_numpy()[rng.permutation(len(recs))]
    assert not np.array_equal(p0.to_numpy(), model.predict_proba(moved,
                                                                 as_of="2025-12-31").to_numpy())


def test_check_predictions_match_the_model(model):
    import pandas as pd

    rec = to_record(base("zh"), ipc=["A47J41/00"], applicant_type="enterprise")
    r = check_draft(rec, as_of="2025-06-30")
    mine = {h["target"]: h["probability"] for h in r.predictions["heads"]}
    ref = model.predict_proba(pd.DataFrame([r.draft.record() | {"patent_type": "invention"}]),
                              as_of="2025-06-30").iloc[0]
    for t, p in mine.items():
        assert p == pytest.approx(float(ref[f"p_{t}"]), abs=1e-4)


def test_no_reason_from_a_missing_value():
    r = check_draft(to_record(base("zh")), as_of="2025-06-30")  # no IPC, inventors, applicants
    feats = {x["feature"] for h in r.predictions["heads"] for x in h["reasons"]}
    for name in feats:
        srcs = feature_spec(name).sources
        assert any(r.draft.record().get(s) for s in srcs), name
    assert not feats & {"n_ipc", "ipc_class", "ipc_section", "n_inventors", "n_applicants",
                        "applicant_type"}
    r2 = check_draft(to_record(base("zh"), ipc=["A47J41/00", "B65D81/38"],
                               inventors=["张三", "李四"]), as_of="2025-06-30")
    feats2 = {x["feature"] for h in r2.predictions["heads"] for x in h["reasons"]}
    assert feats2 & {"n_ipc", "ipc_class", "ipc_section", "n_inventors", "n_ipc_subclasses"}


def test_model_advice_only_from_actionable_features_of_heads_with_skill():
    acts = {a["feature"] for a in advice_texts()["actionable"]}
    assert "filing_year" not in acts and "applicant_type" not in acts
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "data" / "sample" / "drafts"
    seen = 0
    for draft in (samples / "sorting_bin.docx", to_record(base("zh"))):
        r = check_draft(draft, as_of="2025-06-30")
        skilled = {h["target"] for h in r.predictions["heads"] if h["skill"]}
        for a in r.advice:
            if a["kind"] != "model":
                continue
            target, feat = a["refs"][0].split(":")
            assert feat in acts and target in skilled
            head = next(h for h in r.predictions["heads"] if h["target"] == target)
            reason = next(x for x in head["reasons"] if x["feature"] == feat)
            assert reason["contribution"] < 0
            assert reason["what_if"]["probability"] > head["probability"]
            seen += 1
    assert seen > 0  # the defective sample draft gets at least one model line


def test_heads_without_skill_are_marked():
    r = check_draft(to_record(base("zh")), as_of="2025-06-30")
    for h in r.predictions["heads"]:
        assert h["skill"] == (h["heldout_auc"] is not None and h["heldout_auc"] >= 0.55)
    assert r.predictions["model"]["synthetic"] is True
