"""The whole pipeline (raw canonical records -> score table) as one MLflow pyfunc model.

Logged as "models from code" (``_pyfunc_entry.py``): nothing is pickled; the hvpscore model
directory travels as an artifact and is loaded with :func:`hvpscore.model.load_model`.
"""

from __future__ import annotations

import mlflow.pyfunc
import pandas as pd

__all__ = ["HvpscorePyfunc"]


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
        if len(res.rejects):
            rej = res.rejects
            rows = rej["row"].astype(int).to_numpy()
            out.loc[rows, "problems"] = rej["reasons"].astype(str).to_numpy()
            if "patent_id" in frame.columns:
                out.loc[rows, "patent_id"] = frame["patent_id"].iloc[rows - 1].astype(str).to_numpy()
        return out.reset_index(drop=True)
