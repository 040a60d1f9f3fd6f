"""The parser against the project's own claim-set generator (hvpscore.datasets), zh and en."""

from __future__ import annotations

import pytest

from hvpscore.claims import analyze_claims

datasets = pytest.importorskip("hvpscore.datasets")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_sets_parse_exactly(lang):
    t = datasets.make_claims_texts(300, seed=11, lang=lang)
    n_vague = n_found = 0
    for r in t.itertuples():
        cs = analyze_claims(r.claims_text)
        assert cs.n_claims == r.n_claims
        # every claim that refers to another is dependent here (the formal convention); the
        # generator gives positions, the parser claim numbers (they differ after a gap)
        assert cs.independent == [r.numbers[p - 1] for p in r.independent_formal]
        assert [c.number for c in cs.claims] == list(r.numbers)
        assert [list(c.depends_on) for c in cs.claims] == [list(d) for d in r.depends_on]
        if r.vague:
            n_vague += 1
            n_found += any(f.code == "vague_term" for f in cs.findings)
        if r.numbering_error:
            assert {f.code for f in cs.findings} & {"numbering_gap", "numbering_duplicate"}
    assert n_vague > 0 and n_found == n_vague


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch_features_agree_with_parse(lang):
    import math

    from hvpscore.claims import parse_claims
    from hvpscore.claims._features import features_from_claimset, features_one

    def same(a, b):
        return all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True))

    for text in datasets.make_claims_texts(300, seed=12, lang=lang)["claims_text"]:
        fast = features_one(text)
        assert same(fast, features_one(text, fast=False)), text[:300]
        assert same(fast, features_from_claimset(parse_claims(text), text)), text[:300]
