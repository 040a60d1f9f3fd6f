"""The intended proportions of the synthetic stock, with the published figures they come from.

Every share the generator draws from is here, so the data can be checked against it
(``tests/datasets``) and the criteria engine (``hvpscore.rules``) against the data.
Figures marked ``assumption`` are ours, not published.
"""

from __future__ import annotations

import math

__all__ = [
    "CONDITIONAL",
    "INTENDED",
    "PLEDGE_THRESHOLD_CNY",
    "PROPORTIONS",
    "SOURCES",
    "record_type_mix",
]

def _policy_pledge_threshold() -> float:
    # One threshold for the generator and the shipped policy, so that the sample's intended
    # shares are what `hvpscore criteria` prints under the default policy.
    from hvpscore.rules import load_policy

    return float(load_policy().param("pledge", "min_amount_cny"))


PLEDGE_THRESHOLD_CNY = _policy_pledge_threshold()

SOURCES: dict[str, str] = {
    "hv_share_2025": (
        "Xinhua via China Daily HK, 2026-01-23, 'Chinese mainland reaches 2.29m high-value invention "
        "patents': 5.32 million valid invention patents held on the mainland at end-2025; high-value "
        "share 43.1 %; about 70 % of high-value patents in strategic emerging industries "
        "(https://www.chinadailyhk.com/hk/article/627641)"
    ),
    "maintained_10y_2025": (
        "SCIO press conference 2025-07-17 (CNIPA, Liang Xinxin): nearly 40 % (近四成) of high-value "
        "invention patents maintained for more than 10 years, about 793,000; 139,000 valid invention "
        "patents with overseas family patent rights (enterprises 121,000 = 87.0 %) "
        "(reprinted e.g. at http://jk1.xn6.net/html/88e0099911.html, '我国每万人口高价值发明专利拥有量15.3件')"
    ),
    "sei_2022": (
        "SCIO press conference 2023-01-16 (CNIPA, Ge Shu): end-2022 SEI share of high-value "
        "patents 71.9 %; enterprises hold 73.1 % of high-value patents, 4.1 points above their "
        "69.0 % share of valid invention patents; 444,000 maintained > 10 years "
        "(光明网, reprinted at http://dangjianhuodong.cn/news/staff_28101.htm)"
    ),
    "pledge_2023": (
        "CNIPA via APP/UrduPoint 2024-02-15: 104,000 valid invention patents pledged by enterprises "
        "at end-2023 (about 2.6 % of ~4.0 million domestic valid invention patents) "
        "(https://www.urdupoint.com/en/world/chinese-mainland-sees-rise-in-number-of-high-1795614.html)"
    ),
    "valid_type_mix_2023": (
        "CNIPA monthly table '2023年10月分国内外有效专利统计表' (reprinted at "
        "https://cpahkltd.com/show-104232.html): domestic valid invention 3,970,872, utility model "
        "11,869,975, design 3,039,546 (21.0 / 62.9 / 16.1 %); non-service (individual) shares "
        "2.5 / 6.5 / 31.8 %"
    ),
}

# Among valid (in force at as_of) invention patents of the stock: the five criteria and their union.
# The national figures: high-value 43.1 %; SEI = 70 % of high-value; maintained > 10 y = 40 % of
# high-value; overseas = 139,000 / ~5.0 million valid domestic inventions ≈ 2.8 %;
# pledge ≥ the policy threshold (10,000,000 CNY in cnipa-2021) = 0.7 % (assumption: ~2.6 % of valid
# inventions are pledged [4], and CNIPA reports that 72.5 % of pledge projects are below 10 million
# CNY (the 普惠 tier, H1 2023), so about 27.5 % of pledged patents reach the threshold); award = 0.3 % (assumption: China Patent Awards
# ~900 a year since 2009 plus national S&T awards, against ~5 million valid patents).
_VALID_INVENTION = {
    "high_value": 0.431,
    "sei": round(0.70 * 0.431, 4),
    "maintained_10y": round(0.40 * 0.431, 4),
    "overseas": 0.028,
    "pledge": 0.007,
    "award": 0.003,
}

PROPORTIONS: dict = {
    # In-force stock by type (national domestic valid stock, valid_type_mix_2023).
    "in_force_type_mix": {"invention": 0.210, "utility_model": 0.629, "design": 0.161},
    # Legal status of the records of each type in a municipal database export (assumption: a
    # municipal export holds every published record of local applicants, pending and dead ones too).
    "status_mix": {
        "invention": {"in_force": 0.46, "pending": 0.20, "lapsed": 0.16, "rejected": 0.07,
                      "withdrawn": 0.07, "expired": 0.03, "invalidated": 0.01},
        "utility_model": {"in_force": 0.55, "lapsed": 0.39, "expired": 0.055, "invalidated": 0.005},
        "design": {"in_force": 0.50, "lapsed": 0.44, "expired": 0.055, "invalidated": 0.005},
    },
    # First applicant's type, by patent type. Individuals from valid_type_mix_2023 (non-service
    # shares); enterprises 69 % of valid inventions (sei_2022); the rest is an assumption for a city
    # with strong universities.
    "applicant_type": {
        "invention": {"enterprise": 0.69, "university": 0.18, "research_institute": 0.05,
                      "individual": 0.025, "government": 0.01, "other": 0.045},
        "utility_model": {"enterprise": 0.80, "university": 0.06, "research_institute": 0.02,
                          "individual": 0.065, "government": 0.01, "other": 0.045},
        "design": {"enterprise": 0.63, "university": 0.03, "research_institute": 0.005,
                   "individual": 0.318, "government": 0.002, "other": 0.015},
    },
    # Share of enterprises (distinct applicants) carrying each tag (assumption; little giants are
    # also specialised SMEs).
    "enterprise_tags": {"high_tech": 0.45, "specialized_sme": 0.16, "little_giant": 0.035,
                        "listed_key": 0.05, "soe": 0.07},
    "valid_invention": _VALID_INVENTION,
    # Valid inventions with a pledge below the threshold (assumption: the rest of the 2.6 %).
    "valid_invention_small_pledge": 0.012,
    # Valid inventions with only a non-counting award (provincial patent award; assumption).
    "valid_invention_provincial_award": 0.004,
    # Valid inventions filed abroad (PCT) without a foreign grant yet (assumption).
    "valid_invention_pct_pending_abroad": 0.015,
    # Valid inventions with foreign grants that also hold a Hong Kong patent, and valid inventions
    # whose only grant outside the mainland is in Hong Kong (not overseas by default; assumption).
    "overseas_with_hk": 0.15,
    "valid_invention_hk_only": 0.004,
    # Share of SEI fields among records that are not valid inventions (assumption).
    "sei_share_other_inventions": 0.35,
    "sei_share_utility_models": 0.18,
    # Claims-text defects (assumption): share of claim sets with vague words, a numbering mistake,
    # a reference to a later claim.
    "claims_vague": 0.35,
    "claims_numbering_error": 0.04,
    "claims_forward_reference": 0.03,
}


def record_type_mix() -> dict[str, float]:
    """Share of each patent type among all records, so that the in-force mix is the intended one."""
    raw = {t: s / PROPORTIONS["status_mix"][t]["in_force"]
           for t, s in PROPORTIONS["in_force_type_mix"].items()}
    total = sum(raw.values())
    return {t: v / total for t, v in raw.items()}


def _conditional() -> dict[str, dict[str, float]]:
    """P(criterion | SEI) and P(criterion | not SEI) for the four non-SEI criteria.

    The national marginals do not add up to a 43.1 % union when the criteria are independent
    (independence gives ~45 %): overseas grants, pledges, awards and long maintenance go together
    with SEI patents somewhat more often. We scale each non-SEI-arm probability by one factor ``r``
    (solved by bisection) so that every marginal and the union are the published ones.
    """
    v = _VALID_INVENTION
    s = v["sei"]
    others = {k: v[k] for k in ("maintained_10y", "overseas", "pledge", "award")}
    target_b_given_not_s = (v["high_value"] - s) / (1 - s)

    def b_not_s(r: float) -> float:
        return 1 - math.prod(1 - r * p for p in others.values())

    lo, hi = 0.0, 1.0 / (1 - s)  # at hi the SEI arm gets probability 0
    for _ in range(100):
        mid = (lo + hi) / 2
        if b_not_s(mid) < target_b_given_not_s:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2
    out = {}
    for k, p in others.items():
        out[k] = {"not_sei": r * p, "sei": (p - (1 - s) * r * p) / s}
    return out


CONDITIONAL = _conditional()

# What the rules engine counts on this generator's valid inventions with the shipped CNIPA 2021
# concordance (hvpscore/rules/sei/concordance.csv). The generator still draws 30.2 % of valid
# inventions from SEI fields (the national figure above), but the official table ties most IPC
# entries of 7 of the 12 synthetic SEI fields (AI, integrated circuits, batteries, biomedicine, new
# materials, smart grid, environmental protection) to product keywords that the synthetic titles,
# abstracts and claims rarely contain, and codes created after 2021 (G06V) are in no row; such
# records are reported "near", not counted. Measured with
# `python training/compare_sei_tables.py --generated 40000` (make_patents(40000, seed=1), 4,331 valid
# inventions): SEI 0.1152 ± 0.0049, high-value 0.2822 ± 0.0068. With hvpscore's former own table
# the counted shares were the intended 0.302 and 0.431. This is a measurement of the generator
# against the official table, not a national statistic.
_VALID_INVENTION_TABLE2021 = {"sei": 0.1152, "high_value": 0.2822}

INTENDED: dict = {
    "as_of": "2025-12-31",
    "pledge_threshold_cny": PLEDGE_THRESHOLD_CNY,
    "valid_invention": dict(_VALID_INVENTION),
    # the SEI and high-value shares that hvpscore.rules counts with the shipped 2021 table
    "valid_invention_table2021": dict(_VALID_INVENTION_TABLE2021),
    "in_force_type_mix": dict(PROPORTIONS["in_force_type_mix"]),
    "record_type_mix": record_type_mix(),
}
