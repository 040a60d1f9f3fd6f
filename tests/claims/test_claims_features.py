"""claim_features: the batch path, its columns, and agreement with the single-draft path."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from hvpscore._errors import InputError
from hvpscore.claims import CLAIM_FEATURE_NAMES, CLAIM_FEATURES, claim_features, parse_claims
from hvpscore.claims._features import _fast_zh, features_from_claimset, features_one
from hvpscore.claims._synth import generate_claims, generate_texts
from hvpscore.claims._text import normalise

TEXT = (
    "权利要求书\n1.一种散热装置，包括壳体和风扇。\n"
    "2.根据权利要求1所述的散热装置，其特征在于，所述壳体约2mm厚。\n"
    "3.根据权利要求1或2所述的散热装置，其中所述风扇为离心风扇。\n"
    "4.一种散热方法，包括：启动风扇。\n"
    "5.根据权利要求4所述的方法，其中风扇转速为1000r/min。\n"
)


def test_columns_index_and_values():
    s = pd.Series([TEXT, None, "", "  ", float("nan")], index=[10, 11, 12, 13, 14])
    df = claim_features(s)
    assert list(df.columns) == CLAIM_FEATURE_NAMES
    assert list(df.index) == [10, 11, 12, 13, 14]
    assert (df.dtypes == np.float64).all()
    row = df.loc[10]
    assert row["clm_n_claims"] == 5
    assert row["clm_n_independent"] == 2
    assert row["clm_n_dependent"] == 3
    assert row["clm_max_depth"] == 3
    assert row["clm_n_multiple_dependent"] == 1
    assert row["clm_has_apparatus"] == 1 and row["clm_has_method"] == 1
    assert row["clm_has_product"] == 0 and row["clm_has_system"] == 0
    assert row["clm_n_categories"] == 2
    assert row["clm_first_indep_len"] == len("一种散热装置，包括壳体和风扇。")
    assert row["clm_n_vague"] == 1  # 约2mm (厚 right after 2mm states the thickness)
    assert row["clm_is_zh"] == 1
    assert df.loc[11:14].isna().all().all()


def test_feature_specs_named_and_described():
    assert [f.name for f in CLAIM_FEATURES] == CLAIM_FEATURE_NAMES
    assert len(set(CLAIM_FEATURE_NAMES)) == len(CLAIM_FEATURE_NAMES) >= 20
    for f in CLAIM_FEATURES:
        assert f.name.startswith("clm_")
        assert f.zh and f.en and f.stage == "draft"
    for needed in [
        "clm_n_claims",
        "clm_n_independent",
        "clm_n_dependent",
        "clm_max_depth",
        "clm_first_indep_len",
        "clm_mean_indep_len",
        "clm_has_method",
        "clm_has_product",
        "clm_has_apparatus",
        "clm_has_system",
        "clm_has_use",
        "clm_n_vague",
        "clm_n_bad_refs",
        "clm_n_numbering_errors",
    ]:
        assert needed in CLAIM_FEATURE_NAMES


def test_findings_counted():
    text = (
        "1.一种杯子，包括杯体。\n2.根据权利要求1所述的方法，其中杯体为陶瓷。\n"
        "4.根据权利要求5所述的杯子，其中杯体为白色。\n5.根据权利要求1和2所述的杯子，其中杯体透明。\n"
        "6.根据权利要求1至5中任一项所述的杯子，其中杯体较重。"
    )
    row = claim_features(pd.Series([text])).iloc[0]
    assert row["clm_n_bad_refs"] == 2  # claim 4 (later claim 5), claim 6 (missing claim 3)
    assert row["clm_n_numbering_errors"] == 1
    assert row["clm_n_category_mismatch"] == 1
    assert row["clm_n_not_alternative"] == 1
    assert row["clm_n_multiple_on_multiple"] == 1


def test_cancelled_counted_and_english():
    text = "1-3. (canceled)\n4. A method comprising heating.\n5. The method of claim 4, wherein..."
    row = claim_features(pd.Series([text])).iloc[0]
    assert row["clm_n_cancelled"] == 3 and row["clm_n_claims"] == 2
    assert row["clm_is_zh"] == 0 and row["clm_has_method"] == 1


def test_list_accepted_and_bad_input():
    assert len(claim_features([TEXT, None])) == 2
    with pytest.raises(InputError, match="pandas Series"):
        claim_features("1. 一种杯子")


def _same(a, b):
    return all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))


def _corpus(shared_dir=None):
    texts = generate_texts(400, seed=5)
    texts += [TEXT, TEXT.replace("\n", ""), TEXT.replace("\n", "\n\n")]
    # markers after other sentence ends, in the last claim or inside one: the fast lane must
    # read them as the general path does (or leave the text to it)
    texts += [
        TEXT + "6.根据权利要求5所述的方法；7.根据权利要求6所述的方法，其中转速恒定。",
        TEXT.replace("启动风扇。", "启动风扇；5.根据权利要求4所述的方法，其中风扇反转。"),
        TEXT
        + "6.根据权利要求5所述的方法，其中转速为2mm. 7. 根据权利要求1所述的装置，其中壳体为黑色。",
        TEXT.replace("1.一种", "1．一种").replace("2.根据权利要求1", "２．根据权利要求１"),
        TEXT.replace("\n", "\r\n"),
        TEXT.replace("壳体和风扇", "壳体\u3000和风扇"),
        TEXT + "6.（删除）\n7.根据权利要求5所述的方法，其中转速恒定。",
        TEXT + "6.根据前述任一项权利要求所述的方法，其中转速恒定。",
        TEXT + "6.根据权利要求9所述的方法，其中转速恒定。",
        TEXT.replace("3.根据权利要求1或2", "3.根据权利要求1和2"),
        TEXT.replace("\n2.", "\n2\n.").replace("\n4.", "。4."),
    ]
    return texts


def test_fast_lane_general_path_and_claimset_agree():
    n_fast = 0
    for t in _corpus():
        fast = features_one(t)
        general = features_one(t, fast=False)
        reference = features_from_claimset(parse_claims(t), t)
        assert _same(fast, general), t[:200]
        assert _same(general, reference), t[:200]
        n_fast += _fast_zh(normalise(t)) is not None
    assert n_fast > 300  # the fast lane really serves most texts


def test_agree_on_truth_file(shared_dir):
    path = shared_dir / "data/claims-truth-dev/claims_truth_dev.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for t in (r["claims_text"], r["claims_text_multiline"]):
            assert _same(features_one(t), features_from_claimset(parse_claims(t), t)), r["id"]


def test_synthetic_texts_parse_exactly():
    for s in generate_claims(300, seed=9):
        cs = parse_claims(s.text, findings=False)
        assert cs.n_claims == s.n_claims
        assert cs.independent == s.independent
        assert {c.number: list(c.depends_on) for c in cs.claims if c.depends_on} == s.depends_on


def test_synthetic_texts_are_realistic():
    gen = generate_claims(300, seed=1)
    lengths = [len(s.text) for s in gen]
    assert 1200 <= sum(lengths) / len(lengths) <= 1800
    assert all(10 <= s.n_claims <= 20 for s in gen)
    assert generate_texts(5, seed=3) == generate_texts(5, seed=3)


def test_category_of_referring_independent_style_claim_agrees():
    # claim 2 refers to claim 1 but opens with 一种 (its own category, method); claim 3 hangs on
    # claim 2 with another category: both paths and the findings see the mismatch
    text = (
        "1.一种杯子，包括杯体。\n2.一种如权利要求1所述杯子的制备方法，包括烧制。\n"
        "3.根据权利要求2所述的装置，其中杯体为白色。\n"
        "4.如权利要求1~3任一所述的杯子，其中杯体透明。"
    )
    row = features_one(text)
    assert _same(row, features_one(text, fast=False))
    assert _same(row, features_from_claimset(parse_claims(text), text))
    assert row[CLAIM_FEATURE_NAMES.index("clm_n_category_mismatch")] == 1


def test_join_lines_equals_the_two_patterns():
    import random

    from hvpscore.claims._features import _NL_INNER, _join_lines
    from hvpscore.claims._parse import _NL_CJK

    rnd = random.Random(1)
    pieces = ["中", "文", "a", "1", "2.", "3、", "12 .", " ", "\n", "\n\n", " \n ", "。", "10.5",
              "x\n", "\n 4.", "\n\n 5、", "  "]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 24)))
             for _ in range(20_000)]
    texts += [t for t in generate_texts(300, seed=4)]
    for t in texts:
        t = normalise(t)
        assert _join_lines(t) == _NL_INNER.sub(" ", _NL_CJK.sub("", t)), repr(t)


def test_fast_lane_reads_bad_references_as_the_general_path():
    # references to later, the same or missing claims (single, listed, in an independent-style
    # claim) stay in the fast lane and are counted as bad references, as the general path does
    bad = [
        TEXT.replace("2.根据权利要求1", "2.根据权利要求4"),
        TEXT.replace("3.根据权利要求1或2", "3.根据权利要求2或7"),
        TEXT.replace("3.根据权利要求1或2", "3.根据权利要求3至5"),
        TEXT.replace("5.根据权利要求4", "5.根据权利要求0"),
        TEXT + "6.一种如权利要求1或8所述散热装置的制备方法，包括焊接。",
        TEXT.replace("2.根据权利要求1", "2.根据权利要求3").replace("3.根据权利要求1或2",
                                                          "3.根据权利要求2或1"),
    ]
    i_bad = CLAIM_FEATURE_NAMES.index("clm_n_bad_refs")
    for t in bad:
        fast = features_one(t)
        assert _fast_zh(normalise(t)) is not None, t
        assert fast[i_bad] >= 1, t
        assert _same(fast, features_one(t, fast=False)), t
        assert _same(fast, features_from_claimset(parse_claims(t), t)), t


def test_fast_lane_agrees_on_stock_texts_with_drafting_defects():
    from hvpscore.datasets import make_patents

    texts = make_patents(1500, seed=3)["claims_text"].dropna().tolist()
    n_fast = 0
    for t in texts:
        fast = features_one(t)
        assert _same(fast, features_one(t, fast=False)), t[:200]
        n_fast += _fast_zh(normalise(t)) is not None
    assert n_fast > 0.9 * len(texts)


# texts where the fast lane once differed from the general path (or raised)
EDGE_TEXTS = [
    # one wrapped line inside a subject ("散热方\n法"): the lane read the subject unjoined
    TEXT.replace("4.一种散热方法", "4.一种散热方\n法"),
    TEXT.replace("4.一种散热方法", "4.一种散热方\r\n法"),
    TEXT.replace("\n2.", "\n\n2."),
    # "任意" in the next claim, within 12 characters after a multiple reference
    "1.一种杯子，包括杯体。\n2.一种盖子，包括盖体。\n3.根据权利要求1、2所述。"
    "4.一种任意角度的支架，包括支杆。\n",
]
# "前述任一项权利要求" inside claim 1 (a reference with no claim before it) raised IndexError in
# the lane; the batch definition (general path) reads claim 1 as citing nothing, parse_claims
# as independent: the two differ here, and the batch values are what the models were fit on
NO_CLAIM_BEFORE = TEXT.replace("包括壳体和风扇。", "包括前述任一项权利要求所述的壳体和风扇。")


def test_fast_lane_edge_cases_agree():
    for t in EDGE_TEXTS:
        fast = features_one(t)
        assert _same(fast, features_one(t, fast=False)), t[:200]
        assert _same(fast, features_from_claimset(parse_claims(t), t)), t[:200]
    assert _same(features_one(NO_CLAIM_BEFORE), features_one(NO_CLAIM_BEFORE, fast=False))


def _line_edits(texts, n, seed):
    """Claims texts with lines dropped, repeated, swapped or renumbered, cancelled claims and
    ranges of them (at a line start or after a sentence end), claims running on after "；" and
    numbers wrapped before their dot."""
    import random

    rng = random.Random(seed)
    for _ in range(n):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randrange(1, 4)):
            if len(lines) < 2:
                break
            i = rng.randrange(1, len(lines))
            num, _, rest = lines[i].partition(".")
            k = rng.randrange(9)
            if k == 0:
                del lines[i]
            elif k == 1:
                lines.insert(i, lines[i])
            elif k == 2 and rest:
                lines[i] = f"{num}；{rng.randrange(1, 12)}.{rest}"
            elif k == 3:
                lines[i] = f"{rng.randrange(1, 12)}.（删除）"
            elif k == 4:
                lines[i] = f"{i + 1}-{i + 3}.（删除）"
            elif k == 5 and num.isdigit():
                lines[i] = f"{int(num) + rng.randrange(-2, 4)}.{rest}"
            elif k == 6:
                lines[i] += rng.choice(["；{}.根据权利要求1所述的装置，其特征在于，X。", "；{}-9.（删除）",
                                        "。{}~12.（删除）"]).format(rng.randrange(1, 14))
            elif k == 7 and rest:
                lines[i] = f"{num}\n.{rest}"
            else:
                j = rng.randrange(1, len(lines))
                lines[i], lines[j] = lines[j], lines[i]
        yield "\n".join(lines)


def test_fast_lane_agrees_on_renumbered_and_cancelled():
    from hvpscore.datasets import make_claims_texts, make_patents

    texts = make_patents(600, seed=21)["claims_text"].dropna().tolist()
    texts += make_claims_texts(300, seed=22, lang="zh")["claims_text"].tolist()
    n_gaps = 0
    for t in _line_edits(texts, 2500, seed=23):
        fast = features_one(t)
        assert _same(fast, features_one(t, fast=False)), t[:300]
        n_gaps += _fast_zh(normalise(t)) is not None and fast[17] > 0
    assert n_gaps > 200  # gaps and repeated numbers are read by the lane, not only passed on
