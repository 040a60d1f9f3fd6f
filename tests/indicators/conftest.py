"""A hand-built stock (records + score table) and context where every indicator is known by hand.

As of 2025-12-31. Chongqing (重庆市 and 重庆市渝北区) holds P1–P8, P12–P14; 四川省 P9; a US owner P10;
an owner of unknown region P11. The score table's flags are set by hand (what the criteria engine
would say is tested elsewhere); the expected values are worked out in test_indicators.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

AS_OF = "2025-12-31"

# id, type, valid, flags (sei, overseas, maintained, pledge, award), applicant_type, tags, region,
# applicants, inventors, filing, grant, pledge amount, pledge date, maintained years, awards,
# transfers, overseas grants, family
ROWS = [
    ("P1", "invention", True, (1, 1, 0, 0, 0), "enterprise", ["high_tech", "listed_key"],
     "重庆市渝北区", ["重庆甲科技有限公司"], ["张三", "李四"], "2023-03-01", "2025-03-01", None, None,
     2.8, [], 0, ["US", "EP"], "F1"),
    ("P2", "invention", True, (1, 0, 0, 0, 0), "enterprise", ["high_tech"], "重庆市",
     ["重庆甲科技有限责任公司"], ["张三"], "2024-07-01", "2025-07-01", None, None, 1.5, [], 0,
     ["JP"], "F1"),
    ("P3", "invention", True, (0, 0, 1, 0, 0), "university", [], "重庆市", ["重庆大学甲"], ["王五"],
     "2006-03-01", "2009-01-01", None, None, 19.8, [], 1, [], "F3"),
    ("P4", "invention", True, (0, 0, 0, 0, 0), "university", [], "重庆市", ["重庆大学甲"], ["王五"],
     "2016-07-01", "2019-01-01", None, None, 9.5, [], 1, [], "F4"),
    ("P5", "invention", True, (0, 0, 0, 1, 0), "enterprise", ["specialized_sme"], "重庆市",
     ["重庆乙股份有限公司", "重庆大学甲"], ["赵六"], "2019-01-01", "2021-01-01", 20_000_000.0,
     "2025-03-01", 7.0, [], 1, [], "F5"),
    ("P6", "invention", True, (0, 0, 0, 0, 1), "research_institute", [], "重庆市", ["重庆丙研究院"],
     ["钱七"], "2015-01-01", "2017-06-01", None, None, 11.0 - 0.0, ["china_patent_excellence"], 0,
     [], "F6"),
    ("P7", "invention", True, (1, 0, 0, 0, 0), "individual", [], "重庆市", ["孙八"], ["孙八"],
     "2020-01-01", "2022-01-01", None, None, 6.0, [], 0, [], "F7"),
    ("P8", "invention", True, (1, 0, 0, 0, 0), "government", [], "重庆市", ["重庆市丁医院"], ["张三"],
     "2020-05-01", "2022-05-01", None, None, 5.7, [], 0, [], "F8"),
    ("P9", "invention", True, (1, 0, 0, 0, 0), "enterprise", [], "四川省成都市", ["四川戊有限公司"],
     ["周九"], "2020-01-01", "2022-01-01", None, None, 6.0, [], 0, [], "F9"),
    ("P10", "invention", True, (0, 1, 0, 0, 0), "enterprise", [], "美国", ["Acme Inc."], ["John Doe"],
     "2018-01-01", "2020-01-01", None, None, 8.0, [], 0, ["US"], "F10"),
    ("P11", "invention", True, (1, 0, 0, 0, 0), "enterprise", [], None, ["无名有限公司"], ["吴十"],
     "2021-01-01", "2023-01-01", None, None, 5.0, [], 0, [], "F11"),
    ("P12", "invention", False, (0, 0, 0, 0, 0), "enterprise", [], "重庆市", ["重庆己有限公司"],
     ["郑一"], "2012-01-01", "2014-01-01", None, None, 8.0, [], 0, [], "F12"),
    ("P13", "utility_model", False, (0, 0, 0, 0, 0), "enterprise", [], "重庆市", ["重庆己有限公司"],
     ["郑一"], "2023-01-01", "2023-08-01", None, None, 3.0, [], 0, [], "F13"),
    ("P14", "invention", True, (0, 0, 0, 0, 0), "enterprise", ["specialized_sme"], "重庆市",
     ["重庆乙股份公司"], ["赵六"], "2023-12-31", "2025-06-01", 500_000.0, "2024-06-01", 2.0, [], 0,
     [], "F14"),
]
FLAGS = ("hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award")


def hand_records() -> pd.DataFrame:
    recs = []
    for (pid, ptype, valid, _flags, atype, tags, region, apps, invs, filed, granted, pamt, pdate,
         _my, awards, transfers, overseas, fam) in ROWS:
        recs.append({
            "patent_id": pid, "patent_type": ptype, "applicant_type": atype,
            "enterprise_tags": tags, "applicant_region": region, "applicants": apps,
            "inventors": invs, "filing_date": pd.Timestamp(filed),
            "grant_date": pd.Timestamp(granted),
            "legal_status": "in_force" if (valid or ptype != "invention") else "lapsed",
            "lapse_date": pd.NaT if valid or ptype != "invention" else pd.Timestamp("2020-01-01"),
            "pledge_amount_cny": pamt, "pledge_count": 1 if pamt else 0,
            "pledge_date": pd.Timestamp(pdate) if pdate else pd.NaT, "awards": awards,
            "transfers": transfers, "licenses": 0, "overseas_granted": overseas,
            "family_id": fam, "pct_application": bool(overseas)})
    return pd.DataFrame(recs)


def hand_scores() -> pd.DataFrame:
    rows = []
    for (pid, ptype, valid, flags, *_rest) in ROWS:
        my = _rest[9]
        d = {"patent_id": pid, "in_force": valid and ptype == "invention",
             "maintained_years": my}
        for f, v in zip(FLAGS, flags, strict=True):
            d[f] = bool(v)
        d["is_high_value"] = any(flags)
        rows.append(d)
    s = pd.DataFrame(rows)
    s["p_maintained_10y"] = 0.5
    s["p_overseas_family"] = np.where(s["patent_id"] == "P14", 0.5, 0.0)
    s["p_high_value"] = np.where(s["is_high_value"], 1.0, 0.3)
    s["score"] = 100 * s["p_high_value"]
    s["as_of"] = AS_OF
    return s


CONTEXT = {
    "id": "hand",
    "regions": {
        "重庆市": {2025: {"population_10k": 10, "gdp_100m_cny": 50, "rd_100m_cny": 2,
                         "listed_key_enterprises": 1, "specialized_sme_enterprises": 2,
                         "high_tech_enterprises": 4, "patent_agencies": 3,
                         "source": "hand-made"}},
        "四川省": {2024: {"population_10k": 20}},
    },
}


@pytest.fixture
def records():
    return hand_records()


@pytest.fixture
def scores():
    return hand_scores()


@pytest.fixture
def context():
    return CONTEXT
