"""``model_card.md``: what a model was trained on and how well it did on rows it never saw."""

from __future__ import annotations

__all__ = ["metrics_table", "model_card"]

_COLS = ("auc", "pr_auc", "brier", "ece", "top_decile_precision")


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.4f}"


def metrics_table(head: dict) -> str:
    lines = ["| model | ROC AUC | PR AUC | Brier | ECE | top-decile precision | rows |",
             "|---|---|---|---|---|---|---|"]
    m = head.get("metrics", {})
    ci = head.get("metrics_ci") or {}

    def cell(c):
        if c in ci and ci[c] and None not in ci[c]:
            return f"{_fmt(m.get(c))} ({ci[c][0]:.4f}–{ci[c][1]:.4f})"
        return _fmt(m.get(c))

    lines.append("| **LightGBM head (calibrated)** | " + " | ".join(cell(c) for c in _COLS)
                 + f" | {m.get('n', '')} |")
    for name, b in head.get("baselines", {}).items():
        label = ("logistic regression, same columns" if name == "logistic_regression"
                 else f"claim count alone (`{b.get('feature', '')}`)")
        lines.append(f"| {label} | " + " | ".join(_fmt(b.get(c)) for c in _COLS)
                     + f" | {b.get('n', '')} |")
    return "\n".join(lines)


def _split_lines(meta: dict) -> list[str]:
    sp = meta["split"]
    k = int(meta.get("crossfit") or 0)
    head = f"- split: stable hash of `patent_id` (salt `{sp['salt']}`): "
    if k:
        return [head + f"train {sp['train']:.0%} + valid {sp['valid']:.0%} + calib "
                f"{sp['calib']:.0%} = the fitting rows, held-out test {sp['test']:.0%} (never "
                f"used to fit, tune, stop or calibrate anything)",
                f"- fitting: {k}-fold cross-fit of the fitting rows (early stopping inside each "
                f"fold on a hash-chosen eighth of its fitting folds); the shipped booster is "
                f"trained on all fitting rows with the folds' mean tree count scaled by the row "
                f"ratio",
                f"- calibration: {meta.get('calibration')} on the out-of-fold scores of the "
                f"fitting rows"] + ([
                f"- **final refit**: after the held-out evaluation, the features and every head "
                f"were refitted on *all* labelled rows, test part included, by the same "
                f"{k}-fold cross-fit. The held-out figures below are those of the evaluation "
                f"run (fitted without the test part, tested on it); the shipped boosters saw "
                f"the test part, so evaluate them on other data (`hvpscore evaluate --all-rows`)"]
                if meta.get("final") else [])
    return [head + f"train {sp['train']:.0%}, validation for early stopping {sp['valid']:.0%}, "
            f"calibration {sp['calib']:.0%}, held-out test {sp['test']:.0%} "
            f"(never used to fit anything)",
            f"- calibration: {meta.get('calibration')} on the calibration part"]


def model_card(meta: dict, *, intro: str = "") -> str:
    td = meta.get("training_data", {})
    out = [
        f"# Model card: {meta.get('name')}",
        "",
        intro.strip() if intro else "",
        "",
        f"- model version: `{meta.get('model_version')}`",
        f"- stage: `{meta.get('stage')}` (uses only features known at this stage or earlier)",
        f"- targets: {', '.join(f'`{t}`' for t in meta.get('targets', []))}",
        f"- training data: {td.get('source') or '(in memory)'}"
        + (f" (profile `{td['profile']}`)" if td.get("profile") else "")
        + f", {td.get('rows')} rows, sha256 `{td.get('sha256')}`",
        *_split_lines(meta),
        (f"- policy: `{meta['policy_id']}`, labels as of {meta.get('as_of')}"
         if meta.get("policy_id") else
         f"- labels: from outcome columns (no policy needed); as of {meta.get('as_of')}"),
        "- libraries: " + ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items()),
        f"- training time: {meta.get('train_seconds')} s",
        "",
        "## Held-out metrics (test part, "
        + ("evaluation run before the final refit)" if meta.get("final") else "same run)"),
        "",
    ]
    for t, h in meta.get("heads", {}).items():
        rows = h.get("rows", {})
        pos = h.get("positives", {})
        out += [
            f"### `{t}`",
            "",
            f"Labels: {h.get('label_source')}. Rows train/valid/calib/test: "
            f"{rows.get('train')}/{rows.get('valid')}/{rows.get('calib')}/{rows.get('test')} "
            f"(positives {pos.get('train')}/{pos.get('valid')}/{pos.get('calib')}/"
            f"{pos.get('test')}); {h.get('best_iteration')} trees"
            + (" in the shipped booster" if h.get("final") else "") + "; "
            f"{len(h.get('features', []))} features.",
            "",
            metrics_table(h),
            "",
        ]
        if h.get("metrics_ci"):
            out += ["In brackets: 95 % percentile bootstrap interval over 1,000 resamples of the "
                    "test rows (the spread a different sample of the same population would "
                    "give).", ""]
        cv = h.get("cv")
        fit_pool = bool(cv) and cv.get("pool") == "fit"
        where = ("on every non-test row (train, valid and calib parts): the cross-fit that "
                 + ("trained and calibrated the evaluation run's head" if h.get("final") else
                    "trained and calibrated this head") if fit_pool else "on the train part only")
        if cv:
            out += [f"Cross-validation ({cv['k']}-fold, folds by hash of `patent_id`, salt "
                    f"`{cv['salt']}`, {where}, same settings): ROC AUC "
                    f"**{cv['mean']:.4f} ± {cv['sd']:.4f}** (mean ± sd over folds; folds "
                    + ", ".join(f"{a:.4f}" for a in cv["auc"]) + ")"
                    + (f"; fold models early-stopped at {', '.join(map(str, cv['trees']))} "
                       f"trees, the {'evaluation run' + chr(39) + 's' if h.get('final') else 'shipped'} "
                       f"booster has {cv['final_trees']}"
                       if fit_pool and "final_trees" in cv else "") + ".", ""]
        fin = h.get("final")
        if fin:
            fcv = fin["cv"]
            out += [f"Shipped booster (final refit): {fin['rows']} labelled rows (positives "
                    f"{fin['positives']}), {fin['trees']} trees; its {fcv['k']}-fold cross-fit "
                    f"over all rows: ROC AUC **{fcv['mean']:.4f} ± {fcv['sd']:.4f}** (folds "
                    + ", ".join(f"{a:.4f}" for a in fcv["auc"]) + "; fold models "
                    f"early-stopped at {', '.join(map(str, fcv['trees']))} trees).", ""]
        tn = h.get("tuning")
        if tn:
            out += [f"Tuned with Optuna ({tn['trials']} trials, objective: {tn['folds']}-fold CV "
                    f"AUC {'of the cross-fit' if fit_pool else 'on the train part'}): best CV "
                    f"AUC {tn['best_cv_auc']:.4f}.", ""]
        imp = sorted(h.get("importance_gain", {}).items(), key=lambda kv: -kv[1])[:10]
        if imp:
            total = sum(v for _, v in h["importance_gain"].items()) or 1.0
            out.append("Top features by gain: " + ", ".join(
                f"`{k}` {v / total:.0%}" for k, v in imp) + ".")
            out.append("")
    out += [
        "## Use",
        "",
        "```",
        "hvpscore score RECORDS --profile PROFILE --model THIS_DIR -o scores.parquet",
        "hvpscore evaluate RECORDS --profile PROFILE --model THIS_DIR",
        "```",
        "",
        "Probabilities are calibrated on held-out rows; ECE is the expected calibration error over "
        "10 equal-width bins. Reasons (`--reasons K`) are LightGBM per-row contributions in "
        "log-odds; unknown values are grouped into one \"信息不全 / incomplete information\" "
        "reason and contributions below 0.01 are left out. With reasons the score table also "
        "gives the legal / technical / economic sub-scores (GB/T 42748-2023's three first-level "
        "dimensions; the feature grouping is ours): 100 / (1 + exp(−S)), S = the sum of that "
        "dimension's contributions, 50 = neutral.",
        "",
    ]
    return "\n".join(out)
