"""hvpscore: decide and predict China's high-value invention patents; score every patent.

One public function per job; the CLI, the MLflow pyfunc model and any service call the same ones:

- :func:`read_records` / :func:`iter_records` — any source through a profile into validated records
- :func:`evaluate_criteria` / :func:`evaluate_record` — the five official criteria with evidence
- :func:`parse_claims` / :func:`claim_features` — claim trees, findings and batch claim features
- :func:`make_features` — stage-aware scikit-learn feature pipelines
- :func:`train_model` / :func:`evaluate_model` / :func:`load_model` — calibrated LightGBM heads
- :func:`score_records` — the score table (flags, evidence, probabilities, score, reasons)
- :func:`score_file` — the same for a whole file, read and scored in chunks, rejects beside it
- :func:`make_patents` — the synthetic municipal stock behind ``data/sample/``
- :func:`check_draft` — pre-filing review of a draft application (findings, predictions, advice)

Heavy parts (LightGBM, scikit-learn, MLflow) are imported on first use, so ``import hvpscore``
and ``hvpscore --help`` stay fast.
"""

from __future__ import annotations

import importlib

from hvpscore._errors import HvpscoreError, InputError, ModelError, PolicyError, Problem
from hvpscore.io import iter_records, load_profile, read_records, write_table
from hvpscore.numbers import normalize_patent_number, parse_patent_number

__version__ = "0.1.0"

_LAZY = {
    "evaluate_criteria": "hvpscore.rules",
    "evaluate_record": "hvpscore.rules",
    "load_policy": "hvpscore.rules",
    "assign_sei": "hvpscore.rules",
    "load_concordance": "hvpscore.rules",
    "parse_claims": "hvpscore.claims",
    "analyze_claims": "hvpscore.claims",
    "claim_features": "hvpscore.claims",
    "make_features": "hvpscore.features",
    "train_model": "hvpscore.model",
    "evaluate_model": "hvpscore.model",
    "load_model": "hvpscore.model",
    "score_records": "hvpscore.scoring",
    "score_file": "hvpscore.scoring",
    "make_patents": "hvpscore.datasets",
    "check_draft": "hvpscore.prefiling",
}

__all__ = [
    "HvpscoreError",
    "InputError",
    "ModelError",
    "PolicyError",
    "Problem",
    "__version__",
    "iter_records",
    "load_profile",
    "normalize_patent_number",
    "parse_patent_number",
    "read_records",
    "write_table",
    *sorted(_LAZY),
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hvpscore' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
