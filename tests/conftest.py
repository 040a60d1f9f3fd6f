from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only shared data folder beside the repository (CI has it; the package never needs it)."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"{SHARED}/data is not present")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
