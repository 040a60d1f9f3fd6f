"""Reading an Excel workbook in bounded memory (issue 9, item 4). Prints peak RSS measured in one
run for a small and a 4x larger workbook, and their ratio.

    python benchmarks/excel_memory.py [--n 200000] [--cache-dir DIR]

* The workbooks: ``--n / 4`` and ``--n`` records in the cn-export layout without the claims and
  abstract columns (the base stock of ``benchmarks/score_throughput.py``, tiled; cached beside
  it), one sheet each, written with openpyxl's write-only mode.
* Each is read and validated by the real CLI, ``hvpscore validate X.xlsx -p cn-export -o
  X.parquet`` (its default chunks of 10,000 rows), in a child process; its peak RSS comes from
  ``wait4``.
* Bounded means the larger workbook does not need proportionally more memory: the target is a
  ratio (peak RSS of the 4x workbook over the small one's) of at most 1.25, where reading the
  workbook whole would give about 4 less the interpreter's share.
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


def _peak_rss(path: Path, out_dir: Path) -> tuple[float, float, str]:
    """Peak RSS (GB) and wall seconds of ``hvpscore validate`` on ``path``, and its summary."""
    cmd = [sys.executable, "-m", "hvpscore", "validate", str(path), "-p", "cn-export",
           "-o", str(out_dir / (path.stem + ".parquet")), "--lang", "en"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
    with tempfile.TemporaryDirectory() as d:
        rss_s, wall_s, sum_s = _peak_rss(small, Path(d))
        rss_l, wall_l, sum_l = _peak_rss(large, Path(d))
    ratio = rss_l / rss_s
    print(f"{small_n:,} rows: peak RSS {rss_s:.2f} GB, {wall_s:.1f} s ({small_n / wall_s:,.0f} "
          f"rows/s); {sum_s}")
    print(f"{args.n:,} rows: peak RSS {rss_l:.2f} GB, {wall_l:.1f} s ({args.n / wall_l:,.0f} "
          f"rows/s); {sum_l}")
    print(f"peak RSS ratio for 4x the rows: {ratio:.2f} (target <= {RATIO_TARGET}): "
          f"{'met' if ratio <= RATIO_TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
