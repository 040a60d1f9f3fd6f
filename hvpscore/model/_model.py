"""A trained model: a fitted feature pipeline plus one calibrated LightGBM head per target.

Saved as a directory (LightGBM native text files, ``metadata.json``, ``model_card.md``). Loading
checks the format, the library versions and the feature names; nothing is unpickled.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import sklearn

from hvpscore._errors import InputError, ModelError
from hvpscore.features import feature_spec, features_from_state, features_state, transform_features
from hvpscore.model._calibration import Calibrator
from hvpscore.schema import STAGES, stage_rank

__all__ = ["FORMAT", "FORMAT_VERSION", "Head", "HvpModel", "load_model", "library_versions"]

FORMAT = "hvpscore-model"
FORMAT_VERSION = 1


def library_versions() -> dict[str, str]:
    from hvpscore import __version__

    return {
        "hvpscore": __version__,
        "lightgbm": lgb.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }


@dataclass
class Head:
    """One binary head: LightGBM booster, its feature names and the calibration map."""

    target: str
    booster: lgb.Booster
    features: list[str]
    calibrator: Calibrator
    info: dict = field(default_factory=dict)

    def matrix(self, F: pd.DataFrame) -> np.ndarray:
        return F[self.features].to_numpy(dtype=float)

    def raw(self, F: pd.DataFrame) -> np.ndarray:
        return self.booster.predict(self.matrix(F))

    def predict(self, F: pd.DataFrame) -> np.ndarray:
        return np.clip(self.calibrator(self.raw(F)), 0.0, 1.0)

    def contributions(self, F: pd.DataFrame) -> np.ndarray:
        """Per-row, per-feature contributions in log-odds (last column: the bias)."""
        return self.booster.predict(self.matrix(F), pred_contrib=True)


class HvpModel:
    """Fitted features + heads. Use :func:`hvpscore.model.train_model` or :func:`load_model`."""

    def __init__(self, features, heads: dict[str, Head], metadata: dict):
        self.features = features
        self.heads = heads
        self.metadata = metadata

    # -- properties ------------------------------------------------------------------------------
    @property
    def targets(self) -> list[str]:
        return list(self.heads)

    @property
    def stage(self) -> str:
        return self.metadata["stage"]

    @property
    def version(self) -> str:
        return self.metadata["model_version"]

    @property
    def feature_names(self) -> list[str]:
        return [str(n) for n in self.features.get_feature_names_out()]

    def __repr__(self) -> str:
        return (f"HvpModel({self.version!r}, stage={self.stage!r}, targets={self.targets}, "
                f"features={len(self.feature_names)})")

    # -- prediction ------------------------------------------------------------------------------
    def transform(self, records: pd.DataFrame, *, as_of=None, claims_cache=None) -> pd.DataFrame:
        """The feature matrix for ``records`` (canonical records) at ``as_of`` (default: the
        training date). Pure: the model is not changed, so calls at different dates (or from
        several threads) do not affect each other. ``claims_cache``: a
        :class:`hvpscore.claims.ClaimFeatureCache` for the claims analysis of this call."""
        if not isinstance(records, pd.DataFrame):
            raise InputError(f"records must be a pandas DataFrame of canonical records, got "
                             f"{type(records).__name__}; use hvpscore.read_records(...)")
        return transform_features(self.features, records, as_of=as_of, claims_cache=claims_cache)

    def predict_proba(self, records: pd.DataFrame, *, as_of=None,
                      F: pd.DataFrame | None = None,
                      rows: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
        """Calibrated probabilities, one column ``p_<target>`` per head, same index as records.

        ``rows``: for some heads, a boolean mask of the rows to predict; the others are NaN
        (a row's probability does not depend on the other rows: the same values where computed).
        """
        F = self.transform(records, as_of=as_of) if F is None else F
        out = {}
        for t, h in self.heads.items():
            mask = None if rows is None else rows.get(t)
            if mask is None:
                out[f"p_{t}"] = h.predict(F)
                continue
            mask = np.asarray(mask, dtype=bool)
            if len(mask) != len(F):
                raise ValueError(f"rows[{t!r}]: {len(mask)} flags for {len(F)} rows")
            p = np.full(len(F), np.nan)
            if mask.any():
                p[mask] = h.predict(F.loc[mask] if not mask.all() else F)
            out[f"p_{t}"] = p
        return pd.DataFrame(out, index=F.index)

    def explain(self, records: pd.DataFrame, *, k: int = 3, target: str | None = None,
                as_of=None, F: pd.DataFrame | None = None,
                dimensions: bool = False) -> pd.DataFrame:
        """Top-``k`` reasons per row (zh and en) from LightGBM contributions, optionally with the
        legal / technical / economic sub-scores; see :func:`hvpscore.model.explain_rows`."""
        from hvpscore.model._explain import explain_rows

        F = self.transform(records, as_of=as_of) if F is None else F
        head = self.heads[target or self.primary_target]
        return explain_rows(head, F, k=k, dimensions=dimensions)

    @property
    def primary_target(self) -> str:
        return "high_value" if "high_value" in self.heads else self.targets[0]

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path, *, intro: str = "") -> Path:
        """Write the model directory (created if needed; existing model files are replaced).

        ``intro``: text put at the top of ``model_card.md`` (what the data are, caveats)."""
        from hvpscore.model._card import model_card

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        meta = dict(self.metadata)
        meta["feature_state"] = features_state(self.features)
        meta["features"] = [
            {"name": n, "stage": feature_spec(n).stage, "family": feature_spec(n).family}
            for n in self.feature_names
        ]
        heads = {}
        for t, h in self.heads.items():
            fname = f"head-{t}.lgb.txt"
            h.booster.save_model(str(out / fname))
            heads[t] = {**h.info, "file": fname, "features": list(h.features),
                        "calibration": h.calibrator.to_dict()}
        meta["heads"] = heads
        (out / "metadata.json").write_text(
            json.dumps(_jsonable(meta), ensure_ascii=False, indent=1), encoding="utf-8")
        (out / "model_card.md").write_text(model_card(meta, intro=intro), encoding="utf-8")
        self.metadata = meta
        return out


def _jsonable(o):
    if isinstance(o, dict):
        return {str(k): _jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_jsonable(v) for v in o]
    if isinstance(o, (np.floating, float)):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, (pd.Timestamp,)):
        return o.isoformat()
    return o


def load_model(path: str | Path) -> HvpModel:
    """Load a model directory written by :meth:`HvpModel.save`, checking format, library
    versions and feature names. Raises :class:`hvpscore.ModelError` with the fix."""
    d = Path(path)
    meta_path = d / "metadata.json"
    if not meta_path.is_file():
        raise ModelError(f"{d}: no metadata.json; a model directory is written by "
                         f"`hvpscore train ... --out DIR`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{meta_path}: not valid JSON ({exc}); retrain the model") from None
    if meta.get("format") != FORMAT:
        raise ModelError(f"{meta_path}: format {meta.get('format')!r} is not {FORMAT!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{meta_path}: format_version {meta.get('format_version')!r}; this "
                         f"hvpscore reads version {FORMAT_VERSION}: retrain the model")
    _check_versions(meta, meta_path)
    if meta.get("stage") not in STAGES:
        raise ModelError(f"{meta_path}: stage {meta.get('stage')!r} is not one of {STAGES}")
    features = features_from_state(meta["feature_state"])
    names = [str(n) for n in features.get_feature_names_out()]
    listed = [f["name"] for f in meta["features"]]
    if names != listed:
        raise ModelError(f"{meta_path}: feature pipeline gives {names} but metadata lists "
                         f"{listed}; the directory was edited or mixed: retrain the model")
    for n in names:
        try:
            spec = feature_spec(n)
        except KeyError:
            raise ModelError(f"{meta_path}: unknown feature {n!r}; retrain the model with this "
                             f"hvpscore version") from None
        if stage_rank(spec.stage) > stage_rank(meta["stage"]):
            raise ModelError(f"{meta_path}: feature {n!r} (stage {spec.stage}) is later than the "
                             f"model stage {meta['stage']!r}: refusing a leaky model")
    heads = {}
    for t, h in meta["heads"].items():
        f = d / h["file"]
        if not f.is_file() or Path(h["file"]).name != h["file"]:
            raise ModelError(f"{d}: head {t!r} model file {h['file']!r} is missing")
        booster = lgb.Booster(model_file=str(f))
        if booster.feature_name() != list(h["features"]):
            raise ModelError(f"{f}: its feature names {booster.feature_name()} differ from "
                             f"metadata.json {h['features']}; retrain the model")
        missing = [n for n in h["features"] if n not in names]
        if missing:
            raise ModelError(f"{f}: head {t!r} uses features {missing} that the pipeline does "
                             f"not produce; retrain the model")
        info = {k: v for k, v in h.items() if k not in ("file", "features", "calibration")}
        heads[t] = Head(t, booster, list(h["features"]), Calibrator.from_dict(h["calibration"]),
                        info)
    meta = {k: v for k, v in meta.items() if k != "heads"} | {"heads": meta["heads"]}
    return HvpModel(features, heads, meta)


def _major(v: str) -> str:
    return str(v).split(".")[0]


def _check_versions(meta: dict, where: Path) -> None:
    have = library_versions()
    saved = meta.get("versions", {})
    for lib in ("lightgbm", "scikit-learn"):
        if lib in saved and _major(saved[lib]) != _major(have[lib]):
            raise ModelError(f"{where}: trained with {lib} {saved[lib]}, installed {have[lib]}: "
                             f"install {lib}=={_major(saved[lib])}.* or retrain the model")
    if "hvpscore" in saved and _major(saved["hvpscore"]) != _major(have["hvpscore"]):
        raise ModelError(f"{where}: made by hvpscore {saved['hvpscore']}, this is "
                         f"{have['hvpscore']}: retrain the model")
