"""Train the shipped ``maintained_10y`` models on the real USPTO 2005 renewal data.

    python training/train_us2005.py [--data PATH/TO/dev.csv]

Reads ``../shared/data/uspto-renewal-2005/dev.csv`` (beside the repository) through the
``uspto-renewal`` profile (renew_12 -> outcome_maintained_10y) and writes
``models/maintained-10y-us2005`` (stage grant) and ``models/maintained-10y-us2005-filing``
(stage filing), each with a model card giving held-out metrics (with 95 % bootstrap intervals)
next to two baselines from the same run; each head is fitted by a 5-fold cross-fit of the
non-test rows (train + valid + calib: tree count and calibration from out-of-fold scores, whose
AUCs are the card's CV figure) and, after the held-out evaluation, refitted on all rows by the
same cross-fit (``final=True``: the card keeps the evaluation run's held-out figures). The
grant model also carries the conditional heads ``maintained_10y_given_4y`` / ``_8y``
(P(maintained > 10 y | in force at age 4 / 8 y), trained on the rows with renew_4 / renew_8 = 1);
the score table uses the head matching each patent's age. Same as
``hvpscore train DATA --profile uspto-renewal -t maintained_10y [-t ...] --stage S`` (whose
defaults are ``--crossfit 5 --final``).
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

CONDITIONAL_NOTE = """\
Conditional heads: `maintained_10y_given_4y` and `maintained_10y_given_8y` estimate
P(maintained past the 11.5-year fee | the 3.5-year / 7.5-year fee was paid), trained and tested on
the rows with renew_4 = 1 / renew_8 = 1 only. They answer what a patent office needs for a stock
where most patents are young: the chance that a patent already in force at age a reaches 10 years.
`hvpscore score` uses, for each patent in force, the head matching its age (years since grant):
below 4 years `maintained_10y`, from 4 years `…_given_4y`, from 8 years `…_given_8y`; the score
table's column `maintained_head` names it.
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
    ap.add_argument("--only", choices=("grant", "filing"), default=None,
                    help="train one of the two models only")
    args = ap.parse_args()
    t0 = time.perf_counter()
    records = read_records(args.data, profile="uspto-renewal", strict=True).records
    print(f"read {len(records)} rows in {time.perf_counter() - t0:.1f} s")
    runs = (("grant", "maintained-10y-us2005", INTRO + "\n" + CONDITIONAL_NOTE,
             ("maintained_10y", "maintained_10y_given_4y", "maintained_10y_given_8y")),
            ("filing", "maintained-10y-us2005-filing", INTRO + "\n" + FILING_NOTE,
             ("maintained_10y",)))
    for stage, name, intro, targets in runs:
        if args.only and stage != args.only:
            continue
        t1 = time.perf_counter()
        model = train_model(records, targets=targets, stage=stage, name=name,
                            as_of="2017-10-23", source="shared/data/uspto-renewal-2005/dev.csv",
                            profile="uspto-renewal", crossfit=5, final=True)
        out = args.out / name
        model.save(out, intro=intro)
        print(f"{name}: {time.perf_counter() - t1:.1f} s")
        for t, head in model.heads.items():
            h = head.info
            m, ci = h["metrics"], h["metrics_ci"]
            cv = h.get("cv")
            print(f"  {t}: test AUC {m['auc']:.4f} [{ci['auc'][0]:.4f}, {ci['auc'][1]:.4f}] "
                  f"PR AUC {m['pr_auc']:.4f} Brier {m['brier']:.4f} ECE {m['ece']:.4f} "
                  f"[{ci['ece'][0]:.4f}, {ci['ece'][1]:.4f}] n {m['n']}"
                  + (f"; CV {cv['mean']:.4f} ± {cv['sd']:.4f}" if cv else "")
                  + (f"; LR {h['baselines']['logistic_regression']['auc']:.4f}"
                     if "baselines" in h else "")
                  + (f"; final refit on {h['final']['rows']} rows, {h['final']['trees']} trees, "
                     f"all-rows CV {h['final']['cv']['mean']:.4f} ± {h['final']['cv']['sd']:.4f}"
                     if "final" in h else ""), flush=True)


if __name__ == "__main__":
    main()
