"""Spark scoring through the registered MLflow pyfunc pipeline, on a real local SparkSession.

One ``local[2]`` session and one small model (3,000 rows of the real US 2005 renewal data,
logged and registered to a temporary sqlite MLflow store exactly as ``hvpscore train --register``
does) serve the whole module. Spark output is checked against :func:`hvpscore.score_records` on
the same rows.

``mlflow.pyfunc.spark_udf`` is exercised too (``test_mlflow_spark_udf_runs_the_same_pyfunc``):
it works with our pyfunc when called on ``struct(*columns)`` with a ``StructType`` result type,
but it ranks ``percentile`` within each Arrow batch, returns one struct column, and MLflow passes
``params`` (``as_of``, ``reasons``) only to models logged with a params schema — so that test
scores at the default date (today) and ``score_spark`` remains the supported path.
"""

from __future__ import annotations

import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is in the [spark] and dev extras")

import mlflow  # noqa: E402

import hvpscore  # noqa: E402
from hvpscore import InputError, ModelError  # noqa: E402
from hvpscore.scoring import percentile as run_percentile  # noqa: E402
from hvpscore.spark import score_columns, score_schema, score_spark  # noqa: E402

AS_OF = "2017-10-23"
BAD_ID = "US-BAD-ROW"
FLAGS = ["is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge",
         "hv_award", "in_force"]
TEXTS = ["hv_evidence", "hv_evidence_zh", "reasons", "reasons_en", "model_version", "policy_id",
         "as_of"]
PROBS = ["p_maintained_10y", "p_high_value", "score", "maintained_years"]


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17+ (java on PATH or JAVA_HOME)")
    from pyspark.sql import SparkSession

    old = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers import hvpscore from this venv
    session = (SparkSession.builder.master("local[2]").appName("hvpscore-test")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.memory", "1g")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if old is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = old


@pytest.fixture(scope="module")
def registered(shared_dir, tmp_path_factory):
    """A small grant-stage model, logged and registered as ``hvp-spark@champion``."""
    from hvpscore.mlflow import log_training
    from hvpscore.model import train_model

    tmp = tmp_path_factory.mktemp("spark_model")
    lines = (shared_dir / "data" / "uspto-renewal-2005" / "dev.csv").read_text().splitlines()
    src = tmp / "us.csv"
    src.write_text("\n".join(lines[:1] + lines[1:30001:10]) + "\n")  # 3,000 rows
    recs = hvpscore.read_records(src, profile="uspto-renewal").records
    model = train_model(recs, targets=("maintained_10y",), stage="grant", name="spark-test",
                        as_of=AS_OF, baseline=False,
                        params={"learning_rate": 0.1, "n_estimators": 80,
                                "early_stopping_rounds": 20})
    model.save(tmp / "model")
    old_uri = mlflow.get_tracking_uri()
    info = log_training(tmp / "model", tracking_uri=f"sqlite:///{tmp / 'mlflow.db'}",
                        register="hvp-spark")
    yield {"records": recs, "model_dir": tmp / "model", "tmp": tmp, **info}
    mlflow.set_tracking_uri(old_uri)


@pytest.fixture(scope="module")
def canonical_csv(registered):
    """The records as a canonical CSV (text values), one deliberately bad row, a row id."""
    tmp = registered["tmp"]
    hvpscore.write_table(registered["records"], tmp / "canon.csv")
    text = pd.read_csv(tmp / "canon.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    bad = text.iloc[[0]].copy()
    bad["patent_id"], bad["filing_date"] = BAD_ID, "not a date"
    text = pd.concat([text.iloc[:1500], bad, text.iloc[1500:]], ignore_index=True)
    text["row_id"] = np.arange(len(text))
    out = tmp / "canon_bad.csv"
    text.to_csv(out, index=False)
    return out


@pytest.fixture(scope="module")
def expected(registered, canonical_csv):
    res = hvpscore.read_records(canonical_csv, profile="canonical")
    assert len(res.rejects) == 1
    scores = hvpscore.score_records(res.records, model=registered["model_dir"], as_of=AS_OF,
                                    reasons=2)
    assert scores["patent_id"].is_unique
    return scores.set_index("patent_id")


@pytest.fixture(scope="module")
def input_df(spark, canonical_csv):
    return spark.read.csv(str(canonical_csv), header=True)


@pytest.fixture(scope="module")
def scored(input_df):
    return score_spark(input_df, "models:/hvp-spark@champion", as_of=AS_OF, reasons=2,
                       keep=["row_id"]).toPandas()


def _check_same(got: pd.DataFrame, expected: pd.DataFrame, texts=TEXTS):
    got = got.set_index("patent_id").loc[expected.index]
    for c in PROBS:
        np.testing.assert_allclose(got[c].to_numpy(float), expected[c].to_numpy(float),
                                   rtol=0, atol=1e-9, err_msg=c)
    for c in FLAGS:
        assert got[c].astype("boolean").equals(expected[c].astype("boolean")), c
    for c in texts:
        assert got[c].tolist() == expected[c].tolist(), c


def test_spark_output_equals_score_records(scored, expected, input_df):
    assert len(scored) == input_df.count() == len(expected) + 1
    assert sorted(scored["row_id"].astype(int)) == list(range(len(scored)))
    assert list(scored.columns) == ["row_id"] + [n for n, _ in
                                                 score_columns(["maintained_10y"], reasons=2)]
    good = scored[scored["patent_id"] != BAD_ID]
    assert good["problems"].isna().all()
    _check_same(good, expected)
    # percentile over the whole run, exactly as score_records ranks its whole input
    got = good.set_index("patent_id").loc[expected.index]
    np.testing.assert_allclose(got["percentile"].to_numpy(float),
                               expected["percentile"].to_numpy(float), rtol=0, atol=1e-9)


def test_bad_row_comes_back_with_problems(scored):
    bad = scored[scored["patent_id"] == BAD_ID]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert int(row["row_id"]) == 1500
    assert "filing_date" in row["problems"] and "not a date" in row["problems"]
    assert pd.isna(row["p_high_value"]) and pd.isna(row["percentile"])
    assert pd.isna(row["is_high_value"])


def test_percentile_is_over_the_run_not_the_batch(input_df, scored):
    p = scored["p_high_value"].to_numpy(float)
    ok = ~np.isnan(p)
    np.testing.assert_allclose(scored["percentile"].to_numpy(float)[ok], run_percentile(p[ok]),
                               rtol=0, atol=1e-9)
    # the pyfunc alone ranks within each Arrow batch (1,000 rows here), which is different
    batch = score_spark(input_df, "models:/hvp-spark@champion", as_of=AS_OF,
                        percentile="batch").toPandas()
    assert len(batch) == len(scored)
    merged = batch.merge(scored, on="patent_id", suffixes=("_b", "_r"))
    assert len(merged) == len(scored)
    np.testing.assert_allclose(merged["p_high_value_b"], merged["p_high_value_r"], atol=1e-12)
    differ = (merged["percentile_b"] - merged["percentile_r"]).abs() > 0.05
    assert differ.sum() > len(merged) // 10


def test_typed_spark_columns_are_read_as_their_text_form(input_df, expected):
    from pyspark.sql import functions as F

    typed = (input_df.limit(200)
             .withColumn("filing_date", F.to_date("filing_date"))
             .withColumn("grant_date", F.to_timestamp("grant_date"))
             .withColumn("claims_count", F.col("claims_count").cast("int"))
             .withColumn("continuity_parents", F.col("continuity_parents").cast("long")))
    got = score_spark(typed, "models:/hvp-spark/1", as_of=AS_OF, reasons=2).toPandas()
    assert len(got) == 200
    got = got[got["patent_id"] != BAD_ID]
    assert got["problems"].isna().all()
    _check_same(got, expected.loc[got["patent_id"]])


def test_mlflow_spark_udf_runs_the_same_pyfunc(spark, input_df, registered):
    """``spark_udf`` on ``struct(*columns)``: same probabilities and problems; no params
    (the logged model declares no params schema), so it scores at today's date."""
    from pyspark.sql import functions as F

    udf = mlflow.pyfunc.spark_udf(spark, "models:/hvp-spark@champion",
                                  result_type=score_schema(["maintained_10y"]),
                                  env_manager="local")
    small = input_df.where(F.col("row_id").cast("int").between(1300, 1699))
    got = small.select(udf(F.struct(*[c for c in small.columns if c != "row_id"]))
                       .alias("s")).select("s.*").toPandas()
    assert len(got) == 400
    bad = got[got["patent_id"] == BAD_ID]
    assert len(bad) == 1 and "filing_date" in bad["problems"].iloc[0]
    text = pd.read_csv(registered["tmp"] / "canon_bad.csv", dtype=str, keep_default_na=False)
    res = hvpscore.read_records(text.iloc[1300:1700], profile="canonical")
    want = hvpscore.score_records(res.records, model=registered["model_dir"]).set_index(
        "patent_id")
    got = got[got["patent_id"] != BAD_ID]
    _check_same(got, want, texts=["hv_evidence", "model_version", "as_of"])


def test_errors_name_the_value_and_the_fix(spark, input_df, registered):
    with pytest.raises(InputError, match="keep: \\['nope'\\] not among the input columns"):
        score_spark(input_df, "models:/hvp-spark@champion", keep=["nope"])
    with pytest.raises(InputError, match="keep: \\['score'\\] clash"):
        score_spark(input_df.withColumnRenamed("row_id", "score"), "models:/hvp-spark/1",
                    keep=["score"])
    with pytest.raises(ModelError, match="no version of 'hvp-spark' has alias 'nobody'"):
        score_spark(input_df, "models:/hvp-spark@nobody")
    with pytest.raises(InputError, match="spark_df must be a pyspark.sql.DataFrame"):
        score_spark(pd.DataFrame({"patent_id": ["US6962311"]}), "models:/hvp-spark/1")
    with pytest.raises(InputError, match="percentile: 'rows' is not a choice"):
        score_spark(input_df, "models:/hvp-spark/1", percentile="rows")
    with pytest.raises(InputError, match="no patent_id column"):
        score_spark(input_df.drop("patent_id"), "models:/hvp-spark/1")


def test_model_with_params_schema_goes_through_pyfunc_predict(input_df, registered, scored):
    """Logged with a params schema (what ``log_training`` should declare), the same pipeline is
    called through ``PyFuncModel.predict(frame, params=...)`` and gives the same table."""
    from pathlib import Path

    from mlflow.models import ModelSignature
    from mlflow.types import ParamSchema, ParamSpec

    import hvpscore.mlflow as flavor
    from hvpscore.spark import _predictor

    sig = ModelSignature(inputs=None, params=ParamSchema([
        ParamSpec("as_of", "string", None), ParamSpec("reasons", "long", 0),
        ParamSpec("policy", "string", None)]))
    with mlflow.start_run(experiment_id=mlflow.get_experiment_by_name("hvpscore").experiment_id):
        info = mlflow.pyfunc.log_model(
            name="pipeline", signature=sig,
            python_model=str(Path(flavor.__file__).with_name("_mlflow_entry.py")),
            artifacts={"model_dir": str(registered["model_dir"])})
    pyf = mlflow.pyfunc.load_model(info.model_uri)
    assert _predictor(pyf)[1]  # through the PyFuncModel's own predict
    got = score_spark(input_df.where("cast(row_id as int) < 1600"), info.model_uri, as_of=AS_OF,
                      reasons=2, keep=["row_id"]).toPandas()
    assert len(got) == 1600
    assert got.loc[got["problems"].notna(), "patent_id"].tolist() == [BAD_ID]
    got = got[got["patent_id"] != BAD_ID]
    want = scored[scored["patent_id"].isin(got["patent_id"])].set_index("patent_id")
    _check_same(got, want)


@pytest.mark.slow
def test_score_file_in_chunks_and_processes_equals_spark(registered, canonical_csv, scored,
                                                         tmp_path):
    """One table whatever the path: score_file in 1 chunk, in 7 chunks, with 1 and 2 processes,
    and Spark (issue 9)."""
    from hvpscore.scoring import score_file

    n = len(pd.read_csv(canonical_csv, usecols=["patent_id"]))
    good = scored[scored["patent_id"] != BAD_ID].reset_index(drop=True)
    tables = {}
    for chunks, jobs in ((1, 1), (7, 1), (7, 2)):
        out = tmp_path / f"s{chunks}-{jobs}.parquet"
        run = score_file(canonical_csv, out, model=registered["model_dir"], as_of=AS_OF,
                         reasons=2, chunksize=-(-n // chunks), jobs=jobs)
        assert (run.rows_out, run.rejected) == (n - 1, 1)
        tables[chunks, jobs] = pd.read_parquet(out)
    pd.testing.assert_frame_equal(tables[7, 1], tables[1, 1])
    pd.testing.assert_frame_equal(tables[7, 2], tables[1, 1])
    one = tables[1, 1].set_index("patent_id")
    _check_same(good, one)
    got = good.set_index("patent_id").loc[one.index]
    np.testing.assert_allclose(got["percentile"].to_numpy(float),
                               one["percentile"].to_numpy(float), rtol=0, atol=1e-9)
