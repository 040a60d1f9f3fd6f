"""English claims: headers, reference forms, categories, transitional phrases."""

from __future__ import annotations

import pytest

from hvpscore.claims import parse_claims

BASE = (
    "1. A pump comprising a housing and an impeller.\n"
    "2. The pump of claim 1, wherein the housing is steel.\n"
    "3. The pump according to claim 2, wherein the impeller is plastic.\n"
)


@pytest.mark.parametrize(
    ("fourth", "deps"),
    [
        ("4. The pump of claims 1-3, wherein the pump is small.", [1, 2, 3]),
        ("4. The pump of any one of claims 1 to 3, wherein the pump is quiet.", [1, 2, 3]),
        ("4. The pump as claimed in claim 1 or 2, wherein the pump is quiet.", [1, 2]),
        ("4. The pump of claim 1, 2 or 3, wherein the pump is quiet.", [1, 2, 3]),
        ("4. The pump of any preceding claim, wherein the pump is quiet.", [1, 2, 3]),
        ("4. The pump of any one of the preceding claims, wherein it is quiet.", [1, 2, 3]),
        ("4. The pump of the preceding claim, wherein the pump is quiet.", [3]),
        ("4. The pump as recited in claim 2 or claim 3, wherein it is quiet.", [2, 3]),
        ("4. The pump of claims 1 through 3, wherein the pump is quiet.", [1, 2, 3]),
        ("4. A method of using the pump of claim 1, comprising pumping water.", [1]),
    ],
)
def test_reference_forms(fourth, deps):
    cs = parse_claims(BASE + fourth, findings=False)
    assert cs.n_claims == 4
    assert list(cs.claim(4).depends_on) == deps
    assert cs.independent == [1]


@pytest.mark.parametrize(
    "header", ["What is claimed is:\n", "Claims\n", "I claim:\n", "We claim:\n\n", "CLAIMS\n"]
)
def test_headers(header):
    cs = parse_claims(header + BASE, findings=False)
    assert cs.n_claims == 3 and cs.claim(1).text.startswith("A pump")


def test_cancelled_and_status_identifiers():
    text = (
        "1. (Original) A pump comprising a housing.\n2. (Canceled)\n"
        "3. (Currently amended) The pump of claim 1, wherein the housing is steel.\n"
        "4. (New) The pump of claim 3, wherein the steel is stainless."
    )
    cs = parse_claims(text, findings=False)
    assert [c.number for c in cs.claims] == [1, 3, 4]
    assert cs.cancelled == [2]
    assert cs.claim(3).text.startswith("The pump of claim 1")
    assert [c.depth for c in cs.claims] == [1, 2, 3]


def test_claims_on_one_line_and_wrapped():
    one = "1. A pump comprising a housing. 2. The pump of claim 1, wherein the housing is steel."
    assert parse_claims(one, findings=False).independent == [1]
    wrapped = (
        "1. A pump comprising a\nhousing and an\nimpeller.\n2. The pump of claim\n1, wherein..."
    )
    cs = parse_claims(wrapped, findings=False)
    assert cs.claim(1).text == "A pump comprising a housing and an impeller."
    assert cs.claim(2).depends_on == (1,)


@pytest.mark.parametrize(
    ("first", "category", "transitional"),
    [
        ("A method of pumping water, comprising turning an impeller.", "method", "comprising"),
        ("A process for making steel, comprising heating.", "method", "comprising"),
        ("A pumping system comprising a pump.", "system", "comprising"),
        ("An apparatus for pumping, including a pump.", "apparatus", "including"),
        ("A composition consisting of A and B.", "product", "consisting of"),
        ("An alloy consisting essentially of copper.", "product", "consisting essentially of"),
        ("Use of compound A for treating pain.", "use", None),
        ("A device, characterized in that it pumps.", "apparatus", "characterized in that"),
    ],
)
def test_category_and_transitional(first, category, transitional):
    c = parse_claims("1. " + first, findings=False).claim(1)
    assert c.category == category
    assert c.transitional == transitional


def test_length_in_words():
    assert parse_claims("1. A pump comprising a housing.", findings=False).claim(1).length == 5
