"""Train the shipped default multi-head model (``models/default``) on the synthetic sample stock.

    python training/train_default.py

A DEMONSTRATION: the records come from ``hvpscore.datasets.make_patents`` (synthetic,
Chongqing-like), not from real patents. To train on real records, run e.g.
``hvpscore train my_stock.xlsx --profile cn-export --target maintained_10y --target
overseas_family --target high_value --stage grant --as-of 2025-12-31 --out my-model``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hvpscore.datasets import make_patents
from hvpscore.model import train_model

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("maintained_10y", "overseas_family", "high_value")
N, SEED, AS_OF = 80_000, 2024, "2025-12-31"

INTRO = f"""\
**Demonstration model trained on synthetic data.** The records are a synthetic municipal patent
stock made by `hvpscore.datasets.make_patents(n={N}, seed={SEED}, as_of="{AS_OF}")`; its
probabilities show how hvpscore works end to end and mean nothing about real patents.
Labels are derived by the criteria engine (policy cnipa-2021) as of {AS_OF} from mature invention
patents (see `hvpscore/model/data/targets.yaml`). Heads: {', '.join(TARGETS)}; the synthetic
stock has too few mature pledged or award-winning inventions for `pledge` and `award` heads.
Stage `grant`: only facts known at grant are used, so the heads predict what the rules cannot
see yet.

To train on real records:

```
hvpscore train my_stock.xlsx --profile cn-export --target maintained_10y \\
    --target overseas_family --target high_value --stage grant --as-of 2025-12-31 --out my-model
hvpscore evaluate my_stock.xlsx --profile cn-export --model my-model
hvpscore score my_stock.xlsx --profile cn-export --model my-model -o scores.parquet
```
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "default")
    args = ap.parse_args()
    t0 = time.perf_counter()
    records = make_patents(N, seed=SEED, as_of=AS_OF)
    print(f"generated {len(records)} records in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    model = train_model(records, targets=TARGETS, stage="grant", as_of=AS_OF, name="default",
                        source=f"hvpscore.datasets.make_patents(n={N}, seed={SEED})")
    model.save(args.out, intro=INTRO)
    print(f"trained in {time.perf_counter() - t1:.1f} s")
    for t, h in model.heads.items():
        print(t, {k: round(v, 4) for k, v in h.info["metrics"].items()})


if __name__ == "__main__":
    main()
