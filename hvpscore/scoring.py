"""``score_records``: canonical records -> the score table of design.md (rules + model heads);
``score_file``: the same for a whole file, read and scored in chunks.

The CLI (``hvpscore score``), the MLflow pyfunc model and the service all call these functions.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError, ModelError

__all__ = ["DEFAULT_MODEL_ENV", "default_model_path", "percentile", "resolve_model",
           "score_file", "score_records"]

DEFAULT_MODEL_ENV = "HVPSCORE_MODEL"
_CRITERIA = ("maintained_10y", "overseas_family", "pledge", "award")


def default_model_path() -> Path:
    """Where the default model lives: ``$HVPSCORE_MODEL``, else ``hvpscore/_models/default``
    (installed package data), else ``models/default`` of the source checkout."""
    env = os.environ.get(DEFAULT_MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "_models" / "default", here.parent / "models" / "default"):
        if (cand / "metadata.json").is_file():
            return cand
    raise ModelError(
        "no default model found (looked in hvpscore/_models/default and models/default of the "
        f"checkout); pass --model DIR or set {DEFAULT_MODEL_ENV}=DIR")


def resolve_model(model=None):
    """An :class:`~hvpscore.model.HvpModel` from ``None`` (default model), a path or a model."""
    from hvpscore.model import HvpModel, load_model

    if model is None:
        return load_model(default_model_path())
    if isinstance(model, HvpModel):
        return model
    if isinstance(model, (str, Path)):
        return load_model(model)
    raise InputError(f"model must be a model directory or an HvpModel, got {type(model).__name__}")


def percentile(values) -> np.ndarray:
    """Percentile rank (0–100, ties averaged, one decimal) of each value within ``values``."""
    v = np.asarray(values, dtype=float)
    if not len(v):
        return np.array([], dtype=float)
    # pandas' rank(pct=True, method="average"): a value's rank is the mean of the 1-based
    # positions of its ties ((first + last) / 2, exact in float64), over the count of known
    # values; NaN stays NaN. The same floats as pandas (a property test compares them)
    known = ~np.isnan(v)
    x = (v[known] if not known.all() else v) + 0.0  # (-0.0 + 0.0 is 0.0: one tie with 0.0)
    # the distinct values by hashing (a run's probabilities take a few thousand values), only
    # they sorted: 0.11 -> 0.03 s at 1M rows, the serial end of a run
    codes, uniq = pd.factorize(x, sort=False)
    counts = np.bincount(codes, minlength=len(uniq))
    order = np.argsort(np.asarray(uniq), kind="stable")
    last = np.cumsum(counts[order])
    avg = np.empty(len(uniq))
    avg[order] = (last - counts[order] + 1 + last) / 2.0
    out = np.full(len(v), np.nan)
    out[known] = avg[codes] / len(x)
    return np.round(100.0 * out, 1)


def score_records(records: pd.DataFrame, model=None, policy=None, as_of=None, reasons: int = 0,
                  *, claims_cache=None) -> pd.DataFrame:
    """Score canonical records: official criteria flags with evidence, one calibrated
    probability per model head, ``p_high_value``, ``score`` (0–100), ``percentile`` within the
    run, optional top-``reasons`` explanations, ``model_version``, ``policy_id``, ``as_of``.

    One output row per input row, same order and index.

    ``p_high_value`` is 1 for a patent the rules already count as high-value, 0 for one that can
    no longer count (the rules engine's ``can_count``: utility models and designs, refused or
    withdrawn applications, a lapse or the end of the 20-year term by ``as_of``; its reason is
    the first part of ``hv_evidence``), otherwise the ``high_value`` head or, when the model has
    none, the chance that at least one criterion head fires (treated as independent).

    ``claims_cache``: a :class:`hvpscore.claims.ClaimFeatureCache` used by the claims analysis
    of the model's features (texts seen before are not parsed again; same values).

    A model with conditional maintenance heads (``maintained_10y_given_4y`` / ``_8y``) gives
    ``p_maintained_10y`` from the head matching each patent's age (years since grant, or since
    filing when not granted, at ``as_of``): the grant-stage head below 4 years, then
    P(maintained > 10 y | in force at 4 y), then … at 8 y, for patents in force; column
    ``maintained_head`` names the head used. With ``reasons`` the table also carries the value
    sub-scores ``dim_legal``, ``dim_technical``, ``dim_economic`` (0–100, 50 = neutral; see
    :mod:`hvpscore.model._explain`).
    """
    from hvpscore.model import conditional_heads
    from hvpscore.model._explain import dimension_columns
    from hvpscore.rules import evaluate_criteria

    if not isinstance(records, pd.DataFrame):
        raise InputError(f"records must be a pandas DataFrame of canonical records, got "
                         f"{type(records).__name__}; read files with hvpscore.read_records")
    if not isinstance(reasons, (int, np.integer)) or reasons < 0:
        raise InputError(f"reasons: {reasons!r} is not a count; use 0 (none) or e.g. 3")
    from hvpscore.rules._sei import sei_memo

    ts = parse_as_of(as_of)
    m = resolve_model(model)
    # the SEI assignment once per chunk for the criteria and the model's sei feature (keys the
    # feature families share, cohort keys and main IPC codes, live in the transform's FeatureMemo)
    with sei_memo():
        crit = evaluate_criteria(records, policy=policy, as_of=ts)
        F = m.transform(records, as_of=ts.date().isoformat(), claims_cache=claims_cache)
    hv = crit["is_high_value"].fillna(False).to_numpy(dtype=bool)
    dead = ~crit["can_count"].to_numpy(dtype=bool)
    # the rules decide p_high_value of a patent already high-value or one that can no longer
    # count (most of a municipal stock: utility models, designs, lapsed patents): the
    # high_value head is run on the other rows only (the same values, a fifth of the trees)
    probs = m.predict_proba(records, F=F, rows={"high_value": ~(hv | dead)})

    # the columns gathered first and the frame built once (not one insert into the frame per
    # column; within the noise of a chunk's ~25 ms of fixed cost, measured in SCALE_NOTES.md)
    out: dict[str, object] = {"patent_id": records["patent_id"].to_numpy()}
    for c in ("is_high_value", "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge",
              "hv_award", "hv_evidence", "hv_evidence_zh", "in_force", "maintained_years"):
        out[c] = crit[c].to_numpy()
    reason_head = np.full(len(records), m.primary_target, dtype=object)
    cond = conditional_heads(m.targets)
    probs = {c: probs[c].to_numpy() for c in probs.columns}  # head -> values
    if cond and "p_maintained_10y" in probs:
        # the maintenance head matching each patent's age: P(maintained > 10 y | in force at a)
        # for the largest a ≤ its age (years since grant, since filing when not granted)
        chosen = _maintenance_heads(records, crit, ts, cond)
        p10 = probs["p_maintained_10y"].astype(float, copy=True)
        for t in cond.values():
            sel = chosen == t
            p10[sel] = probs[f"p_{t}"].astype(float)[sel]
        probs["p_maintained_10y"] = p10
        out["maintained_head"] = chosen
        if m.primary_target == "maintained_10y":
            reason_head = chosen
    out.update(probs)

    if "p_high_value" in probs:
        p_model = probs["p_high_value"]
    else:
        miss = np.ones(len(records))
        for t in _CRITERIA:
            if f"p_{t}" in probs:
                miss *= 1.0 - probs[f"p_{t}"]
        p_model = 1.0 - miss
    p_hv = np.where(hv, 1.0, np.where(dead, 0.0, p_model))
    out["can_count"] = ~dead
    out["p_high_value"] = p_hv
    out["score"] = np.round(100.0 * p_hv, 1)
    out["percentile"] = percentile(p_hv)
    if reasons:
        ex = _explain_by_head(m, F, reason_head, int(reasons))
        # a patent that can no longer count scores 0 for a reason of the rules, not the model
        why_zh = crit["hv_evidence_zh"].astype(str).str.split("; ").str[0].to_numpy()
        why_en = crit["hv_evidence"].astype(str).str.split("; ").str[0].to_numpy()
        out["reasons"] = np.where(dead, why_zh, ex["reasons"].to_numpy())
        out["reasons_en"] = np.where(dead, why_en, ex["reasons_en"].to_numpy())
        for c in dimension_columns():
            out[c] = ex[c].to_numpy()
    n = len(records)
    out["model_version"] = np.full(n, m.version, dtype=object)
    out["policy_id"] = np.full(n, crit.attrs.get("policy_id"), dtype=object)
    out["as_of"] = np.full(n, ts.date().isoformat(), dtype=object)
    return pd.DataFrame(out, index=records.index)


_YEAR_DAYS = 365.25


def _maintenance_heads(records: pd.DataFrame, crit: pd.DataFrame, ts: pd.Timestamp,
                       cond: dict[int, str]) -> np.ndarray:
    """Per row: ``maintained_10y`` or the conditional head for the largest age ≤ the patent's."""
    def dates(name):
        if name not in records.columns:
            return pd.Series(pd.NaT, index=records.index, dtype="datetime64[ns]")
        return pd.to_datetime(records[name], errors="coerce")

    start = dates("grant_date").fillna(dates("filing_date"))
    age = ((ts - start).dt.days / _YEAR_DAYS).to_numpy(dtype=float, na_value=np.nan)
    in_force = crit["in_force"].fillna(False).to_numpy(dtype=bool)
    chosen = np.full(len(records), "maintained_10y", dtype=object)
    for a, t in sorted(cond.items()):
        chosen[in_force & (np.nan_to_num(age, nan=-1.0) >= a)] = t
    return chosen


def _explain_by_head(m, F: pd.DataFrame, head_per_row: np.ndarray, k: int) -> pd.DataFrame:
    """Reasons and sub-scores of each row from the head named for it in ``head_per_row``."""
    from hvpscore.model._explain import explain_rows

    parts = []
    for t in pd.unique(head_per_row):
        sel = head_per_row == t
        parts.append(explain_rows(m.heads[t], F.loc[sel], k=k, dimensions=True))
    if not parts:
        return explain_rows(m.heads[m.primary_target], F, k=k, dimensions=True)
    return pd.concat(parts).loc[F.index]


def score_file(source, output, *, profile="canonical", model=None, policy=None, as_of=None,
               reasons: int = 0, encoding=None, strict: bool = False, rejects=None,
               chunksize: int | str = "auto", jobs: int = 1, claims_cache=None, progress=None):
    """Score every record of ``source`` (a CSV/TSV/JSONL/Parquet/XLSX path or a DataFrame) and
    write the score table to ``output`` (.parquet/.csv/.xlsx/.jsonl).

    The source is read, validated and scored in chunks of ``chunksize`` rows (bounded memory);
    ``percentile`` is ranked over the whole run. Rejected rows, with their reasons, go to
    ``rejects`` (default: beside ``output``, see :func:`hvpscore.io.rejects_path_for`);
    ``strict=True`` fails on the first bad row instead. Returns a
    :class:`hvpscore._batch.BatchRun` (read summary, rows scored, ``extra["high_value"]``).

    Parameters
    ----------
    chunksize : int or "auto"
        Records read and scored at a time. ``"auto"`` (the default): about 32
        MiB of input a chunk from the file's bytes per record, between 10,000 and 50,000 records
        (50,000 without text, ~15,000 with claims texts; 10,000 for Excel and DataFrames; see
        :func:`hvpscore.io._chunksize.auto_chunksize`); ``extra["chunksize"]`` of the result.
    jobs : int or "auto"
        Processes that score in parallel (0: one per core; ``"auto"``, the CLI's default: one
        per core idle when the run starts, see :func:`hvpscore._scorefile.auto_jobs`, on a
        CSV/TSV file planned into at least 8 parts or a Parquet or JSON Lines file of at least 8
        chunks (rows from the metadata, or estimated from the size), else one). A CSV/TSV
        file is cut into parts of about ``chunksize`` records that each process reads,
        validates and scores on its own (this process takes a part whenever it would wait for
        the workers; see :mod:`hvpscore._scoreparts`); a Parquet, JSON Lines or
        Excel file is read here and each raw chunk validated and scored as a part; a DataFrame
        is validated here and its chunks scored by the workers. Native thread
        pools (LightGBM) get ``cores // jobs`` threads each. The output, the rejects and the
        counts are the same for any ``jobs`` and ``chunksize``.
    claims_cache : ClaimFeatureCache, str, Path or None
        A content-hash cache of claim features (:class:`hvpscore.claims.ClaimFeatureCache` or
        its file): a rescoring of the same stock parses only new or changed claims texts.
    progress : callable or None
        Called after each chunk as ``progress(rows_scored, rows_rejected)``.

    The output and the rejects file are written under temporary names in their directory and
    renamed when complete: an interrupted run leaves no output that looks complete.
    """
    from hvpscore._batch import BatchRun, RecordBatches
    from hvpscore._scorefile import (
        AUTO_MIN_PARTS,
        TableAssembler,
        atomic_target,
        auto_jobs_while,
        plan_early,
        plan_parts,
        raw_part_count,
        replace_atomic,
        resolve_chunksize,
        resolve_jobs,
    )
    from hvpscore.io import rejects_path_for

    t0 = time.perf_counter()
    chunksize = resolve_chunksize(chunksize, source)
    auto = jobs == "auto"
    ts = parse_as_of(as_of)
    min_parts = AUTO_MIN_PARTS if auto else 2
    # the CSV file's parts planned once, before the model is loaded (with jobs="auto", while
    # the idle cores are counted: planning takes about as long as that measurement)
    plan = raw = None
    if auto:
        n_jobs, plan = auto_jobs_while(
            lambda: plan_early(source, profile, encoding=encoding, chunksize=chunksize))
    else:
        n_jobs = resolve_jobs(jobs)
    if n_jobs > 1:
        if not auto:
            plan = plan_early(source, profile, encoding=encoding, chunksize=chunksize)
        if plan is None:  # Parquet, JSON Lines, Excel: raw chunks read here, scored in parts
            raw = raw_part_count(source, chunksize)
            # in parts: enough chunks; a count not known (Excel) only when jobs are explicit
            if raw is not None and not (raw >= max(2, min_parts) if raw >= 0 else not auto):
                raw = None
    parts_ahead = raw is not None or (plan is not None and plan_parts(plan) >= max(2, min_parts))
    if model is None or isinstance(model, (str, Path)):
        model_ref = str(model) if model is not None else str(default_model_path())
        if parts_ahead:
            from hvpscore._scoreparts import warm_workers

            warm_workers(n_jobs, model_ref)  # they load the model while this process does
        m = resolve_model(model)  # checked here, loaded once per worker
    else:
        m = model_ref = resolve_model(model)
    if claims_cache is not None:
        from hvpscore.claims import ClaimFeatureCache

        if not isinstance(claims_cache, ClaimFeatureCache):
            claims_cache = ClaimFeatureCache(claims_cache)
    from hvpscore.rules import load_policy

    # the policy read and checked once, not per chunk (a bad policy fails before any reading)
    kwargs = {"policy": load_policy(policy), "as_of": ts, "reasons": reasons}
    from hvpscore._scorefile import part_run, raw_part_run, run_chunks

    # several processes on a CSV file: each reads, validates and scores its own part
    batches = tables = None
    if n_jobs > 1 and raw is not None:
        batches = raw_part_run(source, profile, encoding=encoding, chunksize=chunksize,
                               strict=strict, model=m, model_ref=model_ref, kwargs=kwargs,
                               jobs=n_jobs, cache=claims_cache)
        tables = iter(batches)
    elif n_jobs > 1:
        batches = part_run(source, profile, encoding=encoding, chunksize=chunksize,
                           strict=strict, model=m, model_ref=model_ref, kwargs=kwargs,
                           jobs=n_jobs, cache=claims_cache, min_parts=min_parts, plan=plan)
        tables = iter(batches) if batches is not None else None
    if batches is None:
        if auto:  # a small file or not a CSV file: one process
            n_jobs = 1
        batches = RecordBatches(source, profile, encoding=encoding, strict=strict,
                                chunksize=chunksize)
        # one process: the model loaded above; workers: its directory (each loads it once)
        tables = run_chunks(iter(batches), m if n_jobs == 1 else model_ref, kwargs,
                            jobs=n_jobs, cache=claims_cache)

    with TableAssembler(output, percentile) as sink:
        for table in tables:
            sink.add(table)
            if progress is not None:
                progress(sink.rows, batches.summary.rejected if batches.summary else 0)
        sink.finish(lambda: score_records(
            pd.DataFrame({"patent_id": pd.Series([], dtype=object)}), model=m, **kwargs))
        target = Path(rejects) if rejects else rejects_path_for(output)
        tmp = atomic_target(target)
        try:
            rejected = batches.write_rejects(output, tmp)
            if rejected is not None:
                replace_atomic(tmp, target)
                rejected = target
        finally:
            tmp.unlink(missing_ok=True)
    extra = {"high_value": sink.high_value, "model_version": m.version,
             "as_of": ts.date().isoformat(), "jobs": n_jobs, "chunksize": chunksize}
    if hasattr(batches, "parts_read"):  # workers read their own parts of the file
        extra["parts"] = batches.parts_read
        extra["replans"] = batches.replans
    if claims_cache is not None:
        extra["claims_cache"] = {"path": str(claims_cache.path), "hits": claims_cache.hits,
                                 "misses": claims_cache.misses}
    return BatchRun(Path(output), batches.summary, rejected, sink.rows,
                    time.perf_counter() - t0, extra)
