"""``check_draft``: a draft application -> :class:`CheckReport` (findings, claim tree,
draft-stage predictions, criteria within reach, advice)."""

from __future__ import annotations

import datetime as _dt
import json
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hvpscore._errors import InputError
from hvpscore.prefiling._data import measures
from hvpscore.prefiling._findings import SEVERITIES, CheckFinding
from hvpscore.prefiling._read import Draft, read_draft

__all__ = ["SCHEMA_ID", "SCHEMA_VERSION", "CheckReport", "check_draft"]

SCHEMA_ID = "hvpscore-check-report"
SCHEMA_VERSION = "1.1"  # 1.1: near_copies (check against a stock index)
_SECTION_ORDER = {"title": 0, "abstract": 1, "claims": 2, "description": 3, "draft": 4}


@dataclass
class CheckReport:
    """The result of :func:`check_draft`. ``to_dict()`` gives the documented JSON shape
    (``hvpscore/prefiling/data/check_report.schema.json``); ``render(fmt)`` text, md, html, json."""

    draft: Draft
    lang: str
    as_of: str
    patent_type: str
    patent_type_source: str
    claimset: Any
    findings: list[CheckFinding]
    predictions: dict[str, Any]
    criteria: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    advice: list[dict[str, Any]]
    policy_id: str | None
    notes: list[dict[str, str]] = field(default_factory=list)
    timing_ms: dict[str, float] = field(default_factory=dict)
    claim_spans: list[tuple[int | None, int | None]] = field(default_factory=list)
    standalone: set[int] = field(default_factory=set)
    near_copies: dict[str, Any] | None = None

    # -- summaries -----------------------------------------------------------------------------
    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def findings_for(self, section: str) -> list[CheckFinding]:
        return [f for f in self.findings if f.section == section]

    def probability(self, target: str) -> float | None:
        for h in self.predictions.get("heads", []):
            if h["target"] == target:
                return h["probability"]
        return None

    # -- output --------------------------------------------------------------------------------
    def claims_dict(self) -> dict[str, Any]:
        cs = self.claimset
        if cs is None:
            return {"lang": self.draft.lang, "n_claims": 0, "n_independent": 0,
                    "n_dependent": 0, "max_depth": 0, "categories": [], "independent": [],
                    "items": [], "tree": []}
        items = []
        children: dict[int, list[int]] = {}
        numbers = {c.number for c in cs.claims}
        seen: set[int] = set()
        roots = []
        for c, (s, e) in zip(cs.claims, self.claim_spans, strict=True):
            parents = [v for v in c.depends_on if v < c.number and v in numbers]
            root = c.number in self.standalone or not parents
            items.append({
                "number": c.number, "start": s, "end": e, "independent": c.independent,
                "depends_on": list(c.depends_on), "depth": c.depth, "category": c.category,
                "subject": c.subject, "transitional": c.transitional, "length": c.length,
                "standalone": root,
                "text": c.text,
                "findings": [f.id for f in self.findings if f.claim == c.number],
            })
            if c.number in seen:
                continue  # a duplicated number: one node
            seen.add(c.number)
            if root:
                roots.append(c.number)
            else:
                children.setdefault(parents[0], []).append(c.number)

        def node(n: int, depth: int = 0) -> dict[str, Any]:
            kids = children.get(n, []) if depth < 100 else []
            return {"number": n, "children": [node(k, depth + 1) for k in kids]}

        return {
            "lang": cs.lang, "n_claims": cs.n_claims, "n_independent": cs.n_independent,
            "n_dependent": cs.n_dependent, "max_depth": cs.max_depth,
            "categories": cs.categories, "independent": cs.independent,
            "items": items, "tree": [node(r) for r in roots],
        }

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON types (schema ``hvpscore-check-report`` 1.x)."""
        from hvpscore import __version__

        d = self.draft
        fields = dict(d.fields)
        return {
            "schema": SCHEMA_ID,
            "schema_version": SCHEMA_VERSION,
            "hvpscore_version": __version__,
            "as_of": self.as_of,
            "lang": self.lang,
            "source": dict(d.source),
            "draft": {
                "lang": d.lang,
                "title": d.text("title"),
                "patent_type": self.patent_type,
                "patent_type_source": self.patent_type_source,
                "has_drawings": d.has_drawings,
                "fields": fields,
            },
            "sections": {name: sec.to_dict() for name, sec in d.sections.items()},
            "claims": self.claims_dict(),
            "summary": {**self.counts, "findings": len(self.findings),
                        "by_section": {s: sum(f.section == s for f in self.findings)
                                       for s in _SECTION_ORDER}},
            "findings": [f.to_dict() for f in self.findings],
            "predictions": self.predictions,
            "criteria": self.criteria,
            "measures": self.measures,
            "advice": self.advice,
            "policy_id": self.policy_id,
            "notes": self.notes,
            "timing_ms": self.timing_ms,
            "near_copies": self.near_copies,
        }

    def to_json(self, *, indent: int | None = 1) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def render(self, fmt: str = "text", *, lang: str | None = None, color: bool = False,
               width: int = 100) -> str:
        """The report as ``text`` (terminal; ANSI colours when ``color``), ``md``, ``html`` or
        ``json``, in ``lang`` (default: the report's language)."""
        from hvpscore.prefiling import _render

        lang = lang or self.lang
        if fmt == "json":
            return self.to_json()
        if fmt == "text":
            return _render.to_text(self, lang, color=color, width=width)
        if fmt in ("md", "markdown"):
            return _render.to_markdown(self, lang)
        if fmt == "html":
            return _render.to_html(self, lang)
        raise InputError(f"format {fmt!r} is not one of text, json, md, html")


def _as_of(as_of) -> _dt.date:
    if as_of is None:
        return _dt.date.today()
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    if isinstance(as_of, _dt.date):
        return as_of
    try:
        return _dt.date.fromisoformat(str(as_of)[:10])
    except ValueError:
        raise InputError(f"as_of: {as_of!r} is not a date; use YYYY-MM-DD.") from None


@cache
def _shipped_policy(pid: str | None):
    from hvpscore.rules import load_policy

    return load_policy(pid)


def _policy(policy):
    """The policy; shipped ones (None or an id) are loaded once per process."""
    from hvpscore.rules import load_policy, shipped_policies

    if policy is None or (isinstance(policy, str) and policy in shipped_policies()):
        return _shipped_policy(policy)
    return load_policy(policy)


@cache
def _loaded_index(path: str):
    from hvpscore.screening import load_index

    return load_index(path)


def _near_copies(d: Draft, index, dl: str) -> tuple[dict[str, Any], list[CheckFinding]]:
    """The draft against a stock index (hvpscore.screening): the section and one finding a hit."""
    from pathlib import Path

    from hvpscore.prefiling._findings import make
    from hvpscore.screening import ScreenIndex, query_draft

    idx = index if isinstance(index, ScreenIndex) else _loaded_index(str(Path(index).resolve()))
    hits = query_draft(idx, d.text("claims"), d.text("abstract"), lang=dl,
                       applicants=d.fields.get("applicants"), inventors=d.fields.get("inventors"))
    rules_zh = {"claims_near_copy": "权利要求书近似相同", "claims_contained": "权利要求大部分包含在其中",
                "independent_claim_match": "独立权利要求相互对应", "abstract_near_copy": "摘要近似相同",
                "cross_applicant_shared_inventor": "不同申请人有共同发明人", "same_agency": "同一代理机构"}
    matches, findings = [], []
    for h in hits:
        rules = [r for r in h["rules"].split("; ") if r]
        m = {"patent_id": h["patent_id_a"], "applicants": h["applicants_a"],
             "relation": h["relation"], "similarity": h["similarity"],
             "claims_jaccard": h["claims_jaccard"], "claims_containment": h["claims_containment"],
             "abstract_jaccard": h["abstract_jaccard"], "rules": rules,
             "clauses": [c for c in h["clauses"].split("; ") if c],
             "matched_claims": json.loads(h["matched_claims"]),
             "differing_words": json.loads(h["differing_words"]),
             "shared_passages": json.loads(h["shared_passages"])}
        matches.append(m)
        findings.append(make("near_copy", lang=dl, section="draft",
                             patent_id=m["patent_id"], applicants=m["applicants"] or "—",
                             rules_zh="、".join(rules_zh.get(r, r) for r in rules),
                             rules_en=", ".join(r.replace("_", " ") for r in rules),
                             similarity=m["similarity"]))
    return {"index_records": len(idx), "matches": matches}, findings


def check_draft(draft, *, lang: str = "zh", model=None, policy=None, as_of=None,
                draft_lang: str | None = None, name: str | None = None,
                index=None) -> CheckReport:
    """Pre-filing review of one application (专利申请前置评审).

    Parameters
    ----------
    draft : path, dict, bytes, file object, str or Draft
        A .docx / .txt / .md / .json file, a dict of draft-stage fields (``title``, ``abstract``,
        ``claims_text``, ``description``, ``ipc``, ``applicant_type``, ``applicants``,
        ``inventors``, ``planned_route`` …), the bytes of an upload (``name`` tells the format),
        or a pasted text with the section headings (or the claims only).
    lang : {"zh", "en"}
        Language of the report texts (every text is in both languages in ``to_dict()``).
    model : None, path, HvpModel or False
        The draft-stage model for the predictions: None = the shipped ``default-draft``; False
        = no predictions. A model of a later stage is refused (:class:`hvpscore.ModelError`).
    policy : None, policy id, path, mapping or Policy
        The high-value policy (``hvpscore.rules.load_policy``): SEI concordance, pledge threshold.
    as_of : date-like
        The review date: validity of support measures, deadlines already passed.
    draft_lang : {"zh", "en"} or None
        Language of the draft (detected when None).
    index : None, directory or hvpscore.screening.ScreenIndex
        A stock index (``hvpscore screen INPUT --build-index DIR``): stock applications the
        draft nearly copies become ``near_copy`` findings and the ``near_copies`` section
        (loaded once per process and directory).

    Raises
    ------
    InputError
        Unreadable or empty draft, unknown field, bad argument (the message says the fix).

    Examples
    --------
    >>> r = check_draft({"claims_text": "1. 一种杯子，包括杯体。\\n2. 根据权利要求1所述的杯子，"
    ...                  "其中所述把手约5cm长。"}, model=False, as_of="2025-06-30")
    >>> sorted({f.code for f in r.findings} & {"antecedent_basis", "vague_term"})
    ['antecedent_basis', 'vague_term']
    >>> r.to_dict()["schema_version"]
    '1.1'
    """
    from hvpscore.claims import parse_claims
    from hvpscore.prefiling._advice import build_advice
    from hvpscore.prefiling._claim_checks import claim_checks, claim_terms, claim_vocab
    from hvpscore.prefiling._criteria import criteria_within_reach, measure_status
    from hvpscore.prefiling._predict import predict, resolve_draft_model
    from hvpscore.prefiling._spec_checks import (
        infer_patent_type,
        refnum_names,
        section_checks,
        support_checks,
    )
    t0 = time.perf_counter()
    if lang not in ("zh", "en"):
        raise InputError(f"lang: {lang!r} is not supported; use 'zh' or 'en'.")
    if draft_lang not in (None, "zh", "en"):
        raise InputError(f"draft_lang: {draft_lang!r} is not supported; use 'zh', 'en' or None.")
    day = _as_of(as_of)
    pol = _policy(policy)
    d = read_draft(draft, name=name)
    if draft_lang:
        d.lang = draft_lang
    dl = d.lang
    timing: dict[str, float] = {"read": (time.perf_counter() - t0) * 1000}

    t1 = time.perf_counter()
    notes: list[dict[str, str]] = list(d.notes)
    findings: list[CheckFinding] = []
    cs = None
    spans: list = []
    standalone: set[int] = set()
    claims_text = d.text("claims")
    if claims_text.strip():
        cs = parse_claims(claims_text, dl)
        terms = claim_terms(cs, dl, claim_vocab(cs, refnum_names(d, dl)))
        cf, loc, standalone = claim_checks(cs, claims_text, dl, terms)
        findings.extend(cf)
        spans = [loc.span_of_index(i) for i in range(len(cs.claims))]
        findings.extend(support_checks(d, terms, cs, loc, dl))
    findings.extend(section_checks(d, dl))
    near = None
    if index is not None:
        tn = time.perf_counter()
        near, nf = _near_copies(d, index, dl)
        findings.extend(nf)
        timing["near_copies"] = (time.perf_counter() - tn) * 1000
    if not d.sections["description"].found:
        notes.append({"zh": "未提供说明书：说明书的检查（支持、附图标记、五个部分、用语）未进行。",
                      "en": "No description given: the description checks (support, reference "
                            "numerals, the five parts, wording) were not run."})
    findings.sort(key=lambda f: (_SECTION_ORDER.get(f.section, 9), f.claim or 0,
                                 f.start if f.start is not None else -1,
                                 SEVERITIES.index(f.severity)))
    for i, f in enumerate(findings, start=1):
        f.id = f"F{i}"
    timing["checks"] = (time.perf_counter() - t1) * 1000

    t2 = time.perf_counter()
    ptype, psrc = infer_patent_type(d)
    m = resolve_draft_model(model)
    record = d.record()
    record["patent_type"] = ptype
    if m is None:
        predictions: dict[str, Any] = {"available": False, "model": None, "heads": []}
    else:
        predictions = predict(record, m, as_of=day.isoformat())
    if ptype != "invention" and predictions.get("available"):
        notes.append({"zh": "该申请不是发明专利：概率按发明专利估计，实用新型和外观设计不计入高价值发明专利。",
                      "en": "This is not an invention application: the probabilities are those of "
                            "an invention patent; utility models and designs never count."})
    timing["predict"] = (time.perf_counter() - t2) * 1000

    t3 = time.perf_counter()
    text = "\n".join(d.text(s) for s in ("title", "abstract", "claims", "description"))
    crit = criteria_within_reach(d, text=text, patent_type=ptype, policy=pol, as_of=day,
                                 predictions=predictions)
    statuses = {mm["id"]: measure_status(mm, day) for mm in measures()}
    ms = [{**{k: v for k, v in mm.items()}, "valid_from": str(mm["valid_from"]),
           "valid_to": str(mm["valid_to"]) if mm.get("valid_to") else None,
           "source": {k: (str(v) if v is not None else None) for k, v in mm["source"].items()},
           "status": statuses[mm["id"]]}
          for mm in measures()]
    adv = build_advice(findings, crit, predictions, statuses)
    timing["criteria_advice"] = (time.perf_counter() - t3) * 1000
    timing["total"] = (time.perf_counter() - t0) * 1000
    timing = {k: round(v, 2) for k, v in timing.items()}
    return CheckReport(
        draft=d, lang=lang, as_of=day.isoformat(), patent_type=ptype, patent_type_source=psrc,
        claimset=cs, findings=findings, predictions=predictions, criteria=crit, measures=ms,
        advice=adv, policy_id=pol.id, notes=notes, timing_ms=timing, claim_spans=spans,
        standalone=standalone, near_copies=near,
    )
