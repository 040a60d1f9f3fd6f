"""The five official criteria at every boundary, with their evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hvpscore._errors import InputError
from hvpscore.rules import OUTPUT_COLUMNS, evaluate_criteria, evaluate_record, load_policy

FLAGS = ["hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award"]
STRONG = {  # meets all five criteria when it is a valid invention
    "ipc": ["H04W72/04"],
    "filing_date": "2005-03-01",
    "grant_date": "2008-03-01",
    "overseas_granted": ["US", "EP"],
    "pledge_amount_cny": 50_000_000.0,
    "pledge_count": 2,
    "awards": ["china_patent_gold"],
    "award_year": 2020,
}


def one(make, as_of="2024-12-31", policy=None, **over):
    return evaluate_criteria(make(**over), policy=policy, as_of=as_of).iloc[0]


# ------------------------------------------------------------------ maintenance > 10 years
def test_exactly_ten_years_does_not_count_one_day_more_does(make):
    at = one(make, as_of="2024-05-02", filing_date="2014-05-02")
    assert not at["hv_maintained_10y"]
    assert at["in_force"]
    assert "nearly: maintained 10.0 years since filing 2014-05-02, needs > 10" in at["hv_evidence"]
    after = one(make, as_of="2024-05-03", filing_date="2014-05-02")
    assert after["hv_maintained_10y"] and after["is_high_value"]
    # one day past: the text must read as more than 10 (not "10.0 > 10")
    assert ("maintained 10.004 years since filing 2014-05-02 > 10 (passed 10 years on 2024-05-02)"
            in after["hv_evidence"])
    assert "维持10.004年（自申请日2014-05-02起）> 10年" in after["hv_evidence_zh"]


def test_grant_anchor_counts_from_the_grant_date(make):
    pol = load_policy({"criteria": {"maintained_10y": {"params": {"anchor": "grant"}}}})
    r = one(make, as_of="2025-06-01", policy=pol, filing_date="2013-01-01",
            grant_date="2015-06-01")
    assert not r["hv_maintained_10y"]
    r = one(make, as_of="2025-06-02", policy=pol, filing_date="2013-01-01",
            grant_date="2015-06-01")
    assert r["hv_maintained_10y"]
    assert "since grant 2015-06-01" in r["hv_evidence"]


def test_maintained_years_is_reported(make):
    r = one(make, as_of="2024-05-02", filing_date="2013-05-02")
    assert r["maintained_years"] == pytest.approx(11.0, abs=0.01)


# ------------------------------------------------------------------ in force at as_of
def test_lapse_the_day_before_as_of_is_not_in_force(make):
    r = one(make, as_of="2024-12-31", lapse_date="2024-12-30", legal_status="lapsed", **STRONG)
    assert not r["in_force"] and not r["is_high_value"]
    assert not any(r[f] for f in FLAGS)
    assert r["hv_evidence"] == "not in force at 2024-12-31: lapsed 2024-12-30"


def test_lapse_on_as_of_is_not_in_force(make):
    r = one(make, as_of="2024-12-31", lapse_date="2024-12-31", legal_status="lapsed")
    assert not r["in_force"]


def test_lapse_the_day_after_as_of_is_still_in_force(make):
    r = one(make, as_of="2024-12-31", lapse_date="2025-01-01", legal_status="lapsed", **STRONG)
    assert r["in_force"] and r["is_high_value"]
    assert all(r[f] for f in FLAGS)


def test_twenty_year_term_ends_on_the_anniversary(make):
    before = one(make, as_of="2025-02-28", **STRONG)
    assert before["in_force"]
    at = one(make, as_of="2025-03-01", **STRONG)
    assert not at["in_force"] and not at["is_high_value"]
    assert "20-year term from filing 2005-03-01 ended 2025-03-01" in at["hv_evidence"]


@pytest.mark.parametrize("ptype,label", [("utility_model", "utility model"),
                                         ("design", "design")])
def test_utility_models_and_designs_never_count(make, ptype, label):
    r = one(make, patent_type=ptype, **STRONG)
    assert not r["in_force"] and not r["is_high_value"]
    assert not any(r[f] for f in FLAGS)
    assert r["hv_evidence"] == f"not counted: {label} (only invention patents count)"


def test_unknown_patent_type_never_counts(make):
    r = one(make, patent_type=None, **STRONG)
    assert not r["is_high_value"]
    assert "patent type unknown" in r["hv_evidence"]


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn"])
def test_pending_application_never_counts(make, status):
    r = one(make, legal_status=status, **dict(STRONG, grant_date=None))
    assert not r["in_force"] and not r["is_high_value"]
    assert r["hv_evidence"] == f"not counted: legal status {status} at export, never granted"
    assert np.isnan(r["maintained_years"])


def test_granted_after_as_of_does_not_count_yet(make):
    r = one(make, as_of="2019-12-31", grant_date="2020-01-15")
    assert not r["in_force"]
    assert r["hv_evidence"] == "not counted: granted 2020-01-15, after as_of 2019-12-31"


def test_unknown_grant_date_trusts_status_or_refuses_by_policy(make):
    r = one(make, grant_date=None, legal_status="in_force", filing_date="2010-01-01")
    assert r["in_force"] and r["hv_maintained_10y"]
    assert "grant date unknown: taken as granted from legal status in_force" in r["hv_evidence"]
    strict = load_policy({"in_force": {"unknown_grant_date": "require_date"}})
    r = one(make, policy=strict, grant_date=None, legal_status="in_force")
    assert not r["in_force"]
    assert "grant not established" in r["hv_evidence"]


def test_lapsed_without_date_is_not_in_force(make):
    r = one(make, legal_status="lapsed", lapse_date=None)
    assert not r["in_force"]
    assert r["hv_evidence"] == "not in force: legal status lapsed at export, lapse date unknown"
    assert "导出时法律状态为失效" in r["hv_evidence_zh"]
    assert np.isnan(r["maintained_years"])  # the end of the right is unknown


# ------------------------------------------------------------------ pledge
def test_pledge_exactly_at_threshold_counts(make):
    thr = load_policy().param("pledge", "min_amount_cny")
    r = one(make, pledge_amount_cny=float(thr), pledge_count=1)
    assert r["hv_pledge"]
    assert "pledge financing 10,000,000 CNY >= threshold 10,000,000 CNY" in r["hv_evidence"]
    assert "质押融资1,000万元 ≥ 阈值1,000万元" in r["hv_evidence_zh"]
    below = one(make, pledge_amount_cny=float(thr) - 1, pledge_count=1)
    assert not below["hv_pledge"] and not below["is_high_value"]
    assert "nearly: pledge financing 9,999,999 CNY < threshold 10,000,000 CNY" in below[
        "hv_evidence"]


def test_pledge_threshold_is_a_policy_setting(make):
    pol = load_policy({"criteria": {"pledge": {"params": {"min_amount_cny": 1_000_000}}}})
    assert one(make, policy=pol, pledge_amount_cny=1_000_000.0)["hv_pledge"]


def test_pledge_registered_after_as_of_does_not_count(make):
    r = one(make, as_of="2022-12-31", pledge_amount_cny=2e7, pledge_date="2023-03-01")
    assert not r["hv_pledge"]
    assert "registered 2023-03-01, after as_of 2022-12-31" in r["hv_evidence"]


def test_pledge_with_unknown_amount_is_reported(make):
    r = one(make, pledge_count=2)
    assert not r["hv_pledge"]
    assert "pledged 2 time(s), amount unknown" in r["hv_evidence"]


# ------------------------------------------------------------------ overseas family
def test_hk_only_family_counts_only_with_the_switch_on(make):
    off = one(make, overseas_granted=["HK"])
    assert not off["hv_overseas"]
    assert "family patent right only in HK (HK/MO/TW not counted" in off["hv_evidence"]
    pol = load_policy({"criteria": {"overseas": {"params": {"count_hk_mo_tw": True}}}})
    on = one(make, policy=pol, overseas_granted=["HK"])
    assert on["hv_overseas"] and on["is_high_value"]
    assert "granted overseas family member in HK" in on["hv_evidence"]


def test_overseas_granted_member_counts_home_and_pct_do_not(make):
    assert one(make, overseas_granted=["US"])["hv_overseas"]
    r = one(make, overseas_granted=[], family_countries=["CN", "WO"], pct_application=True)
    assert not r["hv_overseas"]
    assert "PCT application, no overseas family patent right yet" in r["hv_evidence"]


def test_filed_only_family_needs_the_granted_switch_off(make):
    r = one(make, overseas_granted=[], family_countries=["CN", "US"])
    assert not r["hv_overseas"]
    assert "overseas family member in US not granted yet" in r["hv_evidence"]
    pol = load_policy({"criteria": {"overseas": {"params": {"require_granted": False}}}})
    r = one(make, policy=pol, overseas_granted=[], family_countries=["CN", "US"])
    assert r["hv_overseas"]
    assert "overseas family member filed in US" in r["hv_evidence"]


def test_granted_members_are_derived_from_publication_kind_codes(make):
    r = one(make, overseas_granted=None, family_members=["CN110266631B", "EP3573396B1"])
    assert r["hv_overseas"]
    assert "granted overseas family member in EP" in r["hv_evidence"]
    r = one(make, overseas_granted=None, family_members=["CN110266631B", "EP3573396A1"])
    assert not r["hv_overseas"]


# ------------------------------------------------------------------ awards
def test_award_code_not_in_policy_does_not_count(make):
    r = one(make, awards=["provincial_patent_award"], award_year=2020)
    assert not r["hv_award"] and not r["is_high_value"]
    assert "provincial patent award not counted under policy cnipa-2021" in r["hv_evidence"]
    assert "省级专利奖不属于口径cnipa-2021认可的奖项" in r["hv_evidence_zh"]


def test_award_counts_with_named_award_and_only_from_its_year(make):
    r = one(make, as_of="2025-12-31", awards=["china_patent_silver"], award_year=2025)
    assert r["hv_award"]
    assert "China Patent Silver Award (2025)" in r["hv_evidence"]
    assert "获中国专利银奖（2025年）" in r["hv_evidence_zh"]
    early = one(make, as_of="2024-12-31", awards=["china_patent_silver"], award_year=2025)
    assert not early["hv_award"]
    assert "is after the as_of year 2024" in early["hv_evidence"]
    pol = load_policy({"criteria": {"award": {"params": {"require_award_year_le_as_of": False}}}})
    assert one(make, as_of="2024-12-31", policy=pol, awards=["china_patent_silver"],
               award_year=2025)["hv_award"]


def test_award_without_year_counts_and_says_so(make):
    r = one(make, awards=["national_technological_invention"], award_year=None)
    assert r["hv_award"]
    assert "National Technological Invention Award (award year unknown)" in r["hv_evidence"]
    assert "获国家技术发明奖（获奖年份未知）" in r["hv_evidence_zh"]


def test_award_codes_are_a_policy_setting(make):
    pol = load_policy({"criteria": {"award": {"params": {"codes": ["china_patent_gold"]}}}})
    assert not one(make, policy=pol, awards=["china_patent_excellence"])["hv_award"]


# ------------------------------------------------------------------ SEI through evaluate
def test_sei_flag_and_evidence(make):
    r = one(make, ipc=["H04L27/26", "H04W72/04"])
    assert r["hv_sei"]
    assert r["sei_codes"] == "1.1"
    assert r["hv_evidence"].startswith("strategic emerging industry 1.1 Next-generation "
                                       "information networks (IPC H04W72/04 ∈ H04W72*")


def test_wildcard_hit_by_exclusion_is_not_sei(make):
    r = one(make, ipc=["H04W4/02"])  # H04W4* (1.1) excludes H04W4/02; 1.4 needs keywords
    assert not r["hv_sei"] and r["sei_codes"] == ""
    assert one(make, ipc=["H04W4/06"])["sei_codes"] == "1.1"


def test_keyword_conditional_rule_with_and_without_keyword(make):
    yes = one(make, ipc=["G06Q20/40"], title="一种基于区块链的支付数据处理方法")
    assert yes["hv_sei"] and yes["sei_codes"] == "1.3"
    assert "[kw: 区块链]" in yes["sei_rule"]
    no = one(make, ipc=["G06Q20/40"], title="一种支付方法")
    assert not no["hv_sei"] and no["sei_codes"] == ""
    assert "nearly: IPC G06Q20/40 ∈ G06Q20* fits strategic emerging industry only with " \
        "keywords" in no["hv_evidence"]


def test_main_ipc_scope(make):
    pol = load_policy({"criteria": {"sei": {"params": {"ipc_scope": "main"}}}})
    assert not one(make, policy=pol, ipc=["F16H57/02", "H04W72/04"])["hv_sei"]
    assert one(make, ipc=["F16H57/02", "H04W72/04"])["hv_sei"]


def test_disabled_criterion_never_fires(make):
    pol = load_policy({"criteria": {"sei": {"enabled": False}}})
    r = one(make, policy=pol, ipc=["H04W72/04"])
    assert not r["hv_sei"] and r["sei_codes"] == "1.1"


# ------------------------------------------------------------------ frame contract
def test_output_contract_same_index_and_columns(make):
    df = make([{"patent_id": "A"}, dict(STRONG, patent_id="B"),
               {"patent_id": "C", "patent_type": "design"}])
    df.index = pd.Index([17, 3, 99], name="row")
    out = evaluate_criteria(df, as_of="2024-12-31")
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert out.index.equals(df.index)
    assert out["is_high_value"].tolist() == [False, True, False]
    for c in FLAGS + ["is_high_value", "in_force"]:
        assert out[c].dtype == bool
    assert out.attrs == {"policy_id": "cnipa-2021", "as_of": "2024-12-31"}
    # is_high_value is exactly the union of the flags
    assert (out["is_high_value"] == out[FLAGS].any(axis=1)).all()


def test_missing_columns_count_as_unknown():
    df = pd.DataFrame({"patent_id": ["X"], "patent_type": ["invention"],
                       "filing_date": ["2010-01-01"], "grant_date": ["2012-01-01"],
                       "legal_status": ["in_force"]})
    r = evaluate_criteria(df, as_of="2024-12-31").iloc[0]
    assert r["hv_maintained_10y"] and not r["hv_sei"]


def test_evaluate_record_matches_the_frame_form(make):
    rec = {"patent_id": "CN201310068343.7", "patent_type": "invention",
           "filing_date": "2013-03-04", "grant_date": "2016-05-25", "legal_status": "in_force",
           "ipc": "A61F2/07;A61F2/954", "awards": ["china_patent_gold"], "award_year": 2025}
    r = evaluate_record(rec, as_of="2025-12-31")
    assert r["is_high_value"] is True and r["hv_award"] is True and r["hv_sei"] is True
    assert r["sei_codes"] == "4.2" and r["policy_id"] == "cnipa-2021"
    frame = evaluate_criteria(make(**rec), as_of="2025-12-31").iloc[0]
    assert frame["hv_evidence"] == r["hv_evidence"]


def test_bad_as_of_and_bad_records_are_named():
    with pytest.raises(InputError, match=r"as_of: '2024-13-45' is not a date; use YYYY-MM-DD"):
        evaluate_criteria(pd.DataFrame({"patent_id": ["x"]}), as_of="2024-13-45")
    with pytest.raises(InputError, match="records must be a pandas DataFrame, got list"):
        evaluate_criteria([{"patent_id": "x"}])
    with pytest.raises(InputError, match="record must be a dict"):
        evaluate_record([1, 2])


def test_default_as_of_is_today(make):
    out = evaluate_criteria(make())
    assert out.attrs["as_of"] == pd.Timestamp.today().strftime("%Y-%m-%d")
