"""The data files of the pre-filing review (``hvpscore/prefiling/data/*.yaml``), loaded once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["advice_texts", "checks", "criteria_texts", "lexicon", "measures", "report_schema",
           "thresholds"]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("hvpscore.prefiling").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@cache
def checks() -> dict[str, dict[str, Any]]:
    """Finding code -> section, severity, langs, zh/en templates, source clause."""
    return _load("checks.yaml")["checks"]


@cache
def lexicon() -> dict[str, Any]:
    return _load("lexicon.yaml")


@cache
def thresholds() -> dict[str, Any]:
    return _load("thresholds.yaml")


@cache
def measures() -> list[dict[str, Any]]:
    """Support measures (dated, with source): id, name, amount, valid_from/to, source ..."""
    return _load("measures.yaml")["measures"]


@cache
def advice_texts() -> dict[str, Any]:
    """Advice templates per finding code, criterion and measure, and the model features an
    applicant can change at the draft stage (`actionable`)."""
    return _load("advice.yaml")


@cache
def criteria_texts() -> dict[str, Any]:
    """Texts of the five criteria "within reach": routes, deadlines, awards, actions."""
    return _load("criteria.yaml")


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema of :meth:`CheckReport.to_dict` (``data/check_report.schema.json``)."""
    text = resources.files("hvpscore.prefiling").joinpath(
        "data", "check_report.schema.json").read_text("utf-8")
    return json.loads(text)
