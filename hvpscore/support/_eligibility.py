"""Eligibility: the patent, owner and inventor tables the rules test, and the rule evaluator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore._errors import PolicyError
from hvpscore.indicators._group import mode_by_key
from hvpscore.indicators._names import name_key
from hvpscore.support._measures import support_texts

__all__ = ["entity_table", "evaluate_rule", "explain_rule"]

_GOLD_EXCELLENCE = {"china_patent_gold", "china_patent_excellence"}


def entity_table(stock: pd.DataFrame, level: str, *, period=None) -> pd.DataFrame:
    """The table of ``level`` (patent / owner / inventor) with the fields rules may test.

    Owners: every co-owner of a patent holds it (full credit). Inventors: keyed by name and the
    patent's first owner. Names are shown as in the top lists (most frequent spelling; ties: the
    latest filing's). ``period``: (start, end) for ``pledges_in_period``.
    Columns besides the fields: key, name, holder, patents (all the patents behind the line;
    ``attrs["members"]`` maps keys to patent ids).
    """
    sc = np.nan_to_num(stock["score"].to_numpy(dtype=float))
    if level == "patent":
        t = stock.copy()
        t["key"] = t["patent_id"]
        t["name"] = t["patent_id"]
        t["holder"] = t["first_owner"]
        t["patents"] = t["patent_id"].map(lambda x: [x])
        t["score"] = sc
        inv = t["patent_type"].eq("invention").fillna(False).to_numpy(dtype=bool)
        foreign = t["foreign_grants"].map(len).to_numpy() > 0
        comm = t["commercialised"].to_numpy(dtype=bool)
        pdate = pd.to_datetime(t["pledge_date"])
        t["pledged_in_period"] = ((pdate >= period[0]) & (pdate <= period[1])).to_numpy() \
            if period is not None else pdate.notna().to_numpy()
        t["gold_or_excellence_award"] = t["awards"].map(
            lambda a: bool(_GOLD_EXCELLENCE & set(a))).to_numpy(dtype=bool)
        t["cn_invention_grant_commercialised"] = inv & t["grant_date"].notna().to_numpy() & comm
        t["foreign_grant_commercialised"] = inv & foreign & comm
        return t.reset_index(drop=True)
    col = "applicants" if level == "owner" else "inventors"
    ex = stock[[col]].copy()
    ex["_pos"] = np.arange(len(stock))
    ex = ex.explode(col)
    ex = ex[ex[col].notna() & (ex[col].astype(str).str.strip() != "")]
    pos = ex["_pos"].to_numpy()
    names = ex[col].astype(str).to_numpy()
    first = stock["first_owner"].astype(str).to_numpy()[pos]
    keys = pd.Series(names).map(name_key).to_numpy(dtype=object)
    if level == "inventor":
        keys = keys + "|" + pd.Series(first).map(name_key).to_numpy(dtype=object)
    s = stock.iloc[pos].reset_index(drop=True)
    valid = s["valid_invention"].to_numpy(dtype=bool)
    hv = s["is_high_value"].to_numpy(dtype=bool)
    d = pd.DataFrame({"key": keys, "name": names, "holder": first,
                      "patent_id": s["patent_id"].to_numpy(),
                      "hv_count": hv.astype(int),
                      "sei_hv_count": (hv & s["hv_sei"].to_numpy(dtype=bool)).astype(int),
                      "valid_invention_count": valid.astype(int),
                      "score": np.where(valid, sc[pos], 0.0)})
    inv = s["patent_type"].eq("invention").fillna(False).to_numpy(dtype=bool)
    foreign = s["foreign_grants"].map(len).to_numpy() > 0
    if level == "owner":
        pd_ = pd.to_datetime(s["pledge_date"])
        if period is not None:
            start, end = period
            m = (pd_ >= start) & (pd_ <= end)
        else:
            m = pd_.notna()
        d["pledges_in_period"] = m.to_numpy().astype(int)
        d["foreign_grant_patents"] = (inv & foreign).astype(int)
        d["is_first"] = names == first
        d["applicant_type"] = np.where(d["is_first"], s["applicant_type"].astype(object), "")
    else:
        comm = s["commercialised"].to_numpy(dtype=bool)
        granted = s["grant_date"].notna().to_numpy() & inv
        d["gold_or_excellence_award_patents"] = s["awards"].map(
            lambda a: bool(_GOLD_EXCELLENCE & set(a))).to_numpy().astype(int)
        d["cn_invention_grants_commercialised"] = (granted & comm).astype(int)
        fam = s["family_id"].astype(object).where(s["family_id"].notna(), s["patent_id"])
        d["_family_fc"] = np.where(inv & foreign & comm, fam.astype(str).to_numpy(), None)
    g = d.groupby("key", sort=False)
    sums = [c for c in ("hv_count", "sei_hv_count", "valid_invention_count", "score",
                        "pledges_in_period", "foreign_grant_patents",
                        "gold_or_excellence_award_patents", "cn_invention_grants_commercialised")
            if c in d.columns]
    out = g[sums].sum()
    filed = s["filing_date"].to_numpy()
    out["name"] = mode_by_key(d["key"], d["name"], latest=filed).reindex(out.index).to_numpy()
    out["holder"] = mode_by_key(d["key"], d["holder"], latest=filed).reindex(
        out.index).fillna("").to_numpy()
    out["patents"] = g["patent_id"].agg(list)
    out.attrs["members"] = d[["key", "patent_id"]]
    if level == "owner":
        out["applicant_type"] = mode_by_key(d["key"], d["applicant_type"]).reindex(
            out.index).fillna("").to_numpy()
    else:
        fam = d[d["_family_fc"].notna()].drop_duplicates(["key", "_family_fc"])
        out["foreign_grant_families_commercialised"] = fam.groupby("key").size().reindex(
            out.index).fillna(0).astype(int).to_numpy()
    out["score"] = out["score"].round(1)
    return out.reset_index()


def _test(t: pd.DataFrame, rule: dict) -> np.ndarray:
    f, op = rule["field"], rule["op"]
    if f not in t.columns:
        raise PolicyError(f"eligibility rule tests unknown field {f!r}; fields of this level: "
                          f"{', '.join(c for c in t.columns if c in support_texts()['fields'])}")
    col = t[f]
    v = rule.get("value")
    if op == "nonempty":
        return col.map(lambda x: bool(len(x)) if isinstance(x, (list, tuple, np.ndarray))
                       else (x is not None and not pd.isna(x) and x != "")).to_numpy(dtype=bool)
    if op == "contains":
        return col.map(lambda x: isinstance(x, (list, tuple, np.ndarray)) and v in x).to_numpy(
            dtype=bool)
    if op in ("in", "not_in"):
        m = col.isin(list(v)).to_numpy(dtype=bool)
        return m if op == "in" else ~m
    if op in ("==", "!="):
        m = (col == v).fillna(False).to_numpy(dtype=bool)
        return m if op == "==" else ~m
    x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return {">=": x >= v, ">": x > v, "<=": x <= v, "<": x < v}[op] & ~np.isnan(x)


def evaluate_rule(t: pd.DataFrame, rule: dict | None) -> np.ndarray:
    """Boolean mask of the rows of ``t`` that meet ``rule`` (None: nobody — not assessable)."""
    if rule is None:
        return np.zeros(len(t), dtype=bool)
    if "all" in rule:
        m = np.ones(len(t), dtype=bool)
        for r in rule["all"]:
            m &= evaluate_rule(t, r)
        return m
    if "any" in rule:
        m = np.zeros(len(t), dtype=bool)
        for r in rule["any"]:
            m |= evaluate_rule(t, r)
        return m
    if "not" in rule:
        return ~evaluate_rule(t, rule["not"])
    return _test(t, rule)


def _fmt(x, lang: str = "zh") -> str:
    values = support_texts().get("values", {})
    if isinstance(x, str) and x in values:
        return values[x][lang]
    if isinstance(x, (list, tuple, np.ndarray)):
        return "、".join(map(str, x)) if len(x) else "—"
    if isinstance(x, (bool, np.bool_)):
        return ("是" if x else "否") if lang == "zh" else ("yes" if x else "no")
    if isinstance(x, (float, np.floating)) and float(x).is_integer():
        return f"{int(x):,}"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    return str(x)


def _holds(row: pd.Series, rule: dict) -> bool:
    """Whether one row meets a rule (scalar twin of :func:`evaluate_rule`)."""
    if "all" in rule:
        return all(_holds(row, r) for r in rule["all"])
    if "any" in rule:
        return any(_holds(row, r) for r in rule["any"])
    if "not" in rule:
        return not _holds(row, rule["not"])
    x, op, v = row.get(rule["field"]), rule["op"], rule.get("value")
    if op == "nonempty":
        return bool(len(x)) if isinstance(x, (list, tuple, np.ndarray)) else (
            x is not None and not pd.isna(x) and x != "")
    if op == "contains":
        return isinstance(x, (list, tuple, np.ndarray)) and v in x
    if op in ("in", "not_in"):
        return (x in list(v)) == (op == "in")
    if op in ("==", "!="):
        return (x == v) == (op == "==")
    try:
        x = float(x)
    except (TypeError, ValueError):
        return False
    return {">=": x >= v, ">": x > v, "<=": x <= v, "<": x < v}[op]


def explain_rule(row: pd.Series, rule: dict | None, lang: str = "zh") -> str:
    """The facts of one row behind a rule, e.g. ``高价值发明专利件数 3 ≥ 1``."""
    if rule is None:
        return ""
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        parts = []
        for r in rule[key]:
            ok = _holds(row, r)
            if key == "all" or ok:
                parts.append(explain_rule(row, r, lang))
        return "；".join(p for p in parts if p) if lang == "zh" else "; ".join(p for p in parts if p)
    if "not" in rule:
        inner = explain_rule(row, rule["not"], lang)
        return f"非（{inner}）" if lang == "zh" else f"not ({inner})"
    labels = support_texts()["fields"]
    lab = labels.get(rule["field"], {}).get(lang, rule["field"])
    val = row.get(rule["field"])
    op = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠"}.get(rule["op"], rule["op"])
    if rule["op"] == "nonempty":
        return f"{lab}：{_fmt(val, lang)}" if lang == "zh" else f"{lab}: {_fmt(val, lang)}"
    if rule["op"] == "==":
        return f"{lab}：{_fmt(val, lang)}" if lang == "zh" else f"{lab}: {_fmt(val, lang)}"
    return f"{lab} {_fmt(val, lang)} {op} {_fmt(rule.get('value'), lang)}"
