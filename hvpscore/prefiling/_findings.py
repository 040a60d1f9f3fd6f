"""One finding of the pre-filing review, and where it is in the draft.

Every finding carries its code, severity, the section its offsets point into, the claim number
(claims), the paragraph number (description, abstract), character offsets ``start``/``end`` into
that section's text (``CheckReport.sections[section].text``), the quoted text, zh/en explanations
and the source clause (``data/checks.yaml``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

from hvpscore.claims import normalise
from hvpscore.prefiling._data import checks

__all__ = ["CheckFinding", "ClaimLocator", "make"]

SEVERITIES = ("error", "warning", "info")


@dataclass
class CheckFinding:
    """A problem an examiner would raise (or a drafting note), located in the draft."""

    code: str
    severity: str
    category: str
    section: str
    message_zh: str
    message_en: str
    source_zh: str
    source_en: str
    claim: int | None = None
    paragraph: int | None = None
    part: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""
    term: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def source(self, lang: str = "zh") -> str:
        return self.source_zh if lang == "zh" else self.source_en

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {"id": d.pop("id"), **d}


class _Fmt(dict):
    def __missing__(self, key: str) -> str:  # a template field nobody filled stays visible
        return "{" + key + "}"


def make(code: str, *, lang: str, section: str | None = None, claim: int | None = None,
         start: int | None = None, end: int | None = None, quote: str = "",
         term: str | None = None, message_zh: str | None = None, message_en: str | None = None,
         severity: str | None = None, **fields: Any) -> CheckFinding:
    """A finding of ``code`` with its texts from ``data/checks.yaml`` (``fields`` fill the
    templates; ``message_*`` given by hvpscore.claims are kept as they are)."""
    spec = checks()[code]
    sev = severity or spec.get(f"severity_{lang}") or spec["severity"]
    f = _Fmt(claim=claim, term=term or "", **fields)
    zh = message_zh if message_zh is not None else spec["zh"].format_map(f)
    en = message_en if message_en is not None else spec["en"].format_map(f)
    return CheckFinding(
        code=code, severity=sev, category=spec["section"], section=section or spec["section"],
        message_zh=zh, message_en=en, source_zh=spec["source"]["zh"],
        source_en=spec["source"]["en"], claim=claim, start=start, end=end, quote=quote,
        term=term, details={k: v for k, v in fields.items() if v is not None},
    )


class ClaimLocator:
    """Maps positions in a parsed claim's text (``Claim.text``: page numbers dropped, wrapped
    lines joined) to offsets in the claims section as given, via ``ClaimSet.spans``."""

    def __init__(self, text: str, claimset) -> None:
        self.text = text
        self.norm = normalise(text)
        self.cs = claimset
        self._maps: dict[int, list[int] | int] = {}
        self.index_of: dict[int, int] = {}
        for i, c in enumerate(claimset.claims):
            self.index_of.setdefault(c.number, i)

    def _map(self, i: int):
        m = self._maps.get(i)
        if m is not None:
            return m
        s, e = self.cs.spans[i]
        body = self.cs.claims[i].text
        raw = self.norm[s:e]
        lead = len(raw) - len(raw.lstrip())
        if raw[lead:lead + len(body)] == body:
            m = s + lead  # the common case: the body stands as is
        else:
            out: list[int] = []
            j = 0
            for ch in body:
                while j < len(raw) and not (raw[j] == ch or (ch == " " and raw[j].isspace())):
                    j += 1
                out.append(s + min(j, len(raw) - 1) if raw else s)
                if j < len(raw):
                    j += 1
            out.append(out[-1] + 1 if out else s)
            m = out
        self._maps[i] = m
        return m

    def offsets(self, number: int, a: int, b: int) -> tuple[int, int] | tuple[None, None]:
        """Section offsets of characters ``a:b`` of claim ``number``'s text."""
        i = self.index_of.get(number)
        if i is None:
            return None, None
        return self.offsets_at(i, a, b)

    def span_of_index(self, i: int) -> tuple[int, int] | tuple[None, None]:
        """Section offsets of the whole ``i``-th claim (text order)."""
        return self.offsets_at(i, 0, len(self.cs.claims[i].text))

    def offsets_at(self, i: int, a: int, b: int) -> tuple[int, int] | tuple[None, None]:
        if i >= len(self.cs.spans):
            return None, None
        m = self._map(i)
        if isinstance(m, int):
            return m + a, m + b
        n = len(m) - 1
        a, b = max(0, min(a, n)), max(0, min(b, n))
        start = m[a]
        end = m[b - 1] + 1 if b > a else start
        return start, end

    def claim_span(self, number: int) -> tuple[int, int] | tuple[None, None]:
        i = self.index_of.get(number)
        if i is None:
            return None, None
        return self.offsets(number, 0, len(self.cs.claims[i].text))

    def find(self, number: int, needle: str, near: str | None = None) -> tuple[int | None,
                                                                             int | None]:
        """Section offsets of ``needle`` in claim ``number`` (inside ``near`` when given)."""
        if not needle:
            return None, None
        # a number used twice: the claim whose text holds the needle
        for i, c in enumerate(self.cs.claims):
            if c.number != number:
                continue
            body = c.text
            base = 0
            if near:
                k = body.find(near.strip("…"))
                if k >= 0:
                    base = k
            k = body.find(needle, base)
            if k < 0:
                k = body.lower().find(needle.lower(), base)
            if k < 0:
                k = body.find(needle)
            if k >= 0:
                return self.offsets_at(i, k, k + len(needle))
        return None, None


def paragraph_of(paragraphs: list[tuple[int, int, int]], offset: int | None) -> int | None:
    """The number of the paragraph holding ``offset`` (``paragraphs``: (number, start, end))."""
    if offset is None or not paragraphs:
        return None
    starts = [p[1] for p in paragraphs]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and offset <= paragraphs[i][2]:
        return paragraphs[i][0]
    return None
