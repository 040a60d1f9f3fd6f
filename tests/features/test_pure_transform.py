"""``transform`` is a pure function of the records, the fitted state and the call's arguments:
``as_of`` and the claims cache are passed per call, nothing is stored on the model or in the
module between calls."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from hvpscore.features import (
    FeatureMemo,
    features_from_state,
    features_state,
    fit_features,
    make_features,
    transform_features,
)
from hvpscore.model import HvpModel

datasets = pytest.importorskip("hvpscore.datasets")

A, B = "2021-06-30", "2026-06-30"


@pytest.fixture(scope="module")
def records():
    return datasets.make_patents(300, seed=11, as_of="2025-12-31")


@pytest.fixture(scope="module")
def stock_model(records):
    fu = fit_features(make_features("stock", as_of="2025-12-31"), records)
    return HvpModel(fu, {}, {"stage": "stock", "model_version": "pure-test"})


def _snapshot(model: HvpModel) -> str:
    return json.dumps({"state": features_state(model.features),
                       "params": [repr(t.get_params()) for _, t in model.features.transformer_list]},
                      sort_keys=True, default=str)


def test_two_dates_give_two_results_and_leave_the_model_unchanged(stock_model, records):
    before = _snapshot(stock_model)
    fa = stock_model.transform(records, as_of=A)
    fb = stock_model.transform(records, as_of=B)
    assert _snapshot(stock_model) == before
    assert [t.as_of for _, t in stock_model.features.transformer_list] == ["2025-12-31"] * len(
        stock_model.features.transformer_list)
    # age at as_of: five years apart for the patents alive at both dates
    alive = records["lapse_date"].isna().to_numpy() & (records["filing_date"] < A).to_numpy()
    assert alive.sum() > 20
    diff = (fb["age_years"] - fa["age_years"]).to_numpy()[alive]
    np.testing.assert_allclose(diff, 5.0, atol=0.01)
    # each call is its own: A again gives A's result, and no date gives the training date's
    pd.testing.assert_frame_equal(stock_model.transform(records, as_of=A), fa)
    pd.testing.assert_frame_equal(stock_model.transform(records),
                                  stock_model.transform(records, as_of="2025-12-31"))


def test_same_values_as_scikit_learns_own_path(stock_model, records):
    """The per-call path equals FeatureUnion.transform of a copy whose transformers were set to
    that date (the way the model used to be changed), for every column."""
    for when in (A, B):
        fu = features_from_state(features_state(stock_model.features))
        fu.set_params(**{f"{name}__as_of": when for name, _ in fu.transformer_list})
        pd.testing.assert_frame_equal(stock_model.transform(records, as_of=when),
                                      fu.transform(records))
    fu = make_features("stock", as_of="2025-12-31")
    pd.testing.assert_frame_equal(fu.fit(records).transform(records),
                                  transform_features(stock_model.features, records))


def test_concurrent_calls_at_different_dates_do_not_mix(stock_model, records):
    expect = {d: stock_model.transform(records, as_of=d) for d in (A, B)}
    dates = [A, B] * 6
    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda d: stock_model.transform(records, as_of=d), dates))
    for d, f in zip(dates, got, strict=True):
        pd.testing.assert_frame_equal(f, expect[d])


def test_one_memo_parses_the_claims_texts_once_per_frame(records, monkeypatch):
    import hvpscore.features._transformers as tr

    calls = []
    real = tr.text_claim_frame
    monkeypatch.setattr(tr, "text_claim_frame",
                        lambda X, cache=None: calls.append(id(X)) or real(X, cache=cache))
    fu = fit_features(make_features("grant", as_of="2025-12-31"), records)
    assert len(calls) == 1  # fit_features: the claims analysis computed once for all families
    users = 0
    for _, t in fu.transformer_list:  # alone, each family that reads it parses the texts
        n = len(calls)
        t.transform(records)
        users += len(calls) > n
    assert users >= 2  # claims and prosecution both read the claims analysis
    calls.clear()
    transform_features(fu, records)
    assert len(calls) == 1
    calls.clear()
    fu.transform(records)  # scikit-learn's path: one memo per family, nothing kept
    fu.transform(records)
    assert len(calls) == 2 * users


def test_memo_is_keyed_by_the_frame_not_by_its_address(records):
    memo = FeatureMemo()
    a = records.iloc[:5].copy()
    b = a.copy()
    b["claims_text"] = "1. 一种装置，包括A。\n2. 根据权利要求1所述的装置，包括B。"
    assert memo.text(a) is memo.text(a)
    assert memo.text(b)["text_claims"].tolist() == [2.0] * 5


def test_evaluate_model_labels_and_builds_features_at_the_same_date(records):
    from hvpscore.model import evaluate_model, train_model
    from hvpscore.model._metrics import binary_metrics
    from hvpscore.model._targets import labels_for

    recs = datasets.make_patents(2500, seed=12, as_of="2025-12-31")
    m = train_model(recs, targets=("maintained_10y",), stage="stock", as_of="2025-12-31",
                    baseline=False, params={"n_estimators": 40, "early_stopping_rounds": 10})
    when = "2024-12-31"
    r1 = evaluate_model(recs, m, as_of=when, all_rows=True)
    m.transform(recs, as_of="2019-01-01")  # a call at another date changes nothing
    r2 = evaluate_model(recs, m, as_of=when, all_rows=True)
    pd.testing.assert_frame_equal(r1, r2)
    y, _ = labels_for(recs.reset_index(drop=True), "maintained_10y", as_of=when)
    known = y.notna().to_numpy()
    head = m.heads["maintained_10y"]
    p = head.predict(m.transform(recs.reset_index(drop=True), as_of=when))
    want = binary_metrics(y.to_numpy()[known].astype(int), p[known])
    assert r1.iloc[0]["auc"] == pytest.approx(want["auc"])
    assert r1.iloc[0]["brier"] == pytest.approx(want["brier"])
