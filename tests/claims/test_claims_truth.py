"""The parser against real claims with truth from markup (../shared/data/claims-truth-dev)."""

from __future__ import annotations

import json

import pytest

from hvpscore.claims import parse_claims

TRUTH = "data/claims-truth-dev/claims_truth_dev.jsonl"


def _eligible(shared_dir):
    out = []
    with open(shared_dir / TRUTH, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            # design patents (kind S) have one unnumbered claim; null truth = no markup to trust
            if r["kind"] in ("S", "S1") or r["n_claims"] is None or r["independent"] is None:
                continue
            out.append(r)
    return out


def _check(r: dict, field: str) -> list[str]:
    cs = parse_claims(r[field], findings=False)
    problems = []
    if cs.n_claims != r["n_claims"]:
        problems.append(f"count {cs.n_claims} != {r['n_claims']}")
    if cs.independent != r["independent"]:
        problems.append(f"independent {cs.independent} != {r['independent']}")
    truth = {int(k): set(v) for k, v in r["depends_on"].items()}
    for c in cs.claims:
        t = truth.get(c.number, set())
        # USPTO markup keeps only the end points of "claims 1 to 3": compare with what is cited
        if t != set(c.depends_on) and t != set(c.cited):
            problems.append(f"claim {c.number}: depends_on {list(c.depends_on)} != {sorted(t)}")
    return problems


def test_every_eligible_record_matches(shared_dir):
    records = _eligible(shared_dir)
    assert len(records) >= 20
    failures = {}
    for r in records:
        for field in ("claims_text", "claims_text_multiline"):
            problems = _check(r, field)
            if problems:
                failures[(r["id"], field)] = problems[:3]
    assert failures == {}, failures


def test_chinese_record_structure(shared_dir):
    r = next(x for x in _eligible(shared_dir) if x["lang"] == "zh")
    cs = parse_claims(r["claims_text_multiline"])
    assert cs.lang == "zh"
    assert cs.max_depth == 4
    assert [c.category for c in cs.claims if c.independent] == ["product", "apparatus", "apparatus"]
    assert cs.claim(9).depth == 4
    assert cs.findings == []


@pytest.mark.parametrize("field", ["claims_text", "claims_text_multiline"])
def test_languages_detected(shared_dir, field):
    for r in _eligible(shared_dir):
        assert parse_claims(r[field], findings=False).lang == r["lang"], r["id"]
