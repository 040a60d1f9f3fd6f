"""The data files of the pre-filing review (``hvpscore/prefiling/data/*.yaml``), loaded once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["advice_texts", "checks", "criteria_texts", "lexicon", "measures", "report_schema",
           "thresholds"]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("hvpscore.prefiling").joinpath("data", name).read_text("utf-8")
    return _yaml_safe_load(text)


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
    """The measures the review points at, each dated with its source: id, kind, name, amount,
    cny, valid_from/to, applies_to, source {title, issuer, doc_no, date, clause, url}, note.

    One table for the bureau and the agencies: the national constraints and the plan's support
    measures come from :func:`hvpscore.support.load_measures` (``hvpscore/support/data/
    measures.yaml``); ``data/measures.yaml`` here only adds what the review points at that is not
    a support measure (the fast-track pre-examination of the plan's tasks).
    """
    from hvpscore.support import load_measures, measure_constraints

    out: list[dict[str, Any]] = []
    for cid, c in measure_constraints().items():
        src = _constraint_source(c)
        out.append({
            "id": cid, "kind": "national_rule",
            "name": {"zh": c["name"]["zh"], "en": c["name"]["en"]},
            "amount": {"zh": c["zh"].split("：", 1)[-1], "en": c["en"].split(": ", 1)[-1]},
            "cny": None, "valid_from": src.pop("valid_from"),
            "valid_to": str(c["ends"]) if c.get("ends") else None,
            "applies_to": ["filing", "overseas"], "source": src,
            "note": {"zh": c["zh"], "en": c["en"]}})
    for m in load_measures():
        out.append({
            "id": m.id, "kind": m.kind, "name": {"zh": m.name_zh, "en": m.name_en},
            "amount": _amount(m), "cny": m.amount_cny,
            "valid_from": m.valid_from.date().isoformat(),
            "valid_to": m.valid_to.date().isoformat(), "applies_to": list(m.applies_to),
            "source": {"title": m.source, "issuer": m.issuer, "doc_no": m.doc_no,
                       "date": m.valid_from.date().isoformat(),
                       "clause": f"{m.clause} {m.passage}".strip(), "url": m.url or None},
            "note": {"zh": m.eligibility_zh, "en": m.eligibility_en}})
    out.extend(_load("measures.yaml")["measures"])
    return out


_CONSTRAINT_DOC = {"title": "国家知识产权局关于进一步严格规范专利申请行为的通知", "issuer": "国家知识产权局"}


def _constraint_source(c: dict[str, Any]) -> dict[str, Any]:
    """Source fields of a national constraint, read from its text: 国知发保字〔2021〕1号, 2021-01-27."""
    import re

    doc = re.search(r"[（(]([^（()）]*〔\d{4}〕\d+号)[，,]\s*(\d{4}-\d{2}-\d{2})[）)]", c["zh"])
    clause = re.search(r"[）)]([一二三四五六七八九十]+[（(][一二三四五六七八九十]+[）)])", c["zh"])
    return {**_CONSTRAINT_DOC, "doc_no": doc.group(1) if doc else "",
            "date": doc.group(2) if doc else "", "valid_from": doc.group(2) if doc else "",
            "clause": clause.group(1) if clause else "", "url": None,
            "secondary": c.get("source")}


def _amount(m) -> dict[str, str]:
    """The amount of a support measure as a short phrase (zh, en)."""
    if m.amount_cny is not None and m.unit_zh:
        return {"zh": f"{m.amount_cny / 1e4:g}万元/{m.unit_zh}",
                "en": f"{m.amount_cny:,.0f} CNY per {m.unit_en or 'unit'}"}
    if m.cap_cny is not None:
        return {"zh": f"最高{m.cap_cny / 1e4:g}万元", "en": f"up to {m.cap_cny:,.0f} CNY"}
    if m.amount_cny is not None:
        return {"zh": f"{m.amount_cny / 1e4:g}万元", "en": f"{m.amount_cny:,.0f} CNY"}
    if m.rate is not None:
        return {"zh": f"费用的{m.rate:.0%}", "en": f"{m.rate:.0%} of the fees"}
    return {"zh": "非资金支持" if m.kind in ("title", "priority") else "见实施细则",
            "en": "not money" if m.kind in ("title", "priority") else "per implementing rules"}


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
