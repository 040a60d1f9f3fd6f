"""Benchmark of the pre-filing review (issue 10): ``check_draft`` on a realistic 20-claim Chinese
draft (``data/sample/drafts/battery_cooling.txt``: title, abstract, 20 claims, a five-part
description of about 1,700 characters), with the draft-stage predictions. Target: p95 <= 100 ms
per draft (the service's ``POST /check`` latency depends on it).

Prints p50 / p95 / p99 of the whole call (wall clock, and the CPU time of this process, which
other jobs on a shared machine do not inflate) and of its stages (read, checks, predict, criteria
and advice), all measured in this run, and the same for the .docx sample and without predictions.
The load average is printed with them: on a busy machine the wall-clock figures overstate the
cost; the lead re-measures on a quiet one.

Usage: python benchmarks/bench_check.py [--n 200] [--warmup 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from hvpscore.prefiling import check_draft

TARGET_P95_MS = 100.0
ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "data" / "sample" / "drafts"


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def run(label: str, draft, n: int, warmup: int, **kw) -> list[float]:
    for _ in range(warmup):
        check_draft(draft, as_of="2025-06-30", **kw)
    total: list[float] = []
    cpu: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(n):
        t = time.perf_counter()
        c = time.process_time()
        r = check_draft(draft, as_of="2025-06-30", **kw)
        cpu.append((time.process_time() - c) * 1000)
        total.append((time.perf_counter() - t) * 1000)
        for k, v in r.timing_ms.items():
            stages.setdefault(k, []).append(v)
    print(f"{label}: {r.claimset.n_claims} claims, {len(r.findings)} findings, "
          f"{sum(len(s.text) for s in r.draft.sections.values()):,} characters")
    print(f"  total      p50 {pct(total, 50):7.1f} ms  p95 {pct(total, 95):7.1f} ms  "
          f"p99 {pct(total, 99):7.1f} ms  mean {statistics.fmean(total):7.1f} ms")
    print(f"  cpu        p50 {pct(cpu, 50):7.1f} ms  p95 {pct(cpu, 95):7.1f} ms  "
          f"p99 {pct(cpu, 99):7.1f} ms")
    for k, v in stages.items():
        if k != "total":
            print(f"  {k:<15} p50 {pct(v, 50):6.1f} ms  p95 {pct(v, 95):6.1f} ms")
    return total, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="timed calls per case")
    ap.add_argument("--warmup", type=int, default=5, help="untimed calls first (loading)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    t = time.perf_counter()
    check_draft(DRAFTS / "battery_cooling.txt", as_of="2025-06-30")
    print(f"first call (imports, model and lexicon loading): {time.perf_counter() - t:.2f} s")
    text = (DRAFTS / "battery_cooling.txt").read_text(encoding="utf-8")
    main_case, main_cpu = run("20-claim Chinese draft (text, with predictions)", text, args.n, args.warmup)
    run("same draft, no predictions", text, args.n, args.warmup, model=False)
    data = (DRAFTS / "sorting_bin.docx").read_bytes()
    run(".docx sample (8 claims, agency template, with predictions)", data, args.n // 2,
        args.warmup, name="sorting_bin.docx")
    p95, c95 = pct(main_case, 95), pct(main_cpu, 95)
    print(f"target: p95 <= {TARGET_P95_MS:.0f} ms for the 20-claim draft: wall {p95:.1f} ms "
          f"(ratio {p95 / TARGET_P95_MS:.2f}, {'met' if p95 <= TARGET_P95_MS else 'NOT met'}), "
          f"CPU {c95:.1f} ms (ratio {c95 / TARGET_P95_MS:.2f})")


if __name__ == "__main__":
    main()
