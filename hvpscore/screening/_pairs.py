"""Candidate pairs -> verified pairs with the rules that fired and their evidence."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from hvpscore.screening._compare import claim_matches, differing_words, shared_passages
from hvpscore.screening._data import clause
from hvpscore.screening._index import ScreenIndex, exact

__all__ = ["PAIR_COLUMNS", "evaluate_pair", "pair_rows", "stock_pairs"]

PAIR_COLUMNS = [
    "patent_id_a", "patent_id_b", "applicants_a", "applicants_b", "agency_a", "agency_b",
    "relation", "shared_applicants", "shared_inventors", "filing_date_a", "filing_date_b",
    "days_apart", "basis", "similarity", "claims_jaccard", "claims_containment",
    "abstract_jaccard", "best_independent_match", "matched_claims", "differing_words",
    "shared_passages", "rules", "clauses", "message_zh", "message_en",
]

_RULE_TEXT = {
    "claims_near_copy": ("权利要求书近似相同（Jaccard {j:.2f}）",
                         "claim sets nearly the same (Jaccard {j:.2f})"),
    "claims_contained": ("一件的权利要求大部分包含在另一件中（包含度 {c:.2f}）",
                         "one claim set mostly contained in the other (containment {c:.2f})"),
    "independent_claim_match": ("独立权利要求相互对应（相似度 {m:.2f}）",
                                "independent claims correspond (similarity {m:.2f})"),
    "abstract_near_copy": ("摘要近似相同（Jaccard {a:.2f}）",
                           "abstracts nearly the same (Jaccard {a:.2f})"),
    "cross_applicant_shared_inventor": ("不同申请人但有共同发明人", "different applicants sharing an inventor"),
    "same_agency": ("不同申请人由同一代理机构提交", "different applicants, same agency"),
}


def _fired(cfg: dict, jac: float, con: float, ab: float, best_ind: float) -> list[str]:
    r = cfg["pair_rules"]
    out = []
    if jac >= r["claims_near_copy"]["min_jaccard"]:
        out.append("claims_near_copy")
    elif con >= r["claims_contained"]["min_containment"] and jac >= r["claims_contained"]["min_jaccard"]:
        out.append("claims_contained")
    if best_ind >= r["independent_claim_match"]["min_similarity"]:
        out.append("independent_claim_match")
    if ab >= r["abstract_near_copy"]["min_jaccard"]:
        out.append("abstract_near_copy")
    return out


def evaluate_pair(idx: ScreenIndex, i: int, j: int, other=None) -> dict | None:
    """The evidence of one pair, or None when no content rule fires. ``other`` (a Doc and a
    record dict) replaces record j: a draft compared with the stock."""
    cfg = idx.cfg
    a = idx.doc(i)
    if other is None:
        b = idx.doc(j)
        rb = idx.records.iloc[j]
        jac, con, ab = exact(idx, i, j)
    else:
        from hvpscore.screening._compare import jaccard_containment

        b, rb = other
        jac, con = jaccard_containment(a.set, b.set)
        ab = jaccard_containment(a.abstract_set, b.abstract_set)[0]
    if a.lang != b.lang:
        return None
    r = cfg["pair_rules"]
    if (jac < cfg["minhash"]["prefilter"] and ab < r["abstract_near_copy"]["min_jaccard"]
            and con < r["claims_contained"]["min_containment"]):
        return None  # too far apart for any rule: skip the claim-by-claim comparison
    matches = claim_matches(a, b, cfg["pair_rules"]["claim_match_min"])
    ind = [m["similarity"] for m in matches if m["independent_a"] and m["independent_b"]]
    best_ind = max(ind) if ind else 0.0
    rules = _fired(cfg, jac, con, ab, best_ind)
    if not rules:
        return None
    ra = idx.records.iloc[i]
    apps_a, apps_b = list(ra["applicants"] or []), list(rb["applicants"] or [])
    inv_a, inv_b = set(ra["inventors"] or []), set(rb["inventors"] or [])
    shared_apps = sorted(set(apps_a) & set(apps_b))
    shared_inv = sorted(inv_a & inv_b)
    ag_a, ag_b = ra.get("agency"), rb.get("agency")
    same_agency = bool(ag_a) and ag_a == ag_b
    if shared_apps:
        relation = "same_applicant"
    elif same_agency:
        relation = "same_agency"
    elif not apps_a or not apps_b:
        relation = "unknown_applicant"
    else:
        relation = "cross_applicant"
    if relation != "same_applicant" and shared_inv:
        rules.append("cross_applicant_shared_inventor")
    if relation == "same_agency":
        rules.append("same_agency")
    # the evidence: the best-matching pair of claims (independent first), differing words there
    best = sorted(matches, key=lambda m: (-(m["independent_a"] and m["independent_b"]),
                                          -m["similarity"]))
    if best:
        ca, cb = a.claims[best[0]["claim_a"] - 1], b.claims[best[0]["claim_b"] - 1]
    else:
        ca, cb = " ".join(a.claims) or a.abstract, " ".join(b.claims) or b.abstract
    diff = differing_words(ca, cb, a.lang)
    passages = shared_passages(ca, cb, a.lang)
    fd_a, fd_b = ra.get("filing_date"), rb.get("filing_date")
    days = (abs((fd_b - fd_a).days) if pd.notna(fd_a) and pd.notna(fd_b) else None)
    keys = {"j": jac, "c": con, "a": ab, "m": best_ind}
    zh = "；".join(_RULE_TEXT[r][0].format(**keys) for r in rules)
    en = "; ".join(_RULE_TEXT[r][1].format(**keys) for r in rules)
    clauses = []
    for r in rules:
        c = cfg["pair_rules"][r]["clause"]
        if c not in clauses:
            clauses.append(c)
    return {
        "patent_id_a": ra["patent_id"], "patent_id_b": rb["patent_id"],
        "applicants_a": "; ".join(apps_a), "applicants_b": "; ".join(apps_b),
        "agency_a": ag_a, "agency_b": ag_b, "relation": relation,
        "shared_applicants": "; ".join(shared_apps), "shared_inventors": "; ".join(shared_inv),
        "filing_date_a": fd_a, "filing_date_b": fd_b, "days_apart": days,
        "basis": ra.get("basis", "claims"), "similarity": round(max(jac, con if "claims_contained" in rules else 0), 4),
        "claims_jaccard": round(jac, 4), "claims_containment": round(con, 4),
        "abstract_jaccard": round(ab, 4), "best_independent_match": round(best_ind, 4),
        "matched_claims": json.dumps(matches, ensure_ascii=False),
        "differing_words": json.dumps(diff, ensure_ascii=False),
        "shared_passages": json.dumps(passages, ensure_ascii=False),
        "rules": "; ".join(rules), "clauses": "; ".join(clauses),
        "message_zh": f"疑似内容相同或简单变化的申请（仅为线索，需人工判断）：{zh}。依据：" +
                      "；".join(clause(c)["zh"] for c in clauses),
        "message_en": f"Possibly the same content or a simple variation (an indicator for review, "
                      f"not a finding): {en}. Relates to: " +
                      "; ".join(clause(c)["en"] for c in clauses),
    }


def pair_rows(idx: ScreenIndex, pairs: np.ndarray) -> pd.DataFrame:
    rows = []
    for i, j in pairs:
        r = evaluate_pair(idx, int(i), int(j))
        if r is not None:
            rows.append(r)
    df = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    if len(df):
        df = df.sort_values(["similarity", "patent_id_a", "patent_id_b"],
                            ascending=[False, True, True], kind="stable").reset_index(drop=True)
    return df


def stock_pairs(idx: ScreenIndex) -> tuple[pd.DataFrame, list[np.ndarray], dict]:
    """All flagged pairs of the stock, the oversized LSH buckets (templates) and counts."""
    pairs, big = idx.candidate_pairs()
    stats = {"candidates": int(len(pairs)), "oversized_buckets": len(big)}
    if len(pairs):
        est = idx.estimate(pairs)
        keep = est >= float(idx.cfg["minhash"]["prefilter"])
        pairs = pairs[keep]
    stats["verified"] = int(len(pairs))
    df = pair_rows(idx, pairs)
    stats["flagged"] = int(len(df))
    return df, big, stats
