"""Reading an Excel workbook in bounded memory (issue 9, item 4). Prints peak RSS measured in one
run for a small and a 4x larger workbook, and their ratio.

    python benchmarks/excel_memory.py [--n 200000] [--cache-dir DIR]

* The workbooks: ``--n / 4`` and ``--n`` records in the cn-export layout without the claims and
  abstract columns (the base stock of ``benchmarks/score_throughput.py``, tiled; cached beside
  it), one sheet each, written with openpyxl's write-only mode.
* Each is read and validated by the real CLI, ``hvpscore validate X.xlsx -p cn-export -o
  X.parquet`` (its default chunks of 10,000 rows), in a child process; its peak RSS comes from
  ``wait4``.
* Both engines, each workbook read once with each (``HVPSCORE_EXCEL_ENGINE``): ``openpyxl``
  streams the sheet; ``auto`` reads a workbook whose sheet XML stays under
  ``hvpscore.io._xlsx_fast.MAX_XML_BYTES`` (512 MiB uncompressed) whole through calamine, larger
  ones as openpyxl does.
* Bounded means the larger workbook does not need proportionally more memory: the target is a
  ratio (peak RSS of the 4x workbook over the small one's) of at most 1.25 for the streamed
  reads, where reading the workbook whole would give about 4 less the interpreter's share. The
  calamine reads are bounded by the size limit instead: their peak is printed beside the
  limit's XML size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATIO_TARGET = 1.25


def _workbook(cache: Path, n: int, base_n: int, seed: int) -> Path:
    path = cache / f"stock-{n}-{base_n}-{seed}-notext.xlsx"
    if path.exists():
        return path
    sys.path.insert(0, str(Path(__file__).parent))
    from openpyxl import Workbook
    from score_throughput import _TEXT_COLUMNS, _base, _new_ids

    base = _base(cache, min(base_n, n), seed).drop(columns=list(_TEXT_COLUMNS))
    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("专利")
    ws.append(list(base.columns))
    id_col = base.columns[0]
    done = 0
    for start in range(0, n, len(base)):
        part = base.iloc[: min(len(base), n - start)].copy()
        part[id_col] = _new_ids(part[id_col], start).to_numpy()
        for row in part.itertuples(index=False, name=None):
            ws.append(["" if v is None else v for v in row])
        done += len(part)
        print(f"  wrote {done:,} / {n:,} rows", flush=True)
    tmp = path.with_suffix(".partial.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s")
    return path


def _peak_rss(path: Path, out_dir: Path, engine: str) -> tuple[float, float, str]:
    """Peak RSS (GB) and wall seconds of ``hvpscore validate`` on ``path`` with the Excel engine
    ``engine``, and its summary."""
    env = {**os.environ, "HVPSCORE_EXCEL_ENGINE": engine}
    cmd = [sys.executable, "-m", "hvpscore", "validate", str(path), "-p", "cn-export",
           "-o", str(out_dir / (path.stem + ".parquet")), "--lang", "en"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"hvpscore validate failed on {path}:\n{out}")
    return usage.ru_maxrss / 1e6, wall, out.strip().splitlines()[0] if out.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="records in the larger workbook")
    ap.add_argument("--base", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache-dir", default=None)
    args = ap.parse_args()
    cache = Path(args.cache_dir or os.environ.get("HVPSCORE_BENCH_CACHE")
                 or Path.home() / ".cache" / "hvpscore-bench")
    cache.mkdir(parents=True, exist_ok=True)
    small_n = max(1, args.n // 4)
    small = _workbook(cache, small_n, args.base, args.seed)
    large = _workbook(cache, args.n, args.base, args.seed)
    from hvpscore.io._xlsx_fast import MAX_XML_BYTES, calamine_sheets

    res = {}
    with tempfile.TemporaryDirectory() as d:
        for engine in ("openpyxl", "auto"):
            for n, path in ((small_n, small), (args.n, large)):
                rss, wall, summary = _peak_rss(path, Path(d), engine)
                res[engine, n] = (rss, wall)
                used = engine if engine == "openpyxl" else (
                    "calamine" if calamine_sheets(path) is not None else "openpyxl")
                print(f"{engine:8} ({used}), {n:,} rows: peak RSS {rss:.2f} GB, {wall:.1f} s "
                      f"({n / wall:,.0f} rows/s); {summary}", flush=True)
    ratio = res["openpyxl", args.n][0] / res["openpyxl", small_n][0]
    print(f"streamed (openpyxl): peak RSS ratio for 4x the rows: {ratio:.2f} (target <= "
          f"{RATIO_TARGET}): {'met' if ratio <= RATIO_TARGET else 'NOT met'}")
    for n in (small_n, args.n):
        print(f"auto against openpyxl, {n:,} rows: x{res['openpyxl', n][1] / res['auto', n][1]:.2f}"
              f" faster; peak RSS {res['auto', n][0]:.2f} GB (calamine's limit: "
              f"{MAX_XML_BYTES / 2**20:.0f} MiB of sheet XML)")


if __name__ == "__main__":
    main()
