"""claim_features: the fast batch path (compiled regular expressions, no spaCy)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.claims._analyze import multiple_dependent
from hvpscore.claims._deps import (
    _ALT,
    _expand,
    category_of,
    claim_subject,
    dependent_form,
    find_refs,
)
from hvpscore.claims._lexicon import count_vague, thresholds
from hvpscore.claims._parse import _MARK, _PAGE_LINE, clean_body, split_claims
from hvpscore.claims._text import detect_lang, normalise

__all__ = [
    "FeatureSpec",
    "CLAIM_FEATURES",
    "CLAIM_FEATURE_NAMES",
    "claim_features",
    "features_one",
    "features_from_claimset",
]


class FeatureSpec(NamedTuple):
    """A claim feature: column name, zh and en description, stage (always ``draft``)."""

    name: str
    zh: str
    en: str
    stage: str = "draft"


@lru_cache(maxsize=1)
def _specs() -> tuple[FeatureSpec, ...]:
    text = resources.files("hvpscore.claims").joinpath("data", "features.yaml").read_text("utf-8")
    data = _yaml_safe_load(text)["features"]
    return tuple(FeatureSpec(k, v[0], v[1]) for k, v in data.items())


CLAIM_FEATURES: list[FeatureSpec] = list(_specs())
CLAIM_FEATURE_NAMES: list[str] = [f.name for f in CLAIM_FEATURES]
_CATS = ("product", "apparatus", "system", "method", "use")
_MAX_CLAIMS = int(thresholds()["max_claims"])
_MAX_GAP = int(thresholds()["max_numbering_gap"])
# "1" .. "1000", and the characters of the markers "2." .. "k." (claims 2 to k)
_NUM_STR = [str(i) for i in range(_MAX_CLAIMS + 2)]
_LONG_FIRST = thresholds()["long_first_claim"]
_INT_OF = {str(i): i for i in range(1, _MAX_CLAIMS + 2)}  # "1" -> 1 (not "0", "01")
_MARKER_CHARS = [0, 0]
for _i in range(2, _MAX_CLAIMS + 2):
    _MARKER_CHARS.append(_MARKER_CHARS[-1] + len(str(_i)) + 1)
_CHUNK = 4096
_NAN_ROW = (math.nan,) * len(CLAIM_FEATURE_NAMES)


_ALT_ZH = _ALT["zh"]
_CAT_CACHE: dict[str, str | None] = {}  # zh subjects
_CAT_CACHE_EN: dict[str, str | None] = {}


def _category(subject: str, lang: str) -> str | None:
    cache = _CAT_CACHE if lang == "zh" else _CAT_CACHE_EN
    cat = cache.get(subject, "?")
    if cat == "?":
        cat = category_of(subject, lang)
        if len(cache) > 50_000:
            cache.clear()
        cache[subject] = cat
    return cat


# Fast lane for the common Chinese layout: one claim per line, "N.一种X，…" or
# "N.根据权利要求M所述的X，…". One regular-expression pass reads every claim's number, reference
# and subject; any text that does not fit exactly (run-on claims, cancelled claims, wrapped lines,
# other references, gaps) goes through the general path, which gives the same values.
# every claim marker (at a line start or after a sentence end) with the claim's opening:
# "一种X，…" (independent) or "根据权利要求N所述的X，…" (dependent); an empty last alternative
# makes every marker match, so a claim that opens otherwise is seen (and sent to the general path)
# The subjects: the shortest run of characters up to a stop (punctuation, 其特征, 包括 ...), as
# the general path reads them. Written greedy and possessive (a run of other characters, or a
# 其/包/含/还 that does not start a stop) rather than as a lazy repeat with a look-ahead tried at
# every character: the same matches at half the cost. The length limits of the general path's
# patterns (60 and 40 characters) are checked after the match (longer: the general path).
_P = "，,。；;：:"
_FAST_HEAD = (
    r"[ ]*(\d{1,3})[ ]*[.、](?![0-9])[ \n]*()"
    r"(?:(?:一种|一種|一个|一個|一类|一套|一组)"
    rf"([^{_P}](?:[^{_P}其包含]++|其(?!特征|特徵)|包(?!括|含)|含(?!有))*+)"
    rf"(?=[{_P}]|其特征|其特徵|包括|包含|含有)"
    r"|(?:根据|如|按照|按|依据|依照|基于)?[ ]*权利要求[ ]*"
    r"(\d{1,3}(?:[ ]*(?:至|到|-|~|、|或)[ ]*\d{1,3})*)"
    r"[ ]*(?:中任一项|中任意一项|任一项|任意一项|中任一|任一|任意一)?[ ]*所述[的之]?"
    rf"((?:[^{_P}其还還包]++|其(?!特征|特徵|中)|还(?!包括)|還(?!包括)|包(?!括))*+)"
    rf"(?=[{_P}]|其特征|其特徵|其中|还包括|還包括|包括)"
    r"|())"
)
_ISUBJ_MAX, _DSUBJ_MAX = 60, 40
_FAST_ZH = re.compile(r"([\n。；;!?！？:：])" + _FAST_HEAD)
# claims one per line (no "。2." in the text): a literal first character makes the scan twice
# as fast on Chinese text; a marker after any other sentence end can then only add a claim
# after the last one, which _TAIL_MARK checks
_FAST_ZH_LINES = re.compile(r"(\n)" + _FAST_HEAD)
_RUN_ON_JU = re.compile(r"。[ ]*\d{1,3}[ ]*[.、](?![0-9])")
# (with ranges: "。10-12.（删除）" at the end are cancelled claims to the general path; a range
# marker elsewhere breaks the numbering the lane sees, or it is a line break the lane does not
# take, and the text goes to the general path)
# (the sentence end as one character class, ". " by a look-behind: a faster scan)
_TAIL_MARK = re.compile(
    r"[。；;!?！？:：.](?:(?<!\.)|(?<=\.)[ ])[ ]*\d{1,3}(?:[ ]*[-~][ ]*\d{1,4})?[ ]*[.、](?![0-9])"
)
# a line break that does not open a numbered line: a space, as the general path reads it
_NL_INNER = re.compile(r"[ ]*\n[ \n]*(?![ ]*\d{1,3}[ ]*[.、](?![0-9]))")
_LINE_RUN = re.compile(r"(\n[ \n]*)")
# a run of line breaks between two non-ASCII characters (dropped), or before no claim number (a
# space); a line break first, so the scan looks for one character
_NL_CJK_RUN = re.compile(r"\n(?<=[^\x00-\x7f]\n)\n*(?=[^\x00-\x7f])")
_NL_KEEP = re.compile(r"\n+(?!\d{1,3}[ ]*[.、](?![0-9]))")
_MARKER_AHEAD = re.compile(r"\d{1,3}[ ]*[.、](?![0-9])")
# a range marker at a line start ("\n5-7.（删除）"): joined, it would stand after a sentence end
# _PAGE_LINE ("^…$", multi-line) as a line break and the line, on "\n" + the text: the same
# lines found, with a literal first character to scan for
assert _PAGE_LINE.pattern.startswith("^")
_PAGE_LINE_NL = re.compile("\n" + _PAGE_LINE.pattern[1:], _PAGE_LINE.flags)
_LINE_RANGE = re.compile(r"\n[ ]*\d{1,4}[ ]*[-~][ ]*\d{1,4}[ ]*\n?[ ]*[.、)](?![0-9])")

def _join_lines(norm: str) -> str:
    """Wrapped lines joined as ``_NL_INNER.sub(" ", _NL_CJK.sub("", norm))`` joins them, in one
    split on line breaks (the two patterns have no literal prefix: they try every position).

    Every run of spaces and line breaks that holds a line break is: dropped between two
    non-ASCII characters (wrapped Chinese); kept when a claim number follows and the run holds
    one line break (the claim's own line), or reduced to a space and its last line break when it
    holds several; otherwise one space. The tests check it against the two patterns.
    """
    if " \n" not in norm and "\n " not in norm:
        # every run is line breaks alone: two substitutions with a literal first character (a
        # run of several before a claim number leaves " \n": the look-ahead backs off one)
        return _NL_KEEP.sub(" ", _NL_CJK_RUN.sub("", norm))
    parts = _LINE_RUN.split(norm)
    k = len(parts)
    if k == 1:
        return norm
    out = []
    for i in range(0, k - 1, 2):
        text, run, nxt = parts[i], parts[i + 1], parts[i + 2]
        t = text.rstrip(" ")
        if len(t) != len(text):  # spaces before the line break belong to the run
            run = text[len(t) :] + run
        out.append(t)
        if t and nxt and t[-1] > "\x7f" and nxt[0] > "\x7f":
            continue
        if _MARKER_AHEAD.match(nxt) is not None:
            out.append(" " + run[run.rfind("\n") :] if run.count("\n") >= 2 else run)
        else:
            out.append(" ")
    out.append(parts[-1])
    return "".join(out)


def _fast_zh(norm: str, joined: str | None = None) -> tuple | None:
    """Features of a Chinese text in the common layouts, or None (use the general path).

    The layouts: after an optional header, claims one per line or running on after "。", each
    opening with its number and "一种…" or "根据权利要求N所述的…". A reference to a later, the
    same or a missing claim is counted as a bad reference, as the general path counts it.
    Cancelled claims, other references (前述任一项权利要求 ...), numbering gaps or page-number
    lines make the text take the general path, which gives the same values.
    """
    src = "\n" + (norm if joined is None else joined)
    lines = _RUN_ON_JU.search(src) is None
    if lines:
        ms = list(_FAST_ZH_LINES.finditer(src))
    else:
        ms = list(_FAST_ZH.finditer(src))
    k = len(ms)
    if k == 0 or k > _MAX_CLAIMS:
        return None
    if _TAIL_MARK.search(src, ms[-1].end()) is not None:
        return None
    end = len(src)
    while end > 1 and src[end - 1] in " \n":
        end -= 1
    if joined is None and src.count("\n", ms[0].start(3), end) > (
        k - 1 if lines else sum([m.group(1) == "\n" for m in ms[1:]])
    ):
        # a line break other than the one before each claim and those at the end (claims over
        # several lines, blank lines): join wrapped Chinese lines as the general path does
        if _PAGE_LINE_NL.search(src) is not None or _LINE_RANGE.search(src) is not None:
            return None
        return _fast_zh(norm, joined=_join_lines(norm))
    depth = [0] * (k + 1)
    multi: set[int] = set()  # the multiple dependent claims so far
    cat_by_n: list[str | None] = [None] * (k + 1)
    indep_lens: list[int] = []
    cats: set[str] = set()
    n_multi = n_mom = n_notalt = n_mismatch = n_bad = 0
    cache = _CAT_CACHE
    count = src.count
    a0 = ms[0].start(3)
    # lengths without spaces and line breaks; the sentence end that stands before the next
    # number ("。2.") belongs to the claim before it
    has_space = " " in src
    extra_refs = n_ref_indep = 0
    num_str, int_of, dsubj_max = _NUM_STR, _INT_OF, _DSUBJ_MAX
    for n, m in enumerate(ms, 1):
        _pre, num, _b, isubj, lst, dsubj, nohead = m.groups()
        if num != num_str[n] or nohead is not None:
            if nohead is not None:
                return None
            # a gap or a repeated number (or not a claim: the general path)
            return _fast_zh_irregular(src, ms, norm) if joined is None else None
        if dsubj is not None:  # the common case first: "N.根据权利要求M所述的X"
            if len(dsubj) > dsubj_max:
                return None
            v = int_of.get(lst)
            if v is not None and v < n:
                pc = cat_by_n[v]
                depth[n] = depth[v] + 1
                cat = cache.get(dsubj.strip() if has_space else dsubj, "?")
                if cat == "?":
                    cat = _category(dsubj.strip() if has_space else dsubj, "zh")
                if cat is None:
                    cat = pc
                elif pc is not None and pc != cat:
                    n_mismatch += 1
                cat_by_n[n] = cat
                continue
        else:
            if len(isubj) > _ISUBJ_MAX:
                return None
            a = m.start(3)
            if n < k:
                nxt = ms[n]
                b = nxt.start() + (nxt.group(1) != "\n")
            else:
                b = len(src)
            if count("权利要求", a, b):
                # "一种如权利要求1所述装置的制备方法": a claim of its own category that refers to
                # others; read its references as the general path does
                body = clean_body(src[a:b], "zh")
                refs = find_refs(body, n, "zh")
                if refs:
                    nums = sorted({v for r in refs for v in r.numbers})
                    # (no numbers: "前述任一项权利要求" in claim 1)
                    if nums and (nums[-1] >= n or nums[0] < 1):  # a later, the same or a missing claim
                        nums = [v for v in nums if 0 < v < n]
                        n_bad += 1
                    extra_refs += body.count("权利要求")
                    # independent in CN practice: not a multiple dependent claim (Rule 25)
                    depth[n] = 1 + max([depth[v] for v in nums], default=1)
                    cat_by_n[n] = _category(isubj.strip(), "zh")
                    n_ref_indep += 1
                    continue
            length = b - a - count("\n", a, b)
            if has_space:
                length -= count(" ", a, b)
            indep_lens.append(length)
            subj = isubj.strip()
            cat = cache.get(subj, "?")
            if cat == "?":
                cat = _category(subj, "zh")
            cat = cat or "product"
            cats.add(cat)
            depth[n] = 1
            cat_by_n[n] = cat
            continue
        if len(dsubj) > _DSUBJ_MAX:
            return None
        if lst.isdigit():
            v = int(lst)
            if 0 < v < n:
                pc = cat_by_n[v]
                depth[n] = depth[v] + 1
            else:  # a reference to a later, the same or a missing claim
                n_bad += 1
                pc = None
                depth[n] = 2
        else:
            nums = _expand_zh(lst)
            n_multi += 1
            if nums[-1] >= n or nums[0] < 1:  # some refer to later, the same or missing claims
                nums = [v for v in nums if 0 < v < n]
                n_bad += 1
            if not multi.isdisjoint(nums):
                n_mom += 1
            multi.add(n)
            # "或", "任一" ... within 12 characters after the list, inside this claim
            stop = m.end(5) + 12
            if n < k:
                nxt = ms[n]
                e = nxt.start() if lines else nxt.start() + (nxt.group(1) != "\n")
                if e < stop:
                    stop = e
            if _ALT_ZH.search(src, m.start(5), stop) is None:
                n_notalt += 1
            pc = cat_by_n[nums[0]] if nums else None
            depth[n] = 1 + max(map(depth.__getitem__, nums), default=1)
        subj = dsubj.strip() if has_space else dsubj
        cat = cache.get(subj, "?")
        if cat == "?":
            cat = _category(subj, "zh")
        if cat is None:
            cat = pc
        elif pc is not None and pc != cat:
            n_mismatch += 1
        cat_by_n[n] = cat
    return _lane_row(src, norm, a0, k, _MARKER_CHARS[k], indep_lens, n_ref_indep, extra_refs,
                     max(depth), cats, (n_multi, n_bad, 0, n_mom, n_notalt, n_mismatch))


def _lane_row(src: str, norm: str, a0: int, k: int, marker_chars: int, indep_lens: list,
              n_ref_indep: int, extra_refs: int, depth: int, cats: set,
              counts: tuple) -> tuple | None:
    """The feature row of a Chinese text the lane has read (claims from ``a0`` in ``src``), or
    None when some reference is not one of the claim openings it read (the general path).
    ``counts``: multiple-dependent, bad-reference, numbering, multiple-on-multiple, not-as-
    alternatives and category-mismatch counts."""
    count = src.count
    if count("权利要求", a0) != k - len(indep_lens) - n_ref_indep + extra_refs:
        return None
    # total length: the text after the first marker without spaces, line breaks and the other
    # markers ("2." is 2 characters; the sentence end before it belongs to the claim before)
    total = len(src) - a0 - count("\n", a0) - marker_chars
    if " " in src:
        total -= count(" ", a0)
    n_multi, n_bad, n_numbering, n_mom, n_notalt, n_mismatch = counts
    return _row("zh", k, indep_lens, total, depth, cats, norm, n_multi, n_bad, n_numbering,
                n_mom, n_notalt, n_mismatch, 0, len(indep_lens) + n_ref_indep)


def _fast_zh_irregular(src: str, ms: list, norm: str) -> tuple | None:
    """:func:`_fast_zh` for claims numbered with gaps ("1. 2. 4.") or a repeated number
    ("1. 2. 2. 3."), read as the general path reads them (``split_claims``: a gap or a repeat
    only at a line start, a gap of at most ``max_numbering_gap``; references to a missing or a
    later claim are bad; a repeated claim counts, but the first of a number is the one others
    refer to). None when the general path could read the numbers otherwise: any other marker
    of a number the lane skips, or repeats, near the gap.
    """
    k = len(ms)
    numbers: list[int] = []
    expected = 1
    n_numbering = 0
    marks: list[tuple[int, int]] | None = None
    for j, m in enumerate(ms):
        if m.group(7) is not None:
            return None
        c = int(m.group(2))
        if c != expected:
            if j == 0 or m.group(1) != "\n":
                return None
            if expected < c <= expected + _MAX_GAP:
                lo, hi, after = expected, c, True
                n_numbering += c - expected
                expected = c + 1
            elif c == expected - 1:
                lo, hi, after = expected, expected + 1, False
                n_numbering += 1
            else:
                return None
            if marks is None:  # every marker the general path considers, (position, number)
                marks = []
                for mk in _MARK.finditer(src):
                    v = mk.group("n") or mk.group("b") or mk.group("c")
                    pos = mk.start("n") if mk.group("n") else mk.start("b" if mk.group("b") else "c")
                    marks.append((pos, int(v)))
            prev, here = ms[j - 1].start(2), m.start(2)
            for pos, v in marks:  # a marker of a skipped (or the repeated) number: not ours
                if lo <= v < hi and pos > prev and (after or pos < here) and pos != here:
                    return None
        else:
            expected = c + 1
        numbers.append(c)
    size = max(numbers) + 1
    exists = [False] * size
    for c in numbers:
        exists[c] = True
    seen = [False] * size
    depth = [0] * size
    multi = [False] * size
    cat_by_n: list[str | None] = [None] * size
    indep_lens: list[int] = []
    cats: set[str] = set()
    n_multi = n_mom = n_notalt = n_mismatch = n_bad = 0
    count = src.count
    a0 = ms[0].start(3)
    has_space = " " in src
    extra_refs = n_ref_indep = 0
    for j, m in enumerate(ms):
        c = numbers[j]
        _pre, _num, _b, isubj, lst, dsubj, _nohead = m.groups()
        if j + 1 < k:
            nxt = ms[j + 1]
            b = nxt.start() + (nxt.group(1) != "\n")
        else:
            b = len(src)
        first = not seen[c]
        seen[c] = True
        if isubj is not None:
            if len(isubj) > _ISUBJ_MAX:
                return None
            a = m.start(3)
            if count("权利要求", a, b):
                body = clean_body(src[a:b], "zh")
                refs = find_refs(body, c, "zh")
                if refs:
                    nums = sorted({v for r in refs for v in r.numbers})
                    valid = [v for v in nums if 0 < v < c and exists[v]]
                    if len(valid) != len(nums):
                        n_bad += 1
                    extra_refs += body.count("权利要求")
                    if first:
                        depth[c] = 1 + max([depth[v] for v in valid], default=1)
                        cat_by_n[c] = _category(isubj.strip(), "zh")
                    n_ref_indep += 1
                    continue
            length = b - a - count("\n", a, b)
            if has_space:
                length -= count(" ", a, b)
            indep_lens.append(length)
            cat = _category(isubj.strip(), "zh") or "product"
            cats.add(cat)
            if first:
                depth[c] = 1
                cat_by_n[c] = cat
            continue
        if len(dsubj) > _DSUBJ_MAX:
            return None
        if lst.isdigit():
            v = int(lst)
            is_multi = False
            if 0 < v < c and exists[v]:
                pc = cat_by_n[v]
                d = depth[v] + 1
            else:
                n_bad += 1
                pc = None
                d = 2
        else:
            nums = _expand_zh(lst)
            valid = [v for v in nums if 0 < v < c and exists[v]]
            if len(valid) != len(nums):
                n_bad += 1
            is_multi = True
            n_multi += 1
            if any(multi[v] for v in valid):
                n_mom += 1
            if _ALT_ZH.search(src, m.start(5), min(m.end(5) + 12, b)) is None:
                n_notalt += 1
            pc = cat_by_n[valid[0]] if valid else None
            d = 1 + max([depth[v] for v in valid], default=1)
        cat = _category(dsubj.strip() if has_space else dsubj, "zh")
        if cat is None:
            cat = pc
        elif pc is not None and pc != cat:
            n_mismatch += 1
        if first:
            depth[c] = d
            multi[c] = is_multi
            cat_by_n[c] = cat
    return _lane_row(src, norm, a0, k, sum([len(m.group(2)) + 1 for m in ms[1:]]), indep_lens,
                     n_ref_indep, extra_refs, max(depth), cats,
                     (n_multi, n_bad, n_numbering, n_mom, n_notalt, n_mismatch))


@lru_cache(maxsize=4096)
def _expand_zh(lst: str) -> tuple[int, ...]:
    """Sorted distinct claim numbers of a reference list ("1至3", "1、2或4")."""
    nums, _cited = _expand(lst, "zh", int(thresholds()["max_range_expansion"]))
    return tuple(sorted(set(nums)))


def features_one(text: object, fast: bool = True) -> tuple[float, ...]:
    """The feature values of one claims text (NaN for a missing or empty text).

    Same definitions as :func:`features_from_claimset` on :func:`parse_claims`' result, computed
    without building claim objects or running spaCy.
    """
    if not isinstance(text, str) or not text or text.isspace():
        return _NAN_ROW
    return _features_norm(normalise(text), fast)


def _features_norm(norm: str, fast: bool = True) -> tuple[float, ...]:
    lang = detect_lang(norm)
    if fast and lang == "zh":
        res = _fast_zh(norm)
        if res is not None:
            return res
    sp = split_claims(norm, lang)
    numbers = sp.numbers
    if len(numbers) > _MAX_CLAIMS:
        return _NAN_ROW
    existing = set(numbers)
    depth: dict[int, int] = {}
    multi: dict[int, bool] = {}
    cat_by_n: dict[int, str | None] = {}
    indep_lens: list[int] = []
    dep_lens: list[int] = []
    cats: set[str] = set()
    n_multi = n_bad = n_mom = n_notalt = n_mismatch = n_indep_cn = 0
    zh = lang == "zh"
    for n, body in zip(numbers, sp.bodies, strict=True):
        refs = find_refs(body, n, lang)
        length = (len(body) - body.count(" ")) if zh else len(body.split())
        if not refs:
            n_indep_cn += 1
            indep_lens.append(length)
            cat = _category(claim_subject(body, refs, False, lang), lang) or "product"
            cats.add(cat)
            if n not in depth:
                depth[n] = 1
                multi[n] = False
                cat_by_n[n] = cat
            continue
        dep_lens.append(length)
        if len(refs) == 1 and len(refs[0].numbers) == 1:
            nums = refs[0].numbers
        else:
            nums = sorted({v for r in refs for v in r.numbers})
        valid = [v for v in nums if v < n and v in existing]
        if len(valid) != len(nums):
            n_bad += 1
        dep_form, dep_match = dependent_form(body, refs, lang)
        n_indep_cn += not dep_form
        # a claim of its own category citing several claims is independent in CN practice, not a
        # multiple dependent claim
        is_multi = len(nums) > 1 and (dep_form or not zh)
        if is_multi:
            n_multi += 1
            if any(multi.get(v, False) for v in valid):
                n_mom += 1
            if any(not r.alternative for r in refs):
                n_notalt += 1
        pc = cat_by_n.get(valid[0]) if valid else None
        cat = _category(claim_subject(body, refs, dep_form, lang, dep_match), lang)
        if dep_form:
            if cat is None:
                cat = pc
            elif pc is not None and pc != cat:
                n_mismatch += 1
        if n not in depth:
            depth[n] = 1 + max([depth.get(v, 1) for v in valid], default=1)
            multi[n] = is_multi
            cat_by_n[n] = cat
    return _row(
        lang,
        len(numbers),
        indep_lens,
        sum(indep_lens) + sum(dep_lens),
        max(depth.values(), default=math.nan),
        cats,
        norm,
        n_multi,
        n_bad,
        len(sp.gaps) + len(sp.duplicates),
        n_mom,
        n_notalt,
        n_mismatch,
        len(sp.cancelled),
        n_indep_cn,
    )


def _row(
    lang: str,
    n_claims: int,
    indep_lens: list[int],
    total: int,
    max_depth: float,
    cats: set[str],
    norm: str,
    n_multi: int,
    n_bad: int,
    n_numbering: int,
    n_mom: int,
    n_notalt: int,
    n_mismatch: int,
    n_cancelled: int,
    n_indep_cn: int,
) -> tuple[float, ...]:
    n_indep = len(indep_lens)
    n_dep = n_claims - n_indep
    sum_indep = sum(indep_lens)
    first_len = indep_lens[0] if indep_lens else math.nan
    limit = _LONG_FIRST[lang]
    return (
        n_claims,
        n_indep,
        n_dep,
        max_depth,
        n_multi,
        first_len,
        sum_indep / n_indep if n_indep else math.nan,
        (total - sum_indep) / n_dep if n_dep else math.nan,
        total,
        len(cats),
        "product" in cats,
        "apparatus" in cats,
        "system" in cats,
        "method" in cats,
        "use" in cats,
        count_vague(norm, lang),
        n_bad,
        n_numbering,
        n_mom,
        n_notalt,
        n_mismatch,
        (first_len > limit) if n_indep else math.nan,
        n_cancelled,
        lang == "zh",
        n_indep_cn,
    )


def features_from_claimset(cs, text: str) -> tuple[float, ...]:
    """The same features computed from a :class:`ClaimSet` (the reference definition)."""
    norm = normalise(text)
    claims = cs.claims
    by_n: dict = {}
    for c in claims:
        by_n.setdefault(c.number, c)
    existing = set(by_n)
    indep_lens = [c.length for c in claims if c.independent]
    dep_lens = [c.length for c in claims if not c.independent]
    depth = {c.number: c.depth for c in reversed(claims)}
    cats = {c.category for c in claims if c.independent}
    n_multi = sum(multiple_dependent(c, cs.lang) for c in claims)
    n_bad = sum(any(v >= c.number or v not in existing for v in c.depends_on) for c in claims)
    codes = [f.code for f in cs.findings]
    return _row(
        cs.lang,
        len(claims),
        indep_lens,
        sum(indep_lens) + sum(dep_lens),
        max(depth.values(), default=math.nan),
        cats,
        norm,
        n_multi,
        n_bad,
        len(cs.gaps) + len(cs.duplicates),
        codes.count("multiple_on_multiple"),
        codes.count("multiple_not_alternative"),
        codes.count("category_mismatch"),
        len(cs.cancelled),
        cs.n_independent_cn,
    )


def claim_features(texts: pd.Series, cache=None) -> pd.DataFrame:
    """Claim features for many claims texts: one row per text, same index, float64 columns.

    The batch path uses compiled regular expressions only (no spaCy); missing or empty texts give
    NaN in every column. Column meanings: :data:`CLAIM_FEATURES` (all of stage ``draft``).

    Parameters
    ----------
    texts : pandas.Series or list of str
    cache : ClaimFeatureCache, str, Path or None
        A content-hash cache (:class:`~hvpscore.claims.ClaimFeatureCache`, or the path of its
        file): texts already seen are not parsed again; new ones are
        added. The values are the same with or without it. None: no cache.

    Raises
    ------
    InputError
        ``texts`` is not a pandas Series (or a list of strings).
    """
    from hvpscore.claims._cache import ClaimFeatureCache

    if isinstance(texts, (list, tuple)):
        texts = pd.Series(texts, dtype=object)
    if not isinstance(texts, pd.Series):
        raise InputError(
            f"texts: expected a pandas Series of claims texts, got {type(texts).__name__}; "
            "pass e.g. records['claims_text']."
        )
    if cache is not None and not isinstance(cache, ClaimFeatureCache):
        cache = ClaimFeatureCache(cache)
    n = len(texts)
    arr = np.empty((n, len(CLAIM_FEATURE_NAMES)), dtype=np.float64)
    # in chunks: the Python strings of one chunk at a time (bounded memory, warm caches)
    for start in range(0, n, _CHUNK):
        chunk = texts.iloc[start : start + _CHUNK].tolist()
        if cache is None:
            arr[start : start + len(chunk)] = [features_one(t) for t in chunk]
        else:
            arr[start : start + len(chunk)] = _cached_rows(chunk, cache)
    return pd.DataFrame(arr, index=texts.index, columns=CLAIM_FEATURE_NAMES)


def _cached_rows(chunk: list, cache) -> np.ndarray:
    from hvpscore.claims._cache import text_key

    width = len(CLAIM_FEATURE_NAMES)
    out = np.full((len(chunk), width), np.nan)
    pos = [i for i, t in enumerate(chunk) if isinstance(t, str) and t and not t.isspace()]
    keys = [text_key(chunk[i]) for i in pos]  # the text as read: hits are not normalised
    found = cache.get_many(keys, raw=True)  # key -> the row's bytes
    hit = [found.get(k) for k in keys]
    have = [j for j, v in enumerate(hit) if v is not None]
    if have:  # the cached rows in one piece
        out[[pos[j] for j in have]] = np.frombuffer(b"".join([hit[j] for j in have]),
                                                    dtype="<f8").reshape(-1, width)
    if len(have) < len(keys):
        new: dict[bytes, np.ndarray] = {}
        for j, v in enumerate(hit):
            if v is None:
                k = keys[j]
                row = new.get(k)
                if row is None:
                    row = new[k] = np.asarray(_features_norm(normalise(chunk[pos[j]])),
                                              dtype=np.float64)
                out[pos[j]] = row
        cache.put_many(new)
    return out
