"""The released models in models/: they load, their cards are honest, and the US grant-stage head
meets its target on rows it never saw (the held-out hash split of the real data)."""

from __future__ import annotations

import pytest

from hvpscore.features import feature_spec
from hvpscore.io import read_records
from hvpscore.model import evaluate_model, load_model
from hvpscore.schema import stage_rank


@pytest.fixture(scope="module")
def us_all(shared_dir):
    return read_records(shared_dir / "data" / "uspto-renewal-2005" / "dev.csv",
                        profile="uspto-renewal").records


@pytest.mark.slow
def test_us_grant_head_meets_its_target_on_unseen_rows(repo_dir, us_all):
    model = load_model(repo_dir / "models" / "maintained-10y-us2005")
    full = evaluate_model(us_all, model)
    # the conditional heads (in force at 4 / 8 years) are calibrated and beat the baselines too
    for t in ("maintained_10y_given_4y", "maintained_10y_given_8y"):
        ct = full[full["target"] == t].set_index("model")
        assert ct.loc["lightgbm (this model)", "ece"] <= 0.02, t
        assert ct.loc["lightgbm (this model)", "auc"] > \
            ct.loc["logistic regression (same columns)", "auc"], t
    table = full[full["target"] == "maintained_10y"].set_index("model")
    head = table.loc["lightgbm (this model)"]
    assert head["n"] > 14000
    assert head["auc"] >= 0.65
    assert head["ece"] <= 0.02
    assert head["auc"] > table.loc["logistic regression (same columns)", "auc"]
    assert head["auc"] > table.loc["claim count alone (claims_granted)", "auc"]


def test_shipped_models_load_and_respect_their_stage(repo_dir):
    for name, stage in (("maintained-10y-us2005", "grant"),
                        ("maintained-10y-us2005-filing", "filing"), ("default", "grant")):
        m = load_model(repo_dir / "models" / name)
        assert m.stage == stage
        for f in m.feature_names:
            assert stage_rank(feature_spec(f).stage) <= stage_rank(stage), (name, f)
    card = (repo_dir / "models" / "default" / "model_card.md").read_text()
    assert "Demonstration model trained on synthetic data" in card
    assert "hvpscore train" in card
    card = (repo_dir / "models" / "maintained-10y-us2005" / "model_card.md").read_text()
    assert "logistic regression, same columns" in card and "claim count alone" in card
