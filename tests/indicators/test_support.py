"""Support measures: the dated rule table, who qualifies and why, and the budget mode."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml

import hvpscore
from hvpscore.support import allocate_budget, load_measures, measure_constraints, support_list

_SHIPPED = yaml.safe_load(
    __import__("importlib.resources").resources.files("hvpscore.support").joinpath(
        "data/measures.yaml").read_text("utf-8"))


def _valid_until(year: int) -> dict:
    """The shipped table with every measure valid until the end of ``year`` (a test table)."""
    data = copy.deepcopy(_SHIPPED)
    for m in data["measures"]:
        m["valid_to"] = f"{year}-12-31"
        m.pop("subject_to", None)
    return data


def test_shipped_measures_are_dated_and_sourced():
    ms = {m.id: m for m in load_measures()}
    m7 = ms["cq2022-m7-foreign-grant"]
    assert (m7.amount_cny, m7.one_per_family, m7.level) == (20000, True, "patent")
    assert m7.valid_from == pd.Timestamp("2022-03-25") and m7.valid_to == pd.Timestamp("2024-12-31")
    assert m7.subject_to == ("cnipa-2021-1",)
    assert (m7.kind, m7.applies_to, m7.doc_no) == ("subsidy", ("overseas",), "渝府办发〔2022〕41号")
    assert "2万元" in m7.passage
    assert ms["cq2022-m2-cultivation"].cap_cny == 500000
    assert all(m.passage and m.eligibility_zh for m in ms.values())
    assert [m.status("2025-12-31") for m in ms.values()] == ["expired"] * len(ms)
    assert load_measures(as_of="2025-12-31") == []
    assert len(load_measures(as_of="2023-06-30")) == len(ms)
    assert load_measures(as_of="2022-01-01") == []
    c = measure_constraints()["cnipa-2021-1"]
    assert "国知发保字〔2021〕1号" in c["zh"] and "2025年以前全部取消" in c["zh"]


def test_per_grant_subsidy_cannot_outlive_the_national_rule():
    data = copy.deepcopy(_SHIPPED)
    for m in data["measures"]:
        if m["id"] == "cq2022-m7-foreign-grant":
            m["valid_to"] = "2025-06-30"
    with pytest.raises(hvpscore.PolicyError, match="after the end of constraint cnipa-2021-1"):
        load_measures(data)


def test_measure_file_errors():
    with pytest.raises(hvpscore.PolicyError, match="level 'city' is not one of"):
        load_measures({"measures": [{"id": "x", "level": "city", "valid_from": "2022-01-01",
                                     "valid_to": "2023-01-01"}]})
    with pytest.raises(hvpscore.PolicyError, match="op '~' is not one of"):
        load_measures({"measures": [{"id": "x", "level": "patent", "valid_from": "2022-01-01",
                                     "valid_to": "2023-01-01",
                                     "eligibility": {"field": "score", "op": "~", "value": 1}}]})
    with pytest.raises(hvpscore.PolicyError, match="valid_to 2021-01-01 is before valid_from"):
        load_measures({"measures": [{"id": "x", "level": "patent", "valid_from": "2022-01-01",
                                     "valid_to": "2021-01-01"}]})
    with pytest.raises(hvpscore.PolicyError, match="applies_to 'speed' is not a criterion"):
        load_measures({"measures": [{"id": "x", "level": "patent", "applies_to": ["speed"],
                                     "valid_from": "2022-01-01", "valid_to": "2023-01-01"}]})
    with pytest.raises(hvpscore.PolicyError, match="allocation 'fixed' needs amount_cny"):
        load_measures({"measures": [{"id": "x", "level": "patent", "allocation": "fixed",
                                     "valid_from": "2022-01-01", "valid_to": "2023-01-01"}]})


def test_support_list_on_the_hand_stock(scores, records):
    sl = support_list(scores, records)
    by = {mid: g for mid, g in sl.groupby("measure_id")}
    assert set(by["cq2022-m1-sei-funds"]["beneficiary"]) == {
        "重庆甲科技有限责任公司", "孙八", "重庆市丁医院", "四川戊有限公司", "无名有限公司"}
    assert len(by["cq2022-m2-cultivation"]) == 9
    # pledge fees: only the pledge inside the validity period (P14, 2024-06-01; P5's is 2025)
    m3 = by["cq2022-m3-pledge-fees"]
    assert list(m3["beneficiary"]) == ["重庆乙股份公司"]
    assert "有效期内质押的专利件数 1 ≥ 1" in m3["reason_zh"].iloc[0]
    # foreign grants: P1 and P2 are one family, paid once; P10
    m7 = by["cq2022-m7-foreign-grant"]
    assert list(m7["beneficiary"]) == ["P1", "P10"]
    assert "同族另有 P2，只付一次" in m7["reason_zh"].iloc[0]
    assert set(m7["amount_cny"]) == {20000}
    assert list(by["cq2022-m8a-title-senior"]["beneficiary"]) == ["钱七"]
    assert "cq2022-m8b-title-associate" not in by                 # 王五 has 2 commercialised grants
    assert "cq2022-m4-operation-centre" not in by                 # not assessable from records
    assert set(sl["status"]) == {"expired"}
    assert support_list(scores, records, include_expired=False).empty


def test_rule_thresholds_are_data(scores, records):
    data = _valid_until(2030)
    for m in data["measures"]:
        if m["id"] == "cq2022-m8b-title-associate":
            m["eligibility"]["any"][0]["value"] = 2
    sl = support_list(scores, records, measures=data, include_expired=False)
    m8b = sl[sl["measure_id"] == "cq2022-m8b-title-associate"]
    assert list(m8b["beneficiary"]) == ["王五"]
    assert m8b["reason_zh"].iloc[0] == "已转化的中国发明专利授权件数 2 ≥ 2"
    assert set(sl["status"]) == {"valid"}


def test_budget_proportional_with_cap(scores, records):
    a = allocate_budget(scores, records, "cq2022-m2-cultivation", 3_000_000, allow_expired=True)
    got = dict(zip(a["beneficiary"], a["allocated_cny"], strict=True))
    # owner scores: 大学甲 230, 甲 200, 乙 130, six owners 100 (total 1160); the first two are
    # capped at 500,000 and the remaining 2,000,000 is shared by weight among the rest (730)
    assert got["重庆大学甲"] == 500_000 and got["重庆甲科技有限责任公司"] == 500_000
    assert got["重庆乙股份公司"] == int(2_000_000 * 130 / 730)
    assert got["孙八"] == int(2_000_000 * 100 / 730)
    assert a["allocated_cny"].sum() <= 3_000_000
    assert a.attrs["unallocated"] == 3_000_000 - a["allocated_cny"].sum()
    first = a.iloc[0]
    assert first["rank"] == 1 and "封顶" in first["explain_zh"] and "模拟" in first["explain_zh"]
    assert "capped at 500,000 CNY" in first["explain_en"]


def test_budget_min_score_and_small_budget(scores, records):
    a = allocate_budget(scores, records, "cq2022-m2-cultivation", 1_000_000, allow_expired=True,
                        min_score=150)
    got = dict(zip(a["beneficiary"], a["allocated_cny"], strict=True))
    # 230/430 of 1,000,000 is over the cap: 500,000 each to the only two lines above 150
    assert got["重庆大学甲"] == 500_000 and got["重庆甲科技有限责任公司"] == 500_000
    assert got["孙八"] == 0
    assert "低于最低得分 150" in a.set_index("beneficiary").loc["孙八", "explain_zh"]


def test_budget_fixed_funds_ties_together(scores, records):
    a = allocate_budget(scores, records, "cq2022-m7-foreign-grant", 30_000, allow_expired=True)
    assert list(a["allocated_cny"]) == [0, 0]                     # P1 and P10 tie at rank 1
    assert "并列 2 项共需 40,000 元" in a["explain_zh"].iloc[0]
    b = allocate_budget(scores, records, "cq2022-m7-foreign-grant", 40_000, allow_expired=True)
    assert list(b["allocated_cny"]) == [20_000, 20_000]
    assert "1 × 20,000 元 = 20,000 元" in b["explain_zh"].iloc[0]


def test_budget_refusals(scores, records):
    with pytest.raises(hvpscore.PolicyError, match=r"valid 2022-03-25 … 2024-12-31, not at "
                                                   "2025-12-31; pass allow_expired=True"):
        allocate_budget(scores, records, "cq2022-m7-foreign-grant", 40_000)
    with pytest.raises(hvpscore.PolicyError, match="gives no amount to allocate"):
        allocate_budget(scores, records, "cq2022-m1-sei-funds", 40_000, allow_expired=True)
    a = allocate_budget(scores, records, "cq2022-m1-sei-funds", 100_000, allow_expired=True,
                        mode="proportional")
    assert a["allocated_cny"].sum() == pytest.approx(100_000, abs=len(a))
    with pytest.raises(hvpscore.InputError, match="measure 'nope' is not one of"):
        allocate_budget(scores, records, "nope", 1)
    with pytest.raises(hvpscore.InputError, match="must be a positive amount"):
        allocate_budget(scores, records, "cq2022-m2-cultivation", -5, allow_expired=True)


def test_lines_list_the_patents_behind_them(scores, records):
    sl = support_list(scores, records).set_index(["measure_id", "beneficiary"])
    assert sl.loc[("cq2022-m1-sei-funds", "重庆甲科技有限责任公司"), "patents"] == ["P1", "P2"]
    assert sl.loc[("cq2022-m2-cultivation", "重庆大学甲"), "patents"] == ["P3", "P5"]   # not P4
    assert sl.loc[("cq2022-m3-pledge-fees", "重庆乙股份公司"), "patents"] == ["P14"]
    assert sl.loc[("cq2022-m8a-title-senior", "钱七"), "patents"] == ["P6"]
