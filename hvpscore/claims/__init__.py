"""Claims analysis: claim tree, examiner findings and model features, for Chinese and English.

* :func:`parse_claims` / :func:`analyze_claims` — one draft: numbered claims, dependencies, depth,
  categories, transitional phrases, lengths, and findings (zh/en messages) — the single-draft path
  (spaCy blank pipelines for wording checks).
* :func:`claim_features` — many texts at once: named numeric features (:data:`CLAIM_FEATURES`),
  compiled regular expressions only.
"""

from hvpscore.claims._analyze import analyze_claims, parse_claims
from hvpscore.claims._features import (
    CLAIM_FEATURE_NAMES,
    CLAIM_FEATURES,
    FeatureSpec,
    claim_features,
)
from hvpscore.claims._model import Claim, ClaimSet, Finding
from hvpscore.claims._text import detect_lang

__all__ = [
    "CLAIM_FEATURES",
    "CLAIM_FEATURE_NAMES",
    "Claim",
    "ClaimSet",
    "FeatureSpec",
    "Finding",
    "analyze_claims",
    "claim_features",
    "detect_lang",
    "parse_claims",
]
