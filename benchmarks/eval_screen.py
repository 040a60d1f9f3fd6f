"""Precision and recall of the near-copy screen on a planted set, with the PR curve.

    python benchmarks/eval_screen.py                 # both splits, shipped thresholds
    python benchmarks/eval_screen.py --split tune    # the sample stock only

Stock = the synthetic sample stock (``make_patents(3000, seed=20251236)``, the rows of
data/sample/patents.csv) plus planted records. Planted: for an original claims text, copies
made by realistic edits (synonyms, reordered features, changed numbers, one feature added
from another patent of the same field; each copy applies 1-4 of them) filed by the same or by
another applicant. Positives: (original, copy) and (copy, copy) of the same original.
Precision counts every flagged pair that involves a planted original or copy: a flag between an
original and a distinct patent (the stock holds patents of the same fields; the real claims are
also paired with each other) is a false positive.

Splits (thresholds are chosen on ``tune`` only, never on ``eval``):
* ``tune`` — originals are 120 sample-stock claims texts (zh, synthetic);
* ``eval`` — originals are the 27 real claims texts of /work/shared/data/claims-truth-dev
  (26 en, 1 zh); skipped when the file is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path("/work/shared/data/claims-truth-dev/claims_truth_dev.jsonl")

SYN_ZH = [("装置", "设备"), ("连接", "相连"), ("固定", "固接"), ("安装", "装设"), ("包括", "包含"),
          ("用于", "用来"), ("设置", "布置"), ("位于", "处于"), ("方法", "工艺"), ("壳体", "外壳"),
          ("底部", "下部"), ("顶部", "上部"), ("一侧", "一边"), ("通过", "经由"), ("设有", "开设有"),
          ("所述", "该"), ("采用", "使用"), ("形成", "构成"), ("获取", "采集"), ("确定", "判定")]
SYN_EN = [("comprising", "including"), ("wherein", "where"), ("configured to", "adapted to"),
          ("device", "apparatus"), ("plurality of", "multiple"), ("coupled", "connected"),
          ("disposed", "arranged"), ("member", "element"), ("portion", "part"),
          ("first", "primary"), ("second", "secondary"), ("provide", "supply"),
          ("determining", "establishing"), ("method", "process"), ("housing", "casing"),
          ("attached", "fastened"), ("receiving", "accepting"), ("signal", "indication")]


def _claims(text: str) -> list[str]:
    from hvpscore.screening import split_claims

    return split_claims(text)


def _join(claims: list[str]) -> str:
    return "\n".join(f"{i}. {c}" for i, c in enumerate(claims, 1))


def synonyms(claims, lang, rng, share=0.6):
    table = SYN_ZH if lang == "zh" else SYN_EN
    pick = [p for p in table if rng.random() < share]
    out = []
    for c in claims:
        for a, b in pick:
            c = re.sub(rf"\b{re.escape(a)}\b", b, c) if lang == "en" else c.replace(a, b)
        out.append(c)
    return out


def reorder(claims, lang, rng):
    """Shuffle the features (the ;-separated elements) of every independent-looking claim."""
    out = []
    for c in claims:
        parts = re.split(r"(?<=[;；])", c)
        if len(parts) > 2:
            mid = parts[1:-1]
            rng.shuffle(mid)
            c = "".join([parts[0], *mid, parts[-1]])
        out.append(c)
    return out


def numbers(claims, lang, rng):
    return [re.sub(r"\d+(?:\.\d+)?", lambda m: str(int(float(m.group()) * 1.5 + 1))
                   if float(m.group()) < 1000 else m.group(), c) for c in claims]


def add_feature(claims, lang, rng, donor):
    """Append one claim of another patent (of the same field) as a new dependent claim."""
    if not donor:
        return claims
    d = donor[int(rng.integers(len(donor)))]
    d = re.sub(r"^.*?(?:所述的|所述|claim \d+,?)", "", d, count=1)
    extra = (f"根据权利要求1所述的{claims[0][2:8]}，{d}" if lang == "zh"
             else f"The subject matter of claim 1, {d}")
    return [*claims, extra]


EDITS = ["synonyms", "reorder", "numbers", "add_feature"]


def copy_of(claims, lang, rng, donor, k):
    chosen = list(rng.choice(EDITS, size=k, replace=False))
    c = list(claims)
    for e in EDITS:  # fixed order
        if e not in chosen:
            continue
        if e == "synonyms":
            c = synonyms(c, lang, rng)
        elif e == "reorder":
            c = reorder(c, lang, rng)
        elif e == "numbers":
            c = numbers(c, lang, rng)
        else:
            c = add_feature(c, lang, rng, donor)
    return c, chosen


def planted(split: str, seed: int = 0):
    """(stock DataFrame, set of positive id pairs, set of planted ids)."""
    from hvpscore.datasets import make_patents

    rng = np.random.default_rng(seed)
    base = make_patents(3000, seed=20251236, as_of="2025-12-31")
    base = base[base["patent_type"] != "design"].reset_index(drop=True)
    base["ipc4"] = base["ipc"].map(lambda v: v[0][:4] if v else "")
    with_claims = base[base["claims_text"].notna()]
    if split == "tune":
        orig = with_claims.sample(120, random_state=seed)
        originals = [(r.patent_id, r.claims_text, r.abstract, "zh", r.ipc4,
                      list(r.applicants)) for r in orig.itertuples()]
    else:
        rows = [json.loads(x) for x in SHARED.read_text(encoding="utf-8").splitlines() if x]
        originals = [(f"REAL-{r['id']}", r["claims_text"], None, r["lang"], None,
                      [f"Real applicant {k}"]) for k, r in enumerate(rows)]
    extra, pos, ids = [], set(), set()
    for k, (pid, text, abstract, lang, ipc4, apps) in enumerate(originals):
        claims = _claims(text)
        if split == "eval":
            extra.append({"patent_id": pid, "claims_text": text, "abstract": None,
                          "applicants": apps, "inventors": [f"Inv {k}"],
                          "filing_date": pd.Timestamp("2020-01-01"), "patent_type": "invention"})
        ids.add(pid)
        pool = (with_claims[(with_claims["ipc4"] == ipc4) & (with_claims["patent_id"] != pid)]
                if split == "tune" else None)
        if split == "tune" and len(pool):
            donor = _claims(pool["claims_text"].iloc[int(rng.integers(len(pool)))])
        else:
            others = [o for o in originals if o[0] != pid and o[3] == lang]
            donor = _claims(others[int(rng.integers(len(others)))][1]) if others else []
        group = [pid]
        for c in range(2):
            kk = int(rng.integers(1, 5))
            cc, chosen = copy_of(claims, lang, rng, donor, kk)
            cid = f"{pid}-COPY{c}"
            same = rng.random() < 0.5
            extra.append({"patent_id": cid, "claims_text": _join(cc), "abstract": abstract,
                          "applicants": apps if same else [f"Other applicant {k}-{c}"],
                          "inventors": [f"Inv {k}"], "patent_type": "invention",
                          "filing_date": pd.Timestamp("2021-06-01"), "edits": "+".join(chosen)})
            ids.add(cid)
            group.append(cid)
        for a in group:
            for b in group:
                if a < b:
                    pos.add((a, b))
    stock = pd.concat([base.drop(columns=["ipc4"]), pd.DataFrame(extra)], ignore_index=True)
    return stock, pos, ids


def evaluate(split: str, overrides: dict | None = None):
    from hvpscore.screening import screen

    stock, pos, ids = planted(split)
    # permissive rules: every verified pair with its similarities, thresholded below
    permissive = {"pair_rules": {"claims_near_copy": {"min_jaccard": 0.0}}}
    res = screen(stock, config_overrides=_merge(permissive, overrides), signals=False)
    p = res.pairs
    p = p[p["patent_id_a"].isin(ids) | p["patent_id_b"].isin(ids)].copy()
    p["key"] = [tuple(sorted(t)) for t in zip(p["patent_id_a"], p["patent_id_b"], strict=True)]
    p["truth"] = p["key"].isin(pos)
    shipped = screen(stock, config_overrides=overrides, signals=False).pairs
    shipped = shipped[shipped["patent_id_a"].isin(ids) | shipped["patent_id_b"].isin(ids)]
    sk = {tuple(sorted(t)) for t in zip(shipped["patent_id_a"], shipped["patent_id_b"],
                                        strict=True)}
    tp = len(sk & pos)
    op = {"flagged": len(sk), "tp": tp, "precision": tp / len(sk) if sk else float("nan"),
          "recall": tp / len(pos)}
    curve = []
    for t in np.round(np.arange(0.2, 0.95, 0.05), 2):
        f = p[p["claims_jaccard"] >= t]
        tpc = int(f["truth"].sum())
        curve.append({"min_jaccard": float(t), "flagged": len(f),
                      "precision": tpc / len(f) if len(f) else float("nan"),
                      "recall": tpc / len(pos)})
    found = set(p.loc[p["truth"], "key"])
    missed = sorted(pos - found)
    return {"split": split, "positives": len(pos), "stock": len(stock), "shipped": op,
            "curve": curve, "missed_by_lsh": len(missed), "missed_examples": missed[:5]}


def _merge(a, b):
    out = {k: dict(v) for k, v in a.items()}
    for k, v in (b or {}).items():
        out.setdefault(k, {}).update(v)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["tune", "eval", "both"], default="both")
    a = ap.parse_args(argv)
    splits = ["tune", "eval"] if a.split == "both" else [a.split]
    for s in splits:
        if s == "eval" and not SHARED.exists():
            print("eval split skipped: /work/shared claims data absent")
            continue
        r = evaluate(s)
        op = r["shipped"]
        print(f"[{s}] stock {r['stock']} records, {r['positives']} planted positive pairs; "
              f"shipped rules: flagged {op['flagged']}, precision {op['precision']:.3f}, "
              f"recall {op['recall']:.3f}; positives never verified (LSH miss) "
              f"{r['missed_by_lsh']}")
        print("  min claims Jaccard -> flagged, precision, recall")
        for c in r["curve"]:
            print(f"  {c['min_jaccard']:.2f} -> {c['flagged']:4d}  P={c['precision']:.3f}  "
                  f"R={c['recall']:.3f}")
        if r["missed_examples"]:
            print(f"  e.g. missed {r['missed_examples']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
