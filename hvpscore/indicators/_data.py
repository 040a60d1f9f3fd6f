"""Package data of hvpscore.indicators (YAML files under ``data/``), read once."""

from __future__ import annotations

from functools import cache
from importlib import resources

from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["package_yaml"]


@cache
def package_yaml(name: str) -> dict:
    """The parsed YAML file ``hvpscore/indicators/data/<name>``."""
    text = resources.files("hvpscore.indicators").joinpath(f"data/{name}").read_text("utf-8")
    return _yaml_safe_load(text)
