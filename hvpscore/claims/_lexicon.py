"""Load the claims analysis data files (lexicons, thresholds, zh/en texts) from package data."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "count_vague",
    "lexicon",
    "thresholds",
    "messages",
    "vague_regex",
    "category_rules",
    "transitional_rules",
]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("hvpscore.claims").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return _load("lexicon.yaml")


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Any]:
    return _load("thresholds.yaml")


@lru_cache(maxsize=1)
def messages() -> dict[str, Any]:
    return _load("messages.yaml")


def _term_pattern(text: str, lang: str) -> str:
    pat = re.escape(text)
    if lang == "en":
        pat = r"(?<![A-Za-z])" + pat + r"(?![A-Za-z])"
    return pat


@lru_cache(maxsize=2)
def vague_regex(
    lang: str,
) -> tuple[re.Pattern[str], dict[str, dict], dict[str, list[tuple[str, int]]]]:
    """The vague terms of ``lang`` as one compiled pattern (longest term first).

    Terms marked ``number_after`` carry a look-ahead for a number. Returns the pattern, the
    lexicon entry by lower-cased term, and for each term the excluded words that contain it with
    the term's offset inside them: an occurrence inside such a word is not vague (等 in 等于).
    """
    entries = lexicon()["vague"][lang]
    excl: set[str] = set()
    info: dict[str, dict] = {}
    for e in entries:
        excl.update(e.get("exclude", []) or [])
        info[e["text"].lower()] = e
    parts = []
    for t in sorted(info, key=len, reverse=True):
        p = _term_pattern(info[t]["text"], lang)
        if info[t].get("number_after"):
            p += r"(?=[ ~]{0,3}[0-9])"
        parts.append(p)
    flags = re.IGNORECASE if lang == "en" else 0
    # for each term: {(offset of the term in the excluded word, word length): {excluded words}}
    inside: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for t in info:
        groups: dict[tuple[int, int], set[str]] = {}
        for x in excl:
            xl = x.lower()
            k = xl.find(t)
            while k >= 0:
                groups.setdefault((k, len(xl)), set()).add(xl)
                k = xl.find(t, k + 1)
        inside[t] = [(k, n, frozenset(ws)) for (k, n), ws in sorted(groups.items())]
    return re.compile("|".join(parts), flags), info, inside


def count_vague(norm: str, lang: str) -> int:
    """Occurrences of vague terms in ``norm`` (the batch path)."""
    pat, _info, inside = vague_regex(lang)
    n = 0
    en = lang == "en"
    for m in pat.finditer(norm):
        t = m.group()
        ex = inside[t.lower() if en else t]
        if ex and _inside_excluded(norm, m.start(), ex, en):
            continue
        n += 1
    return n


def _inside_excluded(text: str, s: int, ex, en: bool) -> bool:
    for k, n, words in ex:
        a = s - k
        if a < 0:
            continue
        seg = text[a : a + n]
        if (seg.lower() if en else seg) in words:
            return True
    return False


@lru_cache(maxsize=2)
def category_rules(lang: str) -> tuple[re.Pattern[str], dict[str, str], dict[str, int]]:
    """A pattern matching any category keyword, the keyword -> category map, category priority."""
    cats = lexicon()["categories"][lang]
    kw: dict[str, str] = {}
    prio: dict[str, int] = {}
    for i, (cat, words) in enumerate(cats.items()):
        prio[cat] = i
        for w in words:
            kw.setdefault(w.lower(), cat)
    alts = sorted(kw, key=len, reverse=True)
    if lang == "en":
        pat = r"(?<![A-Za-z])(" + "|".join(re.escape(a) for a in alts) + r")(?:s|es)?(?![A-Za-z])"
        return re.compile(pat, re.IGNORECASE), kw, prio
    return re.compile("(" + "|".join(re.escape(a) for a in alts) + ")"), kw, prio


@lru_cache(maxsize=2)
def transitional_rules(lang: str) -> tuple[re.Pattern[str], list[tuple[str, str]]]:
    """One pattern with a named group per transitional phrase; list of (phrase, type) by group."""
    rules = lexicon()["transitional"][lang]
    parts = []
    meta = []
    for i, r in enumerate(rules):
        parts.append(f"(?P<t{i}>{r['pattern']})")
        meta.append((r["phrase"], r["type"]))
    flags = re.IGNORECASE if lang == "en" else 0
    return re.compile("|".join(parts), flags), meta
