"""Cross-validation, bootstrap intervals, conditional maintenance heads, reasons a person can use
and value sub-scores (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from hvpscore.features import DIMENSIONS, feature_spec, feature_specs
from hvpscore.model import (
    bootstrap_ci,
    conditional_heads,
    cross_validate,
    cv_folds,
    evaluate_model,
    expected_calibration_error,
    labels_for,
    load_model,
    split_parts,
    train_model,
)
from hvpscore.model._explain import INCOMPLETE, MIN_CONTRIBUTION, explain_rows
from hvpscore.model._metrics import _weighted
from hvpscore.schema import column, column_names, stage_rank
from hvpscore.scoring import score_records

_FAST = {"learning_rate": 0.05, "n_estimators": 300, "early_stopping_rounds": 30}


def test_weighted_metrics_equal_sklearn_at_unit_weights_and_ci_brackets_them():
    rng = np.random.default_rng(3)
    p = np.round(rng.random(4000), 2)  # ties on purpose
    y = (rng.random(4000) < p).astype(float)
    _, g = np.unique(p, return_inverse=True)
    auc, ap, brier, ece = _weighted(g, y, p, np.ones(len(y)), 10)
    assert auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert ap == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert ece == pytest.approx(expected_calibration_error(y, p), abs=1e-12)
    ci = bootstrap_ci(y, p, n=300)
    for name, point in (("auc", auc), ("pr_auc", ap), ("brier", brier)):
        lo, hi = ci[name]
        assert lo < point < hi, name
        assert hi - lo < 0.06, name
    # a resample twice the size gives a narrower interval
    ci2 = bootstrap_ci(np.tile(y, 4), np.tile(p, 4), n=300)
    assert ci2["auc"][1] - ci2["auc"][0] < ci["auc"][1] - ci["auc"][0]


def test_cv_uses_only_the_train_part_with_stable_hash_folds(us_records):
    ids = us_records["patent_id"]
    f1, f2 = cv_folds(ids), cv_folds(ids.iloc[::-1])[::-1]
    assert np.array_equal(f1, f2) and set(f1) == {0, 1, 2, 3, 4}
    res = cross_validate(us_records, stage="grant", as_of="2017-10-23", params=_FAST)
    train = split_parts(ids) == "train"
    assert sum(res["rows"]) == int(train.sum())  # every train row held out once, no other row
    assert len(res["auc"]) == 5 and 0.55 < res["mean"] < 0.75
    assert res["sd"] == pytest.approx(np.std(res["auc"], ddof=1))


def test_conditional_labels_are_the_10y_label_on_rows_in_force_at_that_age(us_records):
    base, _ = labels_for(us_records, "maintained_10y")
    for a, t in ((4, "maintained_10y_given_4y"), (8, "maintained_10y_given_8y")):
        y, src = labels_for(us_records, t)
        alive = us_records[f"outcome_maintained_{a}y"].eq(1).to_numpy()
        assert y[alive].equals(base[alive])
        assert y[~alive].isna().all()
        assert f"outcome_maintained_{a}y" in src
    assert conditional_heads(["maintained_10y", "maintained_10y_given_8y",
                              "maintained_10y_given_4y"]) == {
        4: "maintained_10y_given_4y", 8: "maintained_10y_given_8y"}


@pytest.fixture(scope="module")
def cond_model(us_records):
    return train_model(us_records, targets=("maintained_10y", "maintained_10y_given_4y",
                                            "maintained_10y_given_8y"),
                       stage="grant", as_of="2017-10-23", params=_FAST, baseline=False,
                       bootstrap=100)


def test_every_head_is_stage_safe(cond_model, us_records):
    later = [c for c in column_names() if stage_rank(column(c).stage) > stage_rank("grant")]
    recs = us_records.iloc[:1500].copy()
    shuffled = recs.copy()
    rng = np.random.default_rng(2)
    for c in later + [c for c in recs.columns if c.startswith("outcome_")]:
        if c in shuffled.columns:
            shuffled[c] = recs[c].to_numpy()[rng.permutation(len(recs))]
    a = cond_model.predict_proba(recs)
    b = cond_model.predict_proba(shuffled)
    for t, head in cond_model.heads.items():
        for f in head.features:
            assert stage_rank(feature_spec(f).stage) <= stage_rank("grant"), (t, f)
        assert np.array_equal(a[f"p_{t}"], b[f"p_{t}"]), t


def test_conditional_heads_are_trained_on_their_rows_and_the_score_uses_the_age_match(
        cond_model, us_records):
    info = {t: h.info for t, h in cond_model.heads.items()}
    n = {t: i["rows"]["train"] for t, i in info.items()}
    assert n["maintained_10y"] > n["maintained_10y_given_4y"] > n["maintained_10y_given_8y"]
    # survivors are more often maintained: base rates rise with the age conditioned on
    br = {t: i["metrics"]["base_rate"] for t, i in info.items()}
    assert br["maintained_10y"] < br["maintained_10y_given_4y"] < br["maintained_10y_given_8y"]
    assert all(i["metrics_ci"]["auc"][0] < i["metrics"]["auc"] < i["metrics_ci"]["auc"][1]
               for i in info.values())
    recs = us_records.iloc[:200]
    grant = pd.to_datetime(recs["grant_date"])
    checked = 0
    for as_of, want in (("2007-06-30", "maintained_10y"), ("2010-06-30", "maintained_10y_given_4y"),
                        ("2014-06-30", "maintained_10y_given_8y")):
        out = score_records(recs, model=cond_model, as_of=as_of)
        age = (pd.Timestamp(as_of) - grant).dt.days / 365.25
        assert (age.between(*{"maintained_10y": (0, 4), "maintained_10y_given_4y": (4, 8),
                              "maintained_10y_given_8y": (8, 12)}[want])).all()
        assert (out["maintained_head"] == want).all(), as_of
        assert np.allclose(out["p_maintained_10y"], out[f"p_{want}"])
        # where the rules do not decide already, the score is the age-matched probability
        model_rows = (~out["is_high_value"].fillna(False).astype(bool) & out["can_count"])
        checked += int(model_rows.sum())
        assert np.allclose(out.loc[model_rows, "score"],
                           np.round(100 * out.loc[model_rows, "p_maintained_10y"], 1))
    assert checked > 50


def test_reasons_never_rest_on_missing_values_nor_negligible_contributions(us_model, us_records):
    recs = us_records.iloc[:400].copy()
    recs.loc[recs.index[::2], "entity_size"] = None  # 主体规模：未知 is not a reason
    recs.loc[recs.index[::2], "fee_reduction"] = pd.NA
    head = us_model.heads["maintained_10y"]
    F = us_model.transform(recs)
    ex = explain_rows(head, F, k=5)
    contrib = head.contributions(F)[:, :-1]
    X = head.matrix(F)
    seen_group = False
    for i, items in enumerate(ex["reason_features"]):
        for it in items:
            assert abs(it["contribution"]) >= MIN_CONTRIBUTION
            if it["feature"] == INCOMPLETE:
                seen_group = True
                miss = np.isnan(X[i])
                assert it["contribution"] == pytest.approx(contrib[i, miss].sum(), abs=1e-4)
                assert set(it["fields"]) <= {head.features[j] for j in np.flatnonzero(miss)}
            else:
                assert it["value"] is not None and not np.isnan(it["value"])
        for text in ex["reasons"].iloc[i].split("；"):
            if "未知" in text:
                assert text.startswith("信息不全："), text
        for text in ex["reasons_en"].iloc[i].split("; "):
            if "unknown" in text:
                assert text.startswith("incomplete information:"), text
    assert seen_group
    assert ex["reasons"].str.contains("信息不全：主体规模").any()


def test_value_subscores_sum_the_contributions_of_each_dimension(us_model, us_records):
    recs = us_records.iloc[:100]
    head = us_model.heads["maintained_10y"]
    F = us_model.transform(recs)
    ex = explain_rows(head, F, k=0, dimensions=True)
    contrib = head.contributions(F)[:, :-1]
    for d in DIMENSIONS:
        cols = [j for j, f in enumerate(head.features) if feature_spec(f).dimension == d]
        want = np.round(100 / (1 + np.exp(-contrib[:, cols].sum(axis=1))), 1)
        assert np.allclose(ex[f"dim_{d}"], want), d
        assert ex[f"dim_{d}"].between(0, 100).all()
    out = score_records(recs, model=us_model, as_of="2017-10-23", reasons=2)
    assert {"dim_legal", "dim_technical", "dim_economic"} <= set(out.columns)
    assert out["dim_legal"].nunique() > 5


def test_registry_dimensions_and_draft_actionable_features():
    specs = feature_specs()
    assert {s.dimension for s in specs} == set(DIMENSIONS)
    actionable = {s.name for s in specs if s.actionable}
    assert actionable and all(feature_spec(n).stage == "draft" for n in actionable)
    for n in ("filing_year", "ipc_class", "applicant_type", "n_inventors", "sei"):
        assert n not in actionable
    from importlib import resources

    advice = yaml.safe_load(resources.files("hvpscore.prefiling").joinpath(
        "data/advice.yaml").read_text("utf-8"))
    assert {a["feature"] for a in advice["actionable"]} <= actionable


def test_crossfit_fits_on_every_non_test_row_and_never_reads_the_test_part(us_records, tmp_path):
    """``crossfit=k``: the head is fitted on train + valid + calib, its CV is the cross-fit of
    exactly those rows, and flipping every test label changes nothing but the test metrics."""
    kw = {"targets": ("maintained_10y",), "stage": "grant", "as_of": "2017-10-23",
          "params": _FAST, "baseline": False, "bootstrap": 0, "crossfit": 3}
    m = train_model(us_records, **kw)
    info = m.heads["maintained_10y"].info
    parts = split_parts(us_records["patent_id"])
    cvr = info["cv"]
    assert cvr["pool"] == "fit" and cvr["k"] == 3
    assert sum(cvr["rows"]) == int((parts != "test").sum())  # each fitting row held out once
    assert 0.55 < cvr["mean"] < 0.75
    # the shipped booster: the folds' mean tree count scaled by fitting rows / fold-fitting rows
    n_fit = int((parts != "test").sum())
    assert cvr["final_trees"] == info["best_iteration"] == max(1, round(
        np.mean(cvr["trees"]) * n_fit / np.mean(cvr["fit_rows"])))
    assert m.heads["maintained_10y"].booster.current_iteration() == cvr["final_trees"]
    assert info["metrics"]["ece"] < 0.05 and info["metrics"]["auc"] > 0.55
    assert m.metadata["crossfit"] == 3
    card = (m.save(tmp_path / "m") / "model_card.md").read_text("utf-8")
    assert "3-fold cross-fit of the fitting rows" in card and "out-of-fold scores" in card

    flipped = us_records.copy()
    te = parts == "test"
    flipped.loc[te, "outcome_maintained_10y"] = 1 - flipped.loc[te, "outcome_maintained_10y"]
    m2 = train_model(flipped, **kw)
    h1, h2 = m.heads["maintained_10y"], m2.heads["maintained_10y"]
    assert h1.booster.model_to_string() == h2.booster.model_to_string()
    assert h1.calibrator.to_dict() == h2.calibrator.to_dict()
    assert h2.info["cv"]["auc"] == cvr["auc"]
    assert h2.info["metrics"]["auc"] == pytest.approx(1 - info["metrics"]["auc"], abs=1e-9)


def test_final_refit_uses_every_row_keeps_the_evaluation_figures_and_refuses_the_split(
        us_records, tmp_path):
    kw = {"targets": ("maintained_10y",), "stage": "grant", "as_of": "2017-10-23",
          "params": _FAST, "baseline": False, "bootstrap": 0, "crossfit": 3}
    with pytest.raises(Exception, match="crossfit"):
        train_model(us_records, **{**kw, "crossfit": 0}, final=True)
    ev = train_model(us_records, **kw)
    fin = train_model(us_records, **kw, final=True)
    e, f = ev.heads["maintained_10y"].info, fin.heads["maintained_10y"].info
    # the held-out figures are the evaluation run's: fitted without the test part
    assert f["metrics"] == e["metrics"] and f["cv"]["auc"] == e["cv"]["auc"]
    assert f["evaluation"]["trees"] == e["best_iteration"]
    # the shipped booster: every labelled row, its own all-rows cross-fit
    n = int(us_records["outcome_maintained_10y"].notna().sum())
    assert f["final"]["rows"] == n and sum(f["final"]["cv"]["rows"]) == n
    assert f["final"]["cv"]["pool"] == "all"
    assert fin.heads["maintained_10y"].booster.current_iteration() == f["final"]["trees"]
    assert (fin.heads["maintained_10y"].booster.model_to_string()
            != ev.heads["maintained_10y"].booster.model_to_string())
    # the test rows now change the shipped booster (they are fitted on)
    flipped = us_records.copy()
    te = split_parts(us_records["patent_id"]) == "test"
    flipped.loc[te, "outcome_maintained_10y"] = 1 - flipped.loc[te, "outcome_maintained_10y"]
    fin2 = train_model(flipped, **kw, final=True)
    assert (fin2.heads["maintained_10y"].booster.model_to_string()
            != fin.heads["maintained_10y"].booster.model_to_string())
    # no unseen rows in its own hash split: evaluate refuses it, --all-rows works
    with pytest.raises(Exception, match="refitted on every labelled row"):
        evaluate_model(us_records, fin)
    assert len(evaluate_model(us_records, fin, all_rows=True)) == 3
    saved = load_model(fin.save(tmp_path / "m"))
    card = (tmp_path / "m" / "model_card.md").read_text("utf-8")
    assert "final refit" in card and "Shipped booster (final refit)" in card
    with pytest.raises(Exception, match="refitted on every labelled row"):
        evaluate_model(us_records, saved)
