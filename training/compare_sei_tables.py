"""Compare the SEI verdicts of the CNIPA 2021 concordance with hvpscore's former own table.

    python training/compare_sei_tables.py                # sample stock, old table from git
    python training/compare_sei_tables.py --generated 40000

1. On the shipped sample stock (``data/sample/patents.csv``, profile cn-export, as of
   2025-12-31, pledge threshold of the generator): how many valid inventions change their SEI
   and high-value verdicts when the former table (``hvpscore/rules/sei/concordance.csv`` at
   commit ``--old-ref``, read with ``git show``) is replaced by the shipped 2021 table.
2. With ``--generated N``: the shares of valid inventions that the 2021 table counts as SEI and
   as high-value on a fresh synthetic stock of N records (``hvpscore.datasets.make_patents``,
   seed 1) — the source of ``INTENDED["valid_invention_table2021"]`` in
   ``hvpscore/datasets/_proportions.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from hvpscore.datasets import INTENDED, make_patents
from hvpscore.io import read_records
from hvpscore.rules import evaluate_criteria, load_concordance, load_policy

ROOT = Path(__file__).resolve().parents[1]


def _policy():
    return load_policy({"criteria": {"pledge": {"params": {
        "min_amount_cny": float(INTENDED["pledge_threshold_cny"])}}}})


def _valid(out, rec) -> np.ndarray:
    return (out["in_force"].to_numpy(dtype=bool)
            & (rec["patent_type"].to_numpy(dtype=object) == "invention"))


def compare_sample(old_ref: str) -> None:
    """Print the verdict changes on the sample stock."""
    old_text = subprocess.run(["git", "show", f"{old_ref}:hvpscore/rules/sei/concordance.csv"],
                              cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "old.csv"
        path.write_text(old_text, encoding="utf-8")
        old = load_concordance(path)
    rec = read_records(ROOT / "data/sample/patents.csv", "cn-export").records
    a = evaluate_criteria(rec, policy=_policy(), as_of=INTENDED["as_of"], concordance=old)
    b = evaluate_criteria(rec, policy=_policy(), as_of=INTENDED["as_of"])
    v = _valid(a, rec)
    print(f"sample stock: {len(rec)} records, {int(v.sum())} valid inventions")
    for col in ("hv_sei", "is_high_value"):
        x, y = a[col].to_numpy(bool)[v], b[col].to_numpy(bool)[v]
        print(f"  {col}: old {x.sum()} ({x.mean():.1%}), new {y.sum()} ({y.mean():.1%}); "
              f"changed {int((x != y).sum())} ({(x != y).mean():.1%}): "
              f"gained {int((~x & y).sum())}, lost {int((x & ~y).sum())}")


def generated_shares(n: int) -> None:
    """Print the shares the 2021 table counts on a fresh synthetic stock."""
    rec = make_patents(n, seed=1, as_of=INTENDED["as_of"])
    out = evaluate_criteria(rec, policy=_policy(), as_of=INTENDED["as_of"])
    v = _valid(out, rec)
    print(f"generated stock: {n} records, {int(v.sum())} valid inventions")
    for col in ("hv_sei", "is_high_value"):
        x = out[col].to_numpy(bool)[v]
        se = (x.mean() * (1 - x.mean()) / len(x)) ** 0.5
        print(f"  {col}: {x.mean():.4f} ± {se:.4f}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old-ref", default="d7336e5", help="git commit holding the former table")
    ap.add_argument("--generated", type=int, default=0, help="also measure a generated stock")
    a = ap.parse_args(argv)
    compare_sample(a.old_ref)
    if a.generated:
        generated_shares(a.generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
