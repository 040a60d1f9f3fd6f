"""The five official criteria, evaluated as of a date, with evidence per patent.

How ``legal_status`` (the state at export time) is combined with ``as_of``:

* only ``patent_type == 'invention'`` can count (utility models, designs, unknown type never);
* ``pending`` / ``rejected`` / ``withdrawn`` at export: never granted, never counted;
* granted on or before ``as_of``: ``grant_date <= as_of``; when ``grant_date`` is unknown a status
  implying a grant (``in_force``, ``lapsed``, ``expired``, ``invalidated``) is trusted (policy
  ``in_force.unknown_grant_date: trust_status``; ``require_date`` refuses instead) and the
  evidence says so;
* an explicit ``lapse_date`` always wins: lapse on or before ``as_of`` -> not in force, after
  ``as_of`` -> still in force at ``as_of`` even if the export says ``lapsed``/``invalidated``
  (an invalidation is dated by its decision; the right was in force until then);
* the term ends at the 20th anniversary of ``filing_date`` (``as_of`` on or after it -> expired);
  ``expired`` without dates is not in force;
* ``lapsed`` / ``invalidated`` without ``lapse_date``: not in force (policy
  ``in_force.dead_without_lapse_date``).

Maintenance is counted from the filing date (or the grant date) to ``as_of`` and must be strictly
more than the policy's years, by calendar: filed 2014-05-02 passes 10 years after 2024-05-02, so
``as_of`` 2024-05-02 does not count and 2024-05-03 does.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.rules._policy import CRITERIA, Policy, load_policy
from hvpscore.rules._sei import (
    Concordance,
    assign_sei_records,
    load_concordance,
    shipped_concordance,
)

__all__ = ["OUTPUT_COLUMNS", "evaluate_criteria", "evaluate_record"]

OUTPUT_COLUMNS = (
    "hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award",
    "is_high_value", "in_force", "can_count", "hv_evidence", "hv_evidence_zh",
    "sei_codes", "sei_rule", "maintained_years",
)
_GRANT_STATUSES = ("in_force", "lapsed", "expired", "invalidated")
_NEVER_STATUSES = ("pending", "rejected", "withdrawn")
_PUB_RE = re.compile(r"^([A-Z]{2})\D*\d[\dA-Z.\-/]*?([A-Z]\d?)$")


@lru_cache(maxsize=1)
def _texts() -> dict:
    text = resources.files("hvpscore.rules").joinpath("texts.yaml").read_text(encoding="utf-8")
    return _yaml_safe_load(text)


# --------------------------------------------------------------------------- column access
def _obj(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), None, dtype=object)
    s = df[name]
    return s.astype(object).where(s.notna(), None).to_numpy(dtype=object)


def _date(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), np.datetime64("NaT"), dtype="datetime64[ns]")
    s = df[name]
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, errors="coerce", format="mixed")
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return s.to_numpy(dtype="datetime64[ns]")


def _num(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _lists(df: pd.DataFrame, name: str) -> np.ndarray:
    """Object array: list[str] (maybe empty) or None (unknown)."""
    if name not in df.columns:
        return np.full(len(df), None, dtype=object)
    arr = df[name].to_numpy(dtype=object)
    if all([type(v) is list or v is None for v in arr.tolist()]):  # what the readers make
        return arr.copy()
    out = np.empty(len(arr), dtype=object)
    for i, v in enumerate(arr):
        if isinstance(v, list):
            out[i] = v
        elif v is None:
            out[i] = None
        elif isinstance(v, tuple | np.ndarray):
            out[i] = [str(x) for x in v]
        elif isinstance(v, str):
            out[i] = [p.strip() for p in re.split(r"[;；,，|]", v) if p.strip()]
        else:
            out[i] = None
    return out


def _isin(arr: np.ndarray, values) -> np.ndarray:
    return pd.Series(arr, dtype=object).isin(list(values)).to_numpy(dtype=bool)


def _add_years(dates: np.ndarray, years: int) -> np.ndarray:
    """Calendar ``date + years`` (29 Feb -> 28 Feb), NaT stays NaT."""
    s = pd.Series(pd.to_datetime(dates))
    return (s + pd.DateOffset(years=years)).to_numpy(dtype="datetime64[ns]")


def _lazy_dates(arr: np.ndarray):
    """A field for :func:`_fill`: YYYY-MM-DD strings computed only for the rows filled."""
    return lambda idx: _dstr(arr[idx])


def _dstr(arr: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD strings of a datetime64 array (``''`` for NaT)."""
    out = np.datetime_as_string(arr.astype("datetime64[D]"), unit="D").astype(object)
    out[np.isnat(arr)] = ""
    return out


def _fill(template: str, mask: np.ndarray, **fields: Any) -> tuple[np.ndarray, np.ndarray]:
    """Fill ``template`` for rows in ``mask``: a sparse part ``(row positions, texts)``.

    Fields are scalars, arrays over all rows, or callables taking the positions.
    """
    idx = np.flatnonzero(mask)
    acc = np.full(len(idx), "", dtype=object)
    if not len(idx):
        return idx, acc
    for literal, fname, _spec, _conv in string.Formatter().parse(template):
        if literal:
            acc = acc + literal
        if fname is not None:
            v = fields[fname]
            if callable(v):
                v = v(idx)
                acc = acc + np.asarray(v, dtype=object)
            elif isinstance(v, np.ndarray):
                acc = acc + v[idx].astype(object)
            else:
                acc = acc + str(v)
    return idx, acc


def _sparse(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    idx = np.flatnonzero(arr != "")
    return idx, arr[idx]


def _join(parts: list[tuple[np.ndarray, np.ndarray]], n: int, prefix: str = "",
          out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        out = np.full(n, "", dtype=object)
    for idx, vals in parts:
        if not len(idx):
            continue
        cur = out[idx]
        add = prefix + vals if prefix else vals
        out[idx] = np.where(cur == "", add, cur + "; " + add)
    return out


def _join_all(met: list, near: list, prefix: str, n: int) -> np.ndarray:
    return _join(near, n, prefix, out=_join(met, n))


def _fmt_money(a: np.ndarray) -> np.ndarray:
    return np.array([f"{x:,.0f}" for x in a], dtype=object)


def _fmt_wan(a: np.ndarray) -> np.ndarray:
    return np.array([f"{x / 10_000:,.2f}".rstrip("0").rstrip(".") for x in a], dtype=object)


# --------------------------------------------------------------------------- main entry
_CONC_CACHE: dict[tuple, Concordance] = {}


def _load_cached(ref: str) -> Concordance:
    """Load a concordance file once per (path, size, mtime): chunked runs reuse it."""
    from pathlib import Path

    path = Path(ref)
    key = (str(path.resolve()), *((path.stat().st_size, path.stat().st_mtime_ns)
                                  if path.is_file() else ()))
    hit = _CONC_CACHE.get(key)
    if hit is None:
        hit = load_concordance(path)
        if len(_CONC_CACHE) > 8:
            _CONC_CACHE.clear()
        _CONC_CACHE[key] = hit
    return hit


def _concordance_for(policy: Policy, concordance: Concordance | str | None) -> Concordance:
    if isinstance(concordance, Concordance):
        return concordance
    if concordance is not None:
        return _load_cached(str(concordance))
    ref = policy.param("sei", "concordance")
    return shipped_concordance() if ref == "shipped" else _load_cached(ref)


def evaluate_criteria(
    records: pd.DataFrame,
    policy: Policy | str | None = None,
    as_of: Any = None,
    *,
    concordance: Concordance | str | None = None,
) -> pd.DataFrame:
    """Evaluate the five official criteria for every record, as of a date.

    ``records``: canonical records (``hvpscore.io.read_records(...).records``); missing columns
    count as unknown. ``policy``: a :class:`Policy`, shipped id or YAML path (default
    ``cnipa-2021``). ``as_of``: the statistic's date (default today). ``concordance`` overrides
    the policy's SEI table.

    Returns a DataFrame on the same index with :data:`OUTPUT_COLUMNS`: the five ``hv_*`` flags
    (only true for invention patents in force at ``as_of``), ``is_high_value``, ``in_force``,
    ``hv_evidence`` / ``hv_evidence_zh`` (``; ``-joined: why not counted, each met criterion and
    each nearly met one), ``sei_codes`` / ``sei_rule`` (``;``-joined, see
    :func:`hvpscore.rules.assign_sei`) and ``maintained_years`` (from the policy's anchor to
    ``as_of`` or the end of the right, NaN when never granted). ``attrs`` holds ``policy_id`` and
    ``as_of``.
    """
    if not isinstance(records, pd.DataFrame):
        raise InputError(f"records must be a pandas DataFrame, got {type(records).__name__}; "
                         "read files with hvpscore.io.read_records")
    pol = load_policy(policy)
    day = parse_as_of(as_of)
    ts = np.datetime64(day.to_datetime64(), "ns")
    n = len(records)
    T = _texts()
    pid = pol.id

    ptype = _obj(records, "patent_type")
    status = _obj(records, "legal_status")
    filing = _date(records, "filing_date")
    grant = _date(records, "grant_date")
    lapse = _date(records, "lapse_date")

    # ------------------------------------------------------------------ in force at as_of
    is_inv = ptype == "invention"
    never = _isin(status, _NEVER_STATUSES)
    implies_grant = _isin(status, _GRANT_STATUSES)
    has_grant = ~np.isnat(grant)
    granted_after = has_grant & (grant > ts)
    trust = pol.in_force("unknown_grant_date") == "trust_status"
    from_status = ~has_grant & implies_grant & trust
    granted = ((has_grant & (grant <= ts)) | from_status) & ~never
    has_filing = ~np.isnat(filing)
    term_end = _add_years(filing, int(pol.in_force("term_years")))
    term_over = has_filing & (ts >= term_end)
    has_lapse = ~np.isnat(lapse)
    lapsed_by = has_lapse & (lapse <= ts)
    dead_no_date = ~has_lapse & (
        (_isin(status, ("lapsed", "invalidated"))
         & (pol.in_force("dead_without_lapse_date") == "not_in_force"))
        | ((status == "expired") & ~has_filing)
    )
    in_force = is_inv & granted & ~term_over & ~lapsed_by & ~dead_no_date

    st_en = np.where(status == None, "unknown", status).astype(object)  # noqa: E711
    st_zh = np.array([T["statuses"].get(s, s) for s in st_en], dtype=object)
    as_of_s = day.strftime("%Y-%m-%d")
    nc = T["not_counted"]
    reasons_en: list = []
    reasons_zh: list = []
    left = ~in_force
    ptypes = T["patent_types"]

    def reason(key: str, mask: np.ndarray, **kw: Any) -> None:
        nonlocal left
        m = mask & left
        reasons_en.append(_fill(nc[key]["en"], m, **{k: v[0] for k, v in kw.items()}))
        reasons_zh.append(_fill(nc[key]["zh"], m, **{k: v[1] for k, v in kw.items()}))
        left = left & ~m

    known_type = _isin(ptype, tuple(ptypes))
    # can it still count (now or later)? Not for other patent types, refused or withdrawn
    # applications, an ended term, a lapse by as_of, or a right dead without a date.
    can_count = (~(known_type & ~is_inv) & ~_isin(status, ("rejected", "withdrawn"))
                 & ~term_over & ~lapsed_by & ~dead_no_date & (status != "expired"))
    pt_en = np.array([ptypes.get(p, {}).get("en", "") for p in ptype], dtype=object)
    pt_zh = np.array([ptypes.get(p, {}).get("zh", "") for p in ptype], dtype=object)
    reason("not_invention", known_type & ~is_inv, ptype=(pt_en, pt_zh))
    reason("type_unknown", ~known_type)
    reason("never_granted", never, status=(st_en, st_en), status_zh=(st_zh, st_zh))
    reason("granted_after", granted_after, grant=(_lazy_dates(grant),) * 2, as_of=(as_of_s,) * 2)
    reason("no_grant", ~granted, status=(st_en, st_en), status_zh=(st_zh, st_zh))
    reason("lapsed", lapsed_by, lapse=(_lazy_dates(lapse),) * 2, as_of=(as_of_s,) * 2)
    reason("term_ended", term_over, filing=(_lazy_dates(filing),) * 2, end=(_lazy_dates(term_end),) * 2,
           as_of=(as_of_s,) * 2)
    reason("dead_no_date", dead_no_date, status=(st_en, st_en), status_zh=(st_zh, st_zh))
    note = T["notes"]["grant_from_status"]
    m_note = in_force & from_status
    reasons_en.append(_fill(note["en"], m_note, status=st_en))
    reasons_zh.append(_fill(note["zh"], m_note, status_zh=st_zh))

    ev = T["evidence"]
    met_en: list = []
    met_zh: list = []
    near_en: list = []
    near_zh: list = []
    flags: dict[str, np.ndarray] = {}

    # ------------------------------------------------------------------ 1. SEI
    conc = _concordance_for(pol, concordance)
    sei = assign_sei_records(records, pol.param("sei", "keyword_fields"), conc,
                             scope=pol.param("sei", "ipc_scope"))
    sei_codes = sei["sei_codes"].to_numpy(dtype=object)
    sei_rule = sei["sei_rule"].to_numpy(dtype=object)
    on = pol.enabled("sei")
    flags["sei"] = in_force & sei["sei"].to_numpy(dtype=bool) & on
    if on:
        e_en, e_zh = _sei_evidence(sei_codes, sei["sei_match"].to_numpy(dtype=object),
                                   flags["sei"], conc, ev)
        met_en.append(e_en)
        met_zh.append(e_zh)
        near_rules = sei["sei_near"].to_numpy(dtype=object)
        m = in_force & ~flags["sei"] & (near_rules != "")
        def rules_txt(idx):
            return [_rule_pairs(r) for r in near_rules[idx]]

        kws = sei["sei_near_keywords"].to_numpy(dtype=object)
        near_en.append(_fill(ev["sei_near"]["en"], m, rules=rules_txt, keywords=kws))
        near_zh.append(_fill(ev["sei_near"]["zh"], m, rules=rules_txt, keywords=kws))

    # ------------------------------------------------------------------ 2. overseas
    ov = _overseas(records, pol, in_force, ev, pid) if pol.enabled("overseas") else None
    flags["overseas"] = ov[0] if ov is not None else np.zeros(n, bool)
    if ov is not None:
        for bucket, texts in zip((met_en, met_zh, near_en, near_zh), ov[1:], strict=True):
            bucket.append(_sparse(texts))

    # ------------------------------------------------------------------ 3. maintained > N years
    anchor_name = pol.param("maintained_10y", "anchor")
    years_n = int(pol.param("maintained_10y", "years"))
    anchor = filing if anchor_name == "filing" else grant
    has_anchor = ~np.isnat(anchor)
    passed = _add_years(anchor, years_n)
    end = np.where(has_lapse & (lapse < ts), lapse, ts)
    end = np.where(has_filing & is_inv & (term_end < end), term_end, end)
    ever_granted = (has_grant | implies_grant) & ~never
    days = (end - anchor).astype("timedelta64[D]").astype(float)
    days[np.isnat(anchor) | np.isnat(end)] = np.nan
    myears = np.where(ever_granted & has_anchor & ~dead_no_date, np.maximum(days, 0) / 365.25,
                      np.nan)
    on = pol.enabled("maintained_10y")
    flags["maintained_10y"] = in_force & has_anchor & (ts > passed) & on
    if on:
        def ytxt(idx, met=True):
            # Floor, never round up. A met criterion shows as many decimals as it takes to read
            # as more than the limit (10.09 -> "10.09", not "10.0 > 10"); a near miss never
            # shows more than the limit (the flag is decided on dates, not on this float).
            def one(y):
                if y != y:
                    return ""
                if not met:
                    return f"{min(np.floor(y * 10) / 10, years_n):.1f}"
                for d in (1, 2, 3):
                    t = np.floor(y * 10**d) / 10**d
                    if t > years_n:
                        break
                return f"{t:.{d}f}"

            return [one(y) for y in myears[idx]]

        a = T["anchors"][anchor_name]
        f = {"years": ytxt, "date": _lazy_dates(anchor), "limit": str(years_n),
             "passed": _lazy_dates(passed)}
        met_en.append(_fill(ev["maintained"]["en"], flags["maintained_10y"], anchor=a["en"], **f))
        met_zh.append(_fill(ev["maintained"]["zh"], flags["maintained_10y"], anchor=a["zh"], **f))
        near_y = float(pol.param("maintained_10y", "near_miss_years"))
        m = (in_force & has_anchor & ~flags["maintained_10y"]
             & (myears >= years_n - near_y) & (near_y > 0))
        f["years"] = lambda idx: ytxt(idx, met=False)
        near_en.append(_fill(ev["maintained_near"]["en"], m, anchor=a["en"], **f))
        near_zh.append(_fill(ev["maintained_near"]["zh"], m, anchor=a["zh"], **f))

    # ------------------------------------------------------------------ 4. pledge
    amt = _num(records, "pledge_amount_cny")
    cnt = _num(records, "pledge_count")
    pdate = _date(records, "pledge_date")
    thr = float(pol.param("pledge", "min_amount_cny"))
    after = (pol.param("pledge", "require_pledge_date_le_as_of") & ~np.isnat(pdate)
             & (pdate > ts))
    has_amt = ~np.isnan(amt)
    on = pol.enabled("pledge")
    flags["pledge"] = in_force & has_amt & (amt >= thr) & ~after & on
    if on:
        amt0 = np.nan_to_num(amt)
        f = {"amount": lambda idx: _fmt_money(amt0[idx]), "threshold": f"{thr:,.0f}",
             "amount_wan": lambda idx: _fmt_wan(amt0[idx]),
             "threshold_wan": _fmt_wan(np.array([thr]))[0],
             "count": lambda idx: [str(int(c)) if c == c else "" for c in cnt[idx]],
             "date": _lazy_dates(pdate), "as_of": as_of_s}
        for key, m, target in (
            ("pledge", flags["pledge"], "met"),
            ("pledge_near", in_force & has_amt & (amt > 0) & (amt < thr) & ~after, "near"),
            ("pledge_unknown", in_force & ~has_amt & (np.nan_to_num(cnt) > 0), "near"),
            ("pledge_after", in_force & after & (np.nan_to_num(amt) > 0), "near"),
        ):
            (met_en if target == "met" else near_en).append(_fill(ev[key]["en"], m, **f))
            (met_zh if target == "met" else near_zh).append(_fill(ev[key]["zh"], m, **f))

    # ------------------------------------------------------------------ 5. awards
    aw = _award(records, pol, in_force, day, ev, T, pid) if pol.enabled("award") else None
    flags["award"] = aw[0] if aw is not None else np.zeros(n, bool)
    if aw is not None:
        for bucket, texts in zip((met_en, met_zh, near_en, near_zh), aw[1:], strict=True):
            bucket.append(_sparse(texts))

    # ------------------------------------------------------------------ assemble
    pre_en, pre_zh = ev["near_prefix"]["en"], ev["near_prefix"]["zh"]
    out = pd.DataFrame(index=records.index)
    for cid, col in CRITERIA.items():
        out[col] = flags[cid].astype(bool)
    out["is_high_value"] = np.logical_or.reduce([flags[c] for c in CRITERIA])
    out["in_force"] = in_force.astype(bool)
    out["can_count"] = (can_count | out["is_high_value"].to_numpy()).astype(bool)
    ix = records.index
    out["hv_evidence"] = pd.Series(_join_all(reasons_en + met_en, near_en, pre_en, n), index=ix,
                                   dtype=object)
    out["hv_evidence_zh"] = pd.Series(_join_all(reasons_zh + met_zh, near_zh, pre_zh, n),
                                      index=ix, dtype=object)
    out["sei_codes"] = pd.Series(sei_codes, index=ix, dtype=object)
    out["sei_rule"] = pd.Series(sei_rule, index=ix, dtype=object)
    out["maintained_years"] = np.round(myears, 3)
    out.attrs["policy_id"] = pid
    out.attrs["as_of"] = as_of_s
    return out


def _rule_pairs(rule_str: str) -> str:
    """'1.1 H04L* <- H04L27/26;…' -> 'H04L27/26 ∈ H04L*, …'."""
    out = []
    for part in rule_str.split(";"):
        if not part:
            continue
        head, _, code = part.partition(" <- ")
        pat = head.split(" ", 1)[1] if " " in head else head
        kw = ""
        if " [kw: " in code:
            code, kw = code.split(" [kw: ", 1)
            kw = " +" + kw.rstrip("]")
        out.append(f"{code} ∈ {pat}{kw}")
    return ", ".join(dict.fromkeys(out))


def _sei_evidence(codes: np.ndarray, match: np.ndarray, mask: np.ndarray, conc: Concordance,
                  ev: dict):
    n = len(codes)
    idx = np.flatnonzero(mask)
    uniq, inv = np.unique(codes[idx].astype(str), return_inverse=True)
    lab_en = np.array([", ".join(f"{f} {conc.label(f, 'en')}" for f in u.split(";"))
                       for u in uniq], dtype=object)
    lab_zh = np.array(["、".join(f"{f} {conc.label(f, 'zh')}" for f in u.split(";"))
                       for u in uniq], dtype=object)
    fields_en = np.full(n, "", dtype=object)
    fields_zh = np.full(n, "", dtype=object)
    fields_en[idx] = lab_en[inv]
    fields_zh[idx] = lab_zh[inv]
    return (_fill(ev["sei"]["en"], mask, fields=fields_en, rules=match),
            _fill(ev["sei"]["zh"], mask, fields=fields_zh, rules=match))


def _overseas(df: pd.DataFrame, pol: Policy, in_force: np.ndarray, ev: dict, pid: str):
    n = len(df)
    p = pol.criterion("overseas")["params"]
    home = set(p["home_jurisdictions"])
    hmt = set(p["hk_mo_tw"])
    ign = set(p["ignore"])
    count_hmt = p["count_hk_mo_tw"]
    need_granted = p["require_granted"]
    derive = p["derive_from_family_members"]
    kinds = tuple(p["granted_kind_prefixes"])
    og = _lists(df, "overseas_granted")
    fc = _lists(df, "family_countries")
    fm = _lists(df, "family_members")
    pct = _obj(df, "pct_application")
    flag = np.zeros(n, bool)
    met_en = np.full(n, "", dtype=object)
    met_zh = met_en.copy()
    near_en = met_en.copy()
    near_zh = met_en.copy()
    e = ev
    for i in np.flatnonzero(in_force):
        g, c, m = og[i], fc[i], fm[i]
        if not (g or c or m or pct[i] is True):
            continue
        granted: set[str] = {x.strip().upper() for x in g} if g else set()
        filed: set[str] = {x.strip().upper() for x in c} if c else set()
        if m:
            for pub in m:
                mm = _PUB_RE.match(str(pub).strip().upper().replace(" ", ""))
                if not mm:
                    continue
                filed.add(mm.group(1))
                if g is None and derive and mm.group(2).startswith(kinds):
                    granted.add(mm.group(1))
        granted -= home | ign
        filed = (filed | granted) - home - ign
        eligible = granted if need_granted else filed
        counted = eligible if count_hmt else eligible - hmt
        if counted:
            flag[i] = True
            key = "overseas" if need_granted or counted & granted else "overseas_filed"
            cs = ", ".join(sorted(counted))
            met_en[i] = e[key]["en"].format(countries=cs)
            met_zh[i] = e[key]["zh"].format(countries=cs)
        elif eligible & hmt:
            cs = ", ".join(sorted(eligible & hmt))
            near_en[i] = e["overseas_hmt_only"]["en"].format(countries=cs, policy=pid)
            near_zh[i] = e["overseas_hmt_only"]["zh"].format(countries=cs, policy=pid)
        elif need_granted and (filed - granted - (set() if count_hmt else hmt)):
            cs = ", ".join(sorted(filed - granted - (set() if count_hmt else hmt)))
            near_en[i] = e["overseas_not_granted"]["en"].format(countries=cs, policy=pid)
            near_zh[i] = e["overseas_not_granted"]["zh"].format(countries=cs, policy=pid)
        elif pct[i] is True:
            near_en[i] = e["overseas_pct"]["en"]
            near_zh[i] = e["overseas_pct"]["zh"]
    return flag, met_en, met_zh, near_en, near_zh


def _award(df: pd.DataFrame, pol: Policy, in_force: np.ndarray, day: pd.Timestamp, ev: dict,
           T: dict, pid: str):
    n = len(df)
    codes = set(pol.param("award", "codes"))
    need_year = pol.param("award", "require_award_year_le_as_of")
    aw = _lists(df, "awards")
    yr = _num(df, "award_year")
    names = T["awards"]
    flag = np.zeros(n, bool)
    met_en = np.full(n, "", dtype=object)
    met_zh = met_en.copy()
    near_en = met_en.copy()
    near_zh = met_en.copy()
    for i in np.flatnonzero(in_force):
        a = aw[i]
        if not a:
            continue
        y = yr[i]
        ytxt = str(int(y)) if y == y else "?"
        year_ok = not need_year or y != y or y <= day.year
        m_en, m_zh, x_en, x_zh = [], [], [], []
        for code in dict.fromkeys(a):
            nm = names.get(code, {"en": code, "zh": code})
            if code in codes and year_ok:
                flag[i] = True
                tpl = ev["award"] if y == y else ev["award_noyear"]
                m_en.append(tpl["en"].format(award=nm["en"], year=ytxt))
                m_zh.append(tpl["zh"].format(award=nm["zh"], year=ytxt))
            elif code in codes:
                f = {"year": ytxt, "as_of_year": day.year}
                x_en.append(ev["award_after"]["en"].format(award=nm["en"], **f))
                x_zh.append(ev["award_after"]["zh"].format(award=nm["zh"], **f))
            else:
                x_en.append(ev["award_not_counted"]["en"].format(award=nm["en"], policy=pid))
                x_zh.append(ev["award_not_counted"]["zh"].format(award=nm["zh"], policy=pid))
        met_en[i], met_zh[i] = "; ".join(m_en), "; ".join(m_zh)
        near_en[i], near_zh[i] = "; ".join(x_en), "; ".join(x_zh)
    return flag, met_en, met_zh, near_en, near_zh


def evaluate_record(
    record: dict,
    policy: Policy | str | None = None,
    as_of: Any = None,
    *,
    concordance: Concordance | str | None = None,
) -> dict:
    """Single-record form of :func:`evaluate_criteria`: a canonical record dict in, a dict out.

    List fields are Python lists (``;``-separated strings are accepted); dates ISO strings or
    dates. Returns the :data:`OUTPUT_COLUMNS` with plain Python values plus ``policy_id`` and
    ``as_of``.
    """
    if not isinstance(record, dict):
        raise InputError(f"record must be a dict of canonical columns, got "
                         f"{type(record).__name__}")
    row = {k: [v] for k, v in record.items()}
    df = pd.DataFrame(row, index=[0])
    for k, v in record.items():  # keep lists as single cells
        if isinstance(v, list | tuple):
            df[k] = pd.Series([list(v)], dtype=object)
    res = evaluate_criteria(df, policy=policy, as_of=as_of, concordance=concordance)
    out: dict[str, Any] = {}
    for col in OUTPUT_COLUMNS:
        v = res[col].iat[0]
        if isinstance(v, np.bool_):
            v = bool(v)
        elif isinstance(v, np.floating):
            v = None if np.isnan(v) else float(v)
        out[col] = v
    out["policy_id"] = res.attrs["policy_id"]
    out["as_of"] = res.attrs["as_of"]
    return out
