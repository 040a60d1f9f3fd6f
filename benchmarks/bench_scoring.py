"""Scoring throughput and training time of the model heads (prints measured figures).

    python benchmarks/bench_scoring.py [--rows 72141]

Uses the real US 2005 renewal data beside the repository (../shared/data/uspto-renewal-2005)
and the shipped ``models/maintained-10y-us2005`` model; also scores a synthetic stock with the
default multi-head model.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from hvpscore.io import read_records
from hvpscore.model import load_model, train_model
from hvpscore.scoring import score_records

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "uspto-renewal-2005" / "dev.csv"


def _rate(n: int, secs: float) -> str:
    return f"{n / secs:,.0f} rows/s ({n:,} rows in {secs:.2f} s)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--reason-rows", type=int, default=10_000)
    args = ap.parse_args()

    t = time.perf_counter()
    recs = read_records(args.data, profile="uspto-renewal").records
    print(f"read:                      {_rate(len(recs), time.perf_counter() - t)}")

    t = time.perf_counter()
    m = train_model(recs, targets=("maintained_10y",), stage="grant", as_of="2017-10-23",
                    baseline=False)
    secs = time.perf_counter() - t
    print(f"train grant head:          {secs:.1f} s on {len(recs):,} rows "
          f"({m.heads['maintained_10y'].info['best_iteration']} trees)")

    model = load_model(ROOT / "models" / "maintained-10y-us2005")
    trees = model.heads["maintained_10y"].booster.num_trees()
    t = time.perf_counter()
    p = model.predict_proba(recs)
    print(f"model only (features+heads): {_rate(len(p), time.perf_counter() - t)}")
    t = time.perf_counter()
    s = score_records(recs, model=model, as_of="2017-10-23")
    print(f"score_records, no reasons: {_rate(len(s), time.perf_counter() - t)}")
    few = recs.iloc[: args.reason_rows]
    t = time.perf_counter()
    s = score_records(few, model=model, as_of="2017-10-23", reasons=3)
    print(f"score_records, 3 reasons:  {_rate(len(s), time.perf_counter() - t)} "
          f"({trees} trees)")
    print("example reasons:", s["reasons"].iloc[0], "|", s["reasons_en"].iloc[0])

    from hvpscore.datasets import make_patents

    stock = make_patents(20_000, seed=5, as_of="2025-12-31")
    t = time.perf_counter()
    s = score_records(stock, as_of="2025-12-31")
    print(f"default model, synthetic stock: {_rate(len(s), time.perf_counter() - t)}")
    t = time.perf_counter()
    s = score_records(stock.iloc[:5000], as_of="2025-12-31", reasons=3)
    print(f"default model + 3 reasons:      {_rate(len(s), time.perf_counter() - t)}")
    pd.set_option("display.width", 200)


if __name__ == "__main__":
    main()
