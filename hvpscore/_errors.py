"""Errors shared by the library, the CLI and the service.

Library code raises these; the CLI turns them into one clean line on stderr and exit code 1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["HvpscoreError", "InputError", "PolicyError", "Problem", "ModelError"]


class HvpscoreError(Exception):
    """Base class: any error a user can fix from the message alone."""


class InputError(HvpscoreError, ValueError):
    """Bad input data or arguments."""


class PolicyError(HvpscoreError, ValueError):
    """An invalid policy or concordance file."""


class ModelError(HvpscoreError):
    """A model directory that cannot be loaded or used."""


@dataclass(frozen=True)
class Problem:
    """One problem in one cell: the row (1-based data row), column, value and how to fix it.

    ``code`` is stable (``not_a_date``, ``bad_check_digit``, ``malformed_line`` …; the table is
    ``hvpscore.io.PROBLEM_CODES``, from ``hvpscore/io/data/problems.yaml``): programs test the code,
    people read the message. ``line`` is the physical line (CSV/JSONL) or sheet row (Excel) the row
    starts on, when the source has lines.
    """

    row: int
    column: str
    value: str
    message: str
    code: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.value!r} {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)
