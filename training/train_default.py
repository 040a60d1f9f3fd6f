"""Train a shipped default multi-head model on the synthetic sample stock.

    python training/train_default.py                  # models/default        (stage grant)
    python training/train_default.py --stage draft    # models/default-draft  (stage draft)

A DEMONSTRATION: the records come from ``hvpscore.datasets.make_patents`` (synthetic,
Chongqing-like), not from real patents. To train on real records, run e.g.
``hvpscore train my_stock.xlsx --profile cn-export --target maintained_10y --target
overseas_family --target high_value --stage grant --as-of 2025-12-31 --out my-model``.

``--stage draft`` trains the heads that ``hvpscore check`` (pre-filing review) uses: only what a
draft application holds (claims text, applicants, IPC if given, SEI fit), nothing known at filing
or later, so the probabilities can be shown before the application is filed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hvpscore.datasets import make_patents
from hvpscore.model import train_model
from hvpscore.schema import STAGES

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("maintained_10y", "overseas_family", "high_value")
N, SEED, AS_OF = 80_000, 2024, "2025-12-31"
# model name and output directory per stage (the grant model keeps its historical name)
NAMES = {"grant": "default", "draft": "default-draft"}

STAGE_TEXT = {
    "grant": """\
Stage `grant`: only facts known at grant are used, so the heads predict what the rules cannot
see yet.""",
    "draft": """\
Stage `draft`: only what a draft application holds is used — the claims text (claim counts, tree
depth, first-claim length, drafting findings), applicants and inventors, enterprise tags, IPC
codes when given and the strategic-emerging-industry fit. Nothing known at filing or later
(filing year, fee reduction, PCT route, prosecution, family, maintenance) enters any head; the
pre-filing review (`hvpscore check`) uses this model. Its probabilities are lower-information
than the grant model's by design.""",
}


def intro(stage: str) -> str:
    name = NAMES.get(stage, f"default-{stage}")
    return f"""\
**Demonstration model trained on synthetic data.** The records are a synthetic municipal patent
stock made by `hvpscore.datasets.make_patents(n={N}, seed={SEED}, as_of="{AS_OF}")`; its
probabilities show how hvpscore works end to end and mean nothing about real patents.
Labels are derived by the criteria engine (policy cnipa-2021) as of {AS_OF} from mature invention
patents (see `hvpscore/model/data/targets.yaml`). Heads: {', '.join(TARGETS)}; the synthetic
stock has too few mature pledged or award-winning inventions for `pledge` and `award` heads.
{STAGE_TEXT.get(stage, f"Stage `{stage}`.")}

Made by `python training/train_default.py --stage {stage}` (model `{name}`). To train on real
records:

```
hvpscore train my_stock.xlsx --profile cn-export --target maintained_10y \\
    --target overseas_family --target high_value --stage {stage} --as-of 2025-12-31 --out my-model
hvpscore evaluate my_stock.xlsx --profile cn-export --model my-model
hvpscore score my_stock.xlsx --profile cn-export --model my-model -o scores.parquet
```
"""


def skill_note(model) -> str:
    """A sentence naming the heads without skill on their held-out rows (written from the
    metrics of this run, so a retrained model's card stays true)."""
    weak = [(t, h.info["metrics"]["auc"]) for t, h in model.heads.items()
            if h.info["metrics"].get("auc") is not None and h.info["metrics"]["auc"] < 0.55]
    if not weak:
        return ""
    names = ", ".join(f"`{t}` (held-out ROC AUC {a:.3f})" for t, a in weak)
    return (f"\n**Heads without skill in this run:** {names}. Their probabilities are close to the "
            "base rate for every record; `hvpscore check` shows each head's held-out AUC and says "
            "so beside the probability.\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stage", choices=STAGES, default="grant",
                    help="latest stage whose features the heads may use (default: grant)")
    ap.add_argument("--out", type=Path, default=None,
                    help="model directory (default: models/default, or models/default-<stage>)")
    args = ap.parse_args()
    name = NAMES.get(args.stage, f"default-{args.stage}")
    out = args.out or ROOT / "models" / name
    t0 = time.perf_counter()
    records = make_patents(N, seed=SEED, as_of=AS_OF)
    print(f"generated {len(records)} records in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    model = train_model(records, targets=TARGETS, stage=args.stage, as_of=AS_OF, name=name,
                        source=f"hvpscore.datasets.make_patents(n={N}, seed={SEED})")
    model.save(out, intro=intro(args.stage) + skill_note(model))
    print(f"trained in {time.perf_counter() - t1:.1f} s -> {out}")
    for t, h in model.heads.items():
        print(t, {k: round(v, 4) for k, v in h.info["metrics"].items()})


if __name__ == "__main__":
    main()
