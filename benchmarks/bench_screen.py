"""Scale of the abnormal-application screen: a synthetic stock of N records (default 1,000,000)
indexed (``build_index``), screened (``screen(index=...)``: pairs, clusters, bulk indicators),
saved, loaded, and draft queries timed against the loaded index.

    python benchmarks/bench_screen.py                 # 1,000,000 records, 2 workers
    python benchmarks/bench_screen.py --n 100000      # a smaller run

The stock is ``make_patents`` in chunks of 50,000 with seeds 1000+k (fresh texts, no tiling: a
tiled stock would be all duplicates), cached as Parquet under ~/.cache/hvpscore-bench/screen-v1/.
Prints wall times, records/s, peak RSS of this process and its workers (resource.getrusage),
index size on disk and the draft-query p50/p95. Load on the machine is printed with them
(os.getloadavg): figures on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

CHUNK = 50_000
CACHE = Path.home() / ".cache" / "hvpscore-bench" / "screen-v1"
COLS = ["patent_id", "patent_type", "title", "abstract", "claims_text", "applicants",
        "inventors", "filing_date", "grant_date", "transfers", "legal_status", "ipc"]


def _make(k: int) -> Path:
    path = CACHE / f"chunk-{k:03d}.parquet"
    if path.exists():
        return path
    from hvpscore.datasets import make_patents

    df = make_patents(CHUNK, seed=1000 + k, as_of="2025-12-31")[COLS]
    df["patent_id"] = [f"B{k:03d}{i:06d}" for i in range(len(df))]  # distinct across chunks
    tmp = path.with_suffix(".tmp")
    df.to_parquet(tmp, index=False)
    tmp.rename(path)
    return path


def chunks_for(n: int, workers: int) -> list[Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    need = -(-n // CHUNK)
    missing = [k for k in range(need) if not (CACHE / f"chunk-{k:03d}.parquet").exists()]
    if missing:
        print(f"generating {len(missing)} chunks of {CHUNK} with {workers} workers ...",
              flush=True)
        with ProcessPoolExecutor(workers) as ex:
            list(ex.map(_make, missing))
    return [CACHE / f"chunk-{k:03d}.parquet" for k in range(need)]


def _iter(paths, n):
    left = n
    for p in paths:
        df = pd.read_parquet(p)
        if left < len(df):
            df = df.iloc[:left]
        left -= len(df)
        yield df
        if left <= 0:
            return


def _rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--index-dir", default=None, help="keep the index here (default: temp)")
    a = ap.parse_args(argv)
    paths = chunks_for(a.n, a.workers)
    if a.generate_only:
        return 0
    from hvpscore.screening import build_index, load_index, query_draft, screen

    print(f"load average {os.getloadavg()}, cpus {os.cpu_count()}", flush=True)
    out_dir = Path(a.index_dir) if a.index_dir else Path(tempfile.mkdtemp(prefix="screen-idx-"))
    t0 = time.perf_counter()
    idx = build_index(_iter(paths, a.n), out_dir, workers=a.workers,
                      progress=lambda k, s: print(f"  {k} records {s:.0f}s", flush=True)
                      if k % 200_000 == 0 else None)
    t_build = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in out_dir.iterdir()) / 1e6
    print(f"index: {len(idx)} records in {t_build:.1f}s ({len(idx) / t_build:.0f}/s), "
          f"{size:.0f} MB on disk, params {idx.params}", flush=True)
    print(f"peak RSS after build: self {_rss_mb()[0]:.0f} MB, workers {_rss_mb()[1]:.0f} MB",
          flush=True)
    t1 = time.perf_counter()
    res = screen(None, index=idx)
    t_screen = time.perf_counter() - t1
    print(f"screen: {t_screen:.1f}s, stats {res.stats}", flush=True)
    print(f"  pairs by relation {res.pairs['relation'].value_counts().to_dict()}, "
          f"signals by kind {res.signals['kind'].value_counts().to_dict()}", flush=True)
    print(f"peak RSS after screen: self {_rss_mb()[0]:.0f} MB", flush=True)
    # drafts: stock records (a copy must be found) and fresh texts (from another seed)
    rng = np.random.default_rng(0)
    picks = rng.choice(len(idx), size=a.queries // 2, replace=False)
    drafts = []
    for i in picks:
        claims, abstract = idx.texts(int(i))
        drafts.append(("\n".join(f"{k}. {c}" for k, c in enumerate(claims, 1)), abstract,
                       idx.records["basis"].iat[int(i)]))
    from hvpscore.datasets import make_patents

    fresh = make_patents(a.queries - len(drafts), seed=99_999)
    drafts += [(c, ab, "fresh") for c, ab in zip(fresh["claims_text"], fresh["abstract"],
                                                  strict=True)]
    del idx, res
    t2 = time.perf_counter()
    loaded = load_index(out_dir)
    t_load = time.perf_counter() - t2
    query_draft(loaded, drafts[0][0], drafts[0][1])  # warm-up (imports)
    times, found = [], 0
    for claims, abstract, kind in drafts:
        t = time.perf_counter()
        hits = query_draft(loaded, claims, abstract)
        times.append((time.perf_counter() - t) * 1000)
        if kind == "claims":
            found += bool(hits)
    times = np.array(times)
    n_stock = sum(k == "claims" for *_, k in drafts)
    print(f"load: {t_load:.1f}s; draft query over {len(times)} drafts: p50 {np.percentile(times, 50):.1f} ms, "
          f"p95 {np.percentile(times, 95):.1f} ms, max {times.max():.1f} ms; stock copies found "
          f"{found}/{n_stock}", flush=True)
    print(f"peak RSS (whole run): self {_rss_mb()[0]:.0f} MB, workers {_rss_mb()[1]:.0f} MB")
    if not a.index_dir:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
