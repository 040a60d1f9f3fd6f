"""Training and evaluation of the LightGBM heads (``train_model``, ``evaluate_model``)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError
from hvpscore.features import feature_spec, fit_features, make_features, transform_features
from hvpscore.model._calibration import fit_calibrator
from hvpscore.model._metrics import binary_metrics, bootstrap_ci, reliability_table
from hvpscore.model._model import FORMAT, FORMAT_VERSION, Head, HvpModel, library_versions
from hvpscore.model._split import DEFAULT_SPLIT, _bucket, split_parts
from hvpscore.model._targets import label_free_of_rules, labels_for, target_info
from hvpscore.schema import STAGES

__all__ = ["CV_SALT", "DEFAULT_PARAMS", "cross_validate", "cv_folds", "cv_matrices", "cv_score",
           "data_hash",
           "evaluate_model", "monotone_vector", "train_model"]

# Defaults chosen by 5-fold hash cross-validation on the US 2005 renewal data (dev half): 63 leaves
# at rate 0.01 gained 0.001 AUC but made per-row contributions (reasons) 6x slower.
DEFAULT_PARAMS = {
    "objective": "binary",
    "metric": "binary_logloss",  # early stopping on log loss: steadier than AUC on small parts
    "learning_rate": 0.02,
    "num_leaves": 31,
    "min_child_samples": 100,
    "reg_lambda": 5.0,
    "colsample_bytree": 0.7,
    "subsample": 0.8,
    "subsample_freq": 1,
    "n_estimators": 4000,
    "early_stopping_rounds": 200,
    "num_threads": 2,
    "verbose": -1,
    "seed": 0,
    "deterministic": True,
}

_MIN_POSITIVES = 10


def data_hash(records: pd.DataFrame) -> str:
    """sha256 of the records' canonical content (column names and values, in order)."""
    h = hashlib.sha256()
    h.update("|".join(map(str, records.columns)).encode())
    for name in records.columns:
        h.update(name.encode())
        h.update(records[name].astype(str).str.cat(sep="\x1f").encode("utf-8", "replace"))
    return h.hexdigest()


def _head_features(all_features: list[str], target: str) -> list[str]:
    defining = set(target_info(target)["defining"])
    return [f for f in all_features if not defining.intersection(feature_spec(f).sources)]


def monotone_vector(features: list[str]) -> list[int]:
    """LightGBM ``monotone_constraints`` from the registry's ``monotone`` field (0 = free)."""
    return [int(feature_spec(f).monotone) for f in features]


def _native(params: dict, names: list[str], drop=()) -> dict:
    """LightGBM's own parameters from ours: ``monotone`` becomes the constraint vector of
    ``names``; the keys in ``drop`` (and ``refit``) are left out."""
    p = {k: v for k, v in params.items() if k not in (*drop, "refit")}
    if p.pop("monotone", False):
        p["monotone_constraints"] = monotone_vector(names)
        p.setdefault("monotone_constraints_method", "advanced")
    return p


def _fixed_trees(X, y, params: dict, names: list[str], n_trees: int) -> lgb.Booster:
    """A booster of exactly ``n_trees`` trees on all of ``X`` (no early stopping)."""
    p = _native(params, names, drop=("n_estimators", "early_stopping_rounds"))
    return lgb.train(p, lgb.Dataset(X, label=y, feature_name=names),
                     num_boost_round=max(1, int(n_trees)))


def _lgb_fit(X_tr, y_tr, X_va, y_va, params: dict, names: list[str]) -> lgb.Booster:
    p = _native(params, names)
    n_rounds = int(p.pop("n_estimators", 4000))
    stop = int(p.pop("early_stopping_rounds", 200))
    dtr = lgb.Dataset(X_tr, label=y_tr, feature_name=names, free_raw_data=True)
    dva = lgb.Dataset(X_va, label=y_va, reference=dtr)
    return lgb.train(p, dtr, num_boost_round=n_rounds, valid_sets=[dva], valid_names=["valid"],
                     callbacks=[lgb.early_stopping(stop, first_metric_only=True, verbose=False)])


def _refit(booster: lgb.Booster, X, y, n_first: int, params: dict,
           names: list[str]) -> lgb.Booster:
    """Refit on ``X`` (the early-stopping rows added to the fitting rows) with the early-stopped
    number of trees scaled by the row ratio; nothing else is read."""
    best = booster.best_iteration or booster.current_iteration()
    return _fixed_trees(X, y, params, names, round(best * len(y) / max(n_first, 1)))


def suggest_params(trial, params: dict) -> dict:
    """``params`` with the main LightGBM knobs drawn by an Optuna ``trial`` (the search space of
    every tuning run: :func:`_tune` and ``training/cv_us2005.py``)."""
    p = dict(params)
    p.update({
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.1, log=True),
        "num_leaves": trial.suggest_int("num_leaves", 7, 63, log=True),
        "min_child_samples": trial.suggest_int("min_child_samples", 20, 800, log=True),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-2, 100, log=True),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.3, 1.0),
    })
    return p


def _tune(records, target, stage, labels, params, split, as_of, n_trials: int, seed: int,
          k: int = 5, mats: list[dict] | None = None) -> tuple[dict, dict]:
    """Optuna search of the main LightGBM knobs by ``k``-fold cross-validation on the train
    part only (valid, calib and test parts are never read), or on the folds ``mats`` of
    :func:`cv_matrices` when given (the cross-fit pool: the test part is never read). Returns
    the best parameters and the study summary."""
    import optuna  # only when asked for and installed

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if mats is None:
        mats = cv_matrices(records, target=target, stage=stage, k=k, split=split, as_of=as_of,
                           labels=labels)

    def objective(trial):
        return cv_score(mats, suggest_params(trial, params))["mean"]

    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n_trials)
    summary = {"trials": n_trials, "best_cv_auc": float(study.best_value),
               "best_params": dict(study.best_params), "folds": k}
    return {**params, **study.best_params}, summary


CV_SALT = "hvpscore-cv-v1"


def cv_folds(ids: pd.Series, k: int = 5, salt: str = CV_SALT) -> np.ndarray:
    """Fold number 0..k-1 per row from a stable hash of ``patent_id`` (independent of the
    train/valid/calib/test split, whose salt differs)."""
    return np.minimum((_bucket(ids, salt) * k).astype(int), k - 1)


def cv_matrices(records: pd.DataFrame, *, target: str = "maintained_10y", stage: str = "grant",
                k: int = 5, split: dict | None = None, as_of=None, policy=None,
                exclude_features=(), labels: pd.Series | None = None,
                subset: np.ndarray | None = None, pool: str = "train") -> list[dict]:
    """The fold matrices of :func:`cross_validate` (features fitted per fold on the other folds),
    computed once so that a tuning study can reuse them.

    ``pool``: the rows the folds are cut from — ``"train"`` (the train part only), ``"fit"``
    (every non-test row: train, valid and calib parts; the cross-fit of ``train_model(...,
    crossfit=k)``; the test part is never read) or ``"all"`` (every labelled row: the final
    refit of ``train_model(..., final=True)``, after the held-out evaluation). Each fold's
    ``hold`` holds the positions (in ``records``) of its held-out rows."""
    if pool not in ("train", "fit", "all"):
        raise InputError(f"pool {pool!r} is not 'train', 'fit' or 'all'")
    records = records.reset_index(drop=True)
    as_of_ts = parse_as_of(as_of)
    split = {**DEFAULT_SPLIT, **(split or {})}
    parts = split_parts(records["patent_id"], split)
    if labels is None:
        labels, _ = labels_for(records, target, as_of=as_of_ts, policy=policy)
    labels = labels.reset_index(drop=True)
    known = labels.notna().to_numpy()
    y = labels.fillna(0).to_numpy(dtype=int)
    rows = {"train": parts == "train", "fit": parts != "test",
            "all": np.ones(len(parts), dtype=bool)}[pool] & known
    if subset is not None:
        rows &= np.asarray(subset, dtype=bool)
    folds = cv_folds(records["patent_id"], k)
    inner = _bucket(records["patent_id"], CV_SALT + "-inner") < 0.125
    mats = []
    for f in range(k):
        fit = rows & (folds != f)
        hold = rows & (folds == f)
        fu = make_features(stage, drop_empty=True, as_of=as_of_ts.date().isoformat())
        fu.fit(records.loc[fit])
        use = fit | hold
        F = fu.transform(records.loc[use])
        feats = [c for c in _head_features([str(n) for n in fu.get_feature_names_out()], target)
                 if c not in set(exclude_features)]
        X = F[feats].to_numpy(dtype=float)
        fit_r, hold_r, inner_r = fit[use], hold[use], inner[use]
        yy = y[use]
        tr, va = fit_r & ~inner_r, fit_r & inner_r
        mats.append({"features": feats, "X_tr": X[tr], "y_tr": yy[tr], "X_va": X[va],
                     "y_va": yy[va], "X_te": X[hold_r], "y_te": yy[hold_r],
                     "hold": np.flatnonzero(hold)})
    return mats


def cv_score(mats: list[dict], params: dict, oof: np.ndarray | None = None) -> dict:
    """AUC, PR AUC and log loss per fold of :func:`cv_matrices` for LightGBM ``params``.

    ``oof``: an array over all records, filled with each held-out row's raw score (from the
    fold model that never saw it)."""
    from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

    params = {**DEFAULT_PARAMS, **(params or {})}
    out = {"auc": [], "pr_auc": [], "log_loss": [], "trees": [], "rows": [], "fit_rows": []}
    refit = bool(params.pop("refit", False))
    for m in mats:
        b = _lgb_fit(m["X_tr"], m["y_tr"], m["X_va"], m["y_va"], params, m["features"])
        if refit:
            b = _refit(b, np.vstack([m["X_tr"], m["X_va"]]),
                       np.concatenate([m["y_tr"], m["y_va"]]), len(m["y_tr"]), params,
                       m["features"])
        p = b.predict(m["X_te"], num_iteration=b.best_iteration or None)
        out["auc"].append(float(roc_auc_score(m["y_te"], p)))
        out["pr_auc"].append(float(average_precision_score(m["y_te"], p)))
        out["log_loss"].append(float(log_loss(m["y_te"], p)))
        out["trees"].append(int(b.best_iteration or b.current_iteration()))
        out["rows"].append(int(len(m["y_te"])))
        out["fit_rows"].append(int(len(m["y_tr"])))
        if oof is not None:
            oof[m["hold"]] = p
    a = np.asarray(out["auc"])
    out["mean"] = float(a.mean())
    out["sd"] = float(a.std(ddof=1)) if len(a) > 1 else float("nan")
    out["k"] = len(mats)
    out["salt"] = CV_SALT
    return out


def cross_validate(records: pd.DataFrame, *, target: str = "maintained_10y",
                   stage: str = "grant", params: dict | None = None, k: int = 5,
                   split: dict | None = None, as_of=None, policy=None,
                   exclude_features=(), monotone: bool | None = None,
                   labels: pd.Series | None = None, subset: np.ndarray | None = None) -> dict:
    """``k``-fold cross-validation on the rows of the *train part* only.

    Folds come from :func:`cv_folds`. In each fold the features are fitted on the other folds,
    LightGBM is early-stopped on a hash-chosen eighth of those folds and the left-out fold gives
    AUC, PR AUC and log loss (raw, uncalibrated scores). The valid, calib and test parts are
    never read. ``subset`` (boolean per row) narrows the rows further. Returns per-fold lists
    plus ``mean`` and ``sd`` of AUC (sd over folds, ddof 1).
    """
    params = {**DEFAULT_PARAMS, **(params or {})}
    if monotone is not None:
        params["monotone"] = bool(monotone)
    mats = cv_matrices(records, target=target, stage=stage, k=k, split=split, as_of=as_of,
                       policy=policy, exclude_features=exclude_features, labels=labels,
                       subset=subset)
    return cv_score(mats, params)


def _baseline_columns(stage: str, features: list[str]) -> str | None:
    for name in ("claims_granted", "claims_filed", "text_claims"):
        if name in features and STAGES.index(feature_spec(name).stage) <= STAGES.index(stage):
            return name
    return None


def baselines(F: pd.DataFrame, y: np.ndarray, train: np.ndarray, test: np.ndarray,
              features: list[str], stage: str) -> dict[str, dict]:
    """Two reference models on the same split: logistic regression on the same feature columns
    (median-imputed, with missing indicators, standardised) and claim count alone."""
    out = {}
    cols = [c for c in features if F[c].notna().any()]
    lr = make_pipeline(SimpleImputer(strategy="median", add_indicator=True,
                                     keep_empty_features=False),
                       StandardScaler(), LogisticRegression(max_iter=2000))
    Xtr = F.loc[train, cols].to_numpy(dtype=float)
    Xte = F.loc[test, cols].to_numpy(dtype=float)
    Xtr = np.clip(Xtr, -1e9, 1e9)
    Xte = np.clip(Xte, -1e9, 1e9)
    lr.fit(Xtr, y[train])
    out["logistic_regression"] = binary_metrics(y[test], lr.predict_proba(Xte)[:, 1])
    claims = _baseline_columns(stage, cols)
    if claims is not None:
        c_tr = F.loc[train, [claims]].to_numpy(dtype=float)
        c_te = F.loc[test, [claims]].to_numpy(dtype=float)
        cl = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                           LogisticRegression())
        cl.fit(c_tr, y[train])
        m = binary_metrics(y[test], cl.predict_proba(c_te)[:, 1])
        m["feature"] = claims
        out["claim_count"] = m
    return out


def train_model(
    records: pd.DataFrame,
    *,
    targets=("maintained_10y",),
    stage: str = "grant",
    as_of=None,
    policy=None,
    params: dict | None = None,
    split: dict | None = None,
    calibration: str = "platt",
    tune: bool = False,
    n_trials: int = 30,
    name: str = "hvpscore-model",
    source: str | None = None,
    profile: str | None = None,
    baseline: bool = True,
    cv: int = 0,
    cv_targets=None,
    bootstrap: int = 1000,
    crossfit: int = 0,
    final: bool = False,
) -> HvpModel:
    """Train one calibrated LightGBM head per target on canonical ``records``.

    Rows are split by a stable hash of ``patent_id`` into train / valid (early stopping) /
    calib (calibration map) / test (held-out metrics; never used to fit anything). Features are
    fitted on the non-test rows. Labels come from ``outcome_<target>`` or are derived for mature
    records (see ``hvpscore/model/data/targets.yaml``). ``calibration``: ``platt`` (default; keeps
    the ranking, so AUC is unchanged — on the US data isotonic steps cost 0.001 AUC for no gain in
    ECE), ``isotonic`` or ``none``. With ``tune=True`` the LightGBM knobs are
    searched with Optuna by 5-fold cross-validation on the train part (requires
    ``pip install optuna``). ``cv``: folds of a cross-validation on the train part whose AUC mean
    ± sd goes into the head's info and the model card (0 = none; ``cv_targets``: only these
    heads, default all). ``bootstrap``: resamples of
    the test part for 95 % intervals of the held-out metrics (0 = none).

    ``crossfit``: ``k`` > 1 fits each head on *every* non-test row (train, valid and calib
    parts: 80 % of the rows with the default split instead of 60 %). A ``k``-fold cross-fit of
    those rows (features fitted per fold, early stopping on a hash-chosen eighth of the fitting
    folds) gives each row an out-of-fold score from a model that never saw it; the shipped
    booster is then trained on all of them with the folds' mean early-stopped tree count scaled by
    the row ratio, and calibrated on the out-of-fold scores. The fold AUCs are the head's ``cv``
    (the figure of this very procedure); ``tune`` searches on the same folds. The test part is
    still never read before the held-out metrics.

    ``final=True`` (needs ``crossfit``): after the held-out evaluation above, refit the features
    and every head on *all* labelled rows, test part included, by the same ``k``-fold cross-fit
    (tree count and calibration from out-of-fold scores of all rows). The heads' ``metrics``,
    intervals, baselines and ``cv`` stay those of the evaluation run (fitted without the test
    part, tested on it); ``info["final"]`` holds the refit's rows, trees and all-rows CV. Such a
    model has no unseen rows in its own training data: :func:`evaluate_model` refuses the hash
    split for it (evaluate it on other data with ``all_rows=True``).
    """
    if isinstance(targets, str):
        targets = (targets,)
    targets = tuple(targets)
    if not targets:
        raise InputError("no targets given; choose from maintained_10y, overseas_family, pledge, "
                         "award, high_value")
    for t in targets:
        target_info(t)
    if stage not in STAGES:
        raise InputError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    if tune and importlib.util.find_spec("optuna") is None:
        raise InputError("tune=True needs Optuna: pip install 'hvpscore[tune]' (or optuna)")
    if "patent_id" not in records.columns:
        raise InputError("records have no patent_id column; read them with hvpscore.read_records")
    if final and not crossfit:
        raise InputError("final=True refits by cross-fit: give crossfit=k (e.g. 5) as well")
    t0 = time.perf_counter()
    as_of_ts = parse_as_of(as_of)
    split = {**DEFAULT_SPLIT, **(split or {})}
    params = {**DEFAULT_PARAMS, **(params or {})}
    records = records.reset_index(drop=True)
    parts = split_parts(records["patent_id"], split)

    fu = make_features(stage, drop_empty=True, as_of=as_of_ts.date().isoformat())
    fit_features(fu, records.loc[parts != "test"])
    F = transform_features(fu, records)
    all_features = [str(n) for n in fu.get_feature_names_out()]

    criteria = None
    if not all(label_free_of_rules(t, records) for t in targets):
        from hvpscore.rules import evaluate_criteria

        criteria = evaluate_criteria(records, policy=policy, as_of=as_of_ts)

    heads: dict[str, Head] = {}
    evaluated: dict[str, tuple] = {}
    for t in targets:
        th = time.perf_counter()
        y_s, label_source = labels_for(records, t, as_of=as_of_ts, policy=policy,
                                       criteria=criteria)
        known = y_s.notna().to_numpy()
        y = y_s.fillna(0).to_numpy(dtype=int)
        feats = _head_features(all_features, t)
        masks = {p: (parts == p) & known for p in ("train", "valid", "calib", "test")}
        for p, m in masks.items():
            npos, n = int(y[m].sum()), int(m.sum())
            if n == 0 or npos == 0 or npos == n:
                raise InputError(
                    f"target {t}: the {p} part has {n} labelled rows with {npos} positives; "
                    f"a head needs both classes in every part: give more labelled records "
                    f"(labels: {label_source})")
        if int(y[masks["train"]].sum()) < _MIN_POSITIVES:
            raise InputError(f"target {t}: only {int(y[masks['train']].sum())} positive training "
                             f"rows (need ≥ {_MIN_POSITIVES}); labels: {label_source}")
        X = F[feats].to_numpy(dtype=float)
        tr, va, ca, te = (masks[p] for p in ("train", "valid", "calib", "test"))
        p_used = dict(params)
        tuning = None
        cv_res = None
        if crossfit:
            booster, cal, cv_res, p_used, tuning = _crossfit_head(
                records, t, stage, y_s, X[tr | va | ca], y[tr | va | ca], tr | va | ca,
                feats, p_used, split, as_of_ts, crossfit, calibration,
                (n_trials, int(params.get("seed", 0))) if tune else None)
            best = booster.current_iteration()
        else:
            if tune:
                p_used, tuning = _tune(records, t, stage, y_s, p_used, split, as_of_ts,
                                       n_trials, int(params.get("seed", 0)), k=cv or 5)
            if cv and (cv_targets is None or t in cv_targets):
                cv_res = cross_validate(records, target=t, stage=stage, params=p_used, k=cv,
                                        split=split, as_of=as_of_ts, labels=y_s)
                cv_res["pool"] = "train"
            p_fit = {k: v for k, v in p_used.items() if k != "refit"}
            booster = _lgb_fit(X[tr], y[tr], X[va], y[va], p_fit, feats)
            if p_used.get("refit"):
                # the early-stopped tree count, scaled, refitted on train + valid (test and
                # calib parts stay unseen)
                booster = _refit(booster, X[tr | va], y[tr | va], int(tr.sum()), p_fit, feats)
            best = booster.best_iteration or booster.current_iteration()
            # keep only the trees up to the best iteration: the saved file is what predicts
            booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
            cal = fit_calibrator(booster.predict(X[ca]), y[ca], calibration)
        head = Head(t, booster, feats, cal)
        p_test = head.predict(F.loc[te])
        metrics = binary_metrics(y[te], p_test)
        info = {
            "label_source": label_source,
            "best_iteration": int(best),
            "params": {k: v for k, v in p_used.items()},
            "rows": {p: int(m.sum()) for p, m in masks.items()},
            "positives": {p: int(y[m].sum()) for p, m in masks.items()},
            "metrics": metrics,
            "metrics_ci": bootstrap_ci(y[te], p_test, n=bootstrap) if bootstrap else {},
            "reliability": reliability_table(y[te], p_test),
            "importance_gain": dict(zip(feats, map(float, booster.feature_importance("gain")),
                                        strict=True)),
            "train_seconds": round(time.perf_counter() - th, 2),
        }
        if cv_res is not None:
            info["cv"] = cv_res
        if tuning is not None:
            info["tuning"] = tuning
        if baseline:
            # the same fitting rows as the head (all non-test rows with a cross-fit)
            info["baselines"] = baselines(F, y, (tr | va | ca) if crossfit else tr, te, feats,
                                          stage)
        heads[t] = Head(t, booster, feats, cal, info)
        evaluated[t] = (y_s, p_used)

    if final:
        fu, heads = _final_refit(records, heads, evaluated, stage, split, as_of_ts, crossfit,
                                 calibration)

    created = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    dh = data_hash(records)
    policy_id = _policy_id(policy) if criteria is not None else None
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "model_version": f"{name}-{created:%Y%m%dT%H%M}-{dh[:8]}",
        "created": created.isoformat(),
        "stage": stage,
        "targets": list(targets),
        "policy_id": policy_id,
        "as_of": as_of_ts.date().isoformat(),
        "training_data": {"sha256": dh, "rows": int(len(records)), "source": source,
                          "profile": profile},
        "split": split,
        "calibration": calibration,
        "tuned": bool(tune),
        "crossfit": int(crossfit),
        "final": bool(final),
        "versions": library_versions(),
        "train_seconds": round(time.perf_counter() - t0, 2),
    }
    return HvpModel(fu, heads, meta)


def _crossfit_head(records, target, stage, labels, X_fit, y_fit, fit_mask, feats, params, split,
                   as_of, k: int, calibration: str, tune, pool: str = "fit"):
    """The cross-fit of ``train_model(..., crossfit=k)`` for one head: (booster trained on all
    fitting rows, calibrator fitted on their out-of-fold scores, CV result, parameters used,
    tuning summary or None)."""
    if k < 2:
        raise InputError(f"crossfit={k}: a cross-fit needs at least 2 folds")
    mats = cv_matrices(records, target=target, stage=stage, k=k, split=split, as_of=as_of,
                       labels=labels, pool=pool)
    tuning = None
    if tune is not None:
        params, tuning = _tune(records, target, stage, labels, params, split, as_of, tune[0],
                               tune[1], k=k, mats=mats)
    p = {key: v for key, v in params.items() if key != "refit"}
    oof = np.full(len(records), np.nan)
    res = cv_score(mats, p, oof=oof)
    res["pool"] = pool
    fit_rows = np.flatnonzero(fit_mask)
    # rows labelled but outside every fold cannot happen (the folds cover the fitting rows);
    # unlabelled rows are not in X_fit
    scores = oof[fit_rows]
    if np.isnan(scores).any():
        raise InputError(f"target {target}: {int(np.isnan(scores).sum())} fitting rows got no "
                         "out-of-fold score; report this as a bug")
    n_trees = max(1, int(round(np.mean(res["trees"]) * len(y_fit) / np.mean(res["fit_rows"]))))
    booster = _fixed_trees(X_fit, y_fit, p, feats, n_trees)
    res["final_trees"] = n_trees
    cal = fit_calibrator(scores, y_fit, calibration)
    return booster, cal, res, params, tuning


def _final_refit(records, heads, evaluated, stage, split, as_of, k, calibration):
    """The features and heads of ``train_model(..., final=True)``: refitted on every labelled
    row (the evaluation's figures stay in each head's info)."""
    fu = make_features(stage, drop_empty=True, as_of=as_of.date().isoformat())
    fit_features(fu, records)
    F = transform_features(fu, records)
    all_features = [str(n) for n in fu.get_feature_names_out()]
    out = {}
    for t, head in heads.items():
        th = time.perf_counter()
        y_s, p_used = evaluated[t]
        known = y_s.notna().to_numpy()
        y = y_s.fillna(0).to_numpy(dtype=int)
        feats = _head_features(all_features, t)
        X = F[feats].to_numpy(dtype=float)
        booster, cal, cv_all, _, _ = _crossfit_head(
            records, t, stage, y_s, X[known], y[known], known, feats, p_used, split, as_of, k,
            calibration, None, pool="all")
        info = dict(head.info)
        info["evaluation"] = {"trees": info["best_iteration"], "features": list(head.features)}
        info["final"] = {"rows": int(known.sum()), "positives": int(y[known].sum()),
                         "trees": int(booster.current_iteration()), "cv": cv_all,
                         "seconds": round(time.perf_counter() - th, 2)}
        info["best_iteration"] = int(booster.current_iteration())
        info["importance_gain"] = dict(zip(feats, map(float, booster.feature_importance("gain")),
                                           strict=True))
        out[t] = Head(t, booster, feats, cal, info)
    return fu, out


def _policy_id(policy) -> str | None:
    try:
        from hvpscore.rules import load_policy

        return str(load_policy(policy).id)
    except (ImportError, AttributeError):  # pragma: no cover - rules engine absent
        return None


def evaluate_model(records: pd.DataFrame, model: HvpModel, *, as_of=None, policy=None,
                   all_rows: bool = False) -> pd.DataFrame:
    """Held-out metrics of every head next to the two baselines.

    The test part is the model's own hash split of ``records`` (rows the model never saw when
    ``records`` are its training data); with ``all_rows=True`` every labelled row is scored
    (for a file the model never saw) and the baselines are fitted on the same rows' hash-split
    train part. Returns one row per (target, model) with AUC, PR-AUC, Brier, ECE and top-decile
    precision.
    """
    if model.metadata.get("final") and not all_rows:
        raise InputError(
            f"model {model.version} was refitted on every labelled row of its training data, "
            "its test part included: its hash split holds no unseen rows. Its held-out figures "
            "(from the evaluation run, fitted without the test part) are in its model card; to "
            "evaluate it, give records it never saw with all_rows=True (CLI: --all-rows)")
    records = records.reset_index(drop=True)
    as_of_ts = parse_as_of(as_of or model.metadata.get("as_of"))
    parts = split_parts(records["patent_id"], model.metadata.get("split"))
    F = model.transform(records, as_of=as_of_ts)  # features and labels at the same date
    criteria = None
    rows = []
    for t, head in model.heads.items():
        if criteria is None and not label_free_of_rules(t, records):
            from hvpscore.rules import evaluate_criteria

            criteria = evaluate_criteria(records, policy=policy, as_of=as_of_ts)
        y_s, _ = labels_for(records, t, as_of=as_of_ts, policy=policy, criteria=criteria)
        known = y_s.notna().to_numpy()
        y = y_s.fillna(0).to_numpy(dtype=int)
        te = known & ((parts == "test") | all_rows)
        tr = known & (parts == "train")
        if te.sum() == 0:
            raise InputError(f"target {t}: no labelled held-out rows in these records; "
                             f"give records with outcome_{t} or mature records")
        m = binary_metrics(y[te], head.predict(F.loc[te]))
        rows.append({"target": t, "model": "lightgbm (this model)", **m})
        for bname, bm in baselines(F, y, tr, te, head.features, model.stage).items():
            label = "logistic regression (same columns)" if bname == "logistic_regression" \
                else f"claim count alone ({bm.pop('feature')})"
            rows.append({"target": t, "model": label, **bm})
    return pd.DataFrame(rows)
