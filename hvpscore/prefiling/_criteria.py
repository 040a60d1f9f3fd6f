"""The five official criteria "within reach" for a draft (what it can become, and how).

* SEI from the IPC codes given (:func:`hvpscore.rules.assign_sei`, so the concordance of the
  policy in use applies); without IPC codes, candidate fields from the text with the
  concordance's keywords and the field names — marked as a suggestion.
* Overseas: the planned route (PCT / Paris / PPH) and its deadlines from the priority date.
* Maintenance > 10 years, pledge (the policy's threshold), award (China Patent Award basics).
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

from hvpscore.prefiling._data import criteria_texts, measures, thresholds

__all__ = ["criteria_within_reach", "measure_status", "sei_suggestions"]

CRITERIA_ORDER = ("sei", "overseas", "maintained_10y", "pledge", "award")


def _add_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    import calendar

    day = min(d.day, calendar.monthrange(year, month)[1])
    return _dt.date(year, month, day)


@cache
def _keyword_rules(source: str):
    """(field code, keyword lower, keyword) from a concordance's keyword rules and the
    second-level field names (without 产业 / 相关)."""
    from hvpscore.rules import load_industries

    conc = _concordance(source)
    out = []
    for r in conc.rules.itertuples(index=False):
        for kw in r.keywords:
            if len(kw) >= 2:
                out.append((r.field_code, kw.lower(), kw))
    ind = load_industries()
    for r in ind[ind["level"] == 2].itertuples(index=False):
        name = str(r.name_zh).removesuffix("产业").removesuffix("制造")
        if len(name) >= 2 and not any(w in name for w in ("相关", "其他", "服务")):
            out.append((r.code, name.lower(), name))
    return tuple(out)


def _concordance(source: str):
    from hvpscore.rules import load_concordance, shipped_concordance

    return shipped_concordance() if source == "shipped" else load_concordance(source)


@cache
def _keyword_index(source: str, generic: frozenset[str]):
    """The keyword rules of ``source`` without the ``generic`` ones, indexed by their first two
    characters (lower case): a keyword can only occur in a text that holds its first two
    characters, so a text is searched for the few keywords whose pair it holds, not for all ten
    thousand. Built once per concordance (start-up of the service)."""
    rules = _keyword_rules(source)
    by_pair: dict[str, list[int]] = {}
    short: list[int] = []  # lower-cased to one character: always searched
    for i, (_code, kw_low, _kw) in enumerate(rules):
        if kw_low in generic:
            continue
        if len(kw_low) < 2:
            short.append(i)
        else:
            by_pair.setdefault(kw_low[:2], []).append(i)
    return rules, {k: tuple(v) for k, v in by_pair.items()}, tuple(short)


def sei_suggestions(text: str, *, concordance: str = "shipped", limit: int | None = None
                    ) -> list[dict]:
    """Candidate strategic-emerging-industry fields for a text: each with its code, names and
    the keywords found (a suggestion: the IPC codes assigned at filing decide). A field needs
    ``min_keywords`` distinct keywords, or one of at least ``strong_keyword_chars`` characters
    (thresholds.yaml), so a generic word alone (检测, online) suggests nothing."""
    th = thresholds()["sei_suggestion"]
    limit = int(th["max_fields"]) if limit is None else limit
    low = text.lower()
    generic = frozenset(g.lower() for g in th.get("generic_keywords", []))
    rules, by_pair, short = _keyword_index(concordance, generic)
    pairs = {low[i:i + 2] for i in range(len(low) - 1)}
    found = [i for p in pairs.intersection(by_pair) for i in by_pair[p]]
    found.extend(short)
    found.sort()  # the order of the concordance, as a scan of every rule finds them
    hits: dict[str, list[str]] = {}
    for i in found:
        code, kw_low, kw = rules[i]
        if kw_low in low and kw not in hits.get(code, []):
            hits.setdefault(code, []).append(kw)
    strong = int(th["strong_keyword_chars"])

    def is_strong(kw: str) -> bool:
        return len(kw) >= (strong if any("\u4e00" <= ch <= "\u9fff" for ch in kw) else 2 * strong)

    keep = [(c, kws) for c, kws in hits.items()
            if len(kws) >= int(th["min_keywords"]) or any(is_strong(k) for k in kws)]
    keep.sort(key=lambda x: (-len(x[1]), x[0]))
    conc = _concordance(concordance)
    return [{"code": c, "name_zh": conc.label(c, "zh"), "name_en": conc.label(c, "en"),
             "keyword": kws[0], "keywords": kws} for c, kws in keep[:limit]]


def measure_status(m: dict, as_of: _dt.date) -> str:
    """``active``, ``expired`` or ``not_yet`` on ``as_of``."""
    vf, vt = m.get("valid_from"), m.get("valid_to")
    vf = _dt.date.fromisoformat(str(vf)) if vf else None
    vt = _dt.date.fromisoformat(str(vt)) if vt else None
    if vf and as_of < vf:
        return "not_yet"
    if vt and as_of > vt:
        return "expired"
    return "active"


def _measures_for(cid: str, as_of: _dt.date) -> list[str]:
    return [m["id"] for m in measures() if cid in (m.get("applies_to") or [])]


def _head_p(pred: dict | None, target: str | None) -> float | None:
    if not pred or not target:
        return None
    for h in pred.get("heads", []):
        if h["target"] == target:
            return h["probability"]
    return None


def _fmt(t: dict, **kw) -> tuple[str, str]:
    class _F(dict):
        def __missing__(self, k):
            return ""

    return t["zh"].format_map(_F(kw)), t["en"].format_map(_F(kw))


def criteria_within_reach(draft, *, text: str, patent_type: str, policy, as_of: _dt.date,
                          predictions: dict | None) -> list[dict[str, Any]]:
    """One entry per criterion: id, names, status, probability (model head, if any),
    evidence zh/en, details (fields, routes, deadlines) and the measures that apply."""
    from hvpscore.prefiling._data import advice_texts

    ct = criteria_texts()
    adv = advice_texts()["criteria"]
    th = thresholds()
    out: list[dict[str, Any]] = []

    def entry(cid: str, status: str, zh: str, en: str, **details) -> dict[str, Any]:
        st = ct["statuses"][status]
        return {
            "id": cid,
            "name_zh": ct["names"][cid]["zh"],
            "name_en": ct["names"][cid]["en"],
            "status": status,
            "status_zh": st["zh"],
            "status_en": st["en"],
            "suggestion": status == "suggestion",
            "probability": _head_p(predictions, ct["heads"].get(cid)),
            "evidence_zh": zh,
            "evidence_en": en,
            "details": details,
            "measures": _measures_for(cid, as_of),
        }

    if patent_type != "invention":
        type_zh = {"utility_model": "实用新型", "design": "外观设计"}.get(patent_type, patent_type)
        zh, en = _fmt(adv["not_eligible"], type_zh=type_zh,
                      type_en=patent_type.replace("_", " "))
        return [entry(cid, "not_eligible", zh, en) for cid in CRITERIA_ORDER]

    # --- SEI
    ipc = list(draft.fields.get("ipc") or [])
    conc_src = str(policy.param("sei", "concordance")) if policy is not None else "shipped"
    if ipc:
        import pandas as pd

        from hvpscore.rules import assign_sei

        scope = policy.param("sei", "ipc_scope") if policy is not None else "all"
        res = assign_sei(pd.Series([ipc]), pd.Series([text]),
                         _concordance(conc_src), scope=scope).iloc[0]
        conc = _concordance(conc_src)
        codes = [c for c in str(res["sei_codes"]).split(";") if c]
        fields = [{"code": c, "name_zh": conc.label(c, "zh"), "name_en": conc.label(c, "en")}
                  for c in codes]
        if bool(res["sei"]):
            zh, en = _fmt(adv["sei"]["met"], ipc="、".join(ipc),
                          fields_zh="、".join(f["name_zh"] for f in fields),
                          fields_en=", ".join(f["name_en"] for f in fields))
            out.append(entry("sei", "met", zh, en, fields=fields, rule=res["sei_rule"],
                             ipc=ipc))
        elif str(res.get("sei_near", "")):
            near = [c for c in str(res["sei_near"]).split(";") if c]
            nf = [{"code": c, "name_zh": conc.label(c, "zh"), "name_en": conc.label(c, "en")}
                  for c in near]
            kws = str(res.get("sei_near_keywords", ""))
            zh, en = _fmt(adv["sei"]["near"], ipc="、".join(ipc), keywords=kws,
                          fields_zh="、".join(f["name_zh"] for f in nf),
                          fields_en=", ".join(f["name_en"] for f in nf))
            out.append(entry("sei", "near", zh, en, fields=nf, keywords=kws, ipc=ipc))
        else:
            zh, en = _fmt(adv["sei"]["not_met"], ipc="、".join(ipc))
            out.append(entry("sei", "not_met", zh, en, fields=[], ipc=ipc))
    else:
        sugg = sei_suggestions(text, concordance=conc_src)
        if sugg:
            kws: list[str] = []
            for sg in sugg:
                kws += [k for k in sg["keywords"] if k not in kws]
            zh, en = _fmt(adv["sei"]["suggestion"], keywords="、".join(kws),
                          fields_zh="、".join(f"{s['name_zh']}（{s['code']}）" for s in sugg),
                          fields_en=", ".join(f"{s['name_en']} ({s['code']})" for s in sugg))
            out.append(entry("sei", "suggestion", zh, en, fields=sugg, ipc=[]))
        else:
            out.append(entry("sei", "not_met",
                             "战略性新兴产业：未给出IPC分类号，文本中也没有参照关系表的关键词",
                             "Strategic emerging industry: no IPC codes given and no concordance "
                             "keyword in the text", fields=[], ipc=[]))

    # --- overseas
    r = th["routes"]
    routes = [x for x in draft.fields.get("planned_route") or [] if x != "none"]
    anchor = draft.fields.get("priority_date") or draft.fields.get("filing_date")
    deadlines = []
    if anchor:
        d0 = _dt.date.fromisoformat(anchor)
        akey = "priority_date" if draft.fields.get("priority_date") else "filing_date"
        anchor_zh = "优先权日" if akey == "priority_date" else "中国申请日"
        anchor_en = "priority date" if akey == "priority_date" else "CN filing date"
        dp = _add_months(d0, int(r["priority_months"]))
        dn = _add_months(d0, int(r["pct_national_months"]))
        dl = _add_months(d0, int(r["pct_national_months_late"]))
        tz, te = _fmt(ct["deadlines"]["priority"], date=dp.isoformat(), anchor_zh=anchor_zh,
                      anchor_en=anchor_en)
        deadlines.append({"id": "priority", "date": dp.isoformat(), "months": r["priority_months"],
                          "from": akey, "text_zh": tz, "text_en": te,
                          "passed": dp < as_of})
        tz, te = _fmt(ct["deadlines"]["pct_national"], date=dn.isoformat(),
                      date_late=dl.isoformat())
        deadlines.append({"id": "pct_national", "date": dn.isoformat(),
                          "date_late": dl.isoformat(), "months": r["pct_national_months"],
                          "from": akey, "text_zh": tz, "text_en": te, "passed": dn < as_of})
        dz = "；".join(d["text_zh"] for d in deadlines)
        de = "; ".join(d["text_en"] for d in deadlines)
    else:
        dz, de = ct["deadlines"]["no_date"]["zh"], ct["deadlines"]["no_date"]["en"]
    route_info = [{"id": k, "name_zh": v["zh"], "name_en": v["en"], "planned": k in routes,
                   "source_zh": v["source"]["zh"], "source_en": v["source"]["en"]}
                  for k, v in ct["routes"].items()]
    secrecy = adv["overseas"]["secrecy"]
    if routes:
        zh, en = _fmt(adv["overseas"]["planned"],
                      routes_zh="、".join(ct["routes"][x]["zh"] for x in routes),
                      routes_en=", ".join(ct["routes"][x]["en"] for x in routes),
                      deadline_zh=dz, deadline_en=de)
        status = "planned"
    else:
        zh, en = _fmt(adv["overseas"]["possible"], deadline_zh=dz, deadline_en=de)
        status = "possible"
    out.append(entry("overseas", status, zh, en, routes=route_info, deadlines=deadlines,
                     secrecy_zh=secrecy["zh"], secrecy_en=secrecy["en"]))

    # --- maintained > 10 years
    p = _head_p(predictions, "maintained_10y")
    ptxt = f"{p:.0%}" if p is not None else "—"
    zh, en = _fmt(adv["maintained_10y"]["any"], p=ptxt)
    years = policy.param("maintained_10y", "years") if policy is not None else 10
    out.append(entry("maintained_10y", "after_grant", zh, en, years=years,
                     anchor=policy.param("maintained_10y", "anchor") if policy else "filing"))

    # --- pledge
    amount = policy.param("pledge", "min_amount_cny") if policy is not None else None
    thr_zh = f"{amount / 10000:,.0f}万元" if amount else "政策设定的金额"
    thr_en = f"{amount:,.0f} CNY" if amount else "the policy amount"
    zh, en = _fmt(adv["pledge"]["any"], threshold=thr_zh)
    en = adv["pledge"]["any"]["en"].format(threshold=thr_en)
    out.append(entry("pledge", "after_grant", zh, en, min_amount_cny=amount))

    # --- award
    zh, en = _fmt(adv["award"]["any"])
    out.append(entry("award", "after_grant", zh, en, basics_zh=ct["award"]["basics"]["zh"],
                     basics_en=ct["award"]["basics"]["en"],
                     source_zh=ct["award"]["basics"]["source"]["zh"],
                     source_en=ct["award"]["basics"]["source"]["en"]))
    return out
