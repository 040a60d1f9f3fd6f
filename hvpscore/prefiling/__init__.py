"""Pre-filing review (专利申请前置评审): a whole draft application -> what an examiner would
object to, how likely the patent is to become high-value, which official criteria are within
reach and what to do.

* :func:`check_draft` — the one function (CLI ``hvpscore check``, the service's ``POST /check``);
  returns a :class:`CheckReport` (``to_dict()`` follows :func:`report_schema`, versioned).
* :func:`read_draft` — .docx / .txt / .md / JSON / dict / pasted text -> :class:`Draft` sections.

Checks, severities, thresholds, lexicons, advice and support measures are data files in
``hvpscore/prefiling/data/`` (each check with its source clause: CN Patent Examination
Guidelines Part II ch. 2 / Implementing Rules, US 35 U.S.C. 112 / MPEP / 37 CFR).
"""

from hvpscore.prefiling._check import SCHEMA_ID, SCHEMA_VERSION, CheckReport, check_draft
from hvpscore.prefiling._data import checks as _checks
from hvpscore.prefiling._data import report_schema
from hvpscore.prefiling._findings import CheckFinding
from hvpscore.prefiling._predict import DRAFT_MODEL_ENV, default_draft_model_path
from hvpscore.prefiling._read import SECTIONS, Draft, Part, Section, read_draft

CHECK_CODES: list[str] = list(_checks())

__all__ = [
    "CHECK_CODES",
    "DRAFT_MODEL_ENV",
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "SECTIONS",
    "CheckFinding",
    "CheckReport",
    "Draft",
    "Part",
    "Section",
    "check_draft",
    "default_draft_model_path",
    "read_draft",
    "report_schema",
]
