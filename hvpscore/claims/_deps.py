"""Per-claim reading: references to other claims, dependent form, subject and category,
transitional phrase and length. Compiled regular expressions only (used by the batch path too).
"""

from __future__ import annotations

import re

from hvpscore.claims._lexicon import category_rules, thresholds, transitional_rules

__all__ = ["Ref", "find_refs", "claim_subject", "category_of", "transitional_of", "claim_length"]

_N = r"\d{1,4}"
_RNG_EN = r"[ ]*(?:-|~|to|through|thru)[ ]*(?:claims?[ ]+)?"
_ITEM_EN = rf"{_N}(?:{_RNG_EN}{_N})?"
_SEP_EN = r"(?:[ ]*,[ ]*(?:(?:and/or|or|and)[ ]+)?|[ ]+(?:and/or|or|and)[ ]+)(?:claims?[ ]+)?"
_REF_EN = re.compile(
    rf"(?<![A-Za-z])claims?[ ]+(?:no\.?[ ]*)?(?P<l>{_ITEM_EN}(?:{_SEP_EN}{_ITEM_EN})*)"
    r"|(?P<any>any(?:[ ]+one)?(?:[ ]+of)?[ ]+(?:the[ ]+)?(?:preceding|previous|foregoing|prior|above)"
    r"[ ]+claims?)(?![A-Za-z])"
    r"|(?P<prev>the[ ]+(?:preceding|previous|foregoing)[ ]+claim)(?![A-Za-z])",
    re.IGNORECASE,
)
# the same on a lower-cased ASCII body (case-insensitive matching costs more per character;
# lower() keeps an ASCII text's positions); "claim" first, then no letter before it
_REF_EN_LOWER = re.compile(
    rf"c(?<![a-z]c)laims?[ ]+(?:no\.?[ ]*)?(?P<l>{_ITEM_EN}(?:{_SEP_EN}{_ITEM_EN})*)"
    r"|(?P<any>any(?:[ ]+one)?(?:[ ]+of)?[ ]+(?:the[ ]+)?(?:preceding|previous|foregoing|prior|above)"
    r"[ ]+claims?)(?![a-z])"
    r"|(?P<prev>the[ ]+(?:preceding|previous|foregoing)[ ]+claim)(?![a-z])"
)
# 权利要求 (simplified), 權利要求 (traditional), 請求項 / 请求项 (Taiwan)
_CW = r"(?:权利要求|權利要求|請求項|请求项)"
_RNG_ZH = rf"[ ]*(?:-|~|至|到|—)[ ]*(?:{_CW}[ ]*)?"
_ITEM_ZH = rf"{_N}(?:{_RNG_ZH}{_N})?"
_SEP_ZH = rf"[ ]*(?:、|,|，|或者|或|以及|和|及|与|與|/)[ ]*(?:{_CW}[ ]*)?"
_REF_ZH = re.compile(
    rf"{_CW}[ ]*第?[ ]*(?P<l>{_ITEM_ZH}(?:{_SEP_ZH}{_ITEM_ZH})*)"
    rf"|第[ ]*(?P<l2>{_ITEM_ZH}(?:{_SEP_ZH}{_ITEM_ZH})*)[ ]*[项項][ ]*{_CW}"
    rf"|(?P<any>(?:前述|上述|在前|前面|以上)的?(?:任一|任意一|任何一|任意)?[项項]?(?:所述的?)?{_CW}"
    rf"(?![ ]*第?[ ]*\d)|(?:任一|任意一|任何一)[项項]?(?:前述|上述|在前)的?{_CW})"
)
_RANGE_SPLIT = {
    "en": re.compile(rf"(?P<a>{_N}){_RNG_EN}(?P<b>{_N})|(?P<s>{_N})", re.IGNORECASE),
    "zh": re.compile(rf"(?P<a>{_N}){_RNG_ZH}(?P<b>{_N})|(?P<s>{_N})"),
}
_ALT = {
    "en": re.compile(r"(?<![A-Za-z])(?:or|any|either|one of)(?![A-Za-z])", re.IGNORECASE),
    "zh": re.compile(r"或|任一|任意|任何|之一|其中一"),
}
_DEP_LEADS_ZH = frozenset(
    ["", "根据", "如", "按照", "按", "依据", "依照", "基于", "由", "用", "在", "如同"]
)
_DEP_FORM_EN = re.compile(
    r"[ ]*(?:the|a|an)?[ ]*(?P<s>[^,;:]{1,100}?)[ ]+(?:of|according[ ]+to|as[ ]+claimed[ ]+in|"
    r"as[ ]+defined[ ]+in|as[ ]+recited[ ]+in|as[ ]+set[ ]+forth[ ]+in|as[ ]+described[ ]+in|"
    r"as[ ]+in|in|per|recited[ ]+in|defined[ ]+in|claimed[ ]+in|as[ ]+claimed[ ]+by)"
    r"[ ]+(?:any[ ]+(?:one[ ]+)?of[ ]+)?(?:the[ ]+)?(?:preceding[ ]+)?claims?(?![A-Za-z])",
    re.IGNORECASE,
)
_ZH_DEP_SUBJ = re.compile(
    r"所述[的之]?[ ]*(?P<s>[^，,。；;：:]{0,40}?)(?:[，,。；;：:]|其特征|其特徵|其中|还包括|還包括|包括|$)"
)
_ZH_SUBJ = re.compile(
    r"[ ]*(?:一种|一種|一个|一個|一类|一套|一组)?(?P<s>[^，,。；;：:]{1,60}?)(?:[，,。；;：:]|其特征|其特徵|包括|包含|含有|$)"
)
_EN_SUBJ = re.compile(
    r"[ ]*(?P<s>[^,;:]{1,150}?)(?:[,;:]|(?<![A-Za-z])(?:comprising|comprises|consisting|consists|"
    r"including|includes|having|wherein|which|that|characteri[sz]ed)(?![A-Za-z])|$)",
    re.IGNORECASE,
)
_ZH_SUBJ_LONG = re.compile(
    r"[ ]*(?:一种|一種|一个|一個|一类|一套|一组)?(?P<s>[^，,。；;：:]{1,60})"
)
_EN_SUBJ_LONG = re.compile(r"[ ]*(?P<s>[^,;:]{1,150})")
_EN_ARTICLE_IN = re.compile(r"(?<![A-Za-z])(?:the|said)(?![A-Za-z])", re.IGNORECASE)


class Ref:
    """One reference to other claims as written: the numbers it cites and how."""

    __slots__ = ("numbers", "cited", "any_preceding", "alternative", "start", "end", "text")

    def __init__(self, numbers, cited, any_preceding, alternative, start, end, text):
        self.numbers = numbers
        self.cited = cited
        self.any_preceding = any_preceding
        self.alternative = alternative
        self.start = start
        self.end = end
        self.text = text


def _expand(lst: str, lang: str, cap: int) -> tuple[list[int], list[int]]:
    nums: list[int] = []
    cited: list[int] = []
    for m in _RANGE_SPLIT[lang].finditer(lst):
        s = m.group("s")
        if s is not None:
            v = int(s)
            nums.append(v)
            cited.append(v)
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        cited.extend((a, b))
        if a <= b and b - a <= cap:
            nums.extend(range(a, b + 1))
        else:
            nums.extend((a, b))
    return nums, cited


def find_refs(body: str, number: int, lang: str) -> list[Ref]:
    """The references in one claim body (``number`` is the claim's own number)."""
    pat = _REF_ZH if lang == "zh" else _REF_EN
    if lang == "zh":
        if (
            "权利要求" not in body
            and "權利要求" not in body
            and "求項" not in body
            and "求项" not in body
        ):
            return []
    elif "laim" not in body and "LAIM" not in body and "claim" not in body.lower():
        return []  # "claim", "Claim", "CLAIM" (the pattern ignores case)
    cap = int(thresholds()["max_range_expansion"])
    out: list[Ref] = []
    if lang == "en" and body.isascii():
        return _find_refs_en_ascii(body, number, cap)
    for m in pat.finditer(body):
        lst = m.group("l") if lang == "en" else (m.group("l") or m.group("l2"))
        ref = _ref(body, m.start(), m.end(), lst, m.group("any") is not None, number, lang, cap)
        if ref is not None:
            out.append(ref)
    return out


def _ref(body: str, s: int, e: int, lst: str | None, is_any: bool, number: int, lang: str,
         cap: int) -> Ref | None:
    """The reference matched at ``body[s:e]`` (its claim list ``lst``, or "any preceding claim",
    or "the preceding claim"); None when it names no claim."""
    if lst is not None:
        if lst.isdigit():
            return Ref([int(lst)], [int(lst)], False, True, s, e, body[s:e])
        nums, cited = _expand(lst, lang, cap)
        anyp = False
    elif is_any:
        nums = list(range(1, number))
        cited = nums[:]
        anyp = True
    else:  # "the preceding claim"
        nums = [number - 1] if number > 1 else []
        cited = nums[:]
        anyp = False
    if not nums and not anyp:
        return None
    alt = anyp or len(set(nums)) < 2 or _ALT[lang].search(body, s, e + 12) is not None
    return Ref(nums, cited, anyp, alt, s, e, body[s:e])


def _find_refs_en_ascii(body: str, number: int, cap: int) -> list[Ref]:
    """:func:`find_refs` of an ASCII English body, matched on its lower-cased copy (the same
    positions); the texts and lists are taken from ``body`` as written."""
    out: list[Ref] = []
    for m in _REF_EN_LOWER.finditer(body.lower()):
        lst = body[m.start("l") : m.end("l")] if m.start("l") >= 0 else None
        ref = _ref(body, m.start(), m.end(), lst, m.start("any") >= 0, number, "en", cap)
        if ref is not None:
            out.append(ref)
    return out


def dependent_form(body: str, refs: list[Ref], lang: str) -> tuple[bool, re.Match | None]:
    """Whether the claim opens with its reference ("The X of claim 1", "根据权利要求1所述的X"), and
    for English the match of the dependent preamble (pass it on to :func:`claim_subject` so the
    preamble is matched once)."""
    if not refs:
        return False, None
    if lang == "zh":
        return body[: refs[0].start].strip() in _DEP_LEADS_ZH, None
    m = _DEP_FORM_EN.match(body, 0, refs[0].end + 1)
    return m is not None and _EN_ARTICLE_IN.search(m.group("s")) is None, m


def is_dependent_form(body: str, refs: list[Ref], lang: str) -> bool:
    """True when the claim opens with its reference ("The X of claim 1", "根据权利要求1所述的X")."""
    return dependent_form(body, refs, lang)[0]


def claim_subject(body: str, refs: list[Ref], dep_form: bool, lang: str,
                  dep_match: re.Match | None = None) -> str:
    """The subject named in the preamble ("凸轮轴", "method for detecting ...").

    ``dep_match``: the English dependent-preamble match from :func:`dependent_form` (matched
    here when not given)."""
    if lang == "zh":
        if dep_form:
            m = _ZH_DEP_SUBJ.search(body, refs[0].end)
            return m.group("s").strip() if m else ""
        m = _ZH_SUBJ.match(body)
        if m is None:  # no punctuation within 60 characters: the opening words
            m = _ZH_SUBJ_LONG.match(body)
        return m.group("s").strip() if m else ""
    if dep_form:
        m = dep_match if dep_match is not None else _DEP_FORM_EN.match(body, 0, refs[0].end + 1)
        return m.group("s").strip() if m else ""
    m = _EN_SUBJ.match(body) or _EN_SUBJ_LONG.match(body)
    if not m:
        return ""
    s = m.group("s").strip()
    low = s[:4].lower()
    if low.startswith("a "):
        s = s[2:]
    elif low.startswith("an "):
        s = s[3:]
    elif low.startswith("the "):
        s = s[4:]
    return s


def category_of(subject: str, lang: str) -> str | None:
    """product / apparatus / system / method / use, from the subject's keywords (None: no keyword)."""
    if not subject:
        return None
    pat, kw, _prio = category_rules(lang)
    if lang == "zh":
        best = None
        best_end = -1
        for m in pat.finditer(subject):
            if m.end() >= best_end:
                best_end = m.end()
                best = kw[m.group(1)]
        return best
    m = pat.search(subject)
    return kw[m.group(1).lower()] if m else None


def transitional_of(body: str, lang: str) -> tuple[str | None, str | None]:
    """The first transitional phrase in the claim and its type (open, closed, ...)."""
    pat, meta = transitional_rules(lang)
    m = pat.search(body)
    if m is None:
        return None, None
    phrase, kind = meta[int(m.lastgroup[1:])]
    return phrase, kind


def claim_length(body: str, lang: str) -> int:
    """Characters without spaces for Chinese, words for English."""
    if lang == "zh":
        return len(body) - body.count(" ")
    return len(body.split())
