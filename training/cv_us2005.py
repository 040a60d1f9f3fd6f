"""5-fold cross-validation of head configurations on the *train part* of the US 2005 data.

    python training/cv_us2005.py [--data PATH/TO/dev.csv] [--stage grant] [--configs a,b] [--trials N]

Folds are a second stable hash of ``patent_id`` (salt ``hvpscore-cv-v1``) over the rows the
hash split puts in ``train``; the valid / calib / test parts are never read here, so nothing
chosen from these figures has seen the held-out test part. Each fold: features fitted on the
other four folds, LightGBM early-stopped on an inner slice of those four folds, AUC on the left-out
fold. Prints CV mean ± sd (sample sd over the 5 folds) per configuration.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from hvpscore.io import read_records
from hvpscore.model._train import DEFAULT_PARAMS, cv_matrices, cv_score, suggest_params

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "uspto-renewal-2005" / "dev.csv"


def _params(cfg: str) -> dict:
    params = dict(DEFAULT_PARAMS)
    for part in cfg.split("+"):
        if part == "default":
            continue
        if part == "mono":
            params["monotone"] = True
        elif part == "refit":
            params["refit"] = True
        elif "=" in part:
            k, v = part.split("=")
            params[k] = type(DEFAULT_PARAMS[k])(float(v)) if k in DEFAULT_PARAMS else float(v)
        else:
            raise SystemExit(f"unknown config part {part!r}")
    return params


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--stage", default="grant")
    ap.add_argument("--configs", default="default",
                    help="comma-separated: default, mono, key=value joined by +")
    ap.add_argument("--exclude", default="", help="features left out (comma-separated)")
    ap.add_argument("--trials", type=int, default=0, help="Optuna trials inside the CV")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    records = read_records(args.data, profile="uspto-renewal", strict=True).records
    t0 = time.perf_counter()
    mats = cv_matrices(records, stage=args.stage, as_of="2017-10-23",
                       exclude_features=tuple(x for x in args.exclude.split(",") if x))
    print(f"fold matrices in {time.perf_counter() - t0:.0f} s; features: "
          f"{', '.join(mats[0]['features'])}", flush=True)
    results = {}
    base = None
    for cfg in args.configs.split(","):
        t0 = time.perf_counter()
        res = cv_score(mats, _params(cfg))
        results[cfg] = res
        aucs = np.asarray(res["auc"])
        if base is None:
            base = aucs
        d = aucs - base
        print(f"{cfg:50s} CV AUC {aucs.mean():.4f} ± {aucs.std(ddof=1):.4f}  "
              f"vs first {d.mean():+.4f} ± {d.std(ddof=1) if len(d) > 1 else 0:.4f}  "
              f"trees {res['trees']}  {time.perf_counter() - t0:.0f} s", flush=True)
    if args.trials:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)

        def objective(trial):
            r = cv_score(mats, suggest_params(trial, DEFAULT_PARAMS))
            print(f"  trial {trial.number}: {r['mean']:.4f} ± {r['sd']:.4f} {trial.params}",
                  flush=True)
            return r["mean"]

        study = optuna.create_study(direction="maximize",
                                    sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(objective, n_trials=args.trials)
        print(f"optuna best {study.best_value:.4f}: {study.best_params}")
        results["optuna"] = {"best": study.best_value, "params": study.best_params}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
