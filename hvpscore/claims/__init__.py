"""Claims analysis: claim tree, examiner findings and model features, for Chinese and English.

* :func:`parse_claims` / :func:`analyze_claims` — one draft: numbered claims, dependencies, depth,
  categories, transitional phrases, lengths, and findings (zh/en messages) — the single-draft path
  (spaCy blank pipelines for wording checks).
* :func:`claim_features` — many texts at once: named numeric features (:data:`CLAIM_FEATURES`,
  stage ``draft``), compiled regular expressions only (a one-pass lane for the common Chinese
  layouts, the general parser for everything else; both give the same values); with a
  :class:`ClaimFeatureCache` (SQLite sidecar keyed by a hash of the text and the
  feature version) a rescoring parses only new or changed texts.
* :attr:`ClaimSet.independent` is the office-markup reading (claims that refer to no other);
  :attr:`ClaimSet.independent_cn` the Chinese practice (a claim of its own category citing
  another, 一种制备权利要求1所述产品的方法, is independent too).

Findings (:data:`FINDING_CODES`; texts and severities in ``data/messages.yaml``):
``vague_term`` (CNIPA Guidelines / US 112(b) terms, ``data/lexicon.yaml``), ``ref_later``,
``ref_missing``, ``ref_self``, ``multiple_on_multiple``, ``multiple_not_alternative``,
``numbering_gap``, ``numbering_duplicate``, ``category_mismatch``, ``long_first_claim``
(``data/thresholds.yaml``), ``antecedent_basis`` (English, a warning), ``no_independent``,
``no_numbering``, ``empty_claims``.

Examples
--------
>>> from hvpscore.claims import parse_claims
>>> cs = parse_claims("1. 一种杯子，包括较厚的杯体。\\n2. 根据权利要求1所述的杯子，其中杯体约2mm厚。")
>>> cs.independent, [c.depth for c in cs.claims], [f.code for f in cs.findings]
([1], [1, 2], ['vague_term', 'vague_term'])
>>> [f.claim for f in cs.findings]  # 较厚 in claim 1; 约2mm in claim 2 (2mm厚 states it)
[1, 2]
"""

from hvpscore.claims._analyze import analyze_claims, parse_claims
from hvpscore.claims._cache import CLAIM_FEATURES_VERSION, ClaimFeatureCache, feature_version
from hvpscore.claims._features import (
    CLAIM_FEATURE_NAMES,
    CLAIM_FEATURES,
    FeatureSpec,
    claim_features,
)
from hvpscore.claims._lexicon import messages as _messages
from hvpscore.claims._model import Claim, ClaimSet, Finding
from hvpscore.claims._text import detect_lang, normalise

FINDING_CODES: list[str] = list(_messages()["findings"])

__all__ = [
    "CLAIM_FEATURES_VERSION",
    "ClaimFeatureCache",
    "FINDING_CODES",
    "CLAIM_FEATURES",
    "CLAIM_FEATURE_NAMES",
    "Claim",
    "ClaimSet",
    "FeatureSpec",
    "Finding",
    "analyze_claims",
    "claim_features",
    "detect_lang",
    "feature_version",
    "normalise",
    "parse_claims",
]
