"""Recorded claim-feature values (old vs new): the corpus and the digests of its feature rows.

The shipped models consume the claim features, so a faster implementation must give the same
bits. ``data/features_golden.json`` holds, for every text of :func:`corpus`, a digest of the
feature row the general path (``features_one(text, fast=False)``) gave at the recorded commit
(the definition the fast lane is held to). Texts come from ``hvpscore.datasets.make_patents``,
``make_claims_texts`` (zh and en), ``claims._synth.generate_texts``, the real claims of
``../shared/data/claims-truth-dev`` (keyed by record id, only digests are stored) and seeded
edits of them (joined or doubled line breaks, CRLF, inserted markers and references, cut
pieces) that steer texts into the corners of the fast lane.

Write the file again (only after checking a change of values is intended) with
``python -m tests.claims.golden_features --write``.
"""

from __future__ import annotations

import hashlib
import json
import random
import struct
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "data" / "features_golden.json"
TRUTH = "data/claims-truth-dev/claims_truth_dev.jsonl"
# edits inserted at random places: markers, references, cancellations, odd spaces
PIECES = [
    "1.", "2.", "3、", "１．", "\n", "。", "；", ":", ". ", " ", "\u3000", "\r\n", "权利要求",
    "权利要求1", "权利要求2或3", "权利要求1至9", "前述任一项权利要求", "所述的", "一种", "根据",
    "约5", "等", "（删除）", "claim 1", "claims 1 to 3", "(canceled)", "about 5", "\n\n", "12",
    "２", "【5】", "-", "～", "其特征在于", "包括", "中任一项", "Ｆ", "a", "The device of claim 2, ",
]


def digest(row) -> str:
    """12 hex digits of the row's float64 bits (NaN as one canonical NaN)."""
    vals = [float("nan") if v != v else float(v) for v in row]
    return hashlib.sha1(struct.pack(f"<{len(vals)}d", *vals)).hexdigest()[:12]


def _edits(texts: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for t in [rng.choice(texts) for _ in range(n)]:
        k = rng.randrange(8)
        if k == 0:
            t = t.replace("\n", "")
        elif k == 1:
            t = t.replace("\n", "\r\n")
        elif k == 2:
            t = t.replace("\n", "\n\n")
        else:
            for _ in range(rng.randrange(1, 4)):
                p = rng.randrange(len(t) + 1)
                if rng.random() < 0.3:
                    t = t[:p] + t[min(len(t), p + rng.randrange(1, 30)) :]
                else:
                    t = t[:p] + rng.choice(PIECES) + t[p:]
        out.append(t)
    return out


def corpus(shared_dir: Path | None) -> dict[str, list[str]]:
    """Named groups of texts (the truth-file groups only when ``shared_dir`` is given)."""
    from hvpscore.claims._synth import generate_texts
    from hvpscore.datasets import make_claims_texts, make_patents

    groups: dict[str, list[str]] = {
        "stock": make_patents(2500, seed=11)["claims_text"].dropna().tolist(),
        "sets_zh": make_claims_texts(800, seed=12, lang="zh")["claims_text"].tolist(),
        "sets_en": make_claims_texts(400, seed=13, lang="en")["claims_text"].tolist(),
        "synth": generate_texts(600, seed=14),
    }
    base = [t for g in groups.values() for t in g]
    groups["edits"] = _edits(base, 3000, seed=15)
    if shared_dir is not None:
        truth = []
        for line in (shared_dir / TRUTH).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            truth += [r["claims_text"], r["claims_text_multiline"]]
        groups["truth"] = truth
        groups["truth_edits"] = _edits(truth, 200, seed=16)
    return groups


def compute(groups: dict[str, list[str]], fast: bool) -> dict[str, list[str]]:
    from hvpscore.claims._features import features_one

    return {name: [digest(features_one(t, fast=fast)) for t in texts]
            for name, texts in groups.items()}


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print(__doc__)
        return 2
    import subprocess

    shared = Path(__file__).resolve().parents[2].parent / "shared"
    groups = corpus(shared if (shared / TRUTH).is_file() else None)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip()
    out = {"commit": commit, "path": "general (features_one(text, fast=False))",
           "digests": compute(groups, fast=False)}
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}: {sum(map(len, groups.values()))} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
