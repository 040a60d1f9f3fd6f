"""Train the shipped ``maintained_10y`` models on the real USPTO 2005 renewal data.

    python training/train_us2005.py [--data PATH/TO/dev.csv]

Reads ``../shared/data/uspto-renewal-2005/dev.csv`` (beside the repository) through the
``uspto-renewal`` profile (renew_12 -> outcome_maintained_10y) and writes
``models/maintained-10y-us2005`` (stage grant) and ``models/maintained-10y-us2005-filing``
(stage filing), each with a model card giving held-out metrics next to two baselines from the
same run. Same as ``hvpscore train DATA --profile uspto-renewal --target maintained_10y --stage S``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hvpscore.io import read_records
from hvpscore.model import train_model

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "uspto-renewal-2005" / "dev.csv"

INTRO = """\
Predicts whether a granted US utility patent is still maintained after its 11.5-year
maintenance fee (USPTO `renew_12`, the closest public analogue of the CNIPA criterion
"maintained for more than 10 years"). Trained on the 72,141-row development half of
143,626 US patents granted in 2005 (`shared/data/uspto-renewal-2005`, from the GitHub repository
diviner1024/Patent_Maintenance_Prediction_by_Examination; USPTO PatEx, Patent Claims Research
Dataset and maintenance-fee events). Base rate 0.457. The data hold no IPC codes, citations,
owners or claim texts: the features are claim counts (as published and as granted), PCT link,
continuity, provisionals, prosecution events (extensions, RCEs, appeals), entity size, filing
year and grant lag, and — at grant stage — the position of the grant number within its weekly
issue, which the USPTO assigns in classification order (a technology-field proxy; positions are
estimated from the training rows' issues, unknown for issues not seen in training).
"""

FILING_NOTE = """\
This is the **filing-stage** variant: it sees only what is known when the application is filed
(claims as published, PCT, continuity parents, provisionals, entity size, filing year) — no
grant-stage features, so it can be used before examination.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=ROOT / "models")
    args = ap.parse_args()
    t0 = time.perf_counter()
    records = read_records(args.data, profile="uspto-renewal", strict=True).records
    print(f"read {len(records)} rows in {time.perf_counter() - t0:.1f} s")
    for stage, name, intro in (("grant", "maintained-10y-us2005", INTRO),
                               ("filing", "maintained-10y-us2005-filing", INTRO + "\n" + FILING_NOTE)):
        t1 = time.perf_counter()
        model = train_model(records, targets=("maintained_10y",), stage=stage, name=name,
                            as_of="2017-10-23", source="shared/data/uspto-renewal-2005/dev.csv",
                            profile="uspto-renewal")
        out = args.out / name
        model.save(out, intro=intro)
        h = model.heads["maintained_10y"].info
        print(f"{name}: {time.perf_counter() - t1:.1f} s; test AUC {h['metrics']['auc']:.4f} "
              f"ECE {h['metrics']['ece']:.4f}; LR {h['baselines']['logistic_regression']['auc']:.4f}"
              f"; claims {h['baselines']['claim_count']['auc']:.4f}")


if __name__ == "__main__":
    main()
