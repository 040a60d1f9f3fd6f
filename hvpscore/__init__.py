"""hvpscore: decide and predict China's high-value invention patents; score every patent."""

from hvpscore._errors import HvpscoreError, InputError, ModelError, PolicyError, Problem
from hvpscore.io import iter_records, load_profile, read_records, write_table
from hvpscore.numbers import normalize_patent_number, parse_patent_number

__version__ = "0.1.0"

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
]
