"""Reading + validation throughput and memory: whole-file vs chunked (streamed) reading.

Prints rows/s for ``read_records`` and ``iter_records`` on a generated canonical CSV, and the ratio
of peak traced memory (chunked / whole). Run: ``python benchmarks/bench_read.py [N]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore.io import iter_records, read_records
from hvpscore.numbers import cn_check_digit


def make_csv(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    years = rng.integers(2005, 2024, n)
    serial = rng.permutation(n) + 1_000_000
    ids = []
    for y, s in zip(years, serial, strict=True):
        d = f"{y}1{s:07d}"
        ids.append(f"ZL{d}.{cn_check_digit(d)}")
    filing = pd.to_datetime([f"{y}-01-01" for y in years]) + pd.to_timedelta(
        rng.integers(0, 360, n), unit="D")
    df = pd.DataFrame({
        "patent_id": ids,
        "patent_type": "invention",
        "ipc": np.where(rng.random(n) < 0.5, "H04L27/26;H04W72/04", "A47J27/00"),
        "applicants": "重庆某某科技有限公司",
        "applicant_type": rng.choice(["enterprise", "university"], n),
        "filing_date": filing.strftime("%Y-%m-%d"),
        "grant_date": (filing + pd.Timedelta(days=900)).strftime("%Y-%m-%d"),
        "claims_count": rng.integers(1, 30, n),
        "independent_claims": 1,
        "legal_status": rng.choice(["in_force", "lapsed"], n),
        "family_countries": np.where(rng.random(n) < 0.1, "CN;US;EP", "CN"),
        "pledge_amount_cny": np.where(rng.random(n) < 0.05, 2_000_000.0, np.nan),
        "forward_citations": rng.integers(0, 50, n),
    })
    df.to_csv(path, index=False)


def measure(fn) -> tuple[float, int]:
    """Wall time of one plain run, then peak traced memory of a second run (tracing is slow)."""
    t = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak


def main(n: int = 200_000) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "stock.csv"
        make_csv(path, n)
        whole_t, whole_m = measure(lambda: read_records(path))
        def chunked():
            total = 0
            for part in iter_records(path, chunksize=20_000):
                total += part.summary.accepted
            assert total == n
        chunk_t, chunk_m = measure(chunked)
    print(f"rows: {n}")
    print(f"read_records (whole file): {n / whole_t:,.0f} rows/s, peak {whole_m / 2**20:,.0f} MiB")
    print(f"iter_records (20k chunks): {n / chunk_t:,.0f} rows/s, peak {chunk_m / 2**20:,.0f} MiB")
    print(f"memory ratio chunked/whole: {chunk_m / whole_m:.2f} (target < 0.5)")
    print(f"speed ratio chunked/whole: {whole_t / chunk_t:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
