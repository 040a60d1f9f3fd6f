"""End-to-end scoring throughput against the model's limit (issue 9). Prints figures and ratios
measured in one run.

    python benchmarks/score_throughput.py [--n 1000000] [--jobs N] [--chunksize N] [--runs ...]

* The stock: ``--n`` records in the cn-export layout (``hvpscore.datasets.make_patents`` +
  ``to_cn_export``), with claims text and abstract, and the same without those columns. A base of
  ``--base`` generated records is tiled to ``--n`` with fresh, valid application numbers and
  per-copy wording, so every claims text is distinct. Files are cached under ``--cache-dir``
  (default ``$HVPSCORE_BENCH_CACHE`` or ``~/.cache/hvpscore-bench``, outside git).
* End to end: the real CLI (``python -m hvpscore score ... --quiet --log-json``) in a child
  process; wall time and the peak RSS of its process tree (the CLI and its workers, sampled
  from /proc every 0.2 s).
* The limit: bare ``Booster.predict`` of the same heads on the feature matrix the model builds,
  with as many threads as the CLI may use (all cores).
* The claims cache: the stock with text scored twice with ``--claims-cache`` (the first run
  fills it); the second run's rate against the limit.
* On a shared machine wall-clock rates move with the load: the limit is measured again just
  before each run, and each run also reports its CPU time (the CLI and its workers, from
  /proc and getrusage) as rows per CPU second against the limit's rows per CPU second (the
  "CPU ratio": equal to the wall ratio on an idle machine when both keep every core busy).

Targets (issue 9): end to end >= 0.25 of bare predict with text, >= 0.5 without; peak RSS
<= 2 GB at 1,000,000 rows with text; second run with the cache >= 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = "2025-12-31"
TARGETS = {"text": 0.25, "no_text": 0.5, "cache": 0.5}
RSS_TARGET_GB = 2.0
_TEXT_COLUMNS = ("摘要", "权利要求书")


def _cache_dir(arg: str | None) -> Path:
    d = Path(arg or os.environ.get("HVPSCORE_BENCH_CACHE")
             or Path.home() / ".cache" / "hvpscore-bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _base(cache: Path, n: int, seed: int) -> pd.DataFrame:
    path = cache / f"base-{n}-{seed}.parquet"
    if not path.exists():
        from hvpscore.datasets import make_patents, to_cn_export

        t = time.perf_counter()
        parts = []
        for i, start in enumerate(range(0, n, 10_000)):  # in pieces: bounded memory
            recs = make_patents(min(10_000, n - start), seed=seed + i, as_of=AS_OF)
            parts.append(to_cn_export(recs, seed=seed + i))
            print(f"  generated {start + len(parts[-1]):,} / {n:,} base records", flush=True)
        base = pd.concat(parts, ignore_index=True)
        base.to_parquet(path)
        print(f"base stock of {n:,} records generated in {time.perf_counter() - t:.0f} s")
    return pd.read_parquet(path)


def _new_ids(ids: pd.Series, start: int) -> pd.Series:
    """Fresh application numbers (same year and type, serial = row number), valid check digit."""
    from hvpscore.datasets import format_cn_application

    out = []
    for k, raw in enumerate(ids.tolist(), start):
        digits = raw.removeprefix("ZL").split(".")[0]
        if len(digits) == 12:
            year, kind = digits[:4], digits[4]
        else:  # the 8-digit numbers before 2003: YY T SSSSS
            yy = int(digits[:2])
            year, kind = str(1900 + yy if yy >= 85 else 2000 + yy), digits[2]
        new = format_cn_application(f"{year}{kind}{k:07d}")
        out.append(("ZL" + new) if raw.startswith("ZL") else new)
    return pd.Series(out, index=ids.index)


def _stock(cache: Path, n: int, base_n: int, seed: int) -> tuple[Path, Path]:
    text_path = cache / f"stock-{n}-{base_n}-{seed}.csv"
    bare_path = cache / f"stock-{n}-{base_n}-{seed}-notext.csv"
    if text_path.exists() and bare_path.exists():
        return text_path, bare_path
    base = _base(cache, min(base_n, n), seed)
    t = time.perf_counter()
    for path, drop in ((text_path, ()), (bare_path, _TEXT_COLUMNS)):
        if path.exists():
            continue
        tmp = path.with_suffix(".partial")
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            for copy, start in enumerate(range(0, n, len(base))):
                part = base.iloc[: min(len(base), n - start)].copy()
                part["申请号"] = _new_ids(part["申请号"], start)
                if copy:  # distinct wording per copy: every claims text is new to the cache
                    for c in _TEXT_COLUMNS:
                        part[c] = part[c].str.replace("，", f"，第{copy}型", n=1, regex=False)
                if drop is _TEXT_COLUMNS:
                    part = part.drop(columns=list(_TEXT_COLUMNS))
                part.to_csv(fh, index=False, header=(copy == 0))
        tmp.rename(path)
        print(f"wrote {path} ({path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    # the no-text file is the text file's rows without the text columns
    return text_path, bare_path


_TICK = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of ``root`` and all its descendants, and the CPU seconds (user + system)
    each of them has used so far (from /proc)."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            ppid, pages = int(stat[1]), int(stat[21])
            ticks = int(stat[11]) + int(stat[12])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * os.sysconf("SC_PAGE_SIZE")
        cpu[int(d)] = ticks / _TICK
    total, todo, used = 0, [root], {}
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        used[p] = cpu.get(p, 0.0)
        todo.extend(kids.get(p, []))
    return total, used


def _run_cli(args: list[str]) -> dict:
    cmd = [sys.executable, "-m", "hvpscore", "score", *args, "--quiet", "--log-json"]
    cpu0 = _child_cpu()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    cpu: dict[int, float] = {}  # CPU seconds per process of the tree, last seen

    def watch():
        while proc.poll() is None:
            rss, used = _tree(proc.pid)
            peak[0] = max(peak[0], rss)
            for p, c in used.items():
                cpu[p] = max(cpu.get(p, 0.0), c)
            time.sleep(0.2)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    out, err = proc.communicate()
    secs = time.perf_counter() - t
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"hvpscore score failed ({proc.returncode}): {err.strip()[-2000:]}")
    summary = json.loads(out.strip().splitlines()[-1])
    # the CLI's own CPU time exactly (it is a child); its workers' as last sampled
    # CPU seconds of the process tree: the CLI's (and its reaped workers') from getrusage, or the
    # sum sampled from /proc when the workers were not reaped before the CLI exited
    sampled = sum(cpu.values())
    total_cpu = max(_child_cpu() - cpu0, sampled)
    return {"seconds": secs, "rows": summary["rows_out"], "rate": summary["read"] / secs,
            "cpu": total_cpu, "peak_rss": peak[0], "summary": summary}


def _child_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class _Limit:
    """Bare Booster.predict of every head of the default model, on the feature matrix the model
    builds from ``rows`` records of ``stock``: rows/s (wall, best of 3) and rows per CPU second,
    measured again right before each end-to-end run (the machine may be shared)."""

    def __init__(self, stock: Path, rows: int, threads: int) -> None:
        from hvpscore.io import read_records
        from hvpscore.scoring import resolve_model

        recs = read_records(pd.read_csv(stock, dtype=str, keep_default_na=False, nrows=rows),
                            profile="cn-export").records
        m = resolve_model(None)
        F = m.transform(recs, as_of=AS_OF)
        self.mats = [(h.booster, h.matrix(F)) for h in m.heads.values()]
        self.rows = len(recs)
        self.threads = threads
        for b, X in self.mats:  # warm up
            b.predict(X[:1000], num_threads=threads)

    def measure(self) -> tuple[float, float]:
        best = best_cpu = float("inf")
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            for b, X in self.mats:
                b.predict(X, num_threads=self.threads)
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
        return self.rows / best, self.rows / best_cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="records in the stock")
    ap.add_argument("--base", type=int, default=50_000, help="generated records tiled to --n")
    ap.add_argument("--jobs", type=int, nargs="*", default=None,
                    help="hvpscore score --jobs (0: all cores; default: the CLI's default); "
                         "several values: each run with each, one after the other, and the "
                         "speed-ups against the first")
    ap.add_argument("--chunksize", type=int, default=None,
                    help="hvpscore score --chunksize (default: the CLI's default)")
    ap.add_argument("--limit-rows", type=int, default=100_000,
                    help="records the bare-predict limit is measured on")
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", nargs="*", default=None,
                    choices=["no_text", "text", "cache"],
                    help="only these end-to-end runs (cache includes the run that fills it)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="each run (not the cache fill) this many times, the limit measured "
                         "before each; then the median ratio and the range (the limit and the "
                         "runs move by a few %% on a shared machine)")
    args = ap.parse_args()

    from hvpscore._scorefile import available_cores

    cores = available_cores()
    cache = _cache_dir(args.cache_dir)
    text_csv, bare_csv = _stock(cache, args.n, args.base, args.seed)
    job_list = [None] if not args.jobs else list(args.jobs)
    jobs = "default" if args.jobs is None else " / ".join(map(str, job_list))
    print(f"stock: {args.n:,} records; {cores} cores; hvpscore score --jobs {jobs} "
          f"--chunksize {args.chunksize or 'default'}; load average {os.getloadavg()[0]:.1f}",
          flush=True)

    lim = _Limit(text_csv, min(args.limit_rows, args.n), cores)
    limit, limit_cpu = lim.measure()
    print(f"limit, bare Booster.predict (all heads, {cores} threads): {limit:,.0f} rows/s, "
          f"{limit_cpu:,.0f} rows per CPU second", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        common = ["-p", "cn-export", "--as-of", AS_OF]
        if args.chunksize:
            common += ["--chunksize", str(args.chunksize)]
        runs = [("no_text", bare_csv, []), ("text", text_csv, []),
                ("cache_fill", text_csv, ["--claims-cache", f"{tmp}/claims.sqlite"]),
                ("cache", text_csv, ["--claims-cache", f"{tmp}/claims.sqlite"])]
        first_rate: dict[str, float] = {}
        ratios: dict[str, list[float]] = {}
        for base_name, src, extra in runs:
            if args.runs and base_name not in args.runs and not (
                    base_name == "cache_fill" and "cache" in args.runs):
                continue
            for j in job_list:  # each --jobs value right after the other: the same load
                name = base_name if len(job_list) == 1 else f"{base_name} j{j}"
                cache_arg = extra
                if extra and len(job_list) > 1:  # each --jobs value its own cache
                    cache_arg = ["--claims-cache", f"{tmp}/claims-j{j}.sqlite"]
                jobs_arg = [] if j is None else ["--jobs", str(j)]
                for k in range(1 if base_name == "cache_fill" else max(1, args.repeat)):
                    limit, limit_cpu = lim.measure()  # just before the run: same load
                    out = f"{tmp}/{base_name}-j{j}.parquet" if k == 0 else f"{tmp}/again.parquet"
                    r = _run_cli([str(src), *common, *jobs_arg, *cache_arg, "-o", out])
                    if k == 0:
                        results[base_name if j == job_list[0] else name] = r
                    ratios.setdefault(name, []).append(r["rate"] / limit)
                    _report(name, base_name, r, limit, limit_cpu, first_rate if k == 0 else {})
        for name, rs in ratios.items():
            if len(rs) > 1:
                target = TARGETS.get(name.split(" ")[0])
                verdict = "" if target is None else (
                    f" (target {target}: {'met' if float(np.median(rs)) >= target else 'NOT met'}"
                    f" by the median)")
                print(f"{name}: median ratio {float(np.median(rs)):.3f} over {len(rs)} runs "
                      f"(range {min(rs):.3f}-{max(rs):.3f}){verdict}", flush=True)
        if "text" in results:
            rss = results["text"]["peak_rss"] / 1e9
            print(f"peak RSS with text: {rss:.2f} GB (target <= {RSS_TARGET_GB} GB at "
                  f"1,000,000 rows: {'met' if rss <= RSS_TARGET_GB else 'NOT met'}"
                  f"{'' if args.n >= 1_000_000 else ', n < 1M'})")
        if "text" in results and "cache" in results:
            j0 = job_list[0]
            a = pd.read_parquet(f"{tmp}/text-j{j0}.parquet")
            b = pd.read_parquet(f"{tmp}/cache-j{j0}.parquet")
            print(f"score tables with and without the cache identical: {a.equals(b)}")
        for j in job_list[1:]:
            for base_name in ("no_text", "text", "cache"):
                if base_name in results:
                    a = pd.read_parquet(f"{tmp}/{base_name}-j{job_list[0]}.parquet")
                    b = pd.read_parquet(f"{tmp}/{base_name}-j{j}.parquet")
                    print(f"{base_name}: tables with --jobs {job_list[0]} and {j} identical: "
                          f"{a.equals(b)}")


def _report(name, base_name, r, limit, limit_cpu, first_rate) -> None:
    """One line: rate, ratio to the limit, CPU, RSS (and the speed-up against the first
    --jobs value, both as ratios to the limit measured just before each)."""
    ratio = r["rate"] / limit
    cpu_ratio = (r["rows"] / r["cpu"]) / limit_cpu
    target = TARGETS.get(base_name)
    verdict = "" if target is None else (
        f" (target {target}: {'met' if ratio >= target else 'NOT met'})")
    cache_info = r["summary"].get("claims_cache")
    cinfo = (f"; cache hits {cache_info['hits']:,}, parsed {cache_info['misses']:,}"
             if cache_info else "")
    # the rate relative to the load: rows/s per rows/s of the limit measured just before
    speed = ""
    if base_name in first_rate:
        speed = f"; x{ratio / first_rate[base_name]:.2f} against the first --jobs"
    else:
        first_rate[base_name] = ratio
    print(f"end to end, {name:10}: {r['rate']:9,.0f} rows/s in {r['seconds']:7.1f} s, "
          f"ratio {ratio:.3f}{verdict} (limit {limit:,.0f} rows/s just before); "
          f"CPU {r['cpu']:.0f} s = {r['rows'] / r['cpu']:,.0f} rows per CPU second, "
          f"CPU ratio {cpu_ratio:.3f}; peak RSS {r['peak_rss'] / 1e9:.2f} GB{cinfo}"
          f"{speed}; load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
