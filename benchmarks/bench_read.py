"""Reading + validation throughput, measured in one run against ``pandas.read_csv(dtype=str)``.

On the same cn-export CSV (realistic rows from ``hvpscore.datasets``, see ``_stock.py``), with and
without the abstract/claims texts, and on the canonical Parquet of the same stock:

* ``pandas.read_csv(dtype=str)`` — the bare parse, no validation (the yardstick);
* ``read_records`` — parse + every check of the profile (the job ``hvpscore validate`` does);
* ``read_records`` of the canonical Parquet, next to ``pyarrow.parquet.read_table().to_pandas()``;
* ``iter_records`` in chunks vs whole: peak traced memory.

Figures are rows per second of wall time and of CPU time (process time; on a shared machine the
CPU figure is the steadier one) and the ratios to the yardstick and to the targets (validate
≥ 60,000 rows/s without text, Parquet read ≥ 100,000 rows/s, one core).
Run: ``python benchmarks/bench_read.py [N]`` (default 200,000).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stock import canonical_parquet, stock_csv  # noqa: E402

from hvpscore.io import iter_records, read_records  # noqa: E402

TARGET_VALIDATE = 60_000
TARGET_PARQUET = 100_000


def timed(fn) -> tuple[object, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def line(name: str, n: int, wall: float, cpu: float, ref: tuple[float, float] | None = None,
         target: int | None = None) -> None:
    msg = f"{name:52s} {n / wall:>9,.0f} rows/s wall {n / cpu:>9,.0f} cpu"
    if ref:
        msg += f"   x{ref[0] / wall:.2f} / x{ref[1] / cpu:.2f} of pandas"
    if target:
        msg += f"   target {target:,}: wall {n / wall / target:.2f}, cpu {n / cpu / target:.2f}"
    print(msg, flush=True)


def main(n: int = 200_000) -> None:
    print(f"rows: {n:,} (files cached in {stock_csv.__globals__['CACHE']})", flush=True)
    for text in (False, True):
        path = stock_csv(n, text=text)
        label = "with text" if text else "without text"
        print(f"-- cn-export CSV {label}: {path.stat().st_size / 2**20:,.0f} MiB", flush=True)
        _, pw, pc = timed(lambda p=path: pd.read_csv(p, dtype=str, keep_default_na=False))
        line("pandas.read_csv(dtype=str)", n, pw, pc)
        r, rw, rc = timed(lambda p=path: read_records(p, "cn-export"))
        assert r.summary.read == n, r.summary
        line("read_records (validate)", n, rw, rc, (pw, pc), None if text else TARGET_VALIDATE)
        del r
    for text in (False, True):
        path = canonical_parquet(n, text=text)
        label = "with text" if text else "without text"
        print(f"-- canonical Parquet {label}: {path.stat().st_size / 2**20:,.0f} MiB", flush=True)
        import pyarrow.parquet as pq

        _, aw, ac = timed(lambda p=path: pq.read_table(p).to_pandas())
        line("pyarrow read_table().to_pandas()", pq.read_metadata(path).num_rows, aw, ac)
        r, rw, rc = timed(lambda p=path: read_records(p))
        assert r.summary.rejected == 0, r.problems[:3]
        n_pq = r.summary.read
        line("read_records (canonical Parquet)", n_pq, rw, rc, None, TARGET_PARQUET)
        print(f"{'':52s} x{aw / rw:.2f} / x{ac / rc:.2f} of to_pandas", flush=True)
        del r
    small = min(n, 50_000)
    path = stock_csv(small, text=False)

    def whole():
        read_records(path, "cn-export")

    def chunked():
        total = 0
        for part in iter_records(path, "cn-export", chunksize=5_000):
            total += part.summary.read
        assert total == small

    peaks = []
    for fn in (whole, chunked):
        tracemalloc.start()
        fn()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    print(f"-- memory on {small:,} rows: whole {peaks[0] / 2**20:,.0f} MiB, 5k-row chunks "
          f"{peaks[1] / 2**20:,.0f} MiB (ratio {peaks[1] / peaks[0]:.2f}, target < 0.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
