from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from hvpscore import ModelError
from hvpscore._errors import InputError
from hvpscore.features import feature_spec
from hvpscore.model import (
    Calibrator,
    binary_metrics,
    evaluate_model,
    expected_calibration_error,
    fit_calibrator,
    labels_for,
    load_model,
    split_parts,
    top_decile_precision,
    train_model,
)
from hvpscore.schema import column, column_names, stage_rank


def test_metrics_on_known_values():
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.4, 0.35, 0.8])
    m = binary_metrics(y, p)
    assert m["auc"] == pytest.approx(0.75)
    assert m["brier"] == pytest.approx(np.mean((p - y) ** 2))
    # one bin per prediction: |0.1-0| , |0.35-1|, |0.4-0|, |0.8-1| weighted 1/4 each
    assert expected_calibration_error(y, p) == pytest.approx((0.1 + 0.65 + 0.4 + 0.2) / 4)
    assert top_decile_precision(np.r_[np.zeros(18), 1, 1], np.r_[np.zeros(18), 0.9, 0.8]) == 1.0


def test_calibrators_roundtrip_and_are_monotone():
    rng = np.random.default_rng(0)
    raw = rng.uniform(size=4000)
    y = (rng.uniform(size=4000) < raw**2).astype(int)
    for method in ("isotonic", "platt"):
        cal = fit_calibrator(raw, y, method)
        again = Calibrator.from_dict(json.loads(json.dumps(cal.to_dict())))
        grid = np.linspace(0, 1, 50)
        assert np.allclose(cal(grid), again(grid))
        assert np.all(np.diff(cal(grid)) >= -1e-12)
        assert expected_calibration_error(y, cal(raw)) < 0.03
    with pytest.raises(InputError, match="only one class"):
        fit_calibrator(raw[:10], np.zeros(10), "isotonic")
    with pytest.raises(InputError, match="calibration 'beta'"):
        fit_calibrator(raw, y, "beta")


def test_split_is_stable_and_disjoint():
    ids = pd.Series([f"US{7000000 + i}" for i in range(5000)])
    a = split_parts(ids)
    assert (a == split_parts(ids.iloc[::-1]).tolist()[::-1]).all()
    share = pd.Series(a).value_counts(normalize=True)
    assert share["test"] == pytest.approx(0.2, abs=0.03)
    assert set(a) == {"train", "valid", "calib", "test"}


def test_outcome_labels_and_derived_maintenance_labels():
    recs = pd.DataFrame({
        "patent_id": ["CN1", "CN2", "CN3", "CN4", "CN5"],
        "patent_type": ["invention"] * 4 + ["utility_model"],
        "filing_date": pd.to_datetime(["2010-01-01", "2010-01-01", "2010-01-01", "2020-01-01",
                                       "2010-01-01"]),
        "legal_status": ["in_force", "lapsed", "lapsed", "in_force", "in_force"],
        "lapse_date": pd.to_datetime([None, "2019-06-01", "2021-06-01", None, None]),
    })
    y, src = labels_for(recs, "maintained_10y", as_of="2024-12-31")
    # in force 15 y -> 1; lapsed after 9.4 y -> 0; lapsed after 11.4 y -> 1; too young -> NA;
    # utility models are never labelled
    assert y.tolist()[:3] == [1, 0, 1]
    assert y.isna().tolist()[3:] == [True, True]
    assert "derived" in src
    recs["outcome_maintained_10y"] = [0, 1, 0, 1, 0]
    y2, src2 = labels_for(recs, "maintained_10y")
    assert y2.tolist() == [0, 1, 0, 1, 0] and src2 == "column outcome_maintained_10y"
    recs["outcome_maintained_10y"] = [0, 2, 0, 1, 0]
    with pytest.raises(InputError, match="values other than 0/1 in rows"):
        labels_for(recs, "maintained_10y")
    with pytest.raises(InputError, match="target 'renewal' is not one of"):
        labels_for(recs, "renewal")


def test_grant_model_beats_claim_count_and_is_calibrated(us_model):
    h = us_model.heads["maintained_10y"].info
    assert h["rows"]["test"] > 1500
    assert h["metrics"]["auc"] > 0.56  # 9,000 rows only; the full model reaches 0.65
    assert h["metrics"]["auc"] > h["baselines"]["claim_count"]["auc"]
    assert h["metrics"]["ece"] < 0.05
    assert "outcome_maintained_10y" not in us_model.feature_names
    assert not any(n.startswith("outcome") for n in us_model.feature_names)


def test_save_load_roundtrip_without_pickle(us_model, us_records, tmp_path):
    us_model.save(tmp_path / "m")
    files = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert files == ["head-maintained_10y.lgb.txt", "metadata.json", "model_card.md"]
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text())
    assert meta["training_data"]["sha256"] and meta["versions"]["lightgbm"]
    assert {f["name"]: f["stage"] for f in meta["features"]}["claims_granted"] == "grant"
    card = (tmp_path / "m" / "model_card.md").read_text()
    assert "logistic regression" in card and "claim count alone" in card
    m2 = load_model(tmp_path / "m")
    a = us_model.predict_proba(us_records.iloc[:500])
    b = m2.predict_proba(us_records.iloc[:500])
    assert np.allclose(a.to_numpy(), b.to_numpy())
    assert a.index.equals(us_records.index[:500])


def test_load_refuses_tampered_models(us_model, tmp_path):
    d = us_model.save(tmp_path / "m")
    with pytest.raises(ModelError, match="no metadata.json"):
        load_model(tmp_path / "nothing")
    meta = json.loads((d / "metadata.json").read_text())
    meta["heads"]["maintained_10y"]["features"][0] = "made_up"
    (d / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="feature names"):
        load_model(d)
    meta["versions"]["lightgbm"] = "1.0.0"
    (d / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="trained with lightgbm 1.0.0"):
        load_model(d)
    meta["stage"] = "filing"
    meta["versions"]["lightgbm"] = us_model.metadata["versions"]["lightgbm"]
    (d / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="refusing a leaky model"):
        load_model(d)


def test_filing_model_is_stage_safe(us_filing_model, us_records):
    m = us_filing_model
    assert m.feature_names
    for n in m.feature_names:
        assert stage_rank(feature_spec(n).stage) <= stage_rank("filing"), n
    later = [c for c in column_names() if stage_rank(column(c).stage) > stage_rank("filing")]
    assert "claims_count" in later and "grant_date" in later
    recs = us_records.iloc[:2000]
    shuffled = recs.copy()
    rng = np.random.default_rng(1)
    for c in later + [c for c in recs.columns if c.startswith("outcome_")]:
        shuffled[c] = recs[c].to_numpy()[rng.permutation(len(recs))]
    assert not shuffled["claims_count"].equals(recs["claims_count"])
    a = m.predict_proba(recs)["p_maintained_10y"].to_numpy()
    b = m.predict_proba(shuffled)["p_maintained_10y"].to_numpy()
    assert np.array_equal(a, b)


def test_reasons_are_exact_contributions_with_readable_labels(us_model, us_records):
    recs = us_records.iloc[:50]
    ex = us_model.explain(recs, k=3)
    assert len(ex) == 50 and ex.index.equals(recs.index)
    head = us_model.heads["maintained_10y"]
    F = us_model.transform(recs)
    contrib = head.contributions(F)
    raw = head.booster.predict(head.matrix(F), raw_score=True)
    assert np.allclose(contrib.sum(axis=1), raw)
    X = head.matrix(F)
    i = int(np.flatnonzero(~np.isnan(X).any(axis=1))[0])  # a row with every value known
    first = ex.iloc[i]
    assert len(first["reason_features"]) == 3
    top = first["reason_features"][0]
    assert abs(top["contribution"]) == pytest.approx(np.abs(contrib[i, :-1]).max(), abs=1e-4)
    assert "（" in first["reasons"] and "(" in first["reasons_en"]
    label_en = feature_spec(top["feature"]).en.split("{v}")[0]
    assert label_en in first["reasons_en"]


def test_evaluate_model_reports_head_and_baselines(us_model, us_records):
    t = evaluate_model(us_records, us_model)
    assert list(t["model"])[0] == "lightgbm (this model)"
    assert any("logistic regression" in m for m in t["model"])
    assert any("claim count alone" in m for m in t["model"])
    head = t.iloc[0]
    assert head["auc"] == pytest.approx(us_model.heads["maintained_10y"].info["metrics"]["auc"])


def test_train_refuses_bad_arguments(us_records):
    with pytest.raises(InputError, match="stage 'issued' is not one of"):
        train_model(us_records, stage="issued")
    with pytest.raises(InputError, match="target 'renewal' is not one of"):
        train_model(us_records, targets=("renewal",))
    tiny = us_records.iloc[:40]
    with pytest.raises(InputError, match=r"target maintained_10y: .*(positive training rows|labelled rows)"):
        train_model(tiny, targets=("maintained_10y",))


def test_optional_optuna_tuning_searches_by_cv_on_the_train_part(us_records):
    pytest.importorskip("optuna")
    m = train_model(us_records.iloc[:4000], tune=True, n_trials=3, baseline=False, cv=3,
                    params={"n_estimators": 200, "early_stopping_rounds": 20})
    info = m.heads["maintained_10y"].info
    assert m.metadata["tuned"] is True
    assert info["params"]["num_leaves"] != 31 or info["params"]["learning_rate"] != 0.02
    assert info["tuning"]["folds"] == 3 and info["tuning"]["trials"] == 3
    assert info["cv"]["k"] == 3 and len(info["cv"]["auc"]) == 3
    # the study's best CV AUC is the CV of the chosen settings (same folds, same data)
    assert info["cv"]["mean"] == pytest.approx(info["tuning"]["best_cv_auc"], abs=1e-9)


def test_every_public_name_resolves():
    import hvpscore.model as hm

    for name in hm.__all__:
        assert getattr(hm, name) is not None, name
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        hm.nothing  # noqa: B018


def test_evaluate_all_rows_scores_every_labelled_row(us_model, us_records):
    t = evaluate_model(us_records, us_model, all_rows=True)
    assert t.iloc[0]["n"] == us_records["outcome_maintained_10y"].notna().sum()
