"""Load the claims analysis data files (lexicons, thresholds, zh/en texts) from package data."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
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
def vague_regex(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One compiled pattern for the vague terms of ``lang``.

    Group ``x`` matches an excluded longer word (consumed, not counted); group ``v`` a vague term.
    Returns the pattern and a map from the lower-cased term to its kind.
    """
    entries = lexicon()["vague"][lang]
    excl: set[str] = set()
    terms: list[tuple[str, bool]] = []
    kinds: dict[str, str] = {}
    for e in entries:
        excl.update(e.get("exclude", []) or [])
        terms.append((e["text"], bool(e.get("number_after", False))))
        kinds[e["text"].lower()] = e["kind"]
    ex = "|".join(_term_pattern(t, lang) for t in sorted(excl, key=len, reverse=True))
    parts = []
    for t, num in sorted(terms, key=lambda x: len(x[0]), reverse=True):
        p = _term_pattern(t, lang)
        if num:
            p += r"(?=[\s~]{0,3}[0-9])"
        parts.append(p)
    vg = "|".join(parts)
    flags = re.IGNORECASE if lang == "en" else 0
    pattern = f"(?P<x>{ex})|(?P<v>{vg})" if ex else f"(?P<x>(?!))|(?P<v>{vg})"
    return re.compile(pattern, flags), kinds


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
