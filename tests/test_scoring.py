from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hvpscore
from hvpscore._errors import InputError, ModelError
from hvpscore.datasets import make_patents
from hvpscore.scoring import default_model_path, percentile, score_records


@pytest.fixture(scope="module")
def stock():
    return make_patents(400, seed=11, as_of="2025-12-31")


def test_default_model_scores_one_row_per_record_in_order(stock):
    shuffled = stock.sample(frac=1.0, random_state=3)
    out = score_records(shuffled, as_of="2025-12-31")
    assert len(out) == len(shuffled)
    assert out.index.equals(shuffled.index)
    assert out["patent_id"].tolist() == shuffled["patent_id"].tolist()
    for c in ("is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge",
              "hv_award", "hv_evidence", "p_maintained_10y", "p_overseas_family",
              "p_high_value", "score", "percentile", "model_version", "policy_id", "as_of"):
        assert c in out.columns, c
    assert out["p_high_value"].between(0, 1).all()
    assert np.allclose(out["score"], np.round(100 * out["p_high_value"], 1))
    assert out["percentile"].between(0, 100).all()
    # the rules decide first: a high-value patent scores 100, a utility model 0
    assert (out.loc[out["is_high_value"], "score"] == 100).all()
    um = shuffled["patent_type"].eq("utility_model").to_numpy()
    assert (out.loc[um, "score"] == 0).all()
    assert out["as_of"].unique().tolist() == ["2025-12-31"]
    assert out["policy_id"].unique().tolist() == ["cnipa-2021"]


def test_reasons_only_when_asked(stock):
    few = stock.iloc[:30]
    assert "reasons" not in score_records(few, as_of="2025-12-31").columns
    out = score_records(few, as_of="2025-12-31", reasons=2)
    assert out["reasons"].str.len().gt(0).any()
    assert out["reasons_en"].str.contains(r"\([+−]\d\.\d\d\)").any()


def test_score_records_is_public_and_checks_arguments(stock):
    with pytest.raises(InputError, match="reasons: -1 is not a count"):
        score_records(stock.iloc[:3], reasons=-1)
    with pytest.raises(InputError, match="as_of: 'soon' is not a date"):
        score_records(stock.iloc[:3], as_of="soon")
    with pytest.raises(ModelError, match="no metadata.json"):
        score_records(stock.iloc[:3], model="/nonexistent/model")
    with pytest.raises(InputError, match="records must be a pandas DataFrame"):
        score_records([1, 2, 3])


def test_default_model_is_found_from_the_checkout():
    assert (default_model_path() / "metadata.json").is_file()


def test_us_model_scores_the_same_layout(shared_dir, repo_dir, tmp_path):
    src = shared_dir / "data" / "uspto-renewal-2005" / "dev.csv"
    lines = src.read_text().splitlines()[:301]
    f = tmp_path / "few.csv"
    f.write_text("\n".join(lines) + "\n")
    recs = hvpscore.read_records(f, profile="uspto-renewal").records
    out = score_records(recs, model=repo_dir / "models" / "maintained-10y-us2005")
    assert len(out) == 300
    assert out["p_maintained_10y"].between(0, 1).all()
    assert out["p_maintained_10y"].nunique() > 10
    assert pd.api.types.is_float_dtype(out["score"])


def test_a_patent_that_can_no_longer_count_scores_zero_with_the_rules_reason():
    """An invention whose 20-year term has ended scores 0 even if the export says in force;
    the reason is the rules engine's, not a model contribution. A pending application and a
    patent lapsing after as_of can still count."""
    recs = pd.DataFrame({
        "patent_id": ["CN200010000001.1", "CN202010000002.1", "CN201510000003.1",
                      "CN202310000004.1"],
        "patent_type": ["invention"] * 4,
        "filing_date": pd.to_datetime(["2000-01-05", "2020-03-01", "2015-06-01", "2023-01-10"]),
        "grant_date": pd.to_datetime(["2004-01-01", "2022-05-01", "2017-01-01", None]),
        "legal_status": ["in_force", "in_force", "lapsed", "pending"],
        "lapse_date": pd.to_datetime([None, None, "2026-06-01", None]),
    })
    out = score_records(recs, as_of="2025-12-31", reasons=2)
    assert out["in_force"].tolist() == [False, True, True, False]
    assert out["can_count"].tolist() == [False, True, True, True]
    assert out["score"].iat[0] == 0 and out["p_high_value"].iat[0] == 0
    assert "20年保护期" in out["reasons"].iat[0] and "20-year term" in out["reasons_en"].iat[0]
    assert (out["p_high_value"].iloc[1:] > 0).all()
    assert not out["reasons"].iloc[1:].str.contains("保护期").any()


def test_score_file_chunks_rejects_and_summary(tmp_path, stock):
    from hvpscore.scoring import score_file

    src = stock.copy()
    src["filing_date"] = src["filing_date"].dt.strftime("%Y-%m-%d")
    src.loc[src.index[5], "filing_date"] = "2020-02-30"
    path = tmp_path / "stock.parquet"
    src.to_parquet(path)
    out = tmp_path / "run.2025-12-31.parquet"
    run = score_file(path, out, as_of="2025-12-31", chunksize=150)
    assert (run.read, run.rejected, run.rows_out) == (400, 1, 399)
    assert run.rejects_path is not None and run.rejects_path.is_file()
    table = pd.read_parquet(out)
    assert len(table) == 399 and table["percentile"].between(0, 100).all()
    one = score_records(make_patents(400, seed=11, as_of="2025-12-31").drop(index=src.index[5]),
                        as_of="2025-12-31")
    assert table["patent_id"].tolist() == one["patent_id"].tolist()
    np.testing.assert_allclose(table["p_high_value"], one["p_high_value"])
    np.testing.assert_allclose(table["percentile"], one["percentile"])
    assert run.to_dict()["rejected"] == 1


def test_the_high_value_head_runs_only_where_the_rules_leave_p_high_value_open(stock):
    """score_records predicts the high_value head on the rows the rules do not decide (not
    already high-value, still able to count); those rows get the head's value as computed on
    the whole table, the others the rules' 1 or 0, and the other heads are unchanged."""
    from hvpscore.rules import evaluate_criteria
    from hvpscore.scoring import resolve_model

    m = resolve_model(None)
    out = score_records(stock, as_of="2025-12-31")
    crit = evaluate_criteria(stock, as_of="2025-12-31")
    F = m.transform(stock, as_of="2025-12-31")
    full = m.predict_proba(stock, F=F)
    hv = crit["is_high_value"].fillna(False).to_numpy(dtype=bool)
    dead = ~crit["can_count"].to_numpy(dtype=bool)
    open_ = ~(hv | dead)
    assert 0 < open_.sum() < len(stock) and hv.any() and dead.any()
    p = out["p_high_value"].to_numpy()
    assert np.array_equal(p[open_], full["p_high_value"].to_numpy()[open_])
    assert (p[hv] == 1.0).all() and (p[dead & ~hv] == 0.0).all()
    for t in ("p_maintained_10y", "p_overseas_family"):
        assert np.array_equal(out[t].to_numpy(), full[t].to_numpy()), t
    # the mask itself: NaN outside it, the same values inside, its length checked
    part = m.predict_proba(stock, F=F, rows={"high_value": open_})
    assert np.isnan(part["p_high_value"].to_numpy()[~open_]).all()
    assert np.array_equal(part["p_high_value"].to_numpy()[open_],
                          full["p_high_value"].to_numpy()[open_])
    none = m.predict_proba(stock, F=F, rows={"high_value": np.zeros(len(stock), bool)})
    assert np.isnan(none["p_high_value"]).all()
    with pytest.raises(ValueError, match="flags for"):
        m.predict_proba(stock, F=F, rows={"high_value": open_[:-1]})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([0.0, -0.0, 1.0, 0.5, 0.25, np.nan]),
                          st.floats(0, 1, allow_nan=False)), max_size=300))
def test_percentile_is_pandas_average_rank(values):
    """The one-sort percentile gives exactly pandas' rank(pct=True, method="average") values
    (ties averaged, NaN kept and not counted), rounded to one decimal."""
    v = np.asarray(values, dtype=float)
    want = np.round(100.0 * pd.Series(v).rank(pct=True, method="average").to_numpy(), 1)
    got = percentile(v)
    assert got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
