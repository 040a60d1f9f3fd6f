"""Feature families as scikit-learn transformers (canonical records in, float DataFrame out)."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from hvpscore._errors import InputError, ModelError
from hvpscore.features._compute import (
    COHORT_BASE,
    KERNELS,
    cohort_codes,
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
    "FeatureMemo",
    "features_from_state",
    "features_state",
    "fit_features",
    "make_features",
    "transform_features",
]

_COHORT_MIN = 30  # rows a cohort needs before its own median is used
_ISSUE_MIN = 100  # grants an issue needs before positions in it are estimated
_ISSUE_Q = np.linspace(0.01, 0.99, 41)


class FeatureMemo:
    """What the feature families of one call share: the claims analysis of a frame.

    Several families (claims, prosecution) read the claims texts of the same frame; one memo,
    made for one fit or transform call and passed to each family, parses them once. It holds the
    frames it has seen, so it lives as long as the call (:func:`fit_features`,
    :func:`transform_features`, ``HvpModel.transform`` make one per call); there is no state
    between calls.

    Parameters
    ----------
    claims_cache : hvpscore.claims.ClaimFeatureCache or None
        A content-hash cache of claim features, passed to ``claim_features(..., cache=)``.
    """

    def __init__(self, claims_cache=None):
        self.claims_cache = claims_cache
        self._text: list[tuple[pd.DataFrame, pd.DataFrame]] = []
        self._derived: dict[tuple[str, int], tuple[pd.DataFrame, object]] = {}

    def derived(self, name: str, X: pd.DataFrame, compute):
        """``compute(X)`` for the key ``name`` (main IPC codes, cohort keys …), computed once per
        frame object for all the families of this call."""
        hit = self._derived.get((name, id(X)))
        if hit is not None and hit[0] is X:
            return hit[1]
        val = compute(X)
        self._derived[(name, id(X))] = (X, val)
        return val

    def text(self, X: pd.DataFrame) -> pd.DataFrame:
        """The claim features of ``X`` (computed on the first request for this frame)."""
        for seen, frame in self._text:
            if seen is X:
                return frame
        frame = text_claim_frame(X, cache=self.claims_cache)
        self._text.append((X, frame))
        return frame


class _Ctx:
    """What the kernels of one family's computation read: the frame, the date, fitted tables."""

    def __init__(self, X: pd.DataFrame, as_of, issue_table: dict | None, memo: FeatureMemo):
        self.X = X
        self.as_of = as_of
        self._issue_table = issue_table or {}
        self.memo = memo

    def text(self) -> pd.DataFrame:
        return self.memo.text(self.X)

    def issue_position(self, X: pd.DataFrame) -> np.ndarray:
        keys, nums = issue_keys(X)
        out = np.full(len(X), np.nan)
        # rows grouped by key once (not one comparison of all rows per key)
        codes, uniq = pd.factorize(keys)
        order = np.argsort(codes, kind="stable")
        cuts = np.flatnonzero(np.diff(codes[order])) + 1
        for rows in np.split(order, cuts):
            if not len(rows):
                continue
            key = uniq[codes[rows[0]]] if codes[rows[0]] >= 0 else ""
            knots = self._issue_table.get(key) if key else None
            if knots is None:
                continue
            knots = np.asarray(knots, dtype=float)
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
        Reference date of stock-stage features such as age (default: today). ``transform`` takes
        ``as_of=`` per call, which wins over this default; neither fit nor transform changes it.
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

    def _as_of(self, as_of=None):
        as_of = self.as_of if as_of is None else as_of
        return pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(_dt.date.today())

    def _check_frame(self, X) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            kind = type(X).__name__
            if hasattr(X, "tocsr"):  # scipy.sparse: say so (scikit-learn's convention)
                kind += " (sparse input is not supported)"
            raise InputError(
                f"{type(self).__name__} needs canonical records as a pandas DataFrame, got "
                f"{kind}; read them with hvpscore.read_records(...)")
        return X

    def _compute(self, X: pd.DataFrame, names: list[str], ctx: _Ctx) -> pd.DataFrame:
        cols = {}
        for name in names:
            if name in COHORT_BASE:
                base = cols.get(COHORT_BASE[name])
                if base is None:
                    base = np.asarray(KERNELS[COHORT_BASE[name]](X, ctx), dtype=float)
                cols[name] = self._cohort_transform(name, X, base, ctx)
            else:
                cols[name] = np.asarray(KERNELS[name](X, ctx), dtype=float)
        return pd.DataFrame({n: cols[n] for n in names}, index=X.index, dtype=float)

    def _cohort_transform(self, name: str, X: pd.DataFrame, base: np.ndarray,
                          ctx: _Ctx | None = None) -> np.ndarray:
        table = self.cohort_medians_.get(name) if hasattr(self, "cohort_medians_") else None
        if table is None:
            return np.full(len(X), np.nan)
        codes, pairs = cohort_codes(X, None if ctx is None else ctx.memo)
        glob = table.get("*", np.nan)
        # the cohort's median, else its year's, else the global one: once per distinct pair
        per_pair = np.array([table.get(c, table.get(y, glob)) for y, c in pairs], dtype=float)
        med = per_pair[codes] if len(codes) else np.zeros(0)
        return (base + 1.0) / (med + 1.0)

    # -- sklearn API -----------------------------------------------------------------------------
    def fit(self, X, y=None, *, memo: FeatureMemo | None = None):
        """Fit on canonical records ``X``. ``memo``: a :class:`FeatureMemo` shared with the
        other families fitted on the same frame (see :func:`fit_features`)."""
        X = self._check_frame(X)
        names = self._candidates()
        memo = FeatureMemo() if memo is None else memo
        ctx = _Ctx(X, self._as_of(), None, memo)
        if "issue_position" in names:
            self.issue_table_ = _fit_issue_table(X)
            ctx = _Ctx(X, self._as_of(), self.issue_table_, memo)
        self.cohort_medians_ = {}
        raw = self._compute(X, [n for n in names if n not in COHORT_BASE], ctx)
        for name in names:
            if name in COHORT_BASE:
                base = COHORT_BASE[name]
                vals = raw[base].to_numpy() if base in raw else np.asarray(
                    KERNELS[base](X, ctx), dtype=float)
                self.cohort_medians_[name] = _fit_cohort(X, vals, memo)
        if self.drop_empty:
            full = self._compute(X, names, ctx)
            names = [n for n in names if full[n].nunique(dropna=False) > 1]
        self.features_ = names
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object)
        self.n_features_in_ = len(X.columns)
        return self

    def transform(self, X, *, as_of=None, claims_cache=None, memo: FeatureMemo | None = None):
        """The features of canonical records ``X`` (a float DataFrame, same index).

        A pure function of ``X``, the fitted state and the arguments: nothing is stored.

        Parameters
        ----------
        as_of : date-like or None
            Reference date for this call (default: the ``as_of`` parameter, else today).
        claims_cache : hvpscore.claims.ClaimFeatureCache or None
            Content-hash cache for the claims analysis (ignored when ``memo`` is given: the
            memo's own cache is used).
        memo : FeatureMemo or None
            Shared with the other families transforming the same frame (see
            :func:`transform_features`).
        """
        check_is_fitted(self, "features_")
        X = self._check_frame(X)
        memo = FeatureMemo(claims_cache) if memo is None else memo
        ctx = _Ctx(X, self._as_of(as_of), getattr(self, "issue_table_", None), memo)
        return self._compute(X, list(self.features_), ctx)

    def fit_transform(self, X, y=None, **fit_params):
        """``fit`` then ``transform`` of the same frame (its claims texts parsed once)."""
        memo = fit_params.pop("memo", None) or FeatureMemo()
        return self.fit(X, y, memo=memo, **fit_params).transform(X, memo=memo)

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


def _fit_cohort(X: pd.DataFrame, vals: np.ndarray, memo=None) -> dict:
    ykeys, ckeys = cohort_keys(X, memo)
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


def fit_features(fu: FeatureUnion, X: pd.DataFrame) -> FeatureUnion:
    """Fit every family of ``fu`` on ``X`` (what ``fu.fit(X)`` does, the claims texts of ``X``
    parsed once for all families). Returns ``fu``."""
    memo = FeatureMemo()
    for _, t in fu.transformer_list:
        t.fit(X, memo=memo)
    return fu


def transform_features(fu: FeatureUnion, X: pd.DataFrame, *, as_of=None,
                       claims_cache=None) -> pd.DataFrame:
    """The features of ``X`` from a fitted pipeline: what ``fu.transform(X)`` gives (the families'
    columns side by side), with a reference date and a claims cache for this call only, and the
    claims texts parsed once for all families. The pipeline is not changed."""
    memo = FeatureMemo(claims_cache)
    parts = [t.transform(X, as_of=as_of, memo=memo) for _, t in fu.transformer_list]
    return pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]


def features_state(fu: FeatureUnion) -> list[dict]:
    """JSON-able state of a fitted feature pipeline (see :func:`features_from_state`)."""
    return [t.get_state() for _, t in fu.transformer_list]


def features_from_state(state: list[dict]) -> FeatureUnion:
    """Rebuild a fitted feature pipeline from :func:`features_state` output (no pickle)."""
    parts = [(s["family"], FeatureFamily.from_state(s)) for s in state]
    fu = FeatureUnion(parts, verbose_feature_names_out=False).set_output(transform="pandas")
    # a FeatureUnion is fitted when its parts are; scikit-learn checks the parts
    return fu
