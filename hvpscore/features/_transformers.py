"""Feature families as scikit-learn transformers (canonical records in, float DataFrame out)."""

from __future__ import annotations

import datetime as _dt
import weakref

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from hvpscore._errors import InputError, ModelError
from hvpscore.features._compute import (
    COHORT_BASE,
    KERNELS,
    cohort_keys,
    issue_keys,
    text_claim_frame,
)
from hvpscore.features._registry import FAMILIES, feature_specs
from hvpscore.schema import STAGES, stage_rank

__all__ = [
    "CitationFeatures",
    "ClaimFeatures",
    "FamilyRouteFeatures",
    "FeatureFamily",
    "HistoryFeatures",
    "IpcFeatures",
    "OwnerFeatures",
    "ProsecutionFeatures",
    "TimeFeatures",
    "features_from_state",
    "features_state",
    "make_features",
]

_COHORT_MIN = 30  # rows a cohort needs before its own median is used
_ISSUE_MIN = 100  # grants an issue needs before positions in it are estimated
_ISSUE_Q = np.linspace(0.01, 0.99, 41)


# [weakref to the last frame, its claims texts, their claim features]
_TEXT_CACHE: list = [None, None, None]


def release_text_cache() -> None:
    """Drop the claims features kept for the last frame (a batch run frees them per chunk)."""
    _TEXT_CACHE[:] = [None, None, None]


class _Ctx:
    """Per-call cache shared by the kernels of one transform."""

    def __init__(self, X: pd.DataFrame, as_of, issue_table: dict | None):
        self.X = X
        self.as_of = as_of
        self._issue_table = issue_table or {}
        self._text = None

    def text(self) -> pd.DataFrame:
        if self._text is None:
            # several families read the claims analysis of the same frame: parse it once
            ref, texts, cached = _TEXT_CACHE
            now = self.X["claims_text"] if "claims_text" in self.X.columns else None
            if ref is not None and ref() is self.X and cached is not None and (
                    (now is None and texts is None)
                    or (now is not None and texts is not None and now.equals(texts))):
                self._text = cached
            else:
                self._text = text_claim_frame(self.X)
                _TEXT_CACHE[:] = [weakref.ref(self.X), None if now is None else now.copy(),
                                  self._text]
        return self._text

    def issue_position(self, X: pd.DataFrame) -> np.ndarray:
        keys, nums = issue_keys(X)
        out = np.full(len(X), np.nan)
        for key in set(keys) - {""}:
            knots = self._issue_table.get(key)
            if knots is None:
                continue
            knots = np.asarray(knots, dtype=float)
            rows = keys == key
            span = knots[-1] - knots[0]
            x = nums[rows]
            pos = np.interp(x, knots, _ISSUE_Q)
            # beyond the outer knots: extrapolate a little, unknown when far outside the issue
            lo, hi = knots[0] - 0.05 * span, knots[-1] + 0.05 * span
            pos = np.where(x < knots[0], 0.01 * (x - lo) / (knots[0] - lo + 1e-9), pos)
            pos = np.where(x > knots[-1], 0.99 + 0.01 * (x - knots[-1]) / (hi - knots[-1] + 1e-9),
                           pos)
            pos = np.where((x < lo) | (x > hi), np.nan, pos)
            out[rows] = pos
        return out


class FeatureFamily(TransformerMixin, BaseEstimator):
    """One family of features, limited to those known at ``stage``.

    Parameters
    ----------
    stage : {"draft", "filing", "grant", "stock"}
        The latest stage whose features may be used. Features of a later stage are never
        computed, so the output cannot depend on later-stage columns.
    exclude_sources : tuple of str
        Canonical columns that must not feed any feature (e.g. the columns that define a label).
    drop_empty : bool
        Drop features that carry no information on the training rows (missing or constant on
        every row; decided in ``fit``).
    as_of : date-like or None
        Reference date of stock-stage features such as age (default: today).
    """

    family: str = ""

    def __init__(self, *, stage="grant", exclude_sources=(), drop_empty=False, as_of=None):
        self.stage = stage
        self.exclude_sources = exclude_sources
        self.drop_empty = drop_empty
        self.as_of = as_of

    # -- helpers -------------------------------------------------------------------------------
    def _candidates(self) -> list[str]:
        if self.stage not in STAGES:
            raise InputError(f"stage {self.stage!r} is not one of {', '.join(STAGES)}")
        excluded = set(self.exclude_sources or ())
        return [
            s.name for s in feature_specs()
            if s.family == self.family
            and stage_rank(s.stage) <= stage_rank(self.stage)
            and not excluded.intersection(s.sources)
        ]

    def _as_of(self):
        return pd.Timestamp(self.as_of) if self.as_of is not None else pd.Timestamp(
            _dt.date.today())

    def _check_frame(self, X) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise InputError(
                f"{type(self).__name__} needs canonical records as a pandas DataFrame, got "
                f"{type(X).__name__}; read them with hvpscore.read_records(...)")
        return X

    def _compute(self, X: pd.DataFrame, names: list[str], ctx: _Ctx) -> pd.DataFrame:
        cols = {}
        for name in names:
            if name in COHORT_BASE:
                base = cols.get(COHORT_BASE[name])
                if base is None:
                    base = np.asarray(KERNELS[COHORT_BASE[name]](X, ctx), dtype=float)
                cols[name] = self._cohort_transform(name, X, base)
            else:
                cols[name] = np.asarray(KERNELS[name](X, ctx), dtype=float)
        return pd.DataFrame({n: cols[n] for n in names}, index=X.index, dtype=float)

    def _cohort_transform(self, name: str, X: pd.DataFrame, base: np.ndarray) -> np.ndarray:
        table = self.cohort_medians_.get(name) if hasattr(self, "cohort_medians_") else None
        if table is None:
            return np.full(len(X), np.nan)
        ykeys, ckeys = cohort_keys(X)
        glob = table.get("*", np.nan)
        med = np.array(
            [table.get(c, table.get(y, glob)) for y, c in zip(ykeys, ckeys, strict=True)],
            dtype=float,
        )
        return (base + 1.0) / (med + 1.0)

    # -- sklearn API -----------------------------------------------------------------------------
    def fit(self, X, y=None):
        X = self._check_frame(X)
        names = self._candidates()
        ctx = _Ctx(X, self._as_of(), None)
        if "issue_position" in names:
            self.issue_table_ = _fit_issue_table(X)
            ctx = _Ctx(X, self._as_of(), self.issue_table_)
        self.cohort_medians_ = {}
        raw = self._compute(X, [n for n in names if n not in COHORT_BASE], ctx)
        for name in names:
            if name in COHORT_BASE:
                base = COHORT_BASE[name]
                vals = raw[base].to_numpy() if base in raw else np.asarray(
                    KERNELS[base](X, ctx), dtype=float)
                self.cohort_medians_[name] = _fit_cohort(X, vals)
        if self.drop_empty:
            full = self._compute(X, names, ctx)
            names = [n for n in names if full[n].nunique(dropna=False) > 1]
        self.features_ = names
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object)
        self.n_features_in_ = len(X.columns)
        return self

    def transform(self, X):
        check_is_fitted(self, "features_")
        X = self._check_frame(X)
        ctx = _Ctx(X, self._as_of(), getattr(self, "issue_table_", None))
        return self._compute(X, list(self.features_), ctx)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "features_")
        return np.asarray(self.features_, dtype=object)

    # -- JSON state (no pickle) -----------------------------------------------------------------
    def get_state(self) -> dict:
        check_is_fitted(self, "features_")
        return {
            "family": self.family,
            "params": {
                "stage": self.stage,
                "exclude_sources": list(self.exclude_sources or ()),
                "drop_empty": bool(self.drop_empty),
                "as_of": None if self.as_of is None else str(pd.Timestamp(self.as_of).date()),
            },
            "features": list(self.features_),
            "cohort_medians": self.cohort_medians_,
            "issue_table": getattr(self, "issue_table_", None),
        }

    @classmethod
    def from_state(cls, state: dict) -> FeatureFamily:
        klass = _FAMILY_CLASSES.get(state.get("family"))
        if klass is None:
            raise ModelError(f"unknown feature family {state.get('family')!r} in model metadata; "
                             f"known: {', '.join(_FAMILY_CLASSES)}")
        params = dict(state["params"])
        params["exclude_sources"] = tuple(params.get("exclude_sources", ()))
        obj = klass(**params)
        obj.features_ = list(state["features"])
        allowed = set(obj._candidates())
        unknown = [f for f in obj.features_ if f not in allowed]
        if unknown:
            raise ModelError(
                f"model metadata lists features {unknown} that family {klass.family} does not "
                f"offer at stage {obj.stage}; the model was made by another hvpscore version: "
                f"retrain it with `hvpscore train`")
        obj.cohort_medians_ = {k: dict(v) for k, v in state.get("cohort_medians", {}).items()}
        if state.get("issue_table") is not None:
            obj.issue_table_ = {k: list(v) for k, v in state["issue_table"].items()}
        return obj


def _fit_cohort(X: pd.DataFrame, vals: np.ndarray) -> dict:
    ykeys, ckeys = cohort_keys(X)
    df = pd.DataFrame({"y": ykeys, "c": ckeys, "v": vals}).dropna(subset=["v"])
    table: dict[str, float] = {}
    if df.empty:
        return table
    table["*"] = float(df["v"].median())
    for col in ("y", "c"):
        g = df[df[col] != ""].groupby(col)["v"].agg(["median", "size"])
        for key, row in g[g["size"] >= _COHORT_MIN].iterrows():
            table[str(key)] = float(row["median"])
    return table


def _fit_issue_table(X: pd.DataFrame) -> dict:
    keys, nums = issue_keys(X)
    df = pd.DataFrame({"k": keys, "n": nums})
    df = df[(df["k"] != "") & df["n"].notna()]
    table = {}
    for key, g in df.groupby("k"):
        if len(g) >= _ISSUE_MIN:
            table[str(key)] = [float(x) for x in np.quantile(g["n"].to_numpy(), _ISSUE_Q)]
    return table


class ClaimFeatures(FeatureFamily):
    """Claims: counts as filed and granted (from ``claims_text`` via ``hvpscore.claims`` when
    present), tree depth, first-claim length, drafting findings, cohort-normalised counts."""

    family = "claims"


class CitationFeatures(FeatureFamily):
    """Backward citations and their cohort-normalised variant."""

    family = "citations"


class FamilyRouteFeatures(FeatureFamily):
    """Family and routes: PCT, priority claims, divisionals, continuity, family size."""

    family = "family"


class ProsecutionFeatures(FeatureFamily):
    """Prosecution: office actions, reexaminations, appeals, RCEs, extensions, claims cut."""

    family = "prosecution"


class OwnerFeatures(FeatureFamily):
    """Owner: applicant type, number of applicants/inventors, enterprise tags, entity size."""

    family = "owner"


class IpcFeatures(FeatureFamily):
    """IPC: section, class, number of codes and subclasses (scope), SEI field, issue position."""

    family = "ipc"


class TimeFeatures(FeatureFamily):
    """Time: filing year, priority gap, grant lag."""

    family = "time"


class HistoryFeatures(FeatureFamily):
    """History after grant: age at ``as_of``, forward citations, pledges, transfers, licences,
    awards."""

    family = "history"


_FAMILY_CLASSES: dict[str, type[FeatureFamily]] = {
    k.family: k for k in (ClaimFeatures, CitationFeatures, FamilyRouteFeatures,
                          ProsecutionFeatures, OwnerFeatures, IpcFeatures, TimeFeatures,
                          HistoryFeatures)
}
assert tuple(_FAMILY_CLASSES) == FAMILIES


def make_features(stage: str = "grant", *, exclude_sources=(), drop_empty: bool = False,
                  as_of=None) -> FeatureUnion:
    """The feature pipeline for ``stage``: a ``FeatureUnion`` of the families that have features
    at that stage, with pandas output. It never includes a feature of a later stage.

    >>> fu = make_features("filing")
    >>> [name for name, _ in fu.transformer_list][:3]
    ['claims', 'citations', 'family']
    """
    if stage not in STAGES:
        raise InputError(f"stage {stage!r} is not one of {', '.join(STAGES)}; "
                         f"choose the stage at which you will score")
    parts = []
    for fam, klass in _FAMILY_CLASSES.items():
        t = klass(stage=stage, exclude_sources=tuple(exclude_sources), drop_empty=drop_empty,
                  as_of=as_of)
        if t._candidates():
            parts.append((fam, t))
    fu = FeatureUnion(parts, verbose_feature_names_out=False)
    return fu.set_output(transform="pandas")


def features_state(fu: FeatureUnion) -> list[dict]:
    """JSON-able state of a fitted feature pipeline (see :func:`features_from_state`)."""
    return [t.get_state() for _, t in fu.transformer_list]


def features_from_state(state: list[dict]) -> FeatureUnion:
    """Rebuild a fitted feature pipeline from :func:`features_state` output (no pickle)."""
    parts = [(s["family"], FeatureFamily.from_state(s)) for s in state]
    fu = FeatureUnion(parts, verbose_feature_names_out=False).set_output(transform="pandas")
    # a FeatureUnion is fitted when its parts are; scikit-learn checks the parts
    return fu
