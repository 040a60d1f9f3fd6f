"""Exact comparison of two records: set similarities, claim-to-claim matching, the differing
words and the shared passages (what a reviewer reads to judge the pair)."""

from __future__ import annotations

import difflib
import re

import numpy as np

from hvpscore.screening._normalize import normalize, shingle_hashes, split_claims

__all__ = ["Doc", "claim_matches", "differing_words", "jaccard_containment", "shared_passages"]

_DEP_ZH = re.compile(r"^(?:根据|按照|依据|如|按)?权利要求\s*\d")
_DEP_EN = re.compile(r"\b(?:claim|claims)\s+\d", re.I)


class Doc:
    """One record's claims and abstract, normalised and shingled once."""

    __slots__ = ("_abstract_set", "_claim_sets", "abstract", "claim_norms", "claims", "lang",
                 "set")

    def __init__(self, claims_text: str | None, abstract: str | None, lang: str, *,
                 claims: list[str] | None = None):
        self.lang = lang
        self.claims = split_claims(claims_text) if claims is None else claims
        self.claim_norms = [normalize(c, lang, cleaned=True) for c in self.claims]
        joined = (" " if lang == "en" else "").join(self.claim_norms)
        self.set = shingle_hashes(joined, lang)
        self.abstract = abstract or ""
        self._claim_sets = None
        self._abstract_set = None

    @property
    def claim_sets(self) -> list[np.ndarray]:
        if self._claim_sets is None:
            self._claim_sets = [shingle_hashes(n, self.lang) for n in self.claim_norms]
        return self._claim_sets

    @property
    def abstract_set(self) -> np.ndarray:
        if self._abstract_set is None:
            self._abstract_set = shingle_hashes(normalize(self.abstract, self.lang), self.lang)
        return self._abstract_set

    def independent(self, i: int) -> bool:
        head = self.claims[i][:60]
        return not (_DEP_ZH.search(head) if self.lang == "zh" else _DEP_EN.search(head))


def jaccard_containment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted unique hash arrays; containment = |A∩B| / min(|A|,|B|)
    (one set mostly inside the other: a copy with a feature added)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def claim_matches(x: Doc, y: Doc, min_sim: float) -> list[dict]:
    """Claim i of x <-> claim j of y, greedily by descending Jaccard, one-to-one, ≥ min_sim."""
    if not x.claim_sets or not y.claim_sets:
        return []
    sims = np.zeros((len(x.claim_sets), len(y.claim_sets)))
    for i, a in enumerate(x.claim_sets):
        for j, b in enumerate(y.claim_sets):
            sims[i, j] = jaccard_containment(a, b)[0]
    out = []
    used_i: set[int] = set()
    used_j: set[int] = set()
    for flat in np.argsort(-sims, axis=None, kind="stable"):
        i, j = divmod(int(flat), sims.shape[1])
        s = float(sims[i, j])
        if s < min_sim:
            break
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append({"claim_a": i + 1, "claim_b": j + 1, "similarity": round(s, 3),
                    "independent_a": x.independent(i), "independent_b": y.independent(j)})
    out.sort(key=lambda m: m["claim_a"])
    return out


_ZH_WORDISH = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?|[^\s]")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*|\d+(?:\.\d+)?|[^\sA-Za-z\d]")


def _toks(text: str, lang: str) -> list[str]:
    return (_ZH_WORDISH if lang == "zh" else _EN_WORD).findall(text)


def differing_words(a: str, b: str, lang: str, limit: int = 12) -> list[dict]:
    """What changed from a to b: ``{"a": removed, "b": added, "times": n}`` runs of a token diff
    (characters for Chinese, words for English), each distinct change once with its count, at
    most ``limit`` of them; numbers kept so a changed value shows."""
    ta, tb = _toks(a, lang), _toks(b, lang)
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    sep = "" if lang == "zh" else " "
    out: dict[tuple[str, str], int] = {}
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        ra, rb = sep.join(ta[i1:i2]).strip(), sep.join(tb[j1:j2]).strip()
        if re.fullmatch(r"[\W_]*", ra + rb):
            continue  # punctuation only
        if (ra, rb) not in out and len(out) >= limit:
            continue
        out[(ra, rb)] = out.get((ra, rb), 0) + 1
    return [{"a": a, "b": b, "times": k} for (a, b), k in out.items()]


def shared_passages(a: str, b: str, lang: str, min_len: int | None = None,
                    limit: int = 5) -> list[str]:
    """The longest passages the two texts share verbatim (≥ 8 characters zh / 5 words en)."""
    ta, tb = _toks(a, lang), _toks(b, lang)
    min_len = min_len or (8 if lang == "zh" else 5)
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    sep = "" if lang == "zh" else " "
    blocks = sorted((m for m in sm.get_matching_blocks() if m.size >= min_len),
                    key=lambda m: -m.size)[:limit]
    return [sep.join(ta[m.a: m.a + m.size]) for m in blocks]
