"""Bulk-filing indicators per holder (applicant or agency) and filing month, with evidence.

Indicators, never verdicts: a university filing 30 applications in a month with 40 inventors is
normal; one person filing 30 in a month is worth a look. Thresholds: ``screen.yaml`` bulk_rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore.screening._data import clause

__all__ = ["SIGNAL_COLUMNS", "bulk_signals", "clusters"]

SIGNAL_COLUMNS = ["holder_kind", "holder", "month", "kind", "filings", "value", "threshold",
                  "evidence", "patent_ids", "clause", "message_zh", "message_en"]


def clusters(n: int, pairs: np.ndarray, buckets: list[np.ndarray]) -> np.ndarray:
    """Connected components (union-find) of flagged pairs and oversized buckets -> cluster id of
    each record (-1: in no cluster)."""
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    touched = np.zeros(n, dtype=bool)
    edges = [tuple(p) for p in pairs] + [(int(m[0]), int(x)) for m in buckets for x in m[1:]]
    for i, j in edges:
        touched[i] = touched[j] = True
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    out = np.full(n, -1, dtype=np.int64)
    for k in np.flatnonzero(touched):
        out[k] = find(int(k))
    return out


def _holders(rec: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    out = []
    ex = rec[["_i", "applicants"]].explode("applicants").dropna(subset=["applicants"])
    out.append(("applicant", ex.rename(columns={"applicants": "holder"})))
    if "agency" in rec and rec["agency"].notna().any():
        ag = rec[["_i", "agency"]].dropna(subset=["agency"])
        out.append(("agency", ag.rename(columns={"agency": "holder"})))
    return out


def _signal(kind_h, holder, month, kind, ids, value, threshold, evidence, zh, en, key, cfg):
    c = cfg["bulk_rules"][key]["clause"]
    cl = clause(c)
    return {"holder_kind": kind_h, "holder": holder, "month": month, "kind": kind,
            "filings": len(ids), "value": round(float(value), 3), "threshold": threshold,
            "evidence": evidence, "patent_ids": "; ".join(ids[:50]), "clause": c,
            "message_zh": f"{zh}（仅为线索，需结合研发能力等人工核实）。相关条款：{cl['zh']}",
            "message_en": f"{en} (an indicator to check against the holder's R&D capacity, not a "
                          f"finding). Relates to: {cl['en']}"}


def bulk_signals(rec: pd.DataFrame, cluster_id: np.ndarray, cfg: dict) -> pd.DataFrame:
    """Indicators per holder (applicant; agency when known) and filing month, from the index's
    record table and the near-copy clusters. Group statistics are vectorised; evidence rows are
    built only for the (holder, month) groups over a threshold."""
    from scipy.stats import poisson

    br = cfg["bulk_rules"]
    r = rec.copy()
    r["_i"] = np.arange(len(r))
    r["_m"] = r["filing_date"].dt.year * 12 + r["filing_date"].dt.month - 1  # month number
    sizes = pd.Series(cluster_id[cluster_id >= 0]).value_counts()
    r["cluster"] = cluster_id
    r["cluster_size"] = sizes.reindex(cluster_id).fillna(0).to_numpy().astype(int)
    r.loc[cluster_id < 0, "cluster_size"] = 0
    r["_inv_known"] = r["inventors"].map(bool)
    t = pd.to_numeric(r["transfers"], errors="coerce").fillna(0).to_numpy()
    if r["transfer_date"].notna().any():
        days = (r["transfer_date"] - r["filing_date"]).dt.days
        r["_early"] = ((days >= 0) & (days <= br["early_transfer"]["max_days"])).to_numpy()
        how, how_zh = (f"transferred within {br['early_transfer']['max_days']} days of filing",
                       f"申请后 {br['early_transfer']['max_days']} 天内转让")
    else:
        r["_early"] = (t > 0) & r["grant_date"].isna().to_numpy()
        how, how_zh = ("transferred while not granted (application right sold)",
                       "尚未授权即发生转让（申请权转让）")
    st = br["shared_template"]
    r["_tmpl"] = r["cluster_size"] >= st["min_cluster_size"]
    rows = []
    for kind_h, hv in _holders(r):
        m = hv.merge(r.drop(columns=["applicants", "agency"], errors="ignore"), on="_i")
        m = m[m["_m"].notna()]
        if m.empty:
            continue
        m["_m"] = m["_m"].astype(int)
        g = m.groupby(["holder", "_m"], sort=True)
        agg = g.agg(filings=("_i", "size"), known=("_inv_known", "sum"), tmpl=("_tmpl", "sum"),
                    early=("_early", "sum")).reset_index()
        inv = m[["holder", "_m", "inventors"]].explode("inventors").dropna(subset=["inventors"])
        agg = agg.merge(inv.groupby(["holder", "_m"])["inventors"].nunique().rename("n_inv")
                        .reset_index(), on=["holder", "_m"], how="left")
        agg["n_inv"] = agg["n_inv"].fillna(0).astype(int)
        # trailing history of the same holder (months without filings count as 0)
        hcode = agg["holder"].astype("category").cat.codes.to_numpy().astype(np.int64)
        key = hcode * 100_000 + agg["_m"].to_numpy()
        cum = np.concatenate(([0], np.cumsum(agg["filings"].to_numpy())))
        hm = int(br["burst"]["history_months"])
        left = np.searchsorted(key, key - hm, "left")
        first = agg.groupby("holder", sort=True)["_m"].transform("min").to_numpy()
        months = np.minimum(hm, agg["_m"].to_numpy() - first)
        hist_sum = cum[np.arange(len(agg))] - cum[left]
        agg["hist_months"] = months
        agg["lam"] = np.where(months > 0, np.maximum(hist_sum / np.maximum(months, 1), 0.5), np.nan)
        fr, bu, et = br["filings_vs_inventors"], br["burst"], br["early_transfer"]
        per = agg["filings"] / agg["n_inv"].where(agg["n_inv"] > 0)
        f_inv = ((agg["filings"] >= fr["min_filings"]) & (agg["known"] == agg["filings"])
                 & (per >= fr["min_per_inventor"]))
        cand_b = (agg["filings"] >= bu["min_filings"]) & (agg["hist_months"] > 0) & (
            agg["filings"] / agg["lam"] >= bu["min_ratio"])
        agg["p"] = 1.0
        agg.loc[cand_b, "p"] = poisson.sf(agg.loc[cand_b, "filings"] - 1, agg.loc[cand_b, "lam"])
        f_burst = cand_b & (agg["p"] <= bu["max_p"])
        f_tmpl = agg["tmpl"] >= st["min_filings"]
        f_early = ((agg["filings"] >= et["min_filings"]) & (agg["early"] >= et["min_filings"])
                   & (agg["early"] / agg["filings"] >= et["min_share"]))
        hits = agg[f_inv | f_burst | f_tmpl | f_early]
        if hits.empty:
            continue
        groups = {k: v for k, v in m.merge(hits[["holder", "_m"]], on=["holder", "_m"])
                  .groupby(["holder", "_m"])}
        for ix, h in hits.iterrows():
            gm = groups[(h["holder"], h["_m"])]
            ids = gm["patent_id"].astype(str).tolist()
            nf = int(h["filings"])
            ms = f"{h['_m'] // 12}-{h['_m'] % 12 + 1:02d}"
            if f_inv[ix]:
                k = int(h["n_inv"])
                rows.append(_signal(kind_h, h["holder"], ms, "filings_vs_inventors", ids,
                                    nf / k, fr["min_per_inventor"], f"{nf} filings / {k} inventors",
                                    f"当月申请 {nf} 件，仅 {k} 名发明人（人均 {nf / k:.1f} 件）",
                                    f"{nf} filings in the month by {k} inventors ({nf / k:.1f} each)",
                                    "filings_vs_inventors", cfg))
            if f_burst[ix]:
                lam, hmn = float(h["lam"]), int(h["hist_months"])
                rows.append(_signal(kind_h, h["holder"], ms, "burst", ids, nf / lam,
                                    bu["min_ratio"],
                                    f"{nf} vs trailing mean {lam:.2f} over {hmn} months, "
                                    f"p={h['p']:.1e}",
                                    f"当月申请 {nf} 件，为此前 {hmn} 个月月均 {lam:.2f} 件的 "
                                    f"{nf / lam:.1f} 倍",
                                    f"{nf} filings, {nf / lam:.1f}x the mean of the previous "
                                    f"{hmn} months ({lam:.2f})", "burst", cfg))
            if f_tmpl[ix]:
                inc = gm[gm["_tmpl"]]
                cl = inc.groupby("cluster").size().sort_values(ascending=False)
                ev = ", ".join(f"cluster {c}: {k} here / {int(sizes[c])} in all"
                               for c, k in cl.head(5).items())
                rows.append(_signal(kind_h, h["holder"], ms, "shared_template",
                                    inc["patent_id"].astype(str).tolist(), len(inc) / nf,
                                    st["min_filings"], ev,
                                    f"当月 {len(inc)} 件申请属于近似重复簇（簇规模≥"
                                    f"{st['min_cluster_size']}）",
                                    f"{len(inc)} filings of the month in near-copy clusters "
                                    f"(size ≥ {st['min_cluster_size']})", "shared_template", cfg))
            if f_early[ix]:
                early = gm[gm["_early"]]
                rows.append(_signal(kind_h, h["holder"], ms, "early_transfer",
                                    early["patent_id"].astype(str).tolist(), len(early) / nf,
                                    et["min_share"], f"{len(early)} of {nf} {how}",
                                    f"当月 {nf} 件中 {len(early)} 件{how_zh}",
                                    f"{len(early)} of {nf} filings {how}", "early_transfer", cfg))
    return pd.DataFrame(rows, columns=SIGNAL_COLUMNS)
