"""Old vs new: the claim features of a few thousand texts equal the recorded values bit for bit.

The values were recorded from the general path at the commit named in the file (see
tests/claims/golden_features.py); both the batch lane (``features_one``) and the general path
must still give them.
"""

from __future__ import annotations

import json

import pytest

from tests.claims.golden_features import GOLDEN, compute, corpus


@pytest.fixture(scope="module")
def recorded():
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["digests"]


def _shared_or_none(request):
    try:
        return request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        return None


@pytest.fixture(scope="module")
def groups(request):
    return corpus(_shared_or_none(request))


@pytest.mark.parametrize("fast", [True, False], ids=["batch_lane", "general_path"])
def test_features_equal_recorded(groups, recorded, fast):
    got = compute(groups, fast=fast)
    bad = []
    for name, digests in got.items():
        want = recorded[name]
        assert len(want) == len(digests), f"{name}: corpus changed ({len(digests)} texts, " \
            f"{len(want)} recorded); rebuild the file only after checking the values"
        bad += [(name, i, groups[name][i][:80]) for i, (a, b) in enumerate(zip(digests, want, strict=True))
                if a != b]
    assert not bad, f"{len(bad)} texts give other feature values than recorded: {bad[:5]}"
