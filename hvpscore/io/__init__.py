"""Reading patent records from files and DataFrames through source profiles, with validation."""

from hvpscore.io._convert import normalize_ipc
from hvpscore.io._problems import PROBLEM_CODES
from hvpscore.io._profile import Profile, list_profiles, load_profile
from hvpscore.io._read import detect_encoding
from hvpscore.io._records import (
    ReadResult,
    ReadSummary,
    iter_records,
    read_records,
    rejects_path_for,
    write_table,
)
from hvpscore.io._validate import ValidateRun, validate_file

__all__ = [
    "PROBLEM_CODES",
    "Profile",
    "ValidateRun",
    "ReadResult",
    "ReadSummary",
    "detect_encoding",
    "iter_records",
    "list_profiles",
    "load_profile",
    "normalize_ipc",
    "read_records",
    "rejects_path_for",
    "validate_file",
    "write_table",
]
