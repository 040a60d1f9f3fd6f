"""Split a (normalised) claims text into numbered claims.

Claim numbers are found as *markers* (``1.`` ``1、`` ``1)`` ``[1]`` ``1-18.``; full-width forms are
normalised first) that stand at the start of a line (*strong*) or right after the end of a sentence
(*weak*, for claims running on one line). Markers are then accepted in sequence: the next claim is
the next number, so numbers inside a claim (``0.5 mm``, sub-steps ``1)``, ``FIG. 2.``) are not taken
as claims. Gaps and duplicates are accepted only at the start of a line where a claim visibly starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hvpscore.claims._lexicon import thresholds

__all__ = ["Split", "split_claims", "clean_body"]

_MARK = re.compile(
    r"(?<![\w.,\-/(\[])"
    r"(?:\[[ ]*(?P<b>\d{1,4})[ ]*\]|(?P<n>\d{1,4})(?:[ ]*[-~][ ]*(?P<e>\d{1,4}))?[ ]*(?P<p>[.、)]))"
    r"(?![0-9])"
)
_OPENER = re.compile(
    r"[ \n]*(?:\((?:original|currently amended|previously presented|new|withdrawn|amended)\)[ ]*)?"
    r"(?:[A-Z(\[“\"]|一种|一个|一类|一套|一组|如|根据|按照|按|依据|依照|基于|权利要求|前述|上述|"
    r"使用|采用|用于|由|在|删除|已删除)",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"[ \n]*[(\[]?[ ]*(?:canceled|cancelled|deleted|删除|已删除|取消)[ ]*[)\]]?[ .。]*(?:\n|$)",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"^[ \n]*\((?:original|currently amended|previously presented|new|withdrawn|amended|"
    r"withdrawn[ -]+currently amended|not entered)\)[ ]*",
    re.IGNORECASE,
)
_PAGE_LINE = re.compile(
    r"^[ ]*(?:-?[ ]*\d{1,4}(?:[ ]*/[ ]*\d{1,4})?[ ]*-?|第[ ]*\d+[ ]*页.*|共[ ]*\d+[ ]*页.*|"
    r"权利要求书[ ]*\d+[ ]*/[ ]*\d+[ ]*页|CN[ ]*\d{6,12}[ ]*[A-Z]\d?|page[ ]+\d+(?:[ ]+of[ ]+\d+)?)"
    r"[ ]*$",
    re.MULTILINE | re.IGNORECASE,
)
_NL_CJK = re.compile(r"(?<=[^\x00-\x7f])[ ]*\n[ \n]*(?=[^\x00-\x7f])")
_WS = re.compile(r"\s+")
_WEAK_PREV = frozenset("。；;!?！？")


@dataclass
class Split:
    """The claims found in one text, in text order."""

    numbers: list[int] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    unnumbered: bool = False


def clean_body(body: str, lang: str) -> str:
    """Drop page-number lines and join wrapped lines (nothing between Chinese, a space otherwise)."""
    body = body.strip()
    if "\n" in body:
        body = _PAGE_LINE.sub("", body)
        if lang == "zh":
            body = _NL_CJK.sub("", body)
    return _WS.sub(" ", body).strip() if ("\n" in body or "  " in body) else body


class _Cand:
    __slots__ = ("pos", "end", "n", "last", "style", "strong", "weak", "opener", "cancel")

    def __init__(self, text: str, m: re.Match[str]) -> None:
        self.pos = m.start()
        self.end = m.end()
        b = m.group("b")
        if b is not None:
            self.n = int(b)
            self.last = self.n
            self.style = "["
        else:
            self.n = int(m.group("n"))
            e = m.group("e")
            self.last = int(e) if e is not None else self.n
            self.style = ")" if m.group("p") == ")" else "."
        # strong: only spaces between the line start and the marker
        i = self.pos - 1
        while i >= 0 and text[i] == " ":
            i -= 1
        prev = text[i] if i >= 0 else "\n"
        self.strong = prev == "\n"
        self.weak = (not self.strong) and (
            prev in _WEAK_PREV or (prev == "." and i < self.pos - 1) or prev in ":："
        )
        self.cancel = _CANCEL.match(text, self.end) is not None
        self.opener = self.cancel or _OPENER.match(text, self.end) is not None


def split_claims(norm: str, lang: str) -> Split:
    """Find the numbered claims of a normalised text."""
    out = Split()
    cands = [_Cand(norm, m) for m in _MARK.finditer(norm)]
    cands = [c for c in cands if c.strong or c.weak or c.pos == 0]
    # a range marker is only a claim marker when it announces cancelled claims ("1-18. (canceled)")
    cands = [c for c in cands if c.last == c.n or (c.cancel and c.last > c.n)]
    by_n: dict[int, list[int]] = {}
    for i, c in enumerate(cands):
        by_n.setdefault(c.n, []).append(i)

    def later(n: int, i: int, strong_only: bool, opener_only: bool) -> bool:
        for j in by_n.get(n, ()):
            if (
                j > i
                and (cands[j].strong or not strong_only)
                and (cands[j].opener or not opener_only)
            ):
                return True
        return False

    # the first claim: a number 1 at a line start, else a number 1 after punctuation, else the
    # first line-start marker that visibly starts a claim (texts that begin after cancelled claims)
    start = None
    for i, c in enumerate(cands):
        if c.n == 1 and c.strong and (c.opener or not later(1, i, True, True)):
            start = i
            break
    if start is None:
        for i, c in enumerate(cands):
            if c.n == 1 and (c.opener or c.pos == 0):
                start = i
                break
    if start is None:
        for i, c in enumerate(cands):
            if (c.strong or c.pos == 0) and c.opener:
                start = i
                break
    if start is None:
        body = clean_body(norm, lang)
        if body:
            out.numbers.append(1)
            out.bodies.append(body)
            out.starts.append(0)
            out.unnumbered = True
        return out

    max_gap = int(thresholds()["max_numbering_gap"])
    style = cands[start].style
    accepted: list[_Cand] = [cands[start]]
    expected = cands[start].last + 1
    seen = {cands[start].n}
    if cands[start].n > 1:
        out.gaps.extend(range(1, cands[start].n))
    for i in range(start + 1, len(cands)):
        c = cands[i]
        if c.style != style:
            continue
        if c.n == expected:
            if not c.strong and later(expected, i, True, False):
                continue
            if not c.opener and later(expected, i, not c.strong, True):
                continue
            if not c.strong and not c.opener:
                continue
            accepted.append(c)
            seen.update(range(c.n, c.last + 1))
            expected = c.last + 1
        elif c.strong and c.opener and c.n in seen and c.n == expected - 1:
            out.duplicates.append(c.n)
            accepted.append(c)
        elif (
            c.strong
            and c.opener
            and expected < c.n <= expected + max_gap
            and not later(expected, i, False, True)
        ):
            out.gaps.extend(range(expected, c.n))
            accepted.append(c)
            seen.update(range(c.n, c.last + 1))
            expected = c.last + 1
    for k, c in enumerate(accepted):
        stop = accepted[k + 1].pos if k + 1 < len(accepted) else len(norm)
        if c.cancel:
            out.cancelled.extend(range(c.n, c.last + 1))
            continue
        raw = norm[c.end : stop]
        m = _STATUS.match(raw)
        if m:
            raw = raw[m.end() :]
        out.numbers.append(c.n)
        out.bodies.append(clean_body(raw, lang))
        out.starts.append(c.pos)
    return out
