"""parse_claims / analyze_claims: the single-draft path (claim tree + findings)."""

from __future__ import annotations

from hvpscore._errors import InputError
from hvpscore.claims._deps import (
    category_of,
    claim_length,
    claim_subject,
    dependent_form,
    find_refs,
    transitional_of,
)
from hvpscore.claims._lexicon import messages, thresholds
from hvpscore.claims._model import Claim, ClaimSet, Finding
from hvpscore.claims._parse import split_claims
from hvpscore.claims._text import detect_lang, normalise

__all__ = ["parse_claims", "analyze_claims", "make_finding", "check_input", "multiple_dependent"]

LANGS = ("zh", "en")


def make_finding(
    code: str, claim: int | None, quote: str, term: str | None = None, **kw
) -> Finding:
    """A finding with its zh/en message filled from ``data/messages.yaml``."""
    spec = messages()["findings"][code]
    fields = {"claim": claim, "term": term or "", **kw}
    return Finding(
        code=code,
        claim=claim,
        quote=quote,
        message_zh=spec["zh"].format(**fields),
        message_en=spec["en"].format(**fields),
        severity=spec["severity"],
        term=term,
    )


def check_input(text: object, lang: str | None) -> str:
    if not isinstance(text, str):
        raise InputError(
            f"claims_text: expected a str, got {type(text).__name__} ({text!r:.40}); "
            "pass the claims as one string."
        )
    if lang is not None and lang not in LANGS:
        raise InputError(f"lang: {lang!r} is not supported; use 'zh', 'en' or None (detect).")
    limit = int(thresholds()["max_text_chars"])
    if len(text) > limit:
        raise InputError(
            f"claims_text: {len(text):,} characters is more than the {limit:,} the single-draft "
            "analysis accepts; pass the claims of one patent only."
        )
    if not text.strip():
        raise InputError(
            "claims_text: the text is empty; paste the claims (权利要求书) of one patent."
        )
    return text


def _fmt_refs(nums) -> str:
    return ", ".join(str(n) for n in nums)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def parse_claims(text: str, lang: str | None = None, *, findings: bool = True) -> ClaimSet:
    """Parse a claims text into numbered claims with their dependency tree.

    Parameters
    ----------
    text : str
        The claims as pasted or exported (headers, page numbers, wrapped lines are fine).
    lang : {"zh", "en"} or None
        Language of the claims; detected from the text when None.
    findings : bool
        Also run the examiner checks (vague terms, references, numbering, categories, long first
        claim, English antecedent basis). The checks on wording use spaCy blank pipelines.

    Raises
    ------
    InputError
        ``text`` is not a string, is empty, or is longer than the configured limit.

    Examples
    --------
    >>> cs = parse_claims("1. 一种装置，包括A。\\n2. 根据权利要求1所述的装置，其中A为B。")
    >>> cs.n_claims, cs.independent, cs.claim(2).depends_on
    (2, [1], (1,))
    """
    check_input(text, lang)
    norm = normalise(text)
    if lang is None:
        lang = detect_lang(norm)
    sp = split_claims(norm, lang)
    max_claims = int(thresholds()["max_claims"])
    if len(sp.numbers) > max_claims:
        raise InputError(
            f"claims_text: {len(sp.numbers):,} numbered claims found, more than the {max_claims:,} "
            "one patent can have; pass the claims of one patent only."
        )
    claims: list[Claim] = []
    refs_by_idx = []
    depth: dict[int, int] = {}
    cat_by_n: dict[int, str | None] = {}
    existing = set(sp.numbers)
    for n, body in zip(sp.numbers, sp.bodies, strict=True):
        refs = find_refs(body, n, lang)
        refs_by_idx.append(refs)
        nums = sorted({v for r in refs for v in r.numbers})
        cited = sorted({v for r in refs for v in r.cited})
        independent = not nums
        dep_form, dep_match = dependent_form(body, refs, lang)
        subject = claim_subject(body, refs, dep_form, lang, dep_match)
        cat = category_of(subject, lang)
        valid = [v for v in nums if v < n and v in existing]
        if cat is None:
            if not independent and dep_form and valid:
                cat = cat_by_n.get(valid[0])
            elif independent:
                cat = "product"
        d = 1 if independent else (1 + max((depth.get(v, 1) for v in valid), default=1))
        depth.setdefault(n, d)
        cat_by_n.setdefault(n, cat)
        trans, ttype = transitional_of(body, lang)
        claims.append(
            Claim(
                number=n,
                text=body,
                independent=independent,
                depends_on=tuple(nums),
                depth=d,
                category=cat,
                transitional=trans,
                length=claim_length(body, lang),
                subject=subject,
                cited=tuple(cited),
                multiple=len(nums) > 1,
                dependent_form=dep_form,
                transitional_type=ttype,
            )
        )
    out: list = []
    if findings:
        out = structure_findings(claims, refs_by_idx, sp, lang)
        from hvpscore.claims._findings import text_findings

        out.extend(text_findings(claims, lang))
    return ClaimSet(
        claims=claims,
        lang=lang,
        findings=out,
        cancelled=sp.cancelled,
        unnumbered=sp.unnumbered,
        gaps=sp.gaps,
        duplicates=sp.duplicates,
        spans=list(sp.spans),
    )


def analyze_claims(text: str, lang: str | None = None) -> ClaimSet:
    """The full single-draft analysis: :func:`parse_claims` with every finding."""
    return parse_claims(text, lang, findings=True)


def multiple_dependent(c: Claim, lang: str) -> bool:
    """A multiple dependent claim: refers to more than one claim, and (Chinese practice) is not a
    claim of its own category citing them (一种计算机可读存储介质，……实现权利要求1-5任一项所述的方法
    is independent in CN practice, so Rule 25's limits on multiple dependent claims do not apply)."""
    return c.multiple and (lang != "zh" or not c.independent_cn)


def structure_findings(claims, refs_by_idx, sp, lang) -> list[Finding]:
    """Findings on numbering, references, multiple dependency, categories and length."""
    out: list[Finding] = []
    if not claims:
        out.append(make_finding("empty_claims", None, ""))
        return out
    if sp.unnumbered:
        out.append(make_finding("no_numbering", 1, _short(claims[0].text)))
    if sp.gaps:
        out.append(make_finding("numbering_gap", None, "", numbers=_fmt_refs(sp.gaps)))
    for n in sorted(set(sp.duplicates)):
        out.append(make_finding("numbering_duplicate", n, ""))
    by_n = {}
    for c in claims:
        by_n.setdefault(c.number, c)
    existing = set(by_n)
    cancelled = set(sp.cancelled)
    for c, refs in zip(claims, refs_by_idx, strict=True):
        later, missing, selfref = [], [], False
        for v in c.depends_on:
            if v == c.number:
                selfref = True
            elif v not in existing or v in cancelled:
                missing.append(v)
            elif v > c.number:
                later.append(v)
        quote = refs[0].text if refs else ""
        if selfref:
            out.append(make_finding("ref_self", c.number, quote))
        if later:
            out.append(make_finding("ref_later", c.number, quote, ref=_fmt_refs(later)))
        if missing:
            out.append(make_finding("ref_missing", c.number, quote, ref=_fmt_refs(missing)))
        if multiple_dependent(c, lang):
            bases = [
                v
                for v in c.depends_on
                if v < c.number and v in by_n and multiple_dependent(by_n[v], lang)
            ]
            if bases:
                out.append(
                    make_finding("multiple_on_multiple", c.number, quote, ref=_fmt_refs(bases))
                )
            for r in refs:
                if len(set(r.numbers)) > 1 and not r.alternative:
                    out.append(make_finding("multiple_not_alternative", c.number, r.text))
                    break
        if c.dependent_form and c.category:
            parent = next((v for v in c.depends_on if v < c.number and v in by_n), None)
            pc = by_n[parent].category if parent is not None else None
            if pc and pc != c.category:
                cats = messages()["categories"]
                out.append(
                    make_finding(
                        "category_mismatch",
                        c.number,
                        _short(c.subject or c.text, 40),
                        parent=parent,
                        category=f"{cats[c.category]['zh']}/{cats[c.category]['en']}",
                        parent_category=f"{cats[pc]['zh']}/{cats[pc]['en']}",
                    )
                )
    if not any(c.independent for c in claims):
        out.append(make_finding("no_independent", None, ""))
    first = next((c for c in claims if c.independent), None)
    limit = int(thresholds()["long_first_claim"][lang])
    if first is not None and first.length > limit:
        unit = "字" if lang == "zh" else " words"
        out.append(
            make_finding(
                "long_first_claim",
                first.number,
                _short(first.text),
                length=f"{first.length}{unit}",
                limit=f"{limit}{unit}",
            )
        )
    return out
