"""Load the claims analysis data files (lexicons, thresholds, zh/en texts) from package data."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from hvpscore._yaml import safe_load as _yaml_safe_load

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
    return _yaml_safe_load(text)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return _load("lexicon.yaml")


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Any]:
    return _load("thresholds.yaml")


@lru_cache(maxsize=1)
def messages() -> dict[str, Any]:
    return _load("messages.yaml")


def _term_rest(term: str, lang: str) -> str:
    """The pattern of a lower-case term after its first character: the rest of the term, and
    for English a whole word (no letter follows; that none stands before is the character the
    English pattern consumes first, see :func:`vague_regex`), on lower-cased text. An English
    term ending in another character ("e.g.") leaves that character to a look-ahead, so it can
    stand before the next term as the original pattern let it."""
    if lang == "en" and not term[-1:].isalpha():
        return re.escape(term[1:-1]) + f"(?={re.escape(term[-1])})"
    pat = re.escape(term[1:])
    if lang == "en":
        pat += r"(?![a-z])"
    return pat


@lru_cache(maxsize=2)
def vague_regex(lang: str):
    """The vague terms of ``lang`` as one compiled pattern (longest term first).

    An occurrence inside one of the excluded words (等 in 等于, 厚 in 厚度, essentially in
    "consisting essentially of") does not match: each excluded word becomes a negative
    look-ahead (with a look-behind for the part before the term). Terms marked ``number_after``
    match only before a number. English is matched on lower-cased text. Returns the pattern and
    the lexicon entry by lower-cased term.

    The terms are grouped by their first character, each group in the longest-first order
    (``等(?:…|…)``): at any position only the terms of that character can match and they are
    tried in the same order, so the matches are those of the flat alternation; the scan tries
    one branch per first character instead of one per term. English terms are whole words: the
    pattern consumes the non-letter before the word (:func:`count_vague` puts a space before
    the text), which no earlier match can have consumed (they end with a letter, or leave a
    last non-letter to a look-ahead).
    """
    entries = lexicon()["vague"][lang]
    excl: set[str] = set()
    info: dict[str, dict] = {}
    for e in entries:
        excl.update(x.lower() for x in (e.get("exclude", []) or []))
        info[e["text"].lower()] = e
    groups: dict[str, list[str]] = {}
    for t in sorted(info, key=len, reverse=True):
        # checked after the term matched (the literal first keeps the scan fast): the excluded
        # word x = pre + term + post is present when pre + term stands behind and post ahead
        guards = []
        for x in sorted(excl):
            k = x.find(t)
            while k >= 0:
                pre_term, post = x[: k + len(t)], x[k + len(t) :]
                if post and k:
                    guards.append(f"(?!(?<={re.escape(pre_term)}){re.escape(post)})")
                elif post:
                    guards.append(f"(?!{re.escape(post)})")
                elif k:
                    guards.append(f"(?<!{re.escape(pre_term)})")
                k = x.find(t, k + 1)
        if lang == "en" and (
            not t[:1].isalpha()
            or (guards or info[t].get("number_after")) and not t[-1].isalpha()
        ):
            raise ValueError(f"lexicon: English vague term {t!r} must start with a letter and, "
                             "with exclusions or number_after, end with one")
        p = _term_rest(t, lang) + "".join(guards)
        if info[t].get("not_after_quantity"):
            # not after a number and a length unit ("2mm厚", "3 毫米厚"): one fixed-width
            # look-behind per unit (with and without a space after the number), checked after
            # the term's own first character matched
            units = sorted(lexicon()["length_units"], key=len, reverse=True)
            before = "".join(f"(?<![0-9]{sp}{re.escape(u)}{re.escape(t)})"
                             for u in units for sp in ("", " "))
            p += before
        if info[t].get("number_after"):
            fill = "|".join(re.escape(f) for f in lexicon()["number_fillers"])
            p += rf"(?=(?:{fill}){{0,3}}[0-9])"
        groups.setdefault(re.escape(t[:1]), []).append(p)
    parts = [
        first + (rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")")
        for first, rest in groups.items()
    ]
    if lang == "en":
        # a whole word: the character before it (not a letter) is consumed first, on the text
        # after a space (count_vague); a scan for non-letters instead of for most letters
        return re.compile("[^a-z](?:" + "|".join(parts) + ")"), info
    return re.compile("|".join(parts)), info


def count_vague(norm: str, lang: str) -> int:
    """Occurrences of vague terms in ``norm`` (the batch path)."""
    if lang == "en":
        return len(vague_regex(lang)[0].findall(" " + norm.lower()))
    return len(vague_regex(lang)[0].findall(norm))


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
