"""A registered pipeline runs on a fresh worker: a new virtual environment with only the model's
own ``requirements.txt`` installed (no hvpscore package: it travels inside the model as code)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

SCRIPT = r"""
import importlib.util, json, sys
assert importlib.util.find_spec("hvpscore") is None, "hvpscore must not be installed here"
import mlflow, pandas as pd
m = mlflow.pyfunc.load_model(sys.argv[1])
raw = pd.DataFrame({"patent_id": ["US6962311", "oops", "US6912375"],
                    "patent_type": ["invention"] * 3,
                    "filing_date": ["1996-05-22", "2001-01-01", "1996-06-10"],
                    "grant_date": ["2005-11-08", "2005-01-04", "2005-06-28"],
                    "claims_count": ["26", "3", "15"], "row": ["x", "y", "z"]})
out = m.predict(raw, params={"as_of": "2010-06-30"})
print(json.dumps({"p": out["p_maintained_10y"].tolist(), "problems": out["problems"].tolist(),
                  "as_of": out["as_of"].tolist()}))
"""


def test_registered_model_runs_in_a_fresh_venv(us_records, tmp_path):
    import mlflow

    from hvpscore.mlflow import log_training
    from hvpscore.model import train_model

    model = train_model(us_records.iloc[:4000], targets=("maintained_10y",), stage="grant",
                        name="fresh", as_of="2017-10-23", baseline=False,
                        params={"learning_rate": 0.1, "n_estimators": 60,
                                "early_stopping_rounds": 20})
    model.save(tmp_path / "m")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    old = mlflow.get_tracking_uri()
    try:
        info = log_training(tmp_path / "m", tracking_uri=uri, register="fresh-test")
        local = Path(mlflow.artifacts.download_artifacts(info["model_uri"],
                                                         dst_path=str(tmp_path / "dl")))
    finally:
        mlflow.set_tracking_uri(old)
    reqs = local / "requirements.txt"
    assert "hvpscore" not in reqs.read_text()
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(reqs)], check=True,
                   cwd=tmp_path)
    out = subprocess.run([str(py), "-c", SCRIPT, str(reqs.parent)], capture_output=True,
                         text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert [p is not None and not pd.isna(p) for p in got["p"]] == [True, False, True]
    assert got["problems"][0] is None and "patent_id" in got["problems"][1]
    assert got["as_of"][0] == "2010-06-30"
