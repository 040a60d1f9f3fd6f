"""The 16 real winners of the 25th China Patent Award (2025) come out hv_award with evidence.

Canonical records are built from ../shared/data/cn-patent-award-25th/award_patents.csv and read
through hvpscore.io.read_records (patent ids normalised from the application numbers). The source
has no legal status: the winners are taken as in force (an award goes to a valid patent).
"""

from __future__ import annotations

import pandas as pd
import pytest

from hvpscore.io import read_records
from hvpscore.rules import evaluate_criteria

LEVEL_CODE = {"gold": "china_patent_gold", "silver": "china_patent_silver"}
LEVEL_EN = {"gold": "China Patent Gold Award", "silver": "China Patent Silver Award"}
LEVEL_ZH = {"gold": "中国专利金奖", "silver": "中国专利银奖"}


@pytest.fixture(scope="module")
def winners(shared_dir):
    src = pd.read_csv(shared_dir / "data" / "cn-patent-award-25th" / "award_patents.csv",
                      dtype=str, keep_default_na=False)
    assert len(src) == 16
    raw = pd.DataFrame({
        "patent_id": src["application_number"],
        "publication_number": src["grant_number"].where(src["grant_number"] != "",
                                                        src["publication_number"]),
        "patent_type": "invention",
        "title": src["title"],
        "filing_date": src["application_date"],
        "priority_date": src["priority_date"],
        "grant_date": src["grant_date"],
        "ipc": src["ipc"],
        "applicants": src["assignees"],
        "legal_status": "in_force",
        "awards": src["award_level"].map(LEVEL_CODE),
        "award_year": src["award_year"],
    })
    res = read_records(raw, "canonical", strict=True)
    return src, res.records


def test_ids_are_normalised_from_the_application_numbers(winners):
    src, rec = winners
    expected = ("CN" + src["application_number"].str[2:]).tolist()
    assert rec["patent_id"].tolist() == expected
    assert rec["awards"].map(len).eq(1).all()


def test_all_16_winners_are_high_value_through_the_award(winners):
    src, rec = winners
    out = evaluate_criteria(rec, as_of="2025-12-31")
    assert out["hv_award"].all() and out["is_high_value"].all() and out["in_force"].all()
    for level, ev, ev_zh in zip(src["award_level"], out["hv_evidence"], out["hv_evidence_zh"],
                                strict=True):
        assert f"{LEVEL_EN[level]} (2025)" in ev
        assert f"获{LEVEL_ZH[level]}（2025年）" in ev_zh


def test_sei_for_the_winners_with_an_ipc_under_the_2021_table(winners):
    src, rec = winners
    out = evaluate_criteria(rec, as_of="2025-12-31")
    with_ipc = src["ipc"] != ""
    assert with_ipc.sum() == 2
    got = dict(zip(src.loc[with_ipc.to_numpy(), "ipc"],
                   out.loc[with_ipc.to_numpy(), "sei_codes"], strict=True))
    # H04L27/26 is an entry of a partial 1.1 row (高端路由器…通信系统设备制造): the title
    # 一种发送载波信息的方法、基站及终端 names none of its terms, so it is near, not counted.
    # A61B8 (ultrasound diagnosis) is excluded from the unconditional 4.2 row and listed in no
    # other row of the table, in both transcriptions (sei/README.md).
    assert got == {"H04L27/26": "", "A61B8/00": ""}
    huawei = out.iloc[src.index[src["ipc"] == "H04L27/26"][0]]
    assert ("nearly: IPC H04L27/26 ∈ H04L27/26 fits strategic emerging industry only with "
            "keywords (高端路由器, 单槽位处理路由器, 计算机)") in huawei["hv_evidence"]


def test_old_winner_is_also_maintained_more_than_10_years(winners):
    src, rec = winners
    out = evaluate_criteria(rec, as_of="2025-12-31")
    i = src.index[src["application_number"] == "ZL201310068343.7"][0]
    assert out["hv_maintained_10y"].iat[i]
    assert "maintained 12.8 years since filing 2013-03-04 > 10" in out["hv_evidence"].iat[i]


def test_award_does_not_count_before_the_award_year(winners):
    _, rec = winners
    out = evaluate_criteria(rec, as_of="2024-12-31")
    assert not out["hv_award"].any()
    assert out["hv_evidence"].str.contains(r"\(2025\) is after the as_of year 2024").all()


def test_award_does_not_count_when_the_patent_lapsed_before_as_of(winners):
    _, rec = winners
    lapsed = rec.copy()
    lapsed["legal_status"] = "lapsed"
    lapsed["lapse_date"] = pd.Timestamp("2025-06-30")
    out = evaluate_criteria(lapsed, as_of="2025-12-31")
    assert not out["hv_award"].any() and not out["is_high_value"].any()
    assert (out["hv_evidence"] == "not in force at 2025-12-31: lapsed 2025-06-30").all()
