"""Benchmark of the service (issue 11) against a real ``hvpscore serve`` on a free local port.

* ``POST /check``: p50 / p95 / p99 over sequential requests (one keep-alive connection) for a
  realistic 20-claim Chinese draft; targets p50 <= 50 ms, p95 <= 100 ms. The same draft is
  also timed through ``check_draft`` in this process, so the HTTP overhead shows in one run.
* ``POST /score``: rows per second for 10,000 records, as a JSON array and as a Parquet upload,
  next to ``read_records`` + ``score_records`` in this process.

Wall-clock figures depend on what else runs on the machine; the CPU time per request (the
server's processes, from /proc, over the timed requests; this process's for the in-process
figures) does not, so both are printed, with the load average before and after.

The draft is a 20-claim Chinese draft from ``data/sample/drafts/`` when one is there, otherwise
one generated with ``hvpscore.datasets.make_claims_texts``.

Usage: python benchmarks/service_latency.py [--requests 200] [--records 10000] [--seed 7]
                                           [--workers 1] [--threads 4] [--concurrency 8]
                                           [--no-score]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
P50_TARGET_MS, P95_TARGET_MS = 50.0, 100.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _draft(seed: int):
    """(draft, where it came from): a shipped 20-claim Chinese sample, else a generated one."""
    from hvpscore.prefiling import read_draft

    folder = REPO / "data" / "sample" / "drafts"
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix not in (".txt", ".docx", ".json"):
            continue
        d = read_draft(path)
        from hvpscore.claims import parse_claims

        claims = d.text("claims")
        if d.lang == "zh" and claims and parse_claims(claims).n_claims >= 15:
            return path.read_bytes(), path.name, f"{path.relative_to(REPO)}"
    from hvpscore.datasets import make_claims_texts

    gen = make_claims_texts(200, seed=seed)
    row = gen[gen["n_claims"] == 20].iloc[0]
    draft = {"title": "一种" + str(row["field"]).replace("_", "") + "装置", "claims_text":
             row["claims_text"], "abstract": "本发明公开了一种装置。" * 10,
             "ipc": ["H01M10/613"], "applicant_type": "enterprise", "planned_route": "pct"}
    return draft, None, f"hvpscore.datasets.make_claims_texts(200, seed={seed}), a 20-claim text"


def _start(port: int, log, workers: int = 1, threads: int = 4) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "HVPSCORE_API_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "hvpscore", "serve", "--port", str(port),
                             "--max-body-mb", "256", "--lang", "en", "--workers", str(workers),
                             "--threads", str(threads)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 300:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                print(f"server up in {time.monotonic() - t0:.1f} s (model load + warm-up)")
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start in 300 s")


def _tree_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) of process ``pid`` and its children (uvicorn's worker
    processes), from /proc; None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, ValueError):
            if p == pid:
                return None
    return total


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _pct(ms: list[float]) -> tuple[float, float, float]:
    a = np.asarray(ms)
    return tuple(float(np.percentile(a, q)) for q in (50, 95, 99))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200, help="POST /check requests to time")
    ap.add_argument("--records", type=int, default=10_000, help="records per POST /score")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=1, help="hvpscore serve --workers")
    ap.add_argument("--threads", type=int, default=4, help="hvpscore serve --threads")
    ap.add_argument("--concurrency", type=int, default=8,
                    help="clients of the concurrent POST /check run (0: skip it)")
    ap.add_argument("--no-score", action="store_true", help="time POST /check only")
    args = ap.parse_args()

    from hvpscore.prefiling import check_draft

    print(_load())
    draft, name, origin = _draft(args.seed)
    print(f"draft: {origin}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = _start(port, log, args.workers, args.threads)
        print(f"server: hvpscore serve --workers {args.workers} --threads {args.threads}")
        try:
            _bench(url, draft, name, args, check_draft, log, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(_load())


def _server_ms(log, path: str, last: int) -> list[float]:
    """The server's own time (access log ``ms``) of its last ``last`` requests to ``path``."""
    log.flush()
    log.seek(0)
    lines = [json.loads(x) for x in log.read().decode("utf-8", "replace").splitlines()
             if x.startswith(b"{".decode())]
    ms = [x["ms"] for x in lines if x.get("path") == path and "ms" in x]
    log.seek(0, 2)
    return ms[-last:]


def _concurrent(url, post_check, args, pid) -> None:
    """``--concurrency`` clients posting the draft at once: latency under load of the service
    itself, and throughput (what more workers or threads change)."""
    from concurrent.futures import ThreadPoolExecutor

    n = max(args.requests, 4 * args.concurrency)

    def client(k: int) -> list[float]:
        out = []
        with httpx.Client(timeout=120) as c:
            for _ in range(k):
                t0 = time.perf_counter()
                r = post_check(c)
                out.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.text[:300]
        return out

    per = [n // args.concurrency + (i < n % args.concurrency) for i in range(args.concurrency)]
    cpu0 = _tree_cpu_s(pid)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as ex:
        ms = [x for part in ex.map(client, per) for x in part]
    wall = time.perf_counter() - t0
    cpu1 = _tree_cpu_s(pid)
    p50, p95, p99 = _pct(ms)
    cpu = f"; server CPU {(cpu1 - cpu0) * 1000 / n:.1f} ms per request" if cpu0 is not None else ""
    print(f"POST /check, {args.concurrency} concurrent clients ({n} requests): p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms, p99 {p99:.1f} ms; {n / wall:.1f} requests/s{cpu}")


def _bench(url, draft, name, args, check_draft, log, pid) -> None:
    import pandas as pd

    import hvpscore
    from hvpscore.model import load_model
    from hvpscore.prefiling import default_draft_model_path

    def post_check(c: httpx.Client):
        if name is None:
            return c.post(url + "/check", json=draft)
        return c.post(url + "/check", files={"file": (name, draft)})

    with httpx.Client(timeout=120) as c:
        r = post_check(c)
        r.raise_for_status()
        rep = r.json()
        print(f"draft: {rep['claims']['n_claims']} claims, {len(rep['sections']['claims']['text'])} "
              f"claim characters, {rep['summary']['findings']} findings")
        for _ in range(10 * args.workers):
            post_check(c)
        ms = []
        cpu0 = _tree_cpu_s(pid)
        for _ in range(args.requests):
            t0 = time.perf_counter()
            r = post_check(c)
            ms.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
        cpu1 = _tree_cpu_s(pid)
    p50, p95, p99 = _pct(ms)
    server_cpu = (cpu1 - cpu0) * 1000 / args.requests if cpu0 is not None and cpu1 else None
    time.sleep(0.5)  # the last access-log line trails its response
    s50, s95, s99 = _pct(_server_ms(log, "/check", args.requests))

    dm = load_model(default_draft_model_path())
    from hvpscore.prefiling import read_draft

    lib_in = draft if name is None else read_draft(draft, name=name)
    for _ in range(5):
        check_draft(lib_in, model=dm)
    lib, lib_cpu = [], []
    for _ in range(min(args.requests, 100)):
        t0, c0 = time.perf_counter(), time.process_time()
        json.dumps(check_draft(lib_in, model=dm).to_dict(), ensure_ascii=False)
        lib.append((time.perf_counter() - t0) * 1000)
        lib_cpu.append((time.process_time() - c0) * 1000)
    l50, l95, l99 = _pct(lib)
    c50, c95, c99 = _pct(lib_cpu)
    print(f"POST /check ({args.requests} sequential requests): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {p99:.1f} ms; mean {statistics.mean(ms):.1f} ms (wall, client side)")
    print(f"  ratio to targets: p50 {p50 / P50_TARGET_MS:.2f} of {P50_TARGET_MS:.0f} ms, "
          f"p95 {p95 / P95_TARGET_MS:.2f} of {P95_TARGET_MS:.0f} ms (<= 1 meets the target)")
    if server_cpu is not None:
        print(f"  server CPU time per request: {server_cpu:.1f} ms (user + system of the server "
              f"processes over the timed requests; independent of the machine's load)")
    print(f"  inside the server (access-log ms): p50 {s50:.1f} ms, p95 {s95:.1f} ms, p99 "
          f"{s99:.1f} ms; HTTP and the client add {p50 - s50:+.1f} ms at p50")
    print(f"  check_draft + to_dict + JSON in this process: wall p50 {l50:.1f} ms, p95 {l95:.1f} "
          f"ms, p99 {l99:.1f} ms; CPU p50 {c50:.1f} ms, p95 {c95:.1f} ms, p99 {c99:.1f} ms; "
          f"the service adds {p50 - l50:+.1f} ms at p50 ({p50 / l50:.2f}x)")
    if args.concurrency > 0:
        _concurrent(url, post_check, args, pid)
    if args.no_score:
        return

    # -- /score -------------------------------------------------------------------------------
    from hvpscore.datasets import make_patents

    t0 = time.perf_counter()
    recs = make_patents(args.records, seed=args.seed)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "recs.jsonl"
        hvpscore.write_table(recs, path)
        rows = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
        pq = Path(d) / "recs.parquet"
        hvpscore.write_table(recs, pq)
        pq_bytes = pq.read_bytes()
    body = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    print(f"records: {len(rows):,} generated in {time.perf_counter() - t0:.1f} s; JSON body "
          f"{len(body) / 1e6:.1f} MB, Parquet {len(pq_bytes) / 1e6:.1f} MB")

    def timed(fn, n=3):
        out = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
        return statistics.median(out)

    with httpx.Client(timeout=600) as c:
        def score_json():
            r = c.post(url + "/score", content=body, params={"as_of": "2025-12-31"},
                       headers={"content-type": "application/json"})
            assert r.status_code == 200, r.text[:300]
            s = r.json()["summary"]
            assert s["read"] == len(rows) == s["accepted"] + s["rejected"]

        def score_parquet():
            r = c.post(url + "/score", params={"as_of": "2025-12-31"},
                       files={"file": ("recs.parquet", io.BytesIO(pq_bytes))})
            assert r.status_code == 200, r.text[:300]

        score_json()  # warm
        c0 = _tree_cpu_s(pid)
        t_json = timed(score_json)
        c1 = _tree_cpu_s(pid)
        t_pq = timed(score_parquet)
        c2 = _tree_cpu_s(pid)

    from hvpscore.scoring import resolve_model

    m = resolve_model()

    def in_process():
        res = hvpscore.read_records(pd.DataFrame.from_records(rows), "canonical")
        hvpscore.score_records(res.records, model=m, as_of="2025-12-31")

    in_process()
    l0 = time.process_time()
    t_lib = timed(in_process)
    cpu_lib = (time.process_time() - l0) / 3
    n = len(rows)
    print(f"POST /score, {n:,} records: JSON array {n / t_json:,.0f} rows/s ({t_json:.2f} s), "
          f"Parquet upload {n / t_pq:,.0f} rows/s ({t_pq:.2f} s) (wall, median of 3)")
    if c0 is not None:
        cj, cp = (c1 - c0) / 3, (c2 - c1) / 3
        print(f"  server CPU time per request: JSON {cj:.2f} s ({n / cj:,.0f} rows per CPU "
              f"second), Parquet {cp:.2f} s ({n / cp:,.0f} rows per CPU second)")
    print(f"  read_records + score_records in this process: {n / t_lib:,.0f} rows/s "
          f"({t_lib:.2f} s wall, {cpu_lib:.2f} s CPU = {n / cpu_lib:,.0f} rows per CPU second); "
          f"the service runs at {t_lib / t_json:.2f}x of it (JSON)")


if __name__ == "__main__":
    main()
