"""Fuzzing: any text gives a result or a clear InputError, never another exception or a hang."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvpscore._errors import InputError
from hvpscore.claims import CLAIM_FEATURE_NAMES, ClaimSet, analyze_claims, claim_features
from hvpscore.claims._features import features_one

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# pieces that steer the parser into its corners: markers, references, ranges, cancellations
PIECES = [
    "1.",
    "2.",
    "3、",
    "１．",
    "12)",
    "[4]",
    "【5】",
    "1-3.",
    "\n",
    "。",
    "；",
    ":",
    ". ",
    " ",
    "权利要求",
    "权利要求1",
    "权利要求2或3",
    "权利要求1至9",
    "前述任一项权利要求",
    "第2项权利要求",
    "所述的",
    "一种",
    "根据",
    "如",
    "装置",
    "方法",
    "其特征在于",
    "包括",
    "由",
    "组成",
    "等",
    "约5",
    "claim 1",
    "claims 1 to 3",
    "any preceding claim",
    "The device of",
    "A method",
    "(canceled)",
    "（删除）",
    "about 5",
    "the lever",
    "said",
    "0.5",
    "9999",
    "a",
    "中任一项",
]


def _check(text: str) -> None:
    try:
        cs = analyze_claims(text)
    except InputError as exc:
        assert str(exc)  # a message a user can act on
        return
    assert isinstance(cs, ClaimSet)
    assert cs.lang in ("zh", "en")
    for c in cs.claims:
        assert c.depth >= 1 and c.length >= 0
        assert c.independent == (len(c.depends_on) == 0)
    cs.to_frame()
    cs.to_dict()
    row = features_one(text)
    assert len(row) == len(CLAIM_FEATURE_NAMES)
    assert all(isinstance(v, (int, float, bool)) for v in row)


@FUZZ
@given(st.text())
def test_arbitrary_unicode(text):
    _check(text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_claim_like_fragments(text):
    _check(text)


@FUZZ
@given(st.lists(st.text(max_size=30) | st.sampled_from(PIECES), max_size=40).map("".join))
def test_mixed_fragments(text):
    _check(text)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.text(max_size=200), st.floats()), max_size=8))
def test_batch_never_raises(values):
    df = claim_features(pd.Series(values, dtype=object))
    assert df.shape == (len(values), len(CLAIM_FEATURE_NAMES))


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "\u3000\u3000"])
def test_empty_text_is_an_input_error(text):
    with pytest.raises(InputError, match="empty"):
        analyze_claims(text)
    assert all(math.isnan(v) for v in features_one(text))


def test_no_numbers():
    cs = analyze_claims("一种杯子，包括杯体和杯盖，所述杯盖盖合于所述杯体上。" * 20)
    assert cs.n_claims == 1 and cs.unnumbered


@pytest.mark.parametrize(
    "text",
    [
        "1234567890" * 1000,
        "1. 2. 3. 4. 5. 6. 7. 8. 9.",
        "\n".join(f"{i}." for i in range(1, 300)),
        "1.\n1.\n1.\n1.",
        "9999.",
        "0.",
        "1-9999. (canceled)",
    ],
)
def test_only_numbers(text):
    _check(text)


@pytest.mark.slow
def test_one_megabyte_texts():
    zh = ("1.一种杯子，包括杯体，约100℃等。\n2.根据权利要求1所述的杯子，其中杯体较厚。\n" * 40000)[
        :1_000_000
    ]
    _check(zh)
    junk = ("权利要求前述任一项 claim 1 to 3. 。2.根据" * 30000)[:1_000_000]
    _check(junk)
    en = ("The lever of claim 1, wherein the arm is about 5 mm. " * 20000)[:1_000_000]
    _check(en)


def test_too_many_claims_is_an_input_error():
    text = "\n".join(f"{i}. The cup of any preceding claim." for i in range(1, 1200))
    with pytest.raises(InputError, match="more than the 1,000"):
        analyze_claims(text)
    assert all(math.isnan(v) for v in features_one(text))


def test_too_long_is_an_input_error():
    with pytest.raises(InputError, match="characters is more than"):
        analyze_claims("a" * 2_000_001)
