"""Independent claims under Chinese practice (issue 8 item 7) and English upper-case references
(issue 8 item 5)."""

from __future__ import annotations

import pytest

from hvpscore.claims import CLAIM_FEATURE_NAMES, claim_features, parse_claims
from hvpscore.claims._features import features_from_claimset, features_one

datasets = pytest.importorskip("hvpscore.datasets")

# claim 4 is a method of making the product of claim 1; claim 6 a storage medium that carries the
# method of claims 4-5: both independent in CN practice, both "dependent" by the office markup
TEXT = (
    "1.一种杯子，包括杯体。\n"
    "2.根据权利要求1所述的杯子，其中杯体为陶瓷。\n"
    "3.根据权利要求1或2所述的杯子，其中杯体为白色。\n"
    "4.一种制备权利要求1-3任一项所述杯子的方法，包括烧制。\n"
    "5.根据权利要求4所述的方法，其中烧制温度为1200℃。\n"
    "6.一种计算机可读存储介质，其特征在于，存储有实现权利要求4或5所述方法的程序。\n"
    "7.根据权利要求6所述的存储介质，其中所述程序加密。"
)


def _col(row, name):
    return row[CLAIM_FEATURE_NAMES.index(name)]


def test_claimset_reads_both_conventions():
    cs = parse_claims(TEXT)
    assert cs.independent == [1]
    assert cs.independent_cn == [1, 4, 6]
    assert cs.n_independent_cn == 3
    assert [c.independent_cn for c in cs.claims] == [True, False, False, True, False, True, False]
    assert cs.categories == ["product"] and cs.categories_cn == ["product", "method"]
    assert cs.to_dict()["independent_cn"] == [1, 4, 6]
    assert list(cs.to_frame()["independent_cn"]) == [True, False, False, True, False, True, False]
    assert cs.claim(4).depends_on == (1, 2, 3)  # the references are kept


def test_cn_independent_claims_are_not_multiple_dependent():
    # claims 4 and 6 cite several claims, but as claims of their own category (CN practice):
    # no "multiple dependent claim based on a multiple dependent claim" for claims 5 and 7
    codes = [f.code for f in parse_claims(TEXT).findings]
    assert "multiple_on_multiple" not in codes and "multiple_not_alternative" not in codes
    row = features_one(TEXT)
    assert _col(row, "clm_n_independent_cn") == 3
    assert _col(row, "clm_n_independent") == 1
    assert _col(row, "clm_n_multiple_dependent") == 1  # claim 3 only
    assert _col(row, "clm_n_multiple_on_multiple") == 0
    assert row == features_one(TEXT, fast=False) == features_from_claimset(parse_claims(TEXT), TEXT)
    # a dependent claim citing two claims still counts, and so does one based on it
    mom = TEXT + "\n8.根据权利要求3或7所述的杯子，其中杯体透明。"
    assert _col(features_one(mom), "clm_n_multiple_on_multiple") == 1
    assert [f.claim for f in parse_claims(mom).findings if f.code == "multiple_on_multiple"] == [8]


def test_english_keeps_the_office_reading_for_multiple_dependency():
    text = (
        "1. A cup comprising a body.\n2. The cup of claim 1, wherein the body is white.\n"
        "3. A method of making the cup of claim 1 or 2, comprising firing the body.\n"
        "4. The method of claim 3 and 2, wherein the firing is slow."
    )
    cs = parse_claims(text)
    assert cs.independent == [1] and cs.independent_cn == [1, 3]
    assert "multiple_not_alternative" in [f.code for f in cs.findings]
    assert features_one(text) == features_from_claimset(cs, text)


@pytest.mark.parametrize(("lang", "ptype"), [("zh", "invention"), ("zh", "utility_model"),
                                             ("en", "invention")])
def test_generated_sets_match_cn_truth(lang, ptype):
    t = datasets.make_claims_texts(200, seed=21, lang=lang, patent_type=ptype)
    n_differs = 0
    feats = claim_features(t["claims_text"])
    for i, r in enumerate(t.itertuples()):
        cs = parse_claims(r.claims_text, findings=False)
        assert cs.independent_cn == [r.numbers[p - 1] for p in r.independent], r.claims_text[:300]
        assert feats["clm_n_independent_cn"].iloc[i] == len(r.independent)
        n_differs += cs.independent_cn != cs.independent
    if ptype == "invention":
        assert n_differs > 20  # the sets do carry claims of another category citing a claim


@pytest.mark.parametrize(
    "text",
    [
        "1. A device comprising a lid.\n2. The device of CLAIM 1, wherein the lid is red.",
        "1. A device comprising a lid.\n2. THE DEVICE OF CLAIM 1, WHEREIN THE LID IS RED.",
        "CLAIMS\n1. A device comprising a lid.\n2. The device according to Claim 1, wherein red.",
        "CLAIM 1. A device comprising a lid.\nCLAIM 2. The device of CLAIM 1, wherein red.",
        "Claim 1: A device comprising a lid.\nClaim 2: The device of claim 1, wherein red.",
    ],
    ids=["upper-ref", "all-caps", "header", "upper-markers", "colon-markers"],
)
def test_upper_case_claim_references_and_markers(text):
    cs = parse_claims(text)
    assert cs.n_claims == 2 and not cs.unnumbered
    assert cs.independent == [1] and cs.claim(2).depends_on == (1,)
    assert cs.claim(1).text.startswith("A device") and "CLAIM 2" not in cs.claim(1).text
    assert features_one(text) == features_from_claimset(cs, text)


def test_claim_word_markers_with_cancelled_claims():
    text = (
        "Claim 1: A device comprising a lid.\nClaim 2: The device of claim 1, wherein red.\n"
        "Claim 3. (canceled)\nClaim 4: The device of Claim 2, wherein blue."
    )
    cs = parse_claims(text)
    assert [c.number for c in cs.claims] == [1, 2, 4] and cs.cancelled == [3]
    assert cs.claim(4).depends_on == (2,)
