"""The table of stable problem codes (``hvpscore/io/data/problems.yaml``)."""

from __future__ import annotations

from importlib import resources

from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["PROBLEM_CODES"]


def _load() -> dict[str, dict[str, str]]:
    text = (resources.files("hvpscore") / "io" / "data" / "problems.yaml").read_text("utf-8")
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in _yaml_safe_load(text).items()}


#: code -> {"level": line|cell|row, "en": …, "zh": …}
PROBLEM_CODES: dict[str, dict[str, str]] = _load()
