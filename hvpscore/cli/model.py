"""``hvpscore train``, ``hvpscore evaluate``, ``hvpscore score``: the model heads and the score table."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import click

from hvpscore.cli._common import (
    as_of_option,
    chunksize_option,
    echo_read,
    input_options,
    lang_option,
    read_for_command,
)

__all__ = ["evaluate", "score", "train"]

_TARGETS = ("maintained_10y", "maintained_10y_given_4y", "maintained_10y_given_8y",
            "overseas_family", "pledge", "award", "high_value")
_STAGES = ("draft", "filing", "grant", "stock")


class _Jobs(click.ParamType):
    """``--jobs``: a count of processes (0: one per core) or ``auto``."""

    name = "N|auto"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or value == "auto":
            return value
        try:
            n = int(value)
        except ValueError:
            n = -1
        if n < 0:
            self.fail(f"{value!r} is not a number of processes; use auto, 0 (one per core) or "
                      f"e.g. 2 / 请填写 auto、0（每核一个）或进程数如 2", param, ctx)
        return n


_JOBS = _Jobs()


@click.command()
@input_options
@click.option("--target", "-t", "targets", multiple=True, type=click.Choice(_TARGETS),
              default=("maintained_10y",), show_default=True,
              help="Head(s) to train (repeat for a multi-head model) / 预测目标")
@click.option("--stage", type=click.Choice(_STAGES), default="grant", show_default=True,
              help="Latest stage whose features the model may use / 模型阶段")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Model directory to write / 模型输出目录")
@as_of_option("Date labels are derived as of, YYYY-MM-DD (default today) / 标签统计日")
@click.option("--policy", default=None, help="Policy id or YAML file for derived labels")
@click.option("--calibration", type=click.Choice(["isotonic", "platt", "none"]),
              default="platt", show_default=True,
              help="Calibration map, fitted on the out-of-fold scores (--crossfit) or on the "
                   "calibration part (--crossfit 0) / 概率校准方法")
@click.option("--tune", is_flag=True, help="Search LightGBM settings with Optuna (if installed)")
@click.option("--trials", default=30, show_default=True, help="Optuna trials with --tune")
@click.option("--crossfit", default=5, show_default=True, type=click.IntRange(0, 20),
              help="Fit each head on every non-test row (train+valid+calib) by a K-fold "
                   "cross-fit: tree count and calibration from the out-of-fold scores, whose "
                   "AUCs are the card's CV figure (0 = fit on the train part, early-stop on "
                   "valid, calibrate on calib) / 交叉拟合折数（0=传统划分）")
@click.option("--final/--no-final", "final", default=None,
              help="After the held-out evaluation, refit every head on all labelled rows, test "
                   "part included (default: on with --crossfit; the card keeps the evaluation "
                   "run's held-out figures) / 评估后用全部有标签行重新拟合")
@click.option("--cv", "cv", default=5, show_default=True, type=click.IntRange(0, 20),
              help="With --crossfit 0: folds of the cross-validation on the train part reported "
                   "in the model card (0 = none) / 训练集上的交叉验证折数")
@click.option("--name", default=None, help="Model name (default: the --out directory name)")
@click.option("--mlflow/--no-mlflow", "use_mlflow", default=True, show_default=True,
              help="Log the run to MLflow (MLFLOW_TRACKING_URI or ./mlflow.db)")
@click.option("--register", default="hvpscore", show_default=True,
              help="Registered MLflow model name of the pyfunc pipeline ('' = do not register)")
@click.option("--alias", default="champion", show_default=True, help="Alias of the new version")
@lang_option
def train(input_path, profile, encoding, strict, rejects, targets, stage, out_dir, as_of, policy,
          calibration, tune, trials, crossfit, final, cv, name, use_mlflow, register, alias,
          lang):
    """Train calibrated LightGBM heads on INPUT and write a model directory.

    训练模型：按专利号哈希划分训练/验证/校准/测试集，输出模型目录（LightGBM文本文件、metadata.json、
    model_card.md），并记录到MLflow。
    """
    from hvpscore.model import train_model

    if final is None:
        final = crossfit >= 2
    elif final and crossfit < 2:
        raise click.UsageError("--final refits by cross-fit: give --crossfit K (K >= 2), or "
                               "--no-final")
    result = read_for_command(input_path, profile, encoding, strict, None, rejects, lang)
    t0 = time.perf_counter()
    model = train_model(result.records, targets=targets, stage=stage, as_of=as_of, policy=policy,
                        calibration=calibration, tune=tune, n_trials=trials,
                        cv=0 if crossfit else cv, crossfit=crossfit, final=final,
                        name=name or Path(out_dir).name, source=str(input_path), profile=profile)
    model.save(out_dir)
    secs = time.perf_counter() - t0
    _print_table(_metrics_rows(model.metadata), lang)
    for t, h in model.metadata["heads"].items():
        cvr = h.get("cv")
        if cvr:
            where = {("zh", True): "拟合行", ("zh", False): "训练集",
                     ("en", True): "fitting rows", ("en", False): "train part"}[
                lang if lang == "zh" else "en", cvr.get("pool") == "fit"]
            click.echo(f"{t}: " + (f"{cvr['k']}折交叉验证（{where}）" if lang == "zh" else
                                   f"{cvr['k']}-fold cross-validation ({where})")
                       + f" ROC AUC {cvr['mean']:.4f} ± {cvr['sd']:.4f}")
        fin = h.get("final")
        if fin:
            click.echo(f"{t}: " + (f"最终模型用全部{fin['rows']}行重新拟合（{fin['trees']}棵树；全部行交叉验证 "
                                   if lang == "zh" else
                                   f"shipped booster refitted on all {fin['rows']} rows "
                                   f"({fin['trees']} trees; all-rows CV ")
                       + f"ROC AUC {fin['cv']['mean']:.4f} ± {fin['cv']['sd']:.4f}"
                       + ("）；上表为评估运行（未用测试集拟合）的结果" if lang == "zh" else
                          "); the table above is the evaluation run, fitted without the test part"))
    click.echo(("训练用时" if lang == "zh" else "training time") + f" {secs:.1f} s; "
               + ("模型写入" if lang == "zh" else "model written to") + f" {out_dir}")
    if use_mlflow:
        from hvpscore.mlflow import log_training

        info = log_training(out_dir, register=register or None, alias=alias)
        click.echo(f"MLflow: run {info['run_id']} ({info['tracking_uri']})"
                   + (f"; registered {info['registered_model']} v{info['version']} "
                      f"@{info['alias']}" if "version" in info else ""))


def _metrics_rows(meta: dict) -> list[dict]:
    rows = []
    for t, h in meta["heads"].items():
        rows.append({"target": t, "model": "lightgbm (this model)", **h["metrics"]})
        for b, bm in h.get("baselines", {}).items():
            label = ("logistic regression (same columns)" if b == "logistic_regression"
                     else f"claim count alone ({bm.get('feature')})")
            rows.append({"target": t, "model": label, **bm})
    return rows


def _print_table(rows: list[dict], lang: str) -> None:
    head = ("目标", "模型") if lang == "zh" else ("target", "model")
    click.echo(f"{head[0]:16} {head[1]:40} {'ROC AUC':>8} {'PR AUC':>8} {'Brier':>8} "
               f"{'ECE':>8} {'top10%':>8} {'n':>7}")
    for r in rows:
        click.echo(f"{r['target']:16} {r['model']:40} {r['auc']:8.4f} {r['pr_auc']:8.4f} "
                   f"{r['brier']:8.4f} {r['ece']:8.4f} {r['top_decile_precision']:8.4f} "
                   f"{r['n']:7d}")


@click.command()
@input_options
@click.option("--model", "model_dir", required=True, type=click.Path(file_okay=False),
              help="Model directory written by `hvpscore train` / 模型目录")
@as_of_option("Date derived labels are computed as of, YYYY-MM-DD / 标签统计日")
@click.option("--policy", default=None, help="Policy id or YAML file for derived labels")
@click.option("--all-rows", is_flag=True,
              help="Score every labelled row (for a file the model never saw) instead of the "
                   "held-out hash split")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None,
              help="Also write the metrics as JSON")
@lang_option
def evaluate(input_path, profile, encoding, strict, rejects, model_dir, as_of, policy, all_rows,
             json_out, lang):
    """Print held-out metrics of a model next to two baselines.

    评估模型：在哈希划分的测试集上输出 ROC AUC、PR AUC、Brier、ECE、前10%精确率，并与两个基线比较
    （同列逻辑回归；仅权利要求数）。
    """
    from hvpscore.model import evaluate_model, load_model

    model = load_model(model_dir)
    if model.metadata.get("final") and not all_rows:
        raise click.ClickException(
            f"模型 {model.version} 已用其训练数据的全部有标签行（含测试集）重新拟合，其哈希划分中没有未见过的行；"
            "评估运行（未用测试集拟合）的留出结果见模型卡。请用模型从未见过的数据并加 --all-rows 评估。"
            if lang == "zh" else
            f"model {model.version} was refitted on every labelled row of its training data, "
            "its test part included: its hash split holds no unseen rows. Its held-out figures "
            "(from the evaluation run, fitted without the test part) are in its model card; "
            "evaluate it on records it never saw with --all-rows")
    result = read_for_command(input_path, profile, encoding, strict, None, rejects, lang)
    table = evaluate_model(result.records, model, as_of=as_of, policy=policy, all_rows=all_rows)
    part = ("全部有标签的行" if lang == "zh" else "all labelled rows") if all_rows else (
        "哈希划分测试集（训练未见）" if lang == "zh" else "held-out hash split (unseen in training)")
    click.echo(f"{model.version} — {part}")
    _print_table(table.to_dict("records"), lang)
    if json_out:
        Path(json_out).write_text(json.dumps(table.to_dict("records"), indent=1), "utf-8")


@click.command()
@input_options
@click.option("--model", "model_dir", default=None, type=click.Path(file_okay=False),
              help="Model directory (default: the shipped models/default) / 模型目录")
@click.option("--policy", default=None, help="Policy id or YAML file (default cnipa-2021)")
@as_of_option()
@click.option("--reasons", default=0, show_default=True, type=click.IntRange(0, 20),
              help="Top-K reasons per row (slower) / 每行给出K条原因")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Score table to write (.parquet/.csv/.xlsx/.jsonl)")
@chunksize_option("scored")
@click.option("--jobs", "-j", default="auto", show_default=True, type=_JOBS,
              help="Processes that read and score parts of the input in parallel (0: one per "
                   "core; auto: one per idle core on a CSV, Parquet or JSONL file of 8 parts or "
                   "more, else one) / 并行进程数（auto：按空闲核数）")
@click.option("--claims-cache", "claims_cache", default=None, type=click.Path(dir_okay=False),
              help="SQLite file caching claim features by text hash: a rescoring parses only new "
                   "or changed claims / 权利要求特征缓存文件")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary lines")
@click.option("--log-json", "log_json", is_flag=True,
              help="Print a one-line JSON summary of the run on stdout")
@lang_option
def score(input_path, profile, encoding, strict, rejects, model_dir, policy, as_of, reasons,
          output, chunksize, jobs, claims_cache, quiet, log_json, lang):
    """Score every record: official criteria with evidence, model probabilities, 0–100 score.

    评分：五类官方标准判定及依据、各模型头概率、p_high_value、0–100分、百分位、原因。
    The input is read and scored in chunks; percentiles are computed over the whole run. The
    output (and the rejects) are written under a temporary name and renamed when complete.
    """
    from hvpscore.scoring import score_file

    bar = None if quiet or not sys.stderr.isatty() else _progress_bar(input_path, lang)
    with _terminate_cleanly():
        run = _score(score_file, bar, input_path, output, profile, model_dir, policy, as_of,
                     reasons, encoding, strict, rejects, chunksize, jobs, claims_cache)
    _report_score(run, output, quiet, log_json, lang)


def _score(score_file, bar, input_path, output, profile, model_dir, policy, as_of, reasons,
           encoding, strict, rejects, chunksize, jobs, claims_cache):
    try:
        return score_file(input_path, output, profile=profile, model=model_dir, policy=policy,
                         as_of=as_of, reasons=reasons, encoding=encoding, strict=strict,
                         rejects=rejects, chunksize=chunksize, jobs=jobs,
                         claims_cache=claims_cache, progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()


@contextlib.contextmanager
def _terminate_cleanly():
    """SIGTERM (and SIGHUP) end the run like Ctrl-C: the temporary output, rejects and
    ``.parts`` folder beside the output are removed on the way out (exit code 128 + signal)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    sigs = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
            if s is not None]
    old = {s: signal.signal(s, stop) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _report_score(run, output, quiet, log_json, lang):
    if log_json:
        click.echo(json.dumps(run.to_dict(), ensure_ascii=False))
    if quiet:
        return
    echo_read(run.summary, run.rejects_path, lang)
    n_hv = run.extra["high_value"]
    cache = run.extra.get("claims_cache")
    if lang == "zh":
        click.echo(f"读取 {run.read} 行，评分 {run.rows_out} 行（高价值 {n_hv}），拒绝 "
                   f"{run.rejected} 行" + (f"（原因写入 {run.rejects_path}）" if run.rejects_path
                                          else "")
                   + f"，用时 {run.seconds:.1f} 秒，写入 {output}", err=True)
        if cache:
            click.echo(f"权利要求特征缓存 {cache['path']}：命中 {cache['hits']}，新解析 "
                       f"{cache['misses']}", err=True)
    else:
        click.echo(f"read {run.read} rows, scored {run.rows_out} ({n_hv} high-value), rejected "
                   f"{run.rejected}" + (f" (reasons in {run.rejects_path})" if run.rejects_path
                                        else "")
                   + f" in {run.seconds:.1f} s; written to {output}", err=True)
        if cache:
            click.echo(f"claims feature cache {cache['path']}: {cache['hits']} hits, "
                       f"{cache['misses']} parsed", err=True)


class _Progress:
    """A terminal progress bar (tqdm on stderr): rows done, rows/s, rejects, and the ETA once a
    background thread has counted the input's rows."""

    def __init__(self, input_path, lang):
        import threading

        from tqdm import tqdm

        self._bar = tqdm(total=None, unit=" rows", unit_scale=True, dynamic_ncols=True,
                         desc="评分" if lang == "zh" else "scoring", file=sys.stderr,
                         smoothing=0.1)
        self._label = "拒绝" if lang == "zh" else "rejects"
        self._rejected = 0
        threading.Thread(target=self._count, args=(input_path,), daemon=True).start()

    def _count(self, input_path) -> None:
        from hvpscore._scorefile import estimate_rows

        n = estimate_rows(input_path)
        if n is not None:
            self._bar.total = n
            self._bar.refresh()

    def update(self, rows_done: int, rejected: int) -> None:
        self._rejected = rejected
        self._bar.update(rows_done + rejected - self._bar.n)
        self._bar.set_postfix_str(f"{self._label} {rejected}", refresh=True)

    def close(self) -> None:
        self._bar.close()


def _progress_bar(input_path, lang):
    return _Progress(input_path, lang)
