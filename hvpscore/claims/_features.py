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
from hvpscore.claims._parse import _PAGE_LINE, clean_body, split_claims
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
# "1" .. "1000", and the characters of the markers "2." .. "k." (claims 2 to k)
_NUM_STR = [str(i) for i in range(_MAX_CLAIMS + 2)]
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
_FAST_HEAD = (
    r"[ ]*(\d{1,3})[ ]*[.、](?![0-9])[ \n]*()"
    r"(?:(?:一种|一種|一个|一個|一类|一套|一组)([^，,。；;：:]{1,60}?)(?=[，,。；;：:]|其特征|其特徵|包括|包含|含有)"
    r"|(?:根据|如|按照|按|依据|依照|基于)?[ ]*权利要求[ ]*"
    r"(\d{1,3}(?:[ ]*(?:至|到|-|~|、|或)[ ]*\d{1,3})*)"
    r"[ ]*(?:中任一项|中任意一项|任一项|任意一项|中任一|任一|任意一)?[ ]*所述[的之]?"
    r"([^，,。；;：:]{0,40}?)(?=[，,。；;：:]|其特征|其特徵|其中|还包括|還包括|包括)"
    r"|())"
)
_FAST_ZH = re.compile(r"([\n。；;!?！？:：])" + _FAST_HEAD)
# claims one per line (no "。2." in the text): a literal first character makes the scan twice
# as fast on Chinese text; a marker after any other sentence end can then only add a claim
# after the last one, which _TAIL_MARK checks
_FAST_ZH_LINES = re.compile(r"(\n)" + _FAST_HEAD)
_RUN_ON_JU = re.compile(r"。[ ]*\d{1,3}[ ]*[.、](?![0-9])")
_TAIL_MARK = re.compile(r"(?:[。；;!?！？:：]|\.[ ])[ ]*\d{1,3}[ ]*[.、](?![0-9])")
# a line break that does not open a numbered line: a space, as the general path reads it
_NL_INNER = re.compile(r"[ ]*\n[ \n]*(?![ ]*\d{1,3}[ ]*[.、](?![0-9]))")
_LINE_RUN = re.compile(r"(\n[ \n]*)")
_MARKER_AHEAD = re.compile(r"\d{1,3}[ ]*[.、](?![0-9])")


def _join_lines(norm: str) -> str:
    """Wrapped lines joined as ``_NL_INNER.sub(" ", _NL_CJK.sub("", norm))`` joins them, in one
    split on line breaks (the two patterns have no literal prefix: they try every position).

    Every run of spaces and line breaks that holds a line break is: dropped between two
    non-ASCII characters (wrapped Chinese); kept when a claim number follows and the run holds
    one line break (the claim's own line), or reduced to a space and its last line break when it
    holds several; otherwise one space. The tests check it against the two patterns.
    """
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
    if _RUN_ON_JU.search(src) is None:
        ms = list(_FAST_ZH_LINES.finditer(src))
    else:
        ms = list(_FAST_ZH.finditer(src))
    k = len(ms)
    if k == 0 or k > _MAX_CLAIMS:
        return None
    if _TAIL_MARK.search(src, ms[-1].end()) is not None:
        return None
    if joined is None and src.count("\n", ms[0].start(3)) > k + 1:
        # claims over several lines: join wrapped Chinese lines as the general path does
        if _PAGE_LINE.search(norm) is not None:
            return None
        return _fast_zh(norm, joined=_join_lines(norm))
    depth = [0] * (k + 1)
    multi = [False] * (k + 1)
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
    for n, m in enumerate(ms, 1):
        _pre, num, _b, isubj, lst, dsubj, nohead = m.groups()
        if nohead is not None or num != _NUM_STR[n]:
            return None
        if isubj is not None:
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
                    if nums[-1] >= n or nums[0] < 1:  # a later, the same or a missing claim
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
            multi[n] = True
            n_multi += 1
            if nums[-1] >= n or nums[0] < 1:  # some refer to later, the same or missing claims
                nums = [v for v in nums if 0 < v < n]
                n_bad += 1
            if any(multi[v] for v in nums):
                n_mom += 1
            if _ALT_ZH.search(src, m.start(5), m.end(5) + 12) is None:
                n_notalt += 1
            pc = cat_by_n[nums[0]] if nums else None
            depth[n] = 1 + max([depth[v] for v in nums], default=1)
        subj = dsubj.strip() if has_space else dsubj
        cat = cache.get(subj, "?")
        if cat == "?":
            cat = _category(subj, "zh")
        if cat is None:
            cat = pc
        elif pc is not None and pc != cat:
            n_mismatch += 1
        cat_by_n[n] = cat
    # every reference must be one of the claim openings read above
    if count("权利要求", a0) != k - len(indep_lens) - n_ref_indep + extra_refs:
        return None
    # total length: the text after the first marker without spaces, line breaks and the other
    # markers ("2." is 2 characters; the sentence end before it belongs to the claim before)
    total = len(src) - a0 - count("\n", a0) - _MARKER_CHARS[k]
    if has_space:
        total -= count(" ", a0)
    return _row(
        "zh",
        k,
        indep_lens,
        total,
        max(depth),
        cats,
        norm,
        n_multi,
        n_bad,
        0,
        n_mom,
        n_notalt,
        n_mismatch,
        0,
        len(indep_lens) + n_ref_indep,
    )


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
    limit = thresholds()["long_first_claim"][lang]
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
        file): texts already seen (after normalisation) are not parsed again; new ones are
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
    norms = [normalise(chunk[i]) for i in pos]
    keys = [text_key(v) for v in norms]
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
                    row = new[k] = np.asarray(_features_norm(norms[j]), dtype=np.float64)
                out[pos[j]] = row
        cache.put_many(new)
    return out
