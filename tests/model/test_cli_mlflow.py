"""The train / evaluate / score commands end to end, and MLflow with a real local store."""

from __future__ import annotations

import json

import mlflow
import pandas as pd
import pytest
from click.testing import CliRunner

from hvpscore.cli import main


@pytest.fixture(scope="module")
def us_csv(shared_dir, tmp_path_factory):
    src = shared_dir / "data" / "uspto-renewal-2005" / "dev.csv"
    lines = src.read_text().splitlines()
    f = tmp_path_factory.mktemp("data") / "us.csv"
    f.write_text("\n".join(lines[:1] + lines[1:40000:5]) + "\n")  # 8,000 rows across the file
    return f


def test_train_evaluate_score_with_mlflow(us_csv, shared_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    r = CliRunner().invoke(main, ["train", str(us_csv), "--profile", "uspto-renewal",
                                  "--target", "maintained_10y", "--stage", "grant", "--out", "m",
                                  "--register", "hvp-test", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "logistic regression (same columns)" in r.output
    assert "registered hvp-test v1 @champion" in r.output
    assert (tmp_path / "mlflow.db").is_file() and (tmp_path / "m" / "metadata.json").is_file()

    # the run and the registered model are visible from the local store, no server
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    client = mlflow.MlflowClient()
    mv = client.get_model_version_by_alias("hvp-test", "champion")
    run = client.get_run(mv.run_id)
    assert run.data.metrics["maintained_10y.test.auc"] > 0.5
    assert "maintained_10y.test.ece" in run.data.metrics
    # the default --crossfit 5: the CV of the cross-fit that trained the head is logged
    assert 0.5 < run.data.metrics["maintained_10y.cv.auc_mean"] < 0.8
    assert run.data.params["crossfit"] == "5"
    assert "maintained_10y.baseline.claim_count.auc" in run.data.metrics
    assert run.data.params["data_sha256"] == json.loads(
        (tmp_path / "m" / "metadata.json").read_text())["training_data"]["sha256"]
    arts = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
    assert {"plots/reliability_maintained_10y.png",
            "plots/feature_importance_maintained_10y.png"} <= arts

    # the registered pyfunc takes raw canonical records and returns scores, in order
    pyf = mlflow.pyfunc.load_model("models:/hvp-test@champion")
    raw = pd.DataFrame({"patent_id": ["US6962311", "not a number", "US6912375"],
                        "patent_type": ["invention"] * 3,
                        "filing_date": ["1996-05-22", "2001-01-01", "1996-06-10"],
                        "grant_date": ["2005-11-08", "2005-01-04", "2005-06-28"],
                        "claims_count": [26, 3, 15]})
    pred = pyf.predict(raw)
    assert pred["patent_id"].tolist() == ["US6962311", "not a number", "US6912375"]
    assert pred["p_maintained_10y"].notna().tolist() == [True, False, True]
    assert "patent_id" in pred["problems"].iloc[1]
    # a column of the user's called `row` is just a column (rows are numbered internally)
    pred = pyf.predict(raw.assign(row=["a", "b", "c"]))
    assert pred["p_maintained_10y"].notna().tolist() == [True, False, True]
    assert "patent_id" in pred["problems"].iloc[1]
    # run parameters reach the pipeline through MLflow's own predict (params schema)
    pred = pyf.predict(raw, params={"as_of": "2010-06-30", "reasons": 2})
    assert set(pred["as_of"].dropna().astype(str)) == {"2010-06-30"}
    assert "reasons" in pred.columns and pred["reasons"].iloc[0]

    # the default --final refit saw every row of us.csv: its hash split is refused, with why
    r = CliRunner().invoke(main, ["evaluate", str(us_csv), "--profile", "uspto-renewal",
                                  "--model", "m", "--lang", "en"])
    assert r.exit_code != 0 and "refitted on every labelled row" in r.output, r.output
    assert "--all-rows" in r.output and "Traceback" not in r.output
    # other rows of the same file, never seen by the model
    lines = (shared_dir / "data" / "uspto-renewal-2005" / "dev.csv").read_text().splitlines()
    unseen = tmp_path / "unseen.csv"
    unseen.write_text("\n".join(lines[:1] + lines[2:40000:5]) + "\n")
    r = CliRunner().invoke(main, ["evaluate", str(unseen), "--profile", "uspto-renewal",
                                  "--model", "m", "--all-rows", "--lang", "en", "--json",
                                  "ev.json"])
    assert r.exit_code == 0, r.output
    assert "all labelled rows" in r.output and "claim count alone" in r.output
    ev = json.loads((tmp_path / "ev.json").read_text())
    assert ev[0]["model"] == "lightgbm (this model)" and 0.5 < ev[0]["auc"] < 1

    r = CliRunner().invoke(main, ["score", str(us_csv), "--profile", "uspto-renewal", "--model",
                                  "m", "-o", "scores.parquet", "--reasons", "2"])
    assert r.exit_code == 0, r.output
    out = pd.read_parquet(tmp_path / "scores.parquet")
    assert len(out) == 8000
    assert {"patent_id", "p_maintained_10y", "reasons", "model_version"} <= set(out.columns)


def test_cli_errors_are_one_clean_line(tmp_path, us_csv):
    r = CliRunner().invoke(main, ["score", str(us_csv), "--profile", "uspto-renewal", "--model",
                                  str(tmp_path / "missing"), "-o", str(tmp_path / "s.csv")])
    assert r.exit_code == 1
    assert "error:" in r.output and "no metadata.json" in r.output
    assert "Traceback" not in r.output


def test_model_commands_have_help():
    for cmd in ("train", "evaluate", "score"):
        r = CliRunner().invoke(main, [cmd, "--help"])
        assert r.exit_code == 0 and "--profile" in r.output
