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
- :func:`compute_indicators` / :func:`forecast_high_value` / :func:`top_holders` /
  :func:`top_inventors` — plan indicators vs targets, forecast, top-100 lists
- :func:`load_measures` / :func:`support_list` / :func:`allocate_budget` — support measures
- :func:`build_report` / :func:`write_report` — the bureau's HTML page and Excel workbook
- :func:`check_draft` — pre-filing review of a draft application (findings, predictions, advice)
- :func:`screen` — abnormal-application screening: near-copy pairs, bulk-filing indicators

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
    "compute_indicators": "hvpscore.indicators",
    "forecast_high_value": "hvpscore.indicators",
    "top_holders": "hvpscore.indicators",
    "top_inventors": "hvpscore.indicators",
    "load_measures": "hvpscore.support",
    "support_list": "hvpscore.support",
    "allocate_budget": "hvpscore.support",
    "build_report": "hvpscore.report",
    "write_report": "hvpscore.report",
    "check_draft": "hvpscore.prefiling",
    "screen": "hvpscore.screening",
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
