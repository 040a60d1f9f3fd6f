from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from hvpscore._errors import InputError
from hvpscore.features import (
    ClaimFeatures,
    HistoryFeatures,
    feature_spec,
    feature_specs,
    features_from_state,
    features_state,
    make_features,
)
from hvpscore.schema import COLUMNS, STAGES, column, stage_rank


def _records(n: int = 120) -> pd.DataFrame:
    """Hand-built canonical records with the reader's dtypes."""
    rng = np.random.default_rng(0)
    data = {}
    for c in COLUMNS:
        if c.kind == "int":
            data[c.name] = pd.array(rng.integers(0, 30, n), dtype="Int64")
        elif c.kind == "float":
            data[c.name] = rng.uniform(0, 1e7, n)
        elif c.kind == "bool":
            data[c.name] = pd.array(rng.integers(0, 2, n).astype(bool), dtype="boolean")
        elif c.kind == "date":
            data[c.name] = pd.to_datetime("2012-01-01") + pd.to_timedelta(
                rng.integers(0, 3000, n), unit="D")
        elif c.kind == "list":
            data[c.name] = [[] for _ in range(n)]
        else:
            data[c.name] = [None] * n
    df = pd.DataFrame(data)
    df["patent_id"] = [f"CN2012{i:08d}.{i % 10}" for i in range(n)]
    df["patent_type"] = "invention"
    df["applicant_type"] = rng.choice(["enterprise", "university", "individual"], n)
    df["entity_size"] = rng.choice(["large", "small"], n)
    df["legal_status"] = "in_force"
    df["ipc"] = [["H04L27/26", "H04W72/04", "G06F1/00"] if i % 2 else ["A61K31/00"]
                 for i in range(n)]
    df["enterprise_tags"] = [["high_tech"] if i % 3 == 0 else [] for i in range(n)]
    df["grant_date"] = df["filing_date"] + pd.to_timedelta(700, unit="D")
    df["outcome_maintained_10y"] = pd.array(rng.integers(0, 2, n), dtype="Int8")
    return df


def test_registry_is_consistent_with_the_schema():
    specs = feature_specs()
    assert len({s.name for s in specs}) == len(specs)
    for s in specs:
        assert s.stage in STAGES
        for src in s.sources:
            assert stage_rank(column(src).stage) <= stage_rank(s.stage), (s.name, src)
        assert "{v}" in s.zh and "{v}" in s.en


@pytest.mark.parametrize("stage", STAGES)
def test_make_features_never_includes_a_later_stage_feature(stage):
    fu = make_features(stage).fit(_records())
    names = list(fu.get_feature_names_out())
    assert names
    for n in names:
        assert stage_rank(feature_spec(n).stage) <= stage_rank(stage), n
    out = fu.transform(_records())
    assert list(out.columns) == names
    assert not any(c.startswith("outcome_") for c in names)


def test_features_are_pandas_in_pandas_out_and_keep_the_index():
    recs = _records().set_index(pd.RangeIndex(1, 121, name="row"))
    out = make_features("grant").fit_transform(recs)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(recs.index)
    assert out["n_ipc_subclasses"].tolist()[:2] == [1.0, 3.0]
    assert out["ipc_section"].tolist()[:2] == [0.0, 7.0]  # A, H
    assert out["ipc_class"].iloc[1] == 704.0  # H04
    assert out["grant_lag_years"].iloc[0] == pytest.approx(700 / 365.25)
    assert out["tag_high_tech"].iloc[0] == 1.0 and out["tag_high_tech"].iloc[1] == 0.0


def test_outcome_columns_never_change_features():
    recs = _records()
    fu = make_features("stock", as_of="2024-12-31").fit(recs)
    a = fu.transform(recs)
    recs2 = recs.copy()
    recs2["outcome_maintained_10y"] = 1 - recs2["outcome_maintained_10y"]
    pd.testing.assert_frame_equal(a, fu.transform(recs2))


def test_cohort_normalised_claims_use_filing_year_x_ipc_class_medians():
    recs = _records(200)
    recs["filing_date"] = pd.to_datetime(["2015-03-01"] * 100 + ["2016-03-01"] * 100)
    recs["ipc"] = [["H04L1/00"]] * 200
    recs["claims_count"] = pd.array([10] * 100 + [20] * 100, dtype="Int64")
    t = ClaimFeatures(stage="grant").fit(recs)
    assert t.cohort_medians_["claims_granted_vs_cohort"]["2015|H04"] == 10.0
    out = t.transform(recs)
    assert out["claims_granted_vs_cohort"].iloc[0] == pytest.approx(1.0)
    assert out["claims_granted_vs_cohort"].iloc[150] == pytest.approx(1.0)
    # a record of an unseen cohort falls back to the global median (15)
    one = recs.iloc[:1].copy()
    one["filing_date"] = pd.to_datetime(["2030-01-01"])
    assert t.transform(one)["claims_granted_vs_cohort"].iloc[0] == pytest.approx(11 / 16)


def test_state_roundtrips_through_json_without_pickle():
    recs = _records()
    fu = make_features("grant", drop_empty=True).fit(recs)
    state = json.loads(json.dumps(features_state(fu)))
    again = features_from_state(state)
    pd.testing.assert_frame_equal(fu.transform(recs), again.transform(recs))


def test_drop_empty_removes_uninformative_features():
    recs = _records()
    fu = make_features("grant", drop_empty=True).fit(recs)
    names = set(fu.get_feature_names_out())
    assert "divisional" not in names  # never a divisional here: constant
    assert "n_applicants" not in names  # all known-empty lists: constant 0
    assert "claims_granted" in names


def test_params_only_in_init_and_clone_works():
    t = HistoryFeatures(stage="stock", as_of="2024-12-31")
    c = clone(t)
    assert c.get_params() == t.get_params()
    assert not hasattr(c, "features_")


def test_history_age_respects_as_of_and_lapse():
    recs = _records(3)
    recs["filing_date"] = pd.to_datetime(["2010-01-01"] * 3)
    recs["lapse_date"] = pd.to_datetime([None, "2015-01-01", "2030-01-01"])
    out = HistoryFeatures(stage="stock", as_of="2020-01-01").fit(recs).transform(recs)
    assert out["age_years"].round(1).tolist() == [10.0, 5.0, 10.0]


def test_claims_text_features_come_from_the_claims_analysis():
    recs = _records(4)
    recs["claims_text"] = [
        "1. 一种装置，其特征在于，包括A。\n2. 根据权利要求1所述的装置，还包括B。\n"
        "3. 一种方法，包括步骤C。", None, "", "1. A device comprising a part.\n"
        "2. The device of claim 1, wherein the part is red."]
    recs["claims_count_filed"] = pd.array([None, 7, None, None], dtype="Int64")
    recs["independent_claims_filed"] = pd.array([None, 2, None, None], dtype="Int64")
    out = make_features("filing").fit(recs).transform(recs)
    assert out["text_claims"].tolist()[0] == 3.0 and np.isnan(out["text_claims"].iloc[1])
    assert out["text_independent_claims"].iloc[0] == 2.0
    assert out["claims_filed"].tolist()[:2] == [3.0, 7.0]  # from text when the count is absent
    assert out["text_claims"].iloc[3] == 2.0


def test_bad_input_is_refused_with_the_fix():
    with pytest.raises(InputError, match="stage 'issued' is not one of"):
        make_features("issued")
    with pytest.raises(InputError, match="needs canonical records as a pandas DataFrame"):
        ClaimFeatures().fit(np.zeros((3, 3)))


def test_reason_labels_render_in_both_languages():
    s = feature_spec("claims_granted")
    assert s.label(3, "en") == "3 claims as granted"
    assert s.label(3, "zh") == "授权权利要求3项"
    assert feature_spec("entity_size").label(2.0, "en") == "entity size: micro"
    assert feature_spec("ipc_class").label(704.0, "en") == "IPC class H04"
    assert feature_spec("pct_application").label(float("nan"), "zh") == "PCT途径：未知"


def test_claims_text_edited_in_place_is_parsed_again():
    recs = _records(2)
    recs["claims_text"] = ["1. 一种装置，包括A。", "1. 一种装置，包括A。\n2. 根据权利要求1所述的装置，包括B。"]
    fu = make_features("draft").fit(recs)
    assert fu.transform(recs)["text_claims"].tolist() == [1.0, 2.0]
    recs.loc[0, "claims_text"] = "1. 一种方法，包括A。\n2. 根据权利要求1所述的方法。\n3. 根据权利要求2所述的方法。"
    assert fu.transform(recs)["text_claims"].tolist() == [3.0, 2.0]


def test_coded_values_read_in_chinese_and_english():
    from hvpscore.features._registry import feature_specs, format_value

    spec = {s.name: s for s in feature_specs()}["entity_size"]
    assert format_value(spec, 1.0, "zh") == "小实体"
    assert format_value(spec, 1.0, "en") == "small"
    for s in feature_specs():
        if s.codes_zh:
            assert len(s.codes_zh) == len(s.codes), s.name


# ------------------------------------------------------------------ per distinct value

_SECTIONS = "ABCDEFGH"


def _ref_main(v):
    ok = isinstance(v, (list, tuple, np.ndarray)) and len(v) and isinstance(v[0], str)
    return v[0].strip().upper() if ok else None


def _ref_has_class(c):
    return bool(c) and c[0] in _SECTIONS and len(c) >= 3 and c[1:3].isdecimal()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.just([]), st.just(["  "]), st.lists(st.sampled_from(
        ["H01M10/44", "h01m", " G06N3/08", "A٣2B", "Z99", "B6", "C07D", "", "H01", "x"]),
        min_size=1, max_size=3)),
    st.one_of(st.none(), st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                                  max_value=pd.Timestamp("2030-12-31").date()))),
    max_size=60))
def test_main_ipc_kernels_per_distinct_code_equal_the_per_row_definitions(rows):
    """IPC section and class and the cohort keys are computed once per distinct main code and
    (year, code) pair: the same values as the per-row definitions, on odd codes (lower case,
    Arabic-Indic digits, blanks, no list) and missing dates."""
    from hvpscore.features._compute import (
        _cohort_codes_of,
        _cohort_keys_of,
        _ipc_class,
        _ipc_section,
    )

    X = pd.DataFrame({"ipc": pd.Series([r[0] for r in rows], dtype=object),
                      "filing_date": pd.to_datetime(pd.Series([r[1] for r in rows],
                                                              dtype=object))})
    main = [_ref_main(v) for v in X["ipc"]]
    sec = [_SECTIONS.index(c[0]) if c and c[0] in _SECTIONS else np.nan for c in main]
    cls = [_SECTIONS.index(c[0]) * 100 + int(c[1:3]) if _ref_has_class(c) else np.nan
           for c in main]
    assert np.array_equal(_ipc_section(X), np.array(sec, dtype=float), equal_nan=True)
    assert np.array_equal(_ipc_class(X), np.array(cls, dtype=float), equal_nan=True)
    years = [str(d.year) if d is not None else "" for d in (r[1] for r in rows)]
    ckeys = [y + "|" + c[:3] if y and _ref_has_class(c) else "" for y, c in zip(years, main, strict=True)]
    yk, ck = _cohort_keys_of(X)
    assert yk.tolist() == years and ck.tolist() == ckeys
    codes, pairs = _cohort_codes_of(X)
    assert [pairs[k] for k in codes.tolist()] == list(zip(years, ckeys, strict=True))
