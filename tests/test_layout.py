"""The layout of design.md: the core imports no face (CLI, MLflow, Spark, service), and every
face module imports cleanly in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["hvpscore", "hvpscore.io", "hvpscore.numbers", "hvpscore.schema", "hvpscore.rules",
        "hvpscore.claims", "hvpscore.features", "hvpscore.model", "hvpscore.model._model",
        "hvpscore.model._train", "hvpscore.model._explain", "hvpscore.scoring",
        "hvpscore.datasets", "hvpscore._batch", "hvpscore.prefiling", "hvpscore.indicators",
        "hvpscore.support", "hvpscore.report", "hvpscore.screening"]
FACES = ("click", "mlflow", "pyspark", "fastapi", "uvicorn", "hvpscore.cli", "hvpscore.mlflow",
         "hvpscore.spark", "hvpscore.service")


def _loaded_after(module: str) -> list[str]:
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            f"print(' '.join(m for m in {FACES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.parametrize("module", CORE)
def test_core_imports_no_face(module):
    assert _loaded_after(module) == []


@pytest.mark.parametrize("module", ["hvpscore.cli", "hvpscore.cli.model", "hvpscore.cli.rules",
                                    "hvpscore.cli.claims", "hvpscore.cli.records", "hvpscore.cli.screen",
                                    "hvpscore.mlflow", "hvpscore.spark"])
def test_every_face_imports_in_a_fresh_interpreter(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)
