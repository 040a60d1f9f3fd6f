"""Throughput of the criteria engine: evaluate a municipal stock of 500,000 canonical records.

Prints records/s. Run: ``.venv/bin/python benchmarks/bench_criteria.py [N]``.
The records are synthetic (numpy), shaped like ``hvpscore.io.read_records`` output: typed dates,
list columns of Python lists, some titles/abstracts for keyword-conditional SEI rows.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from hvpscore.rules import evaluate_criteria

IPC_POOL = np.array([
    "H04L27/26", "H04W72/04", "A61B8/00", "A61K39/395", "G06Q10/06", "G06Q30/02", "B60L53/10",
    "H01M10/0525", "C22C14/00", "F16H57/02", "A47J27/00", "B65D81/38", "E04B1/00", "G06N3/08",
    "H01L21/02", "B24B37/10", "C08L23/06", "A01B1/00", "F03D1/06", "H02J3/38", "C02F1/44",
    "B01D53/86", "G01N33/53", "D06F33/00", "F24F11/00", "B23K26/38", "C04B35/565", "A23K10/18",
], dtype=object)


def make(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    filing = pd.Timestamp("2003-01-01") + pd.to_timedelta(rng.integers(0, 7800, n), unit="D")
    grant = filing + pd.to_timedelta(rng.integers(400, 1500, n), unit="D")
    status = rng.choice(np.array(["in_force", "lapsed", "pending", "expired", "invalidated"],
                                 dtype=object), n, p=[0.6, 0.25, 0.1, 0.03, 0.02])
    lapse = grant + pd.to_timedelta(rng.integers(300, 5000, n), unit="D")
    lapse = pd.Series(lapse).where(status == "lapsed")
    ptype = rng.choice(np.array(["invention", "utility_model", "design"], dtype=object), n,
                       p=[0.55, 0.35, 0.10])
    # realistic variety: main code from the pool's subclasses with random groups, so most IPC lists
    # are unique (a real stock has tens of thousands of distinct subgroups)
    k = rng.integers(1, 4, n)
    sub = np.array([c[:4] for c in IPC_POOL], dtype=object)
    total = int(k.sum())
    codes = (sub[rng.integers(0, len(sub), total)] + rng.integers(1, 100, total).astype(str)
             + "/" + rng.integers(0, 100, total).astype(str).astype(object))
    codes = np.where(rng.random(total) < 0.3, IPC_POOL[rng.integers(0, len(IPC_POOL), total)],
                     codes)
    ipc = [list(x) for x in np.split(codes, np.cumsum(k)[:-1])]
    og_pick = rng.random(n)
    overseas = [["US", "EP"] if x < 0.05 else (["HK"] if x < 0.06 else []) for x in og_pick]
    amount = np.where(rng.random(n) < 0.03, rng.lognormal(15.5, 1.2, n), np.nan)
    awards = [["china_patent_excellence"] if x < 0.002 else [] for x in rng.random(n)]
    titles = rng.choice(np.array(["一种基于区块链的数据处理方法", "一种晶圆化学机械抛光装置",
                                  "一种洗衣机", None], dtype=object), n)
    return pd.DataFrame({
        "patent_id": [f"CN{i:012d}.0" for i in range(n)],
        "patent_type": ptype,
        "title": titles,
        "ipc": ipc,
        "filing_date": filing.to_numpy(dtype="datetime64[ns]"),
        "grant_date": pd.Series(grant).where(status != "pending").to_numpy(
            dtype="datetime64[ns]"),
        "legal_status": status,
        "lapse_date": lapse.to_numpy(dtype="datetime64[ns]"),
        "overseas_granted": overseas,
        "pledge_amount_cny": amount,
        "pledge_count": pd.array(np.where(np.isnan(amount), 0, 1), dtype="Int64"),
        "awards": awards,
        "award_year": pd.array(np.where([bool(a) for a in awards], 2020, None), dtype="Int64"),
    })


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    df = make(n)
    evaluate_criteria(df.head(1000), as_of="2024-12-31")  # warm caches (concordance, texts)
    t0, c0 = time.perf_counter(), time.process_time()
    out = evaluate_criteria(df, as_of="2024-12-31")
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(f"evaluate_criteria: {n:,} records in {dt:.2f} s wall ({dc:.2f} s CPU) = "
          f"{n / dt:,.0f} records/s ({n / dc:,.0f} records per CPU-second)")
    print(f"high-value share {out['is_high_value'].mean():.2%}, in force {out['in_force'].mean():.2%}")


if __name__ == "__main__":
    main()
