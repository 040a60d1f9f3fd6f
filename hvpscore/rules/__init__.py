"""The official high-value criteria engine (CNIPA definition): policies as data, evidence per
patent, and the strategic-emerging-industry IPC concordance.

>>> from hvpscore.rules import evaluate_record
>>> r = evaluate_record({"patent_id": "CN201310068343.7", "patent_type": "invention",
...                      "filing_date": "2013-03-04", "grant_date": "2016-05-25",
...                      "legal_status": "in_force"}, as_of="2024-12-31")
>>> r["hv_maintained_10y"], r["is_high_value"]
(True, True)
"""

from hvpscore.rules._criteria import OUTPUT_COLUMNS, evaluate_criteria, evaluate_record
from hvpscore.rules._files import CRITERION_LABELS, criteria_file, criteria_shares
from hvpscore.rules._policy import CRITERIA, DEFAULT_POLICY, Policy, load_policy, shipped_policies
from hvpscore.rules._sei import (
    Concordance,
    assign_sei,
    explain_sei,
    format_sei_explanation,
    format_sei_suggestions,
    load_concordance,
    load_industries,
    normalize_ipc,
    parse_ipc_cell,
    shipped_concordance,
    suggest_sei,
)

__all__ = [
    "CRITERIA",
    "CRITERION_LABELS",
    "DEFAULT_POLICY",
    "OUTPUT_COLUMNS",
    "Concordance",
    "Policy",
    "assign_sei",
    "criteria_file",
    "criteria_shares",
    "evaluate_criteria",
    "evaluate_record",
    "explain_sei",
    "format_sei_explanation",
    "format_sei_suggestions",
    "load_concordance",
    "load_industries",
    "load_policy",
    "normalize_ipc",
    "parse_ipc_cell",
    "shipped_concordance",
    "shipped_policies",
    "suggest_sei",
]
