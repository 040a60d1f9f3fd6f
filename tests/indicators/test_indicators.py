"""Every indicator of compute_indicators on the hand-built stock, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import hvpscore
from hvpscore.indicators import INDICATORS, compute_indicators

_MONTH = 365.25 / 12


@pytest.fixture
def ind(scores, records, context):
    return compute_indicators(scores, records, context)


def test_headline_region_is_the_targets_region(ind):
    assert ind.region == "重庆市"
    assert ind.as_of == pd.Timestamp("2025-12-31")


def test_every_indicator_by_hand(ind):
    # Chongqing: valid inventions P1–P8, P14 (9); high-value P1, P2, P3, P5, P6, P7, P8 (7)
    expected = {
        "hv_count": 7,
        "hv_per_10k_pop": 7 / 10,
        "hv_per_100m_rd": 7 / 2,
        "hv_per_100m_gdp": 7 / 50,
        "hv_per_listed_key": 1 / 1,           # P1
        "hv_per_specialized_sme": 1 / 2,      # P5 (P14 is not high-value)
        "hv_per_high_tech": 2 / 4,            # P1, P2
        "hv_university": 1,                   # P3 (P5's first owner is an enterprise)
        "hv_research_institute": 1,           # P6
        "hv_enterprise": 3,                   # P1, P2, P5
        "valid_invention_count": 9,
        "hv_share": 7 / 9,
        "sei_invention_count": 4,             # P1, P2, P7, P8
        "sei_share": 4 / 9,
        "pledge_amount": 2e7 * 1e-8,          # P5 pledged in 2025 (P14 in 2024), in 亿元
        "rd_intensity": 2 / 50,
        # high-value inventions granted in 2025: P1 (731 days), P2 (365 days)
        "exam_cycle_months": (731 / _MONTH + 365 / _MONTH) / 2,
        "patent_agencies": 3,
    }
    for k, v in expected.items():
        assert ind.value(k) == pytest.approx(v), k
    for k in ("patent_attorneys", "sei_patent_agencies", "sei_patent_attorneys"):
        assert ind.value(k) is None
    assert set(ind.table["indicator"]) == set(INDICATORS)


def test_value_target_gap_status(ind):
    tb = ind.table.set_index("indicator")
    r = tb.loc["hv_per_10k_pop"]
    assert (r["target_op"], r["target"], r["status"]) == ("≥", 10, "not_met")
    assert r["gap"] == pytest.approx(0.7 - 10)
    assert tb.loc["hv_per_100m_rd", "status"] == "not_met"          # 3.5 < 16
    assert tb.loc["exam_cycle_months", "target_op"] == "≤"
    assert tb.loc["valid_invention_count", "status"] == "no_target"
    assert tb.loc["patent_attorneys", "status"] == "no_data"
    assert tb.loc["hv_count", "target_date"] == "2024-12-31"
    assert "一个倍增" in tb.loc["hv_per_10k_pop", "passage"]
    # the pledge figure is the records' proxy (no context figure), and says so
    assert "proxy" in tb.loc["pledge_amount", "basis_en"]
    assert "代理" in tb.loc["pledge_amount", "basis_zh"]
    assert tb.loc["hv_per_10k_pop", "source"] == "hand-made"


def test_strict_target_needs_more_than_the_figure(scores, records, context):
    # hv_per_listed_key is exactly 1; a target "> 1" is not met, ">= 1" is
    tg = {"targets": {"hv_per_listed_key": {"op": ">", "value": 1}}}
    assert compute_indicators(scores, records, context, targets=tg).table.set_index(
        "indicator").loc["hv_per_listed_key", "status"] == "not_met"
    tg = {"targets": {"hv_per_listed_key": {"op": ">=", "value": 1}}}
    assert compute_indicators(scores, records, context, targets=tg).table.set_index(
        "indicator").loc["hv_per_listed_key", "status"] == "met"


def test_criteria_breakdown_counts_each_patent_once_and_in_every_criterion(ind):
    c = ind.criteria.set_index("criterion")
    assert c.loc["hv_sei", "count"] == 4 and c.loc["hv_sei", "only_this"] == 3
    assert c.loc["hv_overseas", "count"] == 1 and c.loc["hv_overseas", "only_this"] == 0
    for k in ("hv_maintained_10y", "hv_pledge", "hv_award"):
        assert c.loc[k, "count"] == 1 and c.loc[k, "only_this"] == 1
    assert c.loc["any", "count"] == 7
    assert c.loc["sum_of_criteria", "count"] == 8
    assert c.loc["multiple", "count"] == 1
    assert c.loc["hv_sei", "share_of_valid"] == pytest.approx(4 / 9)
    assert c.loc["hv_pledge", "pledge_amount_cny"] == 2e7


def test_owner_type_table_in_cnipa_layout(ind):
    o = ind.by_owner_type.set_index("owner_class")
    assert list(o["name_zh"]) == ["大专院校", "科研单位", "企业", "机关团体", "个人", "合计"]
    assert (o.loc["university", "valid_invention"], o.loc["university", "high_value"]) == (2, 1)
    assert (o.loc["research_institute", "valid_invention"],
            o.loc["research_institute", "high_value"]) == (1, 1)
    assert (o.loc["enterprise", "valid_invention"], o.loc["enterprise", "high_value"]) == (4, 3)
    assert o.loc["government_org", "high_value"] == 1
    assert o.loc["individual", "high_value"] == 1
    assert (o.loc["total", "valid_invention"], o.loc["total", "high_value"]) == (9, 7)
    assert o.loc["enterprise", "share_of_all_hv"] == pytest.approx(3 / 7)


def test_by_region(ind):
    r = ind.by_region.set_index("region")
    assert list(r.index) == ["重庆市", "四川省", "地区未知", "美国", "合计"]
    assert r.loc["重庆市", "high_value"] == 7
    assert r.loc["重庆市", "hv_per_10k_pop"] == pytest.approx(0.7)
    assert r.loc["四川省", "high_value"] == 1
    assert r.loc["四川省", "hv_per_10k_pop"] == pytest.approx(1 / 20)   # the 2024 figure
    assert bool(r.loc["美国", "domestic"]) is False
    assert r.loc["合计", "high_value"] == 10
    assert pd.isna(r.loc["美国", "hv_per_10k_pop"])


def test_domestic_only_where_the_statistic_says_so(scores, records, context):
    every = compute_indicators(scores, records, context, region="全部")
    assert every.region == "全部"
    assert every.value("hv_count") == 8                       # without 美国 and the unknown region
    assert any("2" in n["en"] and "domestic-only" in n["en"] for n in every.notes)
    allown = compute_indicators(scores, records, context, region="全部", domestic_only=False)
    assert allown.value("hv_count") == 10
    assert every.value("hv_per_10k_pop") is None              # no context for "all"


def test_region_option_and_year_fallback(scores, records, context):
    sc = compute_indicators(scores, records, context, region="四川省")
    assert sc.value("hv_count") == 1
    assert sc.value("hv_per_10k_pop") == pytest.approx(0.05)
    assert "(2024)" in sc.table.set_index("indicator").loc["hv_per_10k_pop", "source"]


def test_no_context_gives_no_data_for_ratios(scores, records):
    ind = compute_indicators(scores, records, None)
    tb = ind.table.set_index("indicator")
    assert tb.loc["hv_per_10k_pop", "status"] == "no_data"
    assert ind.value("hv_count") == 7                         # the targets' region is in the data
    assert any("no figures" in n["en"] for n in ind.notes)


def test_no_targets(scores, records, context):
    ind = compute_indicators(scores, records, context, targets=None)
    assert set(ind.table["status"]) <= {"no_target"}


def test_year_over_year_from_two_dates(records, context):
    # without a score table the criteria come from the records: check against the engine itself
    ind = compute_indicators(None, records, context, as_of="2025-12-31", compare_to="2024-12-31")
    crit_now = hvpscore.evaluate_criteria(records, as_of="2025-12-31")
    crit_prev = hvpscore.evaluate_criteria(records, as_of="2024-12-31")
    cq = records["applicant_region"].fillna("").str.startswith("重庆").to_numpy()
    tb = ind.table.set_index("indicator")
    assert tb.loc["hv_count", "value"] == crit_now["is_high_value"].to_numpy()[cq].sum()
    assert tb.loc["hv_count", "value_prev"] == crit_prev["is_high_value"].to_numpy()[cq].sum()
    assert tb.loc["hv_count", "change"] == tb.loc["hv_count", "value"] - tb.loc[
        "hv_count", "value_prev"]
    # P1, P2 and P14 were granted in 2025: not valid at end-2024
    assert tb.loc["valid_invention_count", "value"] - tb.loc[
        "valid_invention_count", "value_prev"] == 3
    assert any("2024-12-31" in n["en"] for n in ind.notes)


def test_other_as_of_re_evaluates_the_criteria(scores, records, context):
    ind = compute_indicators(scores, records, context, as_of="2024-12-31")
    assert ind.as_of == pd.Timestamp("2024-12-31")
    assert any("re-evaluated" in n["en"] for n in ind.notes)


def test_score_table_and_records_must_match(scores, records, context):
    with pytest.raises(hvpscore.InputError, match="not in the records, e.g. 'P1'"):
        compute_indicators(scores, records[records["patent_id"] != "P1"], context)
    extra = pd.concat([records, records.iloc[[0]].assign(patent_id="P99")], ignore_index=True)
    ind = compute_indicators(scores, extra, context)
    assert any("1 record(s) not in the score table" in n["en"] for n in ind.notes)
    with pytest.raises(hvpscore.InputError, match="lacks column"):
        compute_indicators(scores.drop(columns=["hv_sei"]), records, context)
    with pytest.raises(hvpscore.InputError, match="mixes as_of"):
        compute_indicators(scores.assign(as_of=["2025-12-31"] * 13 + ["2024-12-31"]), records,
                           context)


def test_unknown_indicator_name(ind):
    with pytest.raises(hvpscore.InputError, match="unknown indicator 'nope'"):
        ind.value("nope")
