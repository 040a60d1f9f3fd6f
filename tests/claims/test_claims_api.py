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
