"""hvpscore as an MLflow model: the whole pipeline (raw canonical records -> score table) as one
pyfunc model, training runs logged with params, metrics, plots and the model directory, and the
pipeline registered with an alias.

Logged as "models from code" (``_mlflow_entry.py``): nothing is pickled; the hvpscore model
directory travels as an artifact (loaded with :func:`hvpscore.model.load_model`) and the hvpscore
package itself as code (``code_paths``), so a registered model runs on a fresh worker that has
only the pinned dependencies (:func:`pip_requirements`) — no package index serves hvpscore.

Default store: ``sqlite:///mlflow.db`` in the working directory (the MLflow registry needs a
database store; artifacts go to ``./mlruns``); ``MLFLOW_TRACKING_URI`` overrides it.
"""

from __future__ import annotations

import os
import re
import tempfile
from importlib import metadata
from pathlib import Path

import mlflow.pyfunc
import numpy as np
import pandas as pd

from hvpscore._errors import InputError

__all__ = ["HvpscorePyfunc", "default_tracking_uri", "log_training", "pip_requirements"]


class HvpscorePyfunc(mlflow.pyfunc.PythonModel):
    """``predict(records)``: records with canonical column names (values as in a canonical CSV:
    ISO dates, ``;``-separated lists) -> the score table, one row per input row in order; rows
    that fail validation come back with empty scores and their problems in ``problems``.
    Optional ``params``: ``as_of`` (YYYY-MM-DD), ``reasons`` (top-k), ``policy``."""

    def load_context(self, context):
        from hvpscore.model import load_model

        self.model = load_model(context.artifacts["model_dir"])

    def predict(self, context, model_input, params=None):
        from hvpscore.io import read_records
        from hvpscore.scoring import score_records

        params = params or {}
        frame = pd.DataFrame(model_input).reset_index(drop=True)
        res = read_records(frame, profile="canonical")
        scores = score_records(res.records, model=self.model, policy=params.get("policy"),
                               as_of=params.get("as_of"), reasons=int(params.get("reasons", 0)))
        out = scores.reindex(range(1, len(frame) + 1))
        out["problems"] = None
        # rows are numbered from 1 in the input; a rejected row is one that is not in records
        # (never read back from the rejects table, whose columns are the user's own)
        bad = np.setdiff1d(np.arange(1, len(frame) + 1), res.records.index.to_numpy())
        if len(bad):
            why: dict[int, list[str]] = {}
            for p in res.problems:
                why.setdefault(int(p.row), []).append(f"{p.column}: {p.value!r} {p.message}")
            out.loc[bad, "problems"] = ["; ".join(why.get(int(r), ["rejected"])) for r in bad]
            if "patent_id" in frame.columns:
                out.loc[bad, "patent_id"] = frame["patent_id"].iloc[bad - 1].astype(str).to_numpy()
        return out.reset_index(drop=True)


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def pip_requirements() -> list[str]:
    """hvpscore's own dependencies pinned to the installed versions, plus MLflow: what a fresh
    worker installs to run the logged pipeline (hvpscore itself travels as code)."""
    reqs = []
    for r in metadata.requires("hvpscore") or []:
        if "extra ==" in r:
            continue
        name = _REQ_NAME.match(r).group(1)
        try:
            reqs.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            reqs.append(r.split(";")[0].strip())
    reqs.append(f"mlflow=={metadata.version('mlflow')}")
    return reqs


def default_tracking_uri() -> str:
    """``$MLFLOW_TRACKING_URI``, else ``sqlite:///mlflow.db`` in the working directory."""
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{Path.cwd() / 'mlflow.db'}"


def _plots(meta: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    for t, h in meta["heads"].items():
        rel = h.get("reliability") or []
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
        ax.plot([0, 1], [0, 1], ls="--", c="grey", lw=1)
        ax.plot([r["predicted"] for r in rel], [r["observed"] for r in rel], marker="o")
        ax.set(xlabel="predicted probability", ylabel="observed rate",
               title=f"{t}: reliability (ECE {h['metrics']['ece']:.3f})", xlim=(0, 1),
               ylim=(0, 1))
        f = out / f"reliability_{t}.png"
        fig.tight_layout()
        fig.savefig(f, dpi=90)
        plt.close(fig)
        files.append(f)
        imp = sorted(h.get("importance_gain", {}).items(), key=lambda kv: kv[1])[-20:]
        fig, ax = plt.subplots(figsize=(6, 0.3 * len(imp) + 1.2))
        ax.barh([k for k, _ in imp], [v for _, v in imp])
        ax.set(xlabel="total gain", title=f"{t}: feature importance")
        f = out / f"feature_importance_{t}.png"
        fig.tight_layout()
        fig.savefig(f, dpi=90)
        plt.close(fig)
        files.append(f)
    return files


def log_training(model_dir: str | Path, *, tracking_uri: str | None = None,
                 experiment: str = "hvpscore", register: str | None = None,
                 alias: str = "champion") -> dict:
    """Log the model directory written by ``train`` as an MLflow run and (optionally) register
    the pyfunc pipeline under ``register`` with ``alias``. Returns run id, model uri, version."""
    import mlflow
    from mlflow import MlflowClient

    from hvpscore.model._model import load_model

    model_dir = Path(model_dir)
    model = load_model(model_dir)
    meta = model.metadata
    uri = tracking_uri or default_tracking_uri()
    mlflow.set_tracking_uri(uri)
    if mlflow.get_experiment_by_name(experiment) is None:
        loc = None
        if uri.startswith("sqlite:///") and "MLFLOW_TRACKING_URI" not in os.environ \
                and tracking_uri is None:
            loc = (Path.cwd() / "mlruns").as_uri()
        elif uri.startswith("sqlite:///"):
            loc = (Path(uri[len("sqlite:///"):]).resolve().parent / "mlruns").as_uri()
        mlflow.create_experiment(experiment, artifact_location=loc)
    mlflow.set_experiment(experiment)
    entry = Path(__file__).with_name("_mlflow_entry.py")
    with mlflow.start_run(run_name=meta["model_version"]) as run:
        mlflow.set_tags({"hvpscore.stage": meta["stage"], "hvpscore.targets": ",".join(
            meta["targets"]), "hvpscore.data_sha256": meta["training_data"]["sha256"],
            "hvpscore.model_version": meta["model_version"]})
        params = {"stage": meta["stage"], "targets": ",".join(meta["targets"]),
                  "calibration": meta["calibration"], "as_of": meta["as_of"],
                  "policy_id": meta.get("policy_id"), "data_rows": meta["training_data"]["rows"],
                  "data_sha256": meta["training_data"]["sha256"],
                  "split": ",".join(f"{k}={v}" for k, v in meta["split"].items()),
                  "crossfit": int(meta.get("crossfit") or 0),
                  "final": bool(meta.get("final"))}
        for t, h in meta["heads"].items():
            for k, v in h.get("params", {}).items():
                params[f"{t}.{k}"] = v
            params[f"{t}.best_iteration"] = h.get("best_iteration")
            params[f"{t}.n_features"] = len(h["features"])
        mlflow.log_params(params)
        metrics = {}
        for t, h in meta["heads"].items():
            for k, v in h["metrics"].items():
                if v is not None:
                    metrics[f"{t}.test.{k}"] = float(v)
            cvr = h.get("cv")
            if cvr:
                metrics[f"{t}.cv.auc_mean"] = float(cvr["mean"])
                metrics[f"{t}.cv.auc_sd"] = float(cvr["sd"])
            fin = h.get("final")
            if fin:
                metrics[f"{t}.final.cv.auc_mean"] = float(fin["cv"]["mean"])
                metrics[f"{t}.final.rows"] = float(fin["rows"])
            for b, bm in h.get("baselines", {}).items():
                for k, v in bm.items():
                    if isinstance(v, (int, float)) and v is not None:
                        metrics[f"{t}.baseline.{b}.{k}"] = float(v)
        metrics["train_seconds"] = float(meta.get("train_seconds") or 0.0)
        mlflow.log_metrics(metrics)
        with tempfile.TemporaryDirectory() as tmp:
            for f in _plots(meta, Path(tmp)):
                mlflow.log_artifact(str(f), artifact_path="plots")
        mlflow.log_artifacts(str(model_dir), artifact_path="hvpscore_model")
        info = mlflow.pyfunc.log_model(
            name="pipeline",
            # Without a params schema MLflow drops `params` with only a warning, and the
            # pipeline would silently score as of today without reasons.
            signature=_pipeline_signature(),
            python_model=str(entry),
            artifacts={"model_dir": str(model_dir)},
            # hvpscore travels as code (no index serves it); its dependencies as pins
            code_paths=[str(Path(__file__).resolve().parent)],
            pip_requirements=pip_requirements(),
        )
        result = {"run_id": run.info.run_id, "model_uri": info.model_uri,
                  "tracking_uri": uri, "experiment": experiment}
    if register:
        if not register.strip():
            raise InputError("register: empty model name; give e.g. --register hvpscore")
        mv = mlflow.register_model(info.model_uri, register)
        MlflowClient().set_registered_model_alias(register, alias, mv.version)
        result.update({"registered_model": register, "version": int(mv.version), "alias": alias})
    return result


def _pipeline_signature():
    """The pipeline's run parameters (inputs stay free-form canonical records)."""
    from mlflow.models import ModelSignature
    from mlflow.types import ParamSchema, ParamSpec

    return ModelSignature(inputs=None, params=ParamSchema([
        ParamSpec("as_of", "string", None),
        ParamSpec("reasons", "long", 0),
        ParamSpec("policy", "string", None),
    ]))
