"""The support-measure rule table (``data/measures.yaml``) and its loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from hvpscore._dates import parse_as_of
from hvpscore._errors import PolicyError
from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["LEVELS", "Measure", "load_measures", "measure_constraints", "support_texts"]

LEVELS = ("patent", "owner", "inventor", "institution")
_ALLOCATIONS = ("none", "proportional", "fixed")
_KINDS = ("priority", "grant", "subsidy", "title")
_CRITERIA = ("sei", "overseas", "maintained_10y", "pledge", "award")
_OPS = ("==", "!=", ">=", ">", "<=", "<", "in", "not_in", "contains", "nonempty")


@cache
def support_texts() -> dict:
    """Field, level and status labels (``data/fields.yaml``)."""
    return _yaml_safe_load(resources.files("hvpscore.support").joinpath(
        "data/fields.yaml").read_text("utf-8"))


@dataclass(frozen=True)
class Measure:
    """One support measure: what it gives, to whom, when, and where it is written.

    ``eligibility`` is a rule ({field, op, value} combined with all/any/not) on the fields of its
    ``level`` (patent, owner, inventor; institution measures cannot be assessed from records).
    ``amount_cny`` is a fixed amount per unit (``allocation: fixed``), ``cap_cny`` a ceiling per
    beneficiary (``allocation: proportional``: on merit, up to the cap); ``rate`` a share of a cost
    the records do not carry. ``one_per_family``: one payment per patent family. ``evidence``: a
    patent-level rule choosing which of an owner's or inventor's patents a line lists (default:
    its high-value ones).
    """

    id: str
    name_zh: str
    name_en: str
    clause: str
    level: str
    allocation: str
    amount_cny: float | None
    cap_cny: float | None
    rate: float | None
    one_per_family: bool
    valid_from: pd.Timestamp
    valid_to: pd.Timestamp
    responsible: str
    eligibility: dict | None
    eligibility_zh: str
    eligibility_en: str
    passage: str
    source: str
    unit_zh: str = ""
    unit_en: str = ""
    subject_to: tuple[str, ...] = field(default_factory=tuple)
    evidence: dict | None = None
    kind: str = "subsidy"
    applies_to: tuple[str, ...] = field(default_factory=tuple)
    doc_no: str = ""
    issuer: str = ""
    url: str = ""

    def status(self, as_of) -> str:
        """``valid``, ``expired`` or ``not_yet`` at ``as_of``."""
        ts = parse_as_of(as_of)
        if ts < self.valid_from:
            return "not_yet"
        if ts > self.valid_to:
            return "expired"
        return "valid"

    def valid_at(self, as_of) -> bool:
        """Whether the measure is in force at ``as_of``."""
        return self.status(as_of) == "valid"


def _check_rule(rule, where: str) -> None:
    if rule is None:
        return
    if not isinstance(rule, dict):
        raise PolicyError(f"{where}: a rule is a mapping ({{field, op, value}} or all/any/not)")
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        if not isinstance(rule[key], list) or not rule[key]:
            raise PolicyError(f"{where}: '{key}' needs a non-empty list of rules")
        for i, r in enumerate(rule[key]):
            _check_rule(r, f"{where}.{key}[{i}]")
        return
    if "not" in rule:
        _check_rule(rule["not"], f"{where}.not")
        return
    if "field" not in rule or "op" not in rule:
        raise PolicyError(f"{where}: a test needs field and op (and value), got {rule!r}")
    if rule["op"] not in _OPS:
        raise PolicyError(f"{where}: op {rule['op']!r} is not one of {', '.join(_OPS)}")
    if rule["op"] != "nonempty" and "value" not in rule:
        raise PolicyError(f"{where}: op {rule['op']!r} needs a value")


def _date(v, where: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(str(v))
    except ValueError:
        raise PolicyError(f"{where}: {v!r} is not a date; use YYYY-MM-DD") from None
    if pd.isna(ts):
        raise PolicyError(f"{where}: a date is required (YYYY-MM-DD)")
    return ts


def _read(source) -> tuple[dict, str]:
    if source is None:
        text = resources.files("hvpscore.support").joinpath("data/measures.yaml").read_text(
            "utf-8")
        where = "hvpscore/support/data/measures.yaml"
    elif isinstance(source, dict):
        return source, "measures"
    else:
        path = Path(source)
        if not path.is_file():
            raise PolicyError(f"measure file {path} does not exist; start from "
                              "hvpscore/support/data/measures.yaml")
        text, where = path.read_text("utf-8"), str(path)
    try:
        return _yaml_safe_load(text), where
    except yaml.YAMLError as e:
        raise PolicyError(f"{where}: not valid YAML ({e})") from None


def measure_constraints(source=None) -> dict[str, dict]:
    """National constraints the measures refer to (``constraints:`` of the measure file)."""
    data, _ = _read(source)
    return dict(data.get("constraints") or {})


def load_measures(source=None, *, as_of=None) -> list[Measure]:
    """The support measures: the shipped table (``source=None``), a YAML path or a mapping.

    With ``as_of`` only the measures in force at that date are returned (the shipped measures of
    the 2022–2024 plan end on 2024-12-31); without it all of them, each with ``valid_from`` /
    ``valid_to`` so callers can show the validity honestly. Each measure has id, name_zh/en,
    amount_cny, cap_cny, rate, eligibility (rule) and its text, one_per_family, valid_from/to,
    the plan passage and the source document (title, doc_no, issuer, url), its ``kind`` and the
    criteria it ``applies_to`` (what the pre-filing advice can point at).
    """
    data, where = _read(source)
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise PolicyError(f"{where}: a measure file needs a 'measures:' list")
    constraints = data.get("constraints") or {}
    src = data.get("source") or {}
    if isinstance(src, str):
        src = {"title": src}
    doc = str(src.get("title", ""))
    out, seen = [], set()
    for i, m in enumerate(data["measures"]):
        w = f"{where}, measure {m.get('id', i + 1) if isinstance(m, dict) else i + 1}"
        if not isinstance(m, dict) or not m.get("id"):
            raise PolicyError(f"{w}: each measure needs an id")
        if m["id"] in seen:
            raise PolicyError(f"{w}: id {m['id']!r} appears twice")
        seen.add(m["id"])
        level = m.get("level")
        if level not in LEVELS:
            raise PolicyError(f"{w}: level {level!r} is not one of {', '.join(LEVELS)}")
        alloc = m.get("allocation", "none")
        if alloc not in _ALLOCATIONS:
            raise PolicyError(f"{w}: allocation {alloc!r} is not one of {', '.join(_ALLOCATIONS)}")
        if alloc == "fixed" and not m.get("amount_cny"):
            raise PolicyError(f"{w}: allocation 'fixed' needs amount_cny")
        _check_rule(m.get("eligibility"), f"{w}, eligibility")
        _check_rule(m.get("evidence"), f"{w}, evidence")
        if m.get("kind", "subsidy") not in _KINDS:
            raise PolicyError(f"{w}: kind {m.get('kind')!r} is not one of {', '.join(_KINDS)}")
        bad = [c for c in (m.get("applies_to") or ()) if c not in _CRITERIA]
        if bad:
            raise PolicyError(f"{w}: applies_to {bad[0]!r} is not a criterion "
                              f"({', '.join(_CRITERIA)})")
        vf, vt = _date(m.get("valid_from"), f"{w}, valid_from"), _date(m.get("valid_to"),
                                                                      f"{w}, valid_to")
        if vt < vf:
            raise PolicyError(f"{w}: valid_to {vt.date()} is before valid_from {vf.date()}")
        subj = tuple(m.get("subject_to") or ())
        for c in subj:
            if c not in constraints:
                raise PolicyError(f"{w}: subject_to names unknown constraint {c!r}")
            ends = constraints[c].get("ends")
            if ends is not None and _date(ends, f"{w}, constraint {c}") < vt:
                raise PolicyError(f"{w}: valid_to {vt.date()} is after the end of constraint {c} "
                                  f"({ends}); per-grant subsidies end before 2025")
        name = m.get("name") or {}
        et = m.get("eligibility_text") or {}
        unit = m.get("unit") or {}
        meas = Measure(
            id=str(m["id"]), name_zh=str(name.get("zh", m["id"])),
            name_en=str(name.get("en", m["id"])), clause=str(m.get("clause", "")), level=level,
            allocation=alloc,
            amount_cny=float(m["amount_cny"]) if m.get("amount_cny") is not None else None,
            cap_cny=float(m["cap_cny"]) if m.get("cap_cny") is not None else None,
            rate=float(m["rate"]) if m.get("rate") is not None else None,
            one_per_family=bool(m.get("one_per_family", False)), valid_from=vf, valid_to=vt,
            responsible=str(m.get("responsible", "")), eligibility=m.get("eligibility"),
            eligibility_zh=str(et.get("zh", "")), eligibility_en=str(et.get("en", "")),
            passage=str(m.get("passage", "")).strip(), source=str(m.get("source", doc)),
            unit_zh=str(unit.get("zh", "")), unit_en=str(unit.get("en", "")), subject_to=subj,
            evidence=m.get("evidence"), kind=str(m.get("kind", "subsidy")),
            applies_to=tuple(m.get("applies_to") or ()),
            doc_no=str(m.get("doc_no", src.get("doc_no", ""))),
            issuer=str(m.get("issuer", src.get("issuer", ""))),
            url=str(m.get("url", src.get("url", "")) or ""))
        out.append(meas)
    if as_of is not None:
        out = [m for m in out if m.valid_at(as_of)]
    return out
