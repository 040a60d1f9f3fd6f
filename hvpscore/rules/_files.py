"""Batch use of the criteria engine: a whole file as of a date, and the shares by criterion."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CRITERION_LABELS", "criteria_file", "criteria_shares"]

CRITERION_LABELS = {
    "hv_sei": ("战略性新兴产业", "strategic emerging industry"),
    "hv_overseas": ("海外同族专利权", "overseas family patent right"),
    "hv_maintained_10y": ("维持超过10年", "maintained > 10 years"),
    "hv_pledge": ("较高质押融资", "high pledge financing"),
    "hv_award": ("国家科技奖/中国专利奖", "national S&T / China Patent Award"),
}


def criteria_shares(flags: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares per criterion: ``criterion, label_zh, label_en, count, share,
    share_of_in_force, only_this`` (reached through this criterion alone), plus a
    ``is_high_value`` row. Shares are of all records; ``share_of_in_force`` of valid inventions.
    """
    return _shares(_share_counts(flags))


def _share_counts(flags: pd.DataFrame) -> np.ndarray:
    """The counts :func:`criteria_shares` needs, as one array that adds up over chunks: rows,
    in force, then per criterion its count and its only-this count, then high-value."""
    cols = list(CRITERION_LABELS)
    hv = flags[cols].to_numpy(dtype=bool)
    k = hv.sum(axis=1)
    per = [(int(hv[:, j].sum()), int((hv[:, j] & (k == 1)).sum())) for j in range(len(cols))]
    return np.array([len(flags), int(flags["in_force"].sum())] + [x for c in per for x in c]
                    + [int(flags["is_high_value"].sum())], dtype=np.int64)


def _shares(counts: np.ndarray) -> pd.DataFrame:
    n, nf = int(counts[0]), int(counts[1])
    rows = []
    for j, col in enumerate(CRITERION_LABELS):
        c, only = int(counts[2 + 2 * j]), int(counts[3 + 2 * j])
        rows.append({"criterion": col, "label_zh": CRITERION_LABELS[col][0],
                     "label_en": CRITERION_LABELS[col][1], "count": c,
                     "share": c / n if n else 0.0,
                     "share_of_in_force": c / nf if nf else 0.0, "only_this": only})
    c = int(counts[-1])
    rows.append({"criterion": "is_high_value", "label_zh": "高价值发明专利",
                 "label_en": "high-value invention patent", "count": c,
                 "share": c / n if n else 0.0, "share_of_in_force": c / nf if nf else 0.0,
                 "only_this": c})
    return pd.DataFrame(rows)


def criteria_file(source, output, *, profile="canonical", policy=None, as_of=None,
                  concordance=None, encoding=None, strict=False, rejects=None,
                  chunksize: int | str = 10_000):
    """Evaluate the five criteria for every record of ``source`` (a file or DataFrame), read in
    chunks, and write ``patent_id, policy_id, as_of`` + :data:`OUTPUT_COLUMNS` to ``output``
    (.parquet/.csv/.xlsx/.jsonl); rejected rows with their reasons go beside it.

    Returns a :class:`hvpscore._batch.BatchRun` whose ``extra["shares"]`` is
    :func:`criteria_shares` of the whole output and ``extra["in_force"]`` its count of valid
    inventions. Memory is bounded by the chunk size: the chunks are spilled as they come and
    the output written from them (and under a temporary name, renamed when complete).
    """
    from hvpscore._batch import BatchRun, RecordBatches
    from hvpscore._dates import parse_as_of
    from hvpscore._scorefile import TableAssembler
    from hvpscore.rules._criteria import evaluate_criteria
    from hvpscore.rules._policy import load_policy

    t0 = time.perf_counter()
    pol = load_policy(policy)
    day = parse_as_of(as_of)
    batches = RecordBatches(source, profile, encoding=encoding, strict=strict,
                            chunksize=chunksize)

    def table_of(recs: pd.DataFrame) -> pd.DataFrame:
        flags = evaluate_criteria(recs, policy=pol, as_of=day, concordance=concordance)
        part = pd.concat([recs[["patent_id"]], flags], axis=1)
        part.insert(1, "policy_id", flags.attrs["policy_id"])
        part.insert(2, "as_of", flags.attrs["as_of"])
        return part.reset_index(drop=True)

    counts = None
    with TableAssembler(output, None) as sink:
        for recs in batches:
            part = table_of(recs)
            c = _share_counts(part)
            counts = c if counts is None else counts + c
            sink.add(part)
        # an empty input still writes an (empty) table with the right columns
        empty = table_of(pd.DataFrame({"patent_id": pd.Series([], dtype=object)}))
        if counts is None:
            counts = _share_counts(empty)
        sink.finish(lambda: empty)
        rejected = batches.write_rejects(output, rejects)
    return BatchRun(Path(output), batches.summary, rejected, sink.rows,
                    time.perf_counter() - t0,
                    {"policy_id": pol.id, "as_of": day.date().isoformat(),
                     "shares": _shares(counts), "in_force": int(counts[1])})
