"""Split a (normalised) claims text into numbered claims.

Claim numbers are found as *markers* (``1.`` ``1、`` ``1)`` ``[1]`` ``1-18.`` ``Claim 1.``
``CLAIM 1:``; full-width forms are
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

# a marker with what stands before it: a line start (strong), or the end of a sentence (weak)
_MARK = re.compile(
    r"(?:(?P<sol>\n)|[。；;!?！？:：]|\.[ ])[ ]*"
    r"(?:\[[ ]*(?P<b>\d{1,4})[ ]*\]"
    r"|(?P<cw>(?:[Cc]laim|CLAIM)[ ]+)(?P<c>\d{1,4})[ ]*[.:)]"
    r"|(?P<n>\d{1,4})(?:[ ]*[-~][ ]*(?P<e>\d{1,4}))?[ ]*\n?[ ]*(?P<p>[.、)]))"
    r"(?![0-9])"
)
_CANCEL_ANY = re.compile(r"cancel|delet|删除|取消", re.IGNORECASE)
_OPENER = re.compile(
    r"[ \n]*(?:\((?:original|currently amended|previously presented|new|withdrawn|amended)\)[ ]*)?"
    r"(?:[A-Z(\[“\"]|一种|一種|一个|一個|一类|一套|一组|如|根据|根據|按照|按|依据|依照|基于|"
    r"权利要求|權利要求|請求項|前述|上述|"
    r"使用|采用|用于|由|在|删除|已删除)",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"[ \n]*[(\[]?[ ]*(?:canceled|cancelled|deleted|删除|已删除|取消)[ ]*[)\]]?[ .。;；]*(?:\n|$|(?=\d)|(?=(?:[Cc]laim|CLAIM)[ ]))",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"[ \n]*\((?:original|currently amended|previously presented|new|withdrawn|amended|"
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


@dataclass
class Split:
    """The claims found in one text, in text order."""

    numbers: list[int] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
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
    __slots__ = ("pos", "end", "n", "last", "style", "strong", "_text", "_opener", "cancel")

    def __init__(self, text: str, m: re.Match[str], shift: int, any_cancel: bool) -> None:
        b = m.group("b")
        c = m.group("c")
        if b is not None:
            self.n = self.last = int(b)
            self.style = "["
            self.pos = m.start("b") + shift
        elif c is not None:  # "Claim 1." / "CLAIM 1:" as the number of a claim
            self.n = self.last = int(c)
            self.style = "c"
            self.pos = m.start("cw") + shift
        else:
            self.n = int(m.group("n"))
            e = m.group("e")
            self.last = int(e) if e is not None else self.n
            self.style = ")" if m.group("p") == ")" else "."
            self.pos = m.start("n") + shift
        self.end = m.end() + shift
        self.strong = m.group("sol") is not None
        self._text = text
        self._opener = None
        self.cancel = any_cancel and _CANCEL.match(self._after()) is not None

    def _after(self) -> str:
        # what follows, with a wrapped line joined ("根\n据权利要求" starts a claim)
        after = self._text[self.end : self.end + 40].lstrip(" \n")
        nl = after.find("\n", 0, 20)
        if nl >= 0 and after[nl + 1 : nl + 2] not in ("", "\n"):
            after = after[:nl] + after[nl + 1 :].lstrip(" ")
        return after

    @property
    def opener(self) -> bool:
        if self._opener is None:
            self._opener = self.cancel or _OPENER.match(self._after()) is not None
        return self._opener


def split_claims(norm: str, lang: str, clean: bool = True) -> Split:
    """Find the numbered claims of a normalised text.

    ``spans`` hold each claim body's (start, end) in ``norm``; ``bodies`` the cleaned texts (left
    empty when ``clean`` is false: the batch path reads the spans).
    """
    out = Split()
    if norm.isascii():  # the same test, without the case-insensitive scan (10x cheaper)
        low = norm.lower()
        any_cancel = "cancel" in low or "delet" in low
    else:
        any_cancel = _CANCEL_ANY.search(norm) is not None
    cands = [_Cand(norm, m, -1, any_cancel) for m in _MARK.finditer("\n" + norm)]
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
        if c.n == 1 and c.strong and (not later(1, i, True, True) or c.opener):
            start = i
            break
    if start is None:
        for i, c in enumerate(cands):
            if c.n == 1 and (c.pos == 0 or c.opener):
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
            out.spans.append((0, len(norm)))
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
            if not c.strong and (not c.opener or later(expected, i, True, False)):
                continue
            if later(expected, i, not c.strong, True) and not c.opener:
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
        a = c.end
        m = _STATUS.match(norm, a, stop)
        if m:
            a = m.end()
        out.numbers.append(c.n)
        out.starts.append(c.pos)
        out.spans.append((a, stop))
        if clean:
            out.bodies.append(clean_body(norm[a:stop], lang))
    return out
