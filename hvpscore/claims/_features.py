"""claim_features: the fast batch path (compiled regular expressions, no spaCy)."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml

from hvpscore._errors import InputError
from hvpscore.claims._deps import (
    category_of,
    claim_length,
    claim_subject,
    find_refs,
    is_dependent_form,
)
from hvpscore.claims._lexicon import thresholds, vague_regex
from hvpscore.claims._parse import split_claims
from hvpscore.claims._text import detect_lang, normalise

__all__ = ["FeatureSpec", "CLAIM_FEATURES", "CLAIM_FEATURE_NAMES", "claim_features", "features_one"]


class FeatureSpec(NamedTuple):
    """A claim feature: column name, zh and en description, stage (always ``draft``)."""

    name: str
    zh: str
    en: str
    stage: str = "draft"


@lru_cache(maxsize=1)
def _specs() -> tuple[FeatureSpec, ...]:
    text = resources.files("hvpscore.claims").joinpath("data", "features.yaml").read_text("utf-8")
    data = yaml.safe_load(text)["features"]
    return tuple(FeatureSpec(k, v[0], v[1]) for k, v in data.items())


CLAIM_FEATURES: list[FeatureSpec] = list(_specs())
CLAIM_FEATURE_NAMES: list[str] = [f.name for f in CLAIM_FEATURES]
_CATS = ("product", "apparatus", "system", "method", "use")
_NAN_ROW = (math.nan,) * len(CLAIM_FEATURE_NAMES)


def features_one(text: object) -> tuple[float, ...]:
    """The feature values of one claims text (NaN for a missing or empty text)."""
    if not isinstance(text, str) or not text.strip():
        return _NAN_ROW
    norm = normalise(text)
    lang = detect_lang(norm)
    sp = split_claims(norm, lang)
    numbers = sp.numbers
    existing = set(numbers)
    cancelled = set(sp.cancelled)
    depth: dict[int, int] = {}
    multi: dict[int, bool] = {}
    cat_by_n: dict[int, str | None] = {}
    n_indep = 0
    indep_lens: list[int] = []
    dep_lens: list[int] = []
    cats: set[str] = set()
    n_multi = n_bad = n_mom = n_notalt = n_mismatch = 0
    for n, body in zip(numbers, sp.bodies, strict=True):
        refs = find_refs(body, n, lang) if body else []
        length = claim_length(body, lang)
        if not refs:
            n_indep += 1
            indep_lens.append(length)
            cat = category_of(claim_subject(body, refs, False, lang), lang) or "product"
            cats.add(cat)
            depth.setdefault(n, 1)
            multi.setdefault(n, False)
            cat_by_n.setdefault(n, cat)
            continue
        dep_lens.append(length)
        nums = {v for r in refs for v in r.numbers}
        valid = [v for v in nums if v < n and v in existing and v not in cancelled]
        if len(valid) != len(nums):
            n_bad += 1
        is_multi = len(nums) > 1
        multi.setdefault(n, is_multi)
        if is_multi:
            n_multi += 1
            if any(multi.get(v, False) for v in valid):
                n_mom += 1
            if any(len(set(r.numbers)) > 1 and not r.alternative for r in refs):
                n_notalt += 1
        depth.setdefault(n, 1 + max((depth.get(v, 1) for v in valid), default=1))
        cat = None
        if is_dependent_form(body, refs, lang):
            cat = category_of(claim_subject(body, refs, True, lang), lang)
            parent = min(valid) if valid else None
            pc = cat_by_n.get(parent) if parent is not None else None
            if cat is None:
                cat = pc
            elif pc is not None and pc != cat:
                n_mismatch += 1
        cat_by_n.setdefault(n, cat)
    n_claims = len(numbers)
    first_len = indep_lens[0] if indep_lens else math.nan
    limit = thresholds()["long_first_claim"][lang]
    return (
        n_claims,
        n_indep,
        n_claims - n_indep,
        max(depth.values(), default=math.nan),
        n_multi,
        first_len,
        sum(indep_lens) / len(indep_lens) if indep_lens else math.nan,
        sum(dep_lens) / len(dep_lens) if dep_lens else math.nan,
        sum(indep_lens) + sum(dep_lens),
        len(cats),
        "product" in cats,
        "apparatus" in cats,
        "system" in cats,
        "method" in cats,
        "use" in cats,
        _count_vague(norm, lang),
        n_bad,
        len(sp.gaps) + len(sp.duplicates),
        n_mom,
        n_notalt,
        n_mismatch,
        (first_len > limit) if indep_lens else math.nan,
        len(sp.cancelled),
        lang == "zh",
    )


def _count_vague(norm: str, lang: str) -> int:
    pat, _ = vague_regex(lang)
    n = 0
    for m in pat.finditer(norm):
        if m.lastgroup == "v":
            n += 1
    return n


def claim_features(texts: pd.Series) -> pd.DataFrame:
    """Claim features for many claims texts: one row per text, same index, float64 columns.

    The batch path uses compiled regular expressions only (no spaCy); missing or empty texts give
    NaN in every column. Column meanings: :data:`CLAIM_FEATURES` (all of stage ``draft``).

    Raises
    ------
    InputError
        ``texts`` is not a pandas Series (or a list of strings).
    """
    if isinstance(texts, (list, tuple)):
        texts = pd.Series(texts, dtype=object)
    if not isinstance(texts, pd.Series):
        raise InputError(
            f"texts: expected a pandas Series of claims texts, got {type(texts).__name__}; "
            "pass e.g. records['claims_text']."
        )
    rows = [features_one(t) for t in texts.tolist()]
    arr = np.array(rows, dtype=np.float64).reshape(len(rows), len(CLAIM_FEATURE_NAMES))
    return pd.DataFrame(arr, index=texts.index, columns=CLAIM_FEATURE_NAMES)
