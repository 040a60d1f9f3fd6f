"""Public names of hvpscore.claims exist, and the docstring examples run."""

from __future__ import annotations

import doctest

import pytest

import hvpscore.claims as claims
from hvpscore.claims import _analyze


@pytest.mark.parametrize("name", claims.__all__)
def test_public_names(name):
    assert getattr(claims, name) is not None


@pytest.mark.parametrize("module", [claims, _analyze])
def test_doctests(module):
    result = doctest.testmod(module, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0


def test_finding_codes_have_both_languages():
    from hvpscore.claims._lexicon import messages

    for code in claims.FINDING_CODES:
        spec = messages()["findings"][code]
        assert spec["zh"] and spec["en"] and spec["severity"] in ("error", "warning", "info")


def test_spans_locate_each_claim_body_in_the_text_as_given():
    from hvpscore.claims import normalise, parse_claims

    text = "权利要求书\n1．一种杯子，包括杯体。\n2．根据权利要求1所述的杯子，其中\n杯体约2mm厚。"
    cs = parse_claims(text)
    assert len(cs.spans) == len(cs.claims) == 2
    bodies = [text[s:e] for s, e in cs.spans]
    assert bodies[0].strip() == "一种杯子，包括杯体。"
    assert bodies[1].replace("\n", "").strip() == cs.claims[1].text
    assert len(normalise("１２【３】")) == 5 and normalise("１２【３】") == "12[3]"
