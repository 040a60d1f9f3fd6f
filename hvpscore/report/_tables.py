"""The report's tables in the reader's language: one DataFrame per sheet, with column formats."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.indicators._data import package_yaml
from hvpscore.support._measures import support_texts

__all__ = ["LANGS", "PARTS", "Table", "localised_tables", "texts"]

LANGS = ("zh", "en")
_MAX_PATENTS_SHOWN = 10


@cache
def texts() -> dict:
    """The report texts (``hvpscore/report/data/texts.yaml``)."""
    return _yaml_safe_load(resources.files("hvpscore.report").joinpath(
        "data/texts.yaml").read_text("utf-8"))


def t(key: str, lang: str) -> str:
    """One text by dotted key, e.g. ``sections.kpis``."""
    node = texts()
    for part in key.split("."):
        node = node[part]
    return node[lang]


@dataclass
class Table:
    """A localised table: ``frame`` (headers in the language), ``formats`` (one per column:
    int, float2, percent, cny, text — or a list per row for ``by_row`` columns), its sheet
    name and section title."""

    key: str
    sheet: str
    title: str
    frame: pd.DataFrame
    formats: list


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InputError(f"lang {lang!r} is not one of {', '.join(LANGS)}")


def _yesno(v, lang):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return t("yes_label" if bool(v) else "no_label", lang)


_ROW_FORMATS = {"int": "int", "float2": "float2", "percent": "percent", "percent2": "percent2",
                "cny100m": "float2", "months": "float1"}


def _build(key: str, data: dict[str, pd.Series], lang: str, n_rows: int,
           row_formats: list | None = None) -> Table:
    spec = texts()["tables"][key]
    idx = 0 if lang == "zh" else 1
    cols, fmts = {}, []
    for col, (zh, en, fmt) in spec["columns"].items():
        if col not in data:
            continue
        header = (zh, en)[idx]
        cols[header] = pd.Series(data[col]).reset_index(drop=True)
        fmts.append(row_formats if fmt == "by_row" else fmt)
    frame = pd.DataFrame(cols) if cols else pd.DataFrame(index=range(n_rows))
    return Table(key, spec["sheet"][lang], t(f"sections.{key}", lang), frame, fmts)


def _indicator_table(ind, lang) -> Table:
    tb = ind.table
    L = lang
    status = tb["status"].map(lambda s: t(f"status.{s}", L))
    data = {"name": tb[f"name_{L}"], "unit": tb[f"unit_{L}"], "value": tb["value"],
            "target_op": tb["target_op"], "target": tb["target"], "gap": tb["gap"],
            "status": status, "target_date": tb["target_date"]}
    if "value_prev" in tb.columns:
        data.update(value_prev=tb["value_prev"], change=tb["change"], change_pct=tb["change_pct"])
    data.update(numerator=tb["numerator"], denominator=tb["denominator"],
                domestic_only=tb["domestic_only"].map(lambda v: _yesno(v, L)),
                basis=tb[f"basis_{L}"], source=tb["source"], passage=tb["passage"])
    rf = [_ROW_FORMATS.get(f, "float2") for f in tb["format"]]
    return _build("indicators", data, lang, len(tb), row_formats=rf)


def _plain(key, df, lang, rename=None) -> Table:
    data = {c: df[c] for c in df.columns}
    if rename:
        data.update(rename)
    return _build(key, data, lang, len(df))


def _type_label(v, lang):
    vals = support_texts().get("values", {})
    if isinstance(v, str) and v in vals:
        return vals[v][lang]
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _patents_text(ids) -> str:
    ids = list(ids) if isinstance(ids, (list, tuple, np.ndarray)) else []
    if len(ids) <= _MAX_PATENTS_SHOWN:
        return "；".join(ids)
    return "；".join(ids[:_MAX_PATENTS_SHOWN]) + f"；…（共{len(ids)}件）"


PARTS = ("indicators", "criteria", "by_region", "by_owner_type", "forecast", "top_holders",
         "top_inventors", "support", "notes")


def localised_tables(report, lang: str = "zh", parts=PARTS) -> dict[str, Table]:
    """The tables of a :class:`~hvpscore.report.Report`, localised, in sheet order
    (``parts``: which of :data:`PARTS`)."""
    _check_lang(lang)
    out = _all_tables(report, lang, set(parts))
    return {k: out[k] for k in PARTS if k in out and k in parts}


def _all_tables(report, lang, parts) -> dict[str, Table]:
    ind = report.indicators
    out: dict[str, Table] = {}
    out["indicators"] = _indicator_table(ind, lang)
    out["criteria"] = _plain("criteria", ind.criteria, lang, {"name": ind.criteria[f"name_{lang}"]})
    reg = ind.by_region.copy()
    tot = package_yaml("labels.yaml")["total"]
    unk = package_yaml("labels.yaml")["unknown_region"]
    reg["region"] = reg["region"].replace({tot["zh"]: tot[lang], unk["zh"]: unk[lang]})
    out["by_region"] = _plain("by_region", reg, lang,
                              {"domestic": reg["domestic"].map(lambda v: _yesno(v, lang))})
    out["by_owner_type"] = _plain("by_owner_type", ind.by_owner_type, lang,
                                  {"name": ind.by_owner_type[f"name_{lang}"]})
    if report.forecast is not None:
        out["forecast"] = _plain("forecast", report.forecast.summary, lang)
    if not parts & {"top_holders", "top_inventors", "support"}:
        return _with_notes(out, report, lang)
    h = report.top_holders
    out["top_holders"] = _plain("top_holders", h, lang, {
        "applicant_type": h["applicant_type"].map(lambda v: _type_label(v, lang))})
    out["top_inventors"] = _plain("top_inventors", report.top_inventors, lang)
    s = report.support
    lv = support_texts()["levels"]
    out["support"] = _build("support", {
        "measure": s[f"measure_{lang}"], "clause": s["clause"],
        "level": s["level"].map(lambda v: lv[v][lang]), "beneficiary": s["beneficiary"],
        "holder": s["holder"], "patents": s["patents"].map(_patents_text),
        "amount_cny": s["amount_cny"], "score": s["score"],
        "status": s["status"].map(lambda v: t(f"status.{v}", lang)),
        "valid_from": s["valid_from"], "valid_to": s["valid_to"],
        "reason": s[f"reason_{lang}"]}, lang, len(s))
    return _with_notes(out, report, lang)


def _with_notes(out, report, lang):
    notes = report.notes(lang)
    out["notes"] = _build("notes", {"topic": pd.Series([n[0] for n in notes], dtype=object),
                                    "text": pd.Series([n[1] for n in notes], dtype=object)},
                          lang, len(notes))
    return out
