"""Every name in ``hvpscore.__all__`` resolves and is documented (the public contract)."""

import subprocess
import sys

import pytest

import hvpscore


@pytest.mark.parametrize("name", hvpscore.__all__)
def test_public_name_resolves_and_is_documented(name):
    obj = getattr(hvpscore, name)
    if callable(obj):
        assert obj.__doc__ and obj.__doc__.strip(), f"{name} has no docstring"


def test_unknown_name_is_a_clear_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        hvpscore.nope  # noqa: B018


def test_import_is_light():
    code = ("import sys, hvpscore; heavy = [m for m in ('lightgbm', 'mlflow', 'sklearn', 'spacy') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
