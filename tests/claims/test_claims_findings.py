"""Examiner findings: each code raised where it should be, and not where it should not."""

from __future__ import annotations

import pytest

from hvpscore.claims import analyze_claims, parse_claims
from hvpscore.claims._findings import nlp_for, vague_matches
from hvpscore.claims._lexicon import count_vague
from hvpscore.claims._text import normalise


def codes(text, lang=None):
    return [f.code for f in analyze_claims(text, lang).findings]


def by_code(text, code):
    return [f for f in analyze_claims(text).findings if f.code == code]


CLEAN_ZH = "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。"


def test_clean_draft_has_no_findings():
    assert codes(CLEAN_ZH) == []


def test_finding_fields_zh_en():
    f = by_code(
        "1.一种杯子，包括杯体。\n2.根据权利要求3所述的杯子，其中杯体为陶瓷。", "ref_missing"
    )[0]
    assert f.claim == 2
    assert f.severity == "error"
    assert "权利要求2" in f.message_zh and "不存在" in f.message_zh
    assert "Claim 2" in f.message_en and "does not exist" in f.message_en
    assert f.quote == "权利要求3"
    assert f.to_dict()["code"] == "ref_missing"


def test_reference_to_later_claim():
    text = "1.一种杯子，包括杯体。\n2.根据权利要求3所述的杯子，其中杯体为陶瓷。\n3.根据权利要求1所述的杯子，其中杯体为白色。"
    assert "ref_later" in codes(text)
    assert "ref_later" not in codes(CLEAN_ZH)


def test_reference_to_itself():
    f = by_code("1.一种杯子，包括杯体。\n2.根据权利要求2所述的杯子，其中杯体为陶瓷。", "ref_self")
    assert [x.claim for x in f] == [2]


def test_reference_to_cancelled_claim_is_missing():
    text = "1.一种杯子，包括杯体。\n2.（删除）\n3.根据权利要求2所述的杯子，其中杯体为陶瓷。"
    assert [f.claim for f in by_code(text, "ref_missing")] == [3]


MOM = (
    "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中杯体为陶瓷。\n"
    "3.根据权利要求1或2所述的杯子，其中杯体为白色。\n"
    "4.根据权利要求1至3中任一项所述的杯子，其中杯体透明。"
)


def test_multiple_dependent_on_multiple_dependent():
    f = by_code(MOM, "multiple_on_multiple")
    assert [x.claim for x in f] == [4]
    assert "3" in f[0].message_zh


def test_multiple_dependent_on_single_is_fine():
    text = MOM.replace("1至3中任一项", "1或2")
    assert by_code(text, "multiple_on_multiple") == []


def test_multiple_dependent_not_in_the_alternative():
    text = "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中杯体为陶瓷。\n3.根据权利要求1和2所述的杯子，其中杯体为白色。"
    assert [f.claim for f in by_code(text, "multiple_not_alternative")] == [3]
    assert by_code(text.replace("1和2", "1或2"), "multiple_not_alternative") == []
    en = "1. A cup comprising a body.\n2. The cup of claim 1, wherein the body is red.\n3. The cup of claims 1 and 2, wherein the body is thin."
    assert [f.claim for f in by_code(en, "multiple_not_alternative")] == [3]


def test_numbering_gap_and_duplicate():
    gap = "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中杯体为陶瓷。\n4.根据权利要求1所述的杯子，其中杯体为白色。"
    f = by_code(gap, "numbering_gap")
    assert len(f) == 1 and "3" in f[0].message_zh
    dup = gap.replace("4.根据", "2.根据")
    assert [x.claim for x in by_code(dup, "numbering_duplicate")] == [2]
    assert by_code(dup, "numbering_gap") == []


def test_category_mismatch():
    text = "1.一种杯子，包括杯体。\n2.根据权利要求1所述的方法，其中杯体为陶瓷。"
    f = by_code(text, "category_mismatch")
    assert [x.claim for x in f] == [2]
    assert "方法" in f[0].message_zh and "product" in f[0].message_en
    # a method using the product of claim 1 is a claim of its own category, not a mismatch
    ok = "1.一种杯子，包括杯体。\n2.一种使用权利要求1所述杯子的饮水方法，包括倒水。"
    assert by_code(ok, "category_mismatch") == []


def test_category_mismatch_en():
    text = "1. A method of cooling, comprising blowing air.\n2. The system of claim 1, wherein the air is cold."
    assert [f.claim for f in by_code(text, "category_mismatch")] == [2]


def test_long_first_claim_threshold():
    long_claim = "1.一种杯子，包括" + "杯体" * 260 + "。"
    f = by_code(long_claim, "long_first_claim")
    assert len(f) == 1 and f[0].severity == "info"
    assert by_code("1.一种杯子，包括" + "杯体" * 200 + "。", "long_first_claim") == []


def test_no_independent_claim():
    text = (
        "1.根据权利要求2所述的杯子，其中杯体为陶瓷。\n2.根据权利要求1所述的杯子，其中杯体为白色。"
    )
    assert "no_independent" in codes(text)


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("所述杯体较厚", "厚"),
        ("所述杯体的厚度为2mm", None),
        ("加热至约100℃", "约"),
        ("所述约束件固定", None),
        ("在高温下烧制", "高温"),
        ("耐高温涂层", None),
        ("包括铜、锌等金属", "等"),
        ("所述长度等于宽度", None),
        ("等离子体处理", None),
        ("例如为陶瓷", "例如"),
        ("最好是白色", "最好是"),
        ("尤其是白色", "尤其是"),
        ("必要时加热", "必要时"),
        ("在很宽范围内调节", "很宽范围"),
        ("温度接近沸点", "接近"),
        ("设有接近开关", None),
        ("选自聚乙烯或类似物", "或类似物"),
        ("具有较高的强度", "较高"),
    ],
)
def test_vague_terms_zh(sentence, term):
    text = f"1.一种杯子，包括杯体，{sentence}。"
    got = [f.term for f in by_code(text, "vague_term")]
    assert got == ([term] if term else [])


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("a length of about 5 mm", "about"),
        ("a shaft rotatable about an axis", None),
        ("a substantially flat plate", "substantially"),
        ("a filler such as silica", "such as"),
        ("preferably a steel plate", "preferably"),
        ("optionally a lid", "optionally"),
        ("approximately 10 parts", "approximately"),
    ],
)
def test_vague_terms_en(sentence, term):
    text = f"1. A cup comprising {sentence}."
    got = [f.term for f in by_code(text, "vague_term")]
    assert got == ([term] if term else [])


def test_consisting_essentially_is_not_vague():
    assert by_code("1. An alloy consisting essentially of copper and zinc.", "vague_term") == []


def test_vague_finding_has_quote_and_kind():
    f = by_code("1.一种杯子，包括杯体，加热至约100℃后冷却。", "vague_term")[0]
    assert "约100℃" in f.quote
    assert "近似性用语" in f.message_zh and "approximation" in f.message_en


def test_antecedent_basis_en():
    text = (
        "1. A cup comprising a body and a lid, wherein the handle is attached to the body.\n"
        "2. The cup of claim 1, wherein the lid is round.\n"
        "3. The cup of claim 2, wherein the spout is narrow."
    )
    f = by_code(text, "antecedent_basis")
    assert [(x.claim, x.term) for x in f] == [(1, "the handle"), (3, "the spout")]
    assert f[0].severity == "warning"


def test_antecedent_uses_parent_claims_only():
    text = (
        "1. A cup comprising a body.\n"
        "2. The cup of claim 1, further comprising a handle.\n"
        "3. The cup of claim 1, wherein the handle is red."
    )
    assert [x.claim for x in by_code(text, "antecedent_basis")] == [3]


def test_antecedent_not_checked_for_chinese():
    assert by_code("1.一种杯子，包括杯体。", "antecedent_basis") == []


def test_findings_off():
    assert parse_claims(MOM, findings=False).findings == []


CORPUS = [
    "包括铜、锌等金属，加热至约 100℃，约束件与等离子体；厚度较大，强度高，高温高压下"
    "例如烧制，最好是白色，必要时冷却，或类似物，耐高温，等于，相等，大约5个",
    "A body of about 5 mm, rotatable about an axis, substantially flat, such as steel, "
    "preferably red, consisting essentially of copper, e.g. zinc, or the like, thin and thick.",
]


@pytest.mark.parametrize("text", CORPUS)
def test_spacy_and_regex_counts_agree(text):
    lang = "zh" if "铜" in text else "en"
    norm = normalise(text)
    doc = nlp_for(lang).make_doc(norm)
    assert len(vague_matches(doc, lang)) == count_vague(norm, lang) > 3


@pytest.mark.parametrize("text, terms", [
    ("所述壳体为2mm厚的钢板。", []),  # the thickness is stated
    ("所述壳体为2 mm厚，所述盖板为0.5毫米厚。", []),
    ("所述涂层为3μm薄层，外壁为1.5cm厚。", []),
    ("所述壳体约2mm厚。", ["约"]),  # the approximation stays
    ("所述壳体较厚，所述盖板很薄。", ["厚", "薄"]),  # relative: no quantity
    ("所述板长为2mm，厚的一侧朝外。", ["厚"]),  # a comma between: not the thickness
])
def test_dimension_word_after_a_quantity_is_not_vague(text, terms):
    """厚 / 薄 right after a number and a length unit state a dimension (审查指南 第二部分第二章
    3.2.2 names 厚 / 薄 as relative terms only where no value fixes them)."""
    cs = parse_claims("1. 一种装置，包括壳体。\n2. 根据权利要求1所述的装置，其特征在于，" + text)
    assert [f.term for f in cs.findings if f.code == "vague_term"] == terms
    norm = normalise(text)
    assert count_vague(norm, "zh") == len(terms)  # the batch count reads it the same way
