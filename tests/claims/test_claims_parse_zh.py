"""Chinese claims: every layout and reference pattern the parser reads (hand-written cases)."""

from __future__ import annotations

import pytest

from hvpscore._errors import InputError
from hvpscore.claims import parse_claims

BASIC = (
    "1. 一种散热装置，包括壳体和风扇。\n"
    "2. 根据权利要求1所述的散热装置，其特征在于，所述壳体为铝合金。\n"
    "3. 根据权利要求2所述的散热装置，其特征在于，所述风扇为离心风扇。\n"
)

# (case id, text, number of claims, independent claims, {claim: depends_on})
CASES = [
    ("dot", BASIC, 3, [1], {2: [1], 3: [2]}),
    ("header", "权利要求书\n" + BASIC, 3, [1], {2: [1], 3: [2]}),
    ("header_spaced", "权 利 要 求 书\n\n" + BASIC, 3, [1], {2: [1], 3: [2]}),
    (
        "dunhao",
        "1、一种杯子，包括杯体。\n2、根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "fullwidth_dot",
        "1．一种杯子，包括杯体。\n2．根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "fullwidth_digits",
        "１．一种杯子，包括杯体。\n２．根据权利要求１所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "paren",
        "1) 一种杯子，包括杯体。\n2) 根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "brackets",
        "[1] 一种杯子，包括杯体。\n[2] 根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "cjk_brackets",
        "【1】一种杯子，包括杯体。\n【2】根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "run_on_one_line",
        "1.一种杯子，包括杯体。2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。"
        "3.如权利要求2所述的杯子，其中所述杯体厚2mm。",
        3,
        [1],
        {2: [1], 3: [2]},
    ),
    (
        "wrapped_lines",
        "1.一种杯子，包括杯体和\n杯盖，所述杯盖盖合于所述杯\n体。\n2.根据权利\n要求1所述的杯子，其中\n所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "sub_paragraph_lines",
        "1.一种杯子，包括：\n杯体；\n杯盖；以及\n把手。\n2.根据权利要求1所述的杯子，其中所述把手为木质。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "sub_steps_numbered",
        "1.一种制备方法，包括以下步骤：\n1)混合原料；\n2)加热至80℃；\n3)冷却。\n"
        "2.根据权利要求1所述的制备方法，其中所述原料为淀粉。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "decimals_inside",
        "1.一种垫片，厚度为0.5mm。\n2.根据权利要求1所述的垫片，其中宽度为2.5mm至3.5mm。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "page_numbers",
        "1.一种杯子，包括杯体和杯盖，\n2\n所述杯盖盖合于所述杯体。\n- 3 -\n"
        "2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。\n第2页\n",
        2,
        [1],
        {2: [1]},
    ),
    (
        "cnipa_page_header",
        "1.一种杯子，包括杯体和杯盖。\n权利要求书 1/2 页\n"
        "2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "spaces_and_blank_lines",
        "   1 .  一种杯子，包括杯体。 \n\n\n  2 .  根据权利要求 1 所述的杯子，其中所述杯体为陶瓷。  ",
        2,
        [1],
        {2: [1]},
    ),
    (
        "range_hyphen",
        BASIC + "4. 根据权利要求1-3中任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "range_zhi",
        BASIC + "4. 根据权利要求1至3中任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "range_fullwidth_tilde",
        BASIC + "4. 根据权利要求1～3中任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "range_dao",
        BASIC + "4. 如权利要求1到3任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "range_with_claim_word",
        BASIC + "4. 根据权利要求1至权利要求3中任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "alternative_huo",
        BASIC + "4. 根据权利要求1或2所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2]},
    ),
    (
        "alternative_list",
        BASIC + "4. 根据权利要求1、2或3所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "alternative_repeated_word",
        BASIC + "4. 根据权利要求1或权利要求3所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 3]},
    ),
    (
        "any_preceding",
        BASIC + "4. 根据前述任一项权利要求所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "any_preceding_suffix",
        BASIC + "4. 如上述权利要求中任一项所述的散热装置，其中所述风扇为两个。",
        4,
        [1],
        {2: [1], 3: [2], 4: [1, 2, 3]},
    ),
    (
        "old_style_di_xiang",
        "1.一种杯子，包括杯体。\n2.如第1项权利要求所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "reference_later_in_text",
        "1.一种杯子，包括杯体。\n2.一种使用权利要求1所述杯子的饮水方法，包括倒水。",
        2,
        [1],
        {2: [1]},
    ),
    (
        "cancelled",
        "1.一种杯子，包括杯体。\n2.（删除）\n3.根据权利要求1所述的杯子，其中所述杯体为陶瓷。",
        2,
        [1],
        {3: [1]},
    ),
    (
        "cancelled_range_en",
        "1-3. (canceled)\n4. A cup comprising a body.\n5. The cup of claim 4, wherein the body is red.",
        2,
        [4],
        {5: [4]},
    ),
    (
        "several_independent",
        "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。\n"
        "3.一种杯子的制造方法，包括烧制。\n4.根据权利要求3所述的方法，其中烧制温度为1200℃。\n"
        "5.一种饮水系统，包括权利要求1所述的杯子和水壶。",
        5,
        [1, 3],
        {2: [1], 4: [3], 5: [1]},
    ),
    (
        "numbering_gap",
        "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。\n"
        "4.根据权利要求1所述的杯子，其中所述杯体为玻璃。",
        3,
        [1],
        {2: [1], 4: [1]},
    ),
    (
        "numbering_duplicate",
        "1.一种杯子，包括杯体。\n2.根据权利要求1所述的杯子，其中所述杯体为陶瓷。\n"
        "2.根据权利要求1所述的杯子，其中所述杯体为玻璃。\n3.根据权利要求2所述的杯子，其中杯体透明。",
        4,
        [1],
        {2: [1], 3: [2]},
    ),
    (
        "what_is_claimed_inline",
        "What is claimed is: 1. A cup comprising a body. 2. The cup of claim 1, wherein the "
        "body is red.",
        2,
        [1],
        {2: [1]},
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "n", "independent", "deps"), CASES, ids=[c[0] for c in CASES]
)
def test_structure(case, text, n, independent, deps):
    cs = parse_claims(text, findings=False)
    assert cs.n_claims == n
    assert cs.independent == independent
    got = {c.number: list(c.depends_on) for c in cs.claims if c.depends_on}
    assert got == deps


def test_mixed_width_punctuation_and_text_kept():
    cs = parse_claims(
        "１、一种杯子，包括杯体（陶瓷）。\n２、根据权利要求１所述的杯子；其中杯体为白色。"
    )
    assert cs.claim(1).text == "一种杯子，包括杯体(陶瓷)。"
    assert cs.claim(2).depends_on == (1,)


def test_wrapped_lines_joined_without_spaces():
    cs = parse_claims(
        "1.一种杯子，包括杯体和\n杯盖。\n2.根据权利\n要求1所述的杯子，其中杯体为陶瓷。"
    )
    assert cs.claim(1).text == "一种杯子，包括杯体和杯盖。"
    assert cs.claim(2).text == "根据权利要求1所述的杯子，其中杯体为陶瓷。"


def test_depth_and_multiple():
    text = BASIC + "4. 根据权利要求1或3所述的散热装置，其中所述风扇为两个。"
    cs = parse_claims(text, findings=False)
    assert [c.depth for c in cs.claims] == [1, 2, 3, 4]
    assert [c.multiple for c in cs.claims] == [False, False, False, True]
    assert cs.max_depth == 4
    assert cs.claim(4).cited == (1, 3)


def test_range_cited_keeps_end_points():
    cs = parse_claims(BASIC + "4. 根据权利要求1至3中任一项所述的散热装置，其中风扇为两个。")
    assert cs.claim(4).cited == (1, 3)
    assert cs.claim(4).depends_on == (1, 2, 3)


@pytest.mark.parametrize(
    ("first", "category"),
    [
        ("一种散热装置，包括壳体。", "apparatus"),
        ("一种图像处理方法，包括以下步骤：获取图像。", "method"),
        ("一种数据传输系统，包括服务器。", "system"),
        ("化合物A在制备抗肿瘤药物中的应用。", "use"),
        ("化合物A的用途，用于制备药物。", "use"),
        ("一种药物组合物，由化合物A和辅料组成。", "product"),
        ("一种凸轮轴，包括基座。", "product"),
        ("一种用于检测装置的校准方法，包括：校准。", "method"),
        ("一种计算机可读存储介质，其上存储有程序。", "product"),
        ("一种温度控制器，包括处理器。", "apparatus"),
    ],
)
def test_categories(first, category):
    cs = parse_claims("1. " + first, findings=False)
    assert cs.claim(1).category == category


@pytest.mark.parametrize(
    ("first", "phrase"),
    [
        ("一种散热装置，包括壳体。", "包括"),
        ("一种散热装置，包含壳体。", "包含"),
        ("一种合金，由铜和锌组成。", "由…组成"),
        ("一种合金，基本上由铜和锌组成。", "基本上由…组成"),
        ("一种散热装置，其特征在于，所述装置包括壳体。", "其特征在于"),
        ("一种涂料，含有树脂。", "含有"),
    ],
)
def test_transitional(first, phrase):
    assert parse_claims("1. " + first, findings=False).claim(1).transitional == phrase


def test_lengths_count_characters_without_spaces():
    cs = parse_claims("1. 一种 杯子，包括杯体。", findings=False)
    assert cs.claim(1).length == len("一种杯子，包括杯体。")


def test_dependent_inherits_category_without_keyword():
    cs = parse_claims(BASIC, findings=False)
    assert [c.category for c in cs.claims] == ["apparatus"] * 3


def test_unnumbered_text_is_one_claim_with_a_finding():
    cs = parse_claims("一种杯子，包括杯体和杯盖。")
    assert cs.n_claims == 1
    assert cs.unnumbered
    assert [f.code for f in cs.findings] == ["no_numbering"]


def test_gaps_duplicates_cancelled_recorded():
    text = (
        "1.一种杯子，包括杯体。\n2.（删除）\n4.根据权利要求1所述的杯子，其中杯体为陶瓷。\n"
        "4.根据权利要求1所述的杯子，其中杯体为白色。"
    )
    cs = parse_claims(text, findings=False)
    assert cs.cancelled == [2] and cs.gaps == [3] and cs.duplicates == [4]
    assert cs.to_dict()["gaps"] == [3]


def test_to_frame_and_to_dict():
    cs = parse_claims(BASIC)
    df = cs.to_frame()
    assert list(df["number"]) == [1, 2, 3]
    assert list(df["independent"]) == [True, False, False]
    assert df.loc[2, "depends_on"] == [2]
    d = cs.to_dict()
    assert d["n_claims"] == 3 and d["independent"] == [1] and d["lang"] == "zh"
    assert d["claims"][1]["depends_on"] == [1]


def test_lang_override_and_detection():
    assert parse_claims(BASIC).lang == "zh"
    assert parse_claims("1. A cup comprising a body.").lang == "en"
    assert parse_claims(BASIC, lang="zh").lang == "zh"


@pytest.mark.parametrize(
    ("text", "lang", "match"),
    [
        ("", None, "empty"),
        ("   \n\t ", None, "empty"),
        (None, None, "expected a str"),
        (123, None, "expected a str"),
        (BASIC, "fr", "not supported"),
    ],
)
def test_input_errors(text, lang, match):
    with pytest.raises(InputError, match=match):
        parse_claims(text, lang)


def test_traditional_chinese_and_taiwan_wording():
    text = (
        "1. 一種散熱裝置，其特徵在於，包括殼體和風扇。\n"
        "2. 如請求項1所述之散熱裝置，其中所述殼體為鋁合金。\n"
        "3. 根據權利要求1或2所述的散熱裝置，其中風扇為離心風扇。\n"
        "4. 一種散熱方法，使用如請求項1至3中任一項所述之散熱裝置。"
    )
    cs = parse_claims(text, findings=False)
    assert cs.lang == "zh"
    assert cs.independent == [1]
    assert [list(c.depends_on) for c in cs.claims] == [[], [1], [1, 2], [1, 2, 3]]
    assert [c.category for c in cs.claims] == ["apparatus", "apparatus", "apparatus", "method"]
    assert cs.claim(1).transitional == "其特征在于"
