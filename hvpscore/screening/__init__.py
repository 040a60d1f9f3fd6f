"""Abnormal patent application screening (非正常专利申请筛查): near-copy claim sets and
abstracts, bulk-filing indicators, and a stock index drafts are checked against.

* :func:`screen` — a stock -> :class:`ScreenResult` (flagged pairs with evidence, template
  clusters, bulk-filing indicators per applicant/agency and month, a summary by applicant).
* :func:`build_index` / :func:`load_index` — the stock index (MinHash signatures, LSH band
  tables, cleaned texts) on disk; :func:`query_draft` compares one draft with it.

Everything is an indicator with its evidence and the clause of CNIPA 《规范申请专利行为的规定》
(2023) Art. 3 it relates to, for a human to judge; thresholds and clauses are in
``hvpscore/screening/data/screen.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hvpscore.screening._data import clause, config
from hvpscore.screening._index import INDEX_FORMAT, ScreenIndex, build_index, load_index
from hvpscore.screening._normalize import normalize, shingle_hashes, split_claims

__all__ = ["INDEX_FORMAT", "ScreenIndex", "ScreenResult", "build_index", "clause", "config",
           "load_index", "normalize", "query_draft", "screen", "shingle_hashes", "split_claims"]


@dataclass
class ScreenResult:
    """What :func:`screen` returns: ``pairs`` (one row per flagged pair), ``signals`` (bulk
    indicators), ``summary`` (by applicant), ``clusters`` (record -> near-copy cluster), counts
    and timings in ``stats``."""

    pairs: pd.DataFrame
    signals: pd.DataFrame
    summary: pd.DataFrame
    clusters: pd.DataFrame
    stats: dict = field(default_factory=dict)


def _summary(idx: ScreenIndex, pairs: pd.DataFrame, signals: pd.DataFrame,
             cl: pd.DataFrame) -> pd.DataFrame:
    rec = idx.records
    ex = pd.DataFrame({"applicant": rec["applicants"], "patent_id": rec["patent_id"],
                       "cluster_size": cl["cluster_size"].to_numpy()}).explode("applicant")
    ex = ex.dropna(subset=["applicant"])
    base = ex.groupby("applicant").agg(records=("patent_id", "size"),
                                       in_clusters=("cluster_size", lambda s: int((s > 1).sum())),
                                       largest_cluster=("cluster_size", "max"))
    counts = {k: {} for k in ("pairs_within", "pairs_across")}
    for a_col, b_col in (("applicants_a", "applicants_b"),):
        for rel, ap_a, ap_b in zip(pairs["relation"], pairs[a_col], pairs[b_col], strict=True):
            key = "pairs_within" if rel == "same_applicant" else "pairs_across"
            for ap in {*(ap_a.split("; ") if ap_a else []), *(ap_b.split("; ") if ap_b else [])}:
                counts[key][ap] = counts[key].get(ap, 0) + 1
    for k, v in counts.items():
        base[k] = pd.Series(v, dtype="int64").reindex(base.index).fillna(0).astype(int)
    s = signals[signals["holder_kind"] == "applicant"]
    kinds = s.groupby("holder")["kind"].agg(lambda x: "; ".join(sorted(set(x))))
    clauses = s.groupby("holder")["clause"].agg(lambda x: "; ".join(sorted(set(x))))
    base["signals"] = s.groupby("holder").size().reindex(base.index).fillna(0).astype(int)
    base["signal_kinds"] = kinds.reindex(base.index).fillna("")
    base["clauses"] = clauses.reindex(base.index).fillna("")
    base = base[(base["pairs_within"] + base["pairs_across"] + base["signals"]) > 0]
    return base.sort_values(["signals", "pairs_within", "pairs_across", "records"],
                            ascending=False).reset_index()


def screen(records, *, lang: str = "auto", index: ScreenIndex | None = None,
           config_overrides: dict | None = None, signals: bool = True) -> ScreenResult:
    """Screen a stock for near-copy applications and bulk-filing indicators (非正常申请筛查).

    Parameters
    ----------
    records : DataFrame of canonical records (``patent_id``, ``claims_text``, ``abstract``,
        ``applicants``, ``inventors``, ``filing_date``, ``grant_date``, ``transfers``; optional
        ``agency`` and ``transfer_date``), an iterable of such chunks, or None with ``index``
    lang : {"auto", "zh", "en"} — language of the texts (auto: per record)
    index : an index from :func:`build_index` / :func:`load_index` instead of ``records``
    config_overrides : {section: {setting: value}} over ``screen.yaml`` (thresholds)
    signals : compute the bulk-filing indicators

    Returns
    -------
    ScreenResult
        ``pairs``: patent_id_a/_b, relation (same_applicant, same_agency, cross_applicant),
        similarities, matched claims and differing words (JSON), shared passages, the rules that
        fired, the Art. 3 clause and a message in Chinese and English.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"patent_id": ["A", "B", "C"],
    ...     "claims_text": ["1. 一种保温杯，包括杯体（1）、杯盖（2）和设置在杯体外侧的硅胶防滑套，所述杯盖与杯体螺纹连接，所述防滑套厚度为3mm。",
    ...                     "1. 一种保温杯，包括杯体（10）、杯盖（20）和设置在杯体外侧的硅胶防滑套，所述杯盖与杯体螺纹连接，所述防滑套厚度为5mm。",
    ...                     "1. 一种数据传输方法，包括：接收终端发送的请求消息；根据所述请求消息确定传输资源。"],
    ...     "applicants": [["甲公司"], ["甲公司"], ["乙大学"]]})
    >>> r = screen(df)
    >>> r.pairs[["patent_id_a", "patent_id_b", "relation"]].values.tolist()
    [['A', 'B', 'same_applicant']]
    """
    import time

    from hvpscore._errors import InputError
    from hvpscore.screening._pairs import stock_pairs
    from hvpscore.screening._signals import bulk_signals, clusters

    t0 = time.perf_counter()
    if index is None:
        if records is None:
            raise InputError("screen: give records or an index / 请提供记录或索引")
        index = build_index(records, lang=lang, config_overrides=config_overrides)
    elif config_overrides:
        index.cfg = config(config_overrides)
    t1 = time.perf_counter()
    pairs, big, stats = stock_pairs(index)
    t2 = time.perf_counter()
    n = len(index)
    id_of = {pid: k for k, pid in enumerate(index.records["patent_id"])}
    if len(pairs):
        edges = np.array([(id_of[a], id_of[b]) for a, b in
                          zip(pairs["patent_id_a"], pairs["patent_id_b"], strict=True)])
    else:
        edges = np.empty((0, 2), dtype=np.int64)
    cid = clusters(n, edges, big)
    sizes = pd.Series(cid[cid >= 0]).value_counts()
    cl = pd.DataFrame({"patent_id": index.records["patent_id"],
                       "cluster": np.where(cid >= 0, cid, -1),
                       "cluster_size": [int(sizes.get(c, 1)) if c >= 0 else 1 for c in cid]})
    sig = (bulk_signals(index.records, cid, index.cfg) if signals else
           pd.DataFrame(columns=["holder_kind", "holder", "month", "kind", "clause"]))
    t3 = time.perf_counter()
    summ = _summary(index, pairs, sig, cl)
    stats.update({"records": n, "templates": len(big), "signals": int(len(sig)),
                  "seconds_index": round(t1 - t0, 3), "seconds_pairs": round(t2 - t1, 3),
                  "seconds_signals": round(t3 - t2, 3)})
    return ScreenResult(pairs=pairs, signals=sig, summary=summ, clusters=cl, stats=stats)


def query_draft(index: ScreenIndex, claims_text: str | None, abstract: str | None = None, *,
                lang: str = "auto", applicants=None, inventors=None, limit: int = 5) -> list[dict]:
    """Stock records a draft nearly copies (most similar first), each with the rules that fired,
    matched claims, differing words and the clause; [] when nothing fires."""
    from hvpscore.screening._index import _as_list, _row_texts, distinctive, make_doc
    from hvpscore.screening._minhash import signatures
    from hvpscore.screening._pairs import evaluate_pair

    lg, claims, abstract_s, basis = _row_texts(claims_text, abstract, lang)
    if basis == "none":
        return []
    d = make_doc(claims, abstract_s, lg, basis)
    p = index.params
    sig = signatures([distinctive(d.set, index.stop)], int(p["num_perm"]), int(p["seed"]))[0]
    cand = index.query_candidates(sig)
    rec = {"patent_id": "(draft)", "applicants": _as_list(applicants),
           "inventors": _as_list(inventors), "agency": None, "filing_date": pd.NaT,
           "basis": basis}
    out = []
    for i in cand:
        r = evaluate_pair(index, int(i), -1, other=(d, pd.Series(rec)))
        if r is not None:
            out.append(r)
    out.sort(key=lambda r: -r["similarity"])
    return out[:limit]
