"""Score beyond one machine with Apache Spark, through the registered MLflow pyfunc pipeline.

:func:`score_spark` runs the *same* pyfunc model that ``hvpscore train --register`` logs
(raw canonical records -> score table) inside ``mapInPandas``: each Spark task loads the model
once with :func:`mlflow.pyfunc.load_model` and calls its ``predict`` on Arrow batches. Nothing
here re-implements scoring; there is no home-made distribution.

Example (needs ``pip install "hvpscore[spark]"`` and Java 17)::

    from pyspark.sql import SparkSession
    from hvpscore.spark import score_spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.read.csv("patents.csv", header=True)           # canonical columns, text values
    scores = score_spark(df, "models:/hvpscore@champion", as_of="2025-12-31", reasons=3,
                         keep=["row_id"])
    scores.write.parquet("scores.parquet")

What to know:

- **Input**: canonical column names (see :mod:`hvpscore.schema`); values as in a canonical CSV
  (ISO dates, ``;``-separated lists), exactly what ``read_records(..., profile="canonical")``
  accepts. Non-text Spark columns are turned into that text form first: dates as
  ``yyyy-MM-dd``, arrays joined with ``;``, everything else cast to string. Columns that are
  not canonical are not sent to the model (use ``keep`` to carry them into the output).
- **Output**: one row per input row, never dropped. Rows that fail validation come back with
  empty scores and their reasons in ``problems``; ``patent_id`` then holds the raw input value.
  Spark DataFrames have no row order: pass ``keep=[...]`` to carry input columns (e.g. your own
  row id) into the output for joining back. The schema is explicit (:func:`score_schema`).
- **percentile** is recomputed over the whole run (every scored row of ``spark_df``), with the
  same formula as :func:`hvpscore.scoring.percentile` (average rank of ``p_high_value`` / n,
  0–100, one decimal), so it matches what ``score_records`` gives for the same rows on one
  machine. The pyfunc alone ranks within one Arrow batch, which is why it is redone here. The
  ranking step counts rows per distinct ``p_high_value`` (distributed), orders only those
  (value, count) pairs in one task, and joins the ranks back. So that the model runs once, the
  intermediate score table is persisted (``MEMORY_AND_DISK``); ``spark.catalog.clearCache()``
  frees it. ``percentile="batch"`` keeps the pyfunc's per-batch value and skips this step.
- **as_of** is fixed once on the driver (``None`` = today) so every task scores at the same date.
- **Model location**: ``model_uri`` is resolved on the driver (``models:/name@alias`` becomes
  ``models:/name/<version>`` so every task loads the same version) and the driver's tracking
  and registry URIs are passed to the tasks; the executors must be able to reach that store
  (a tracking server or a shared file system). Locally (``local[*]``) this always holds.
- **Python workers** must import hvpscore: start Spark with ``PYSPARK_PYTHON`` set to the
  interpreter that has it (e.g. ``os.environ["PYSPARK_PYTHON"] = sys.executable`` before the
  session starts; otherwise Spark runs ``python3`` from ``PATH``).

``mlflow.pyfunc.spark_udf`` also works with the pyfunc (call it on ``struct(*columns)`` with a
``StructType`` result type), but it passes ``params`` only when the logged model declares a
params schema, ranks ``percentile`` within each Arrow batch, and returns one struct column;
:func:`score_spark` handles all three.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence

import pandas as pd

from hvpscore._errors import InputError, ModelError

__all__ = ["score_schema", "score_spark"]

_FLAGS = ("is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge",
          "hv_award")
_EVIDENCE = ("hv_evidence", "hv_evidence_zh")
_PARAMS = ("as_of", "reasons", "policy")
_KEEP = "__hvpscore_keep__"


def score_columns(targets: Sequence[str], *, reasons: int = 0) -> list[tuple[str, str]]:
    """The score table's ``(column, kind)`` pairs for a model with ``targets``; kind is one of
    ``string``, ``boolean``, ``double``. Same columns as :func:`hvpscore.score_records` plus
    ``problems`` (the pyfunc's validation messages)."""
    cols = [("patent_id", "string")]
    cols += [(c, "boolean") for c in _FLAGS]
    cols += [(c, "string") for c in _EVIDENCE]
    cols += [("in_force", "boolean"), ("maintained_years", "double")]
    if any(str(t).startswith("maintained_10y_given_") for t in targets):
        cols.append(("maintained_head", "string"))
    cols += [(f"p_{t}", "double") for t in targets]
    if "high_value" not in targets:
        cols.append(("p_high_value", "double"))
    cols += [("score", "double"), ("percentile", "double")]
    if reasons:
        cols += [("reasons", "string"), ("reasons_en", "string")]
        cols += [(f"dim_{d}", "double") for d in ("legal", "technical", "economic")]
    cols += [(c, "string") for c in ("model_version", "policy_id", "as_of", "problems")]
    return cols


def score_schema(targets: Sequence[str], *, reasons: int = 0, keep_fields=()):
    """The Spark ``StructType`` of :func:`score_spark`'s output for a model with ``targets``
    (``keep_fields``: extra ``StructField``\\ s carried from the input, put first)."""
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "boolean": T.BooleanType(), "double": T.DoubleType()}
    return T.StructType(list(keep_fields) + [T.StructField(n, kinds[k], True)
                                             for n, k in score_columns(targets,
                                                                       reasons=reasons)])


def _resolve_uri(model_uri: str) -> str:
    """``models:/name@alias`` -> ``models:/name/<version>`` (one version for the whole run)."""
    if model_uri.startswith("models:/") and "@" in model_uri:
        from mlflow import MlflowClient

        name, alias = model_uri[len("models:/"):].split("@", 1)
        try:
            mv = MlflowClient().get_model_version_by_alias(name, alias)
        except Exception as e:  # MlflowException: unknown name or alias
            raise ModelError(f"model_uri {model_uri!r}: no version of {name!r} has alias "
                             f"{alias!r} in the registry ({e}); check the name and alias, or "
                             "set MLFLOW_TRACKING_URI to the store it was registered in") \
                from None
        return f"models:/{name}/{mv.version}"
    return model_uri


def _predictor(pyf):
    """``(predict(frame, params), through_pyfunc)`` for a loaded pyfunc. Through
    ``pyf.predict`` when the logged model declares a params schema with ``as_of``/``reasons``/
    ``policy``; MLflow drops params a model did not declare, so for models logged without one
    the call goes to the same loaded Python model object directly, params intact."""
    sig = pyf.metadata.signature
    declared = set()
    if sig is not None and sig.params is not None:
        declared = {p.name for p in sig.params.params}
    if set(_PARAMS) <= declared:
        return (lambda frame, params: pyf.predict(frame, params=params)), True
    pm = pyf.unwrap_python_model()
    if "context" in inspect.signature(pm.predict).parameters:
        return (lambda frame, params: pm.predict(None, frame, params=params)), False
    return (lambda frame, params: pm.predict(frame, params=params)), False


def _to_arrow_ready(out: pd.DataFrame, columns: list[tuple[str, str]]) -> pd.DataFrame:
    """Score table columns with dtypes Arrow maps onto the declared Spark types."""
    res = {}
    for name, kind in columns:
        s = out[name]
        if kind == "boolean":
            res[name] = s.astype("boolean")
        elif kind == "double":
            res[name] = pd.to_numeric(s, errors="raise").astype("float64")
        else:
            res[name] = pd.Series([None if _missing(v) else str(v) for v in s], dtype=object)
    return pd.DataFrame(res)


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # list-like values are present
        return False


def _partition_scorer(model_uri, tracking_uri, registry_uri, params, columns, keep):
    """The function each Spark task runs: load the pyfunc once, score every Arrow batch."""
    names = [n for n, _ in columns]

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import mlflow

        predict = None
        for pdf in batches:
            if not len(pdf):
                continue
            if predict is None:  # once per task, and not at all for an empty partition
                mlflow.set_tracking_uri(tracking_uri)
                mlflow.set_registry_uri(registry_uri)
                predict, _ = _predictor(mlflow.pyfunc.load_model(model_uri))
            pdf = pdf.reset_index(drop=True)
            kept = pdf[[_KEEP + c for c in keep]].rename(columns=lambda c: c[len(_KEEP):])
            out = predict(pdf.drop(columns=[_KEEP + c for c in keep]), params)
            if len(out) != len(pdf):
                raise ModelError(f"model {model_uri}: returned {len(out)} rows for {len(pdf)} "
                                 "input rows; the pyfunc must return one row per input row")
            missing = [n for n in names if n not in out.columns]
            if missing:
                raise ModelError(f"model {model_uri}: output lacks columns {missing}; it is "
                                 "not the hvpscore pipeline model this Spark schema expects")
            ready = _to_arrow_ready(out.reset_index(drop=True), columns)
            if keep:
                ready = pd.concat([kept, ready], axis=1)
            yield ready

    return run


def _as_text(spark_df, keep: Sequence[str]):
    """The canonical columns of ``spark_df`` in the canonical CSV text form (dates ISO, arrays
    ``;``-joined, the rest cast to string); the ``keep`` columns ride along unchanged under a
    reserved prefix. Other columns are not sent to the model."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from hvpscore.schema import column_names

    known = set(column_names())
    cols = []
    for f in spark_df.schema.fields:
        if f.name not in known:  # the pyfunc reads canonical columns only
            continue
        c = F.col(f"`{f.name}`")
        if isinstance(f.dataType, T.StringType):
            cols.append(c)
        elif isinstance(f.dataType, (T.DateType, T.TimestampType, T.TimestampNTZType)):
            cols.append(F.date_format(c, "yyyy-MM-dd").alias(f.name))
        elif isinstance(f.dataType, T.ArrayType):
            cols.append(F.concat_ws(";", c.cast("array<string>")).alias(f.name))
        else:
            cols.append(c.cast("string").alias(f.name))
    cols += [F.col(f"`{c}`").alias(_KEEP + c) for c in keep]
    return spark_df.select(*cols)


def _run_percentile(scored):
    """``percentile`` over the whole run, as :func:`hvpscore.scoring.percentile` computes it:
    round(100 * average rank / n, 1) over non-null ``p_high_value`` (ties share the average
    rank; numpy's round-half-even via ``rint``)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    p = "p_high_value"
    counts = scored.where(F.col(p).isNotNull()).groupBy(p).agg(F.count(F.lit(1)).alias("_n_eq"))
    below = Window.orderBy(p).rowsBetween(Window.unboundedPreceding, -1)
    whole = Window.partitionBy()
    ranks = (counts
             .withColumn("_n_below", F.coalesce(F.sum("_n_eq").over(below), F.lit(0)))
             .withColumn("_n_all", F.sum("_n_eq").over(whole))
             .select(p, ((F.col("_n_below") + (F.col("_n_eq") + 1) / 2.0)
                         / F.col("_n_all") * 100.0).alias("_pct")))
    order = scored.columns
    joined = scored.drop("percentile").join(ranks, on=p, how="left")
    joined = joined.withColumn("percentile", F.rint(F.col("_pct") * 10.0) / 10.0)
    return joined.select(*order)


def score_spark(spark_df, model_uri: str, *, as_of=None, reasons: int = 0,
                policy: str | None = None, keep: Sequence[str] = (),
                percentile: str = "run"):
    """Score a Spark DataFrame of canonical records with the registered pyfunc pipeline.

    ``spark_df``: canonical column names, text values (see the module doc); ``model_uri``: any
    MLflow model URI of the pipeline (``models:/hvpscore@champion``, ``runs:/<id>/pipeline``, a
    local path); ``as_of``: run date (YYYY-MM-DD, None = today, fixed on the driver);
    ``reasons``: top-k readable reasons per row (0 = none); ``policy``: policy id or file;
    ``keep``: input columns copied into the output (e.g. a row id to join back on);
    ``percentile``: ``"run"`` (over all rows, default) or ``"batch"`` (the pyfunc's, within one
    Arrow batch). Returns a lazy Spark DataFrame with the schema of :func:`score_schema`
    (``keep`` columns first) and exactly one row per input row; rows that fail validation
    carry their reasons in ``problems``.
    """
    import mlflow
    from pyspark import StorageLevel
    from pyspark.sql import DataFrame

    from hvpscore._dates import parse_as_of

    if not isinstance(spark_df, DataFrame):
        raise InputError(f"spark_df must be a pyspark.sql.DataFrame, got "
                         f"{type(spark_df).__name__}; for pandas frames use "
                         "hvpscore.score_records")
    if not isinstance(reasons, int) or isinstance(reasons, bool) or reasons < 0:
        raise InputError(f"reasons: {reasons!r} is not a count; use 0 (none) or e.g. 3")
    if percentile not in ("run", "batch"):
        raise InputError(f"percentile: {percentile!r} is not a choice; use 'run' (over all "
                         "rows) or 'batch' (within each Arrow batch)")
    if isinstance(keep, str):
        keep = [keep]
    keep = list(keep)
    if "patent_id" not in spark_df.columns:
        raise InputError(f"spark_df has no patent_id column (columns: {spark_df.columns}); "
                         "rename your id column to patent_id (canonical column names)")
    unknown = [c for c in keep if c not in spark_df.columns]
    if unknown:
        raise InputError(f"keep: {unknown} not among the input columns {spark_df.columns}")
    day = parse_as_of(as_of).date().isoformat()

    uri = _resolve_uri(str(model_uri))
    try:
        pyf = mlflow.pyfunc.load_model(uri)
    except Exception as e:
        raise ModelError(f"model_uri {model_uri!r}: cannot load the pyfunc model ({e}); log and "
                         "register it with `hvpscore train ... --register NAME`, then use "
                         "models:/NAME@champion") from None
    inner = getattr(pyf.unwrap_python_model(), "model", None)
    targets = getattr(inner, "targets", None)
    if not targets:
        raise ModelError(f"model_uri {model_uri!r}: not an hvpscore pipeline model (no model "
                         "heads found); use the pyfunc that `hvpscore train --register` logs")
    columns = score_columns(list(targets), reasons=reasons)
    clash = [c for c in keep if c in {n for n, _ in columns}]
    if clash:
        raise InputError(f"keep: {clash} clash with score table columns; rename them first")
    keep_fields = [spark_df.schema[c] for c in keep]
    schema = score_schema(list(targets), reasons=reasons, keep_fields=keep_fields)

    params = {"as_of": day, "reasons": int(reasons), "policy": policy}
    fn = _partition_scorer(uri, mlflow.get_tracking_uri(), mlflow.get_registry_uri(), params,
                           columns, keep)
    scored = _as_text(spark_df, keep).mapInPandas(fn, schema)
    if percentile == "batch":
        return scored
    scored = scored.persist(StorageLevel.MEMORY_AND_DISK)
    return _run_percentile(scored)
