"""The synthetic Chongqing patent stock: :func:`make_patents`.

Records are drawn type first, then legal status (``PROPORTIONS``), then everything else so that it
agrees with the dates: a valid invention patent first draws which of the five official criteria it
meets (``CONDITIONAL``), and its field, filing date, family, pledges and awards are then made to
meet exactly those criteria. Everything comes from one ``numpy`` generator seeded with ``seed``: the
same arguments give the same frame.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.datasets._claims import build_claims
from hvpscore.datasets._proportions import (
    CONDITIONAL,
    PLEDGE_THRESHOLD_CNY,
    PROPORTIONS,
    record_type_mix,
)
from hvpscore.datasets._vocab import fields, names
from hvpscore.schema import COLUMNS

__all__ = ["cn_check_digit", "format_cn_application", "make_patents"]

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_TYPE_DIGIT = {"invention": "1", "utility_model": "2", "design": "3"}
_YEAR = 365.2425


def cn_check_digit(digits: str) -> str:
    """Check digit of the 8 or 12 leading digits of a CN application number (10 -> ``X``)."""
    if not (digits.isdigit() and len(digits) in (8, 12)):
        raise InputError(f"{digits!r} is not 8 or 12 digits; give the digits before the dot")
    rem = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11
    return "X" if rem == 10 else str(rem)


def format_cn_application(digits: str) -> str:
    """``201910561574`` -> ``201910561574.9``."""
    return f"{digits}.{cn_check_digit(digits)}"


@cache
def _numbers() -> dict:
    text = (resources.files("hvpscore.datasets") / "data" / "numbers.yaml").read_text("utf-8")
    data = _yaml_safe_load(text)
    anchors = {}
    for ptype, rows in data["publication_anchors"].items():
        xs = np.array([dt.date.fromisoformat(d).toordinal() for d, _ in rows], dtype=float)
        ys = np.array([v for _, v in rows], dtype=float)
        anchors[ptype] = (xs, ys)
    data["_anchors"] = anchors
    return data


def _interp(pairs: list, x: float) -> float:
    xs = [p[0] for p in pairs]
    ys = [p[1] for p in pairs]
    return float(np.interp(x, xs, ys))


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _shift(d: dt.date, years: float) -> dt.date:
    return d + dt.timedelta(days=int(round(years * _YEAR)))


@cache
def _zipf_cdf(n: int, a: float) -> list[float]:
    w = 1.0 / np.arange(1, n + 1) ** a
    return list(np.cumsum(w / w.sum()))


@dataclass
class _Org:
    name: str
    kind: str
    tags: list[str] = field(default_factory=list)
    size: str = "small"
    staff: list[str] = field(default_factory=list)


class _State:
    """Everything drawn once per stock: applicants, used numbers."""

    def __init__(self, n: int, rng: np.random.Generator, as_of: dt.date):
        self.rng = rng
        self.as_of = as_of
        self.nm = names()
        self.f = fields()
        self.used_app: set[str] = set()
        self.used_pub: set[str] = set()
        self.used_family: set[str] = set()
        self.orgs: dict[str, list[_Org]] = {}
        self._build_orgs(n)

    # ------------------------------------------------------------------ names
    def person(self) -> str:
        r = self.rng
        s = self.nm["surnames"][int(r.integers(len(self.nm["surnames"])))]
        k = 1 if r.random() < 0.3 else 2
        g = "".join(self.nm["given_chars"][int(i)]
                    for i in r.integers(0, len(self.nm["given_chars"]), size=k))
        return s + g

    def _company(self, trade_key: str) -> str:
        r = self.rng
        bc = self.nm["brand_chars"]
        brand = bc[int(r.integers(len(bc)))] + bc[int(r.integers(len(bc)))]
        trades = self.nm["enterprise_trades"][trade_key]
        trade = trades[int(r.integers(len(trades)))]
        form = self.nm["enterprise_forms"][int(r.integers(len(self.nm["enterprise_forms"])))]
        place = ""
        if r.random() < 0.35:
            place = self.nm["places"][int(r.integers(len(self.nm["places"])))]
        return f"重庆{place}{brand}{trade}{form}"

    def _build_orgs(self, n: int) -> None:
        r = self.rng
        tag_p = PROPORTIONS["enterprise_tags"]
        all_fields = self.f["sei"] + self.f["non_sei"]
        seen: set[str] = set()
        for fld in [*all_fields, {"key": "design", "weight": 6}]:
            k = max(4, int(n * fld["weight"] / 900))
            lst = []
            while len(lst) < k:
                name = self._company(fld["key"])
                if name in seen:
                    continue
                seen.add(name)
                tags = [t for t in ("listed_key", "high_tech", "soe") if r.random() < tag_p[t]]
                if r.random() < tag_p["little_giant"]:
                    tags += ["specialized_sme", "little_giant"]
                elif r.random() < tag_p["specialized_sme"] - tag_p["little_giant"]:
                    tags.append("specialized_sme")
                big = "listed_key" in tags or "soe" in tags or r.random() < 0.12
                size = "large" if big else ("small" if r.random() < 0.8 else "micro")
                lst.append(_Org(name, "enterprise", sorted(tags), size))
            self.orgs[fld["key"]] = lst
        places = list(self.nm["places"])
        unis = []
        for _ in range(14):
            while True:
                p = places[int(r.integers(len(places)))]
                d = self.nm["university_disciplines"][
                    int(r.integers(len(self.nm["university_disciplines"])))]
                kind = self.nm["university_kinds"][int(r.integers(len(self.nm["university_kinds"])))]
                name = f"{p}{d}{kind}"
                if name not in seen:
                    break
            seen.add(name)
            unis.append(_Org(name, "university", [], "small"))
        self.orgs["university"] = unis
        inst = []
        for i, base in enumerate(self.nm["institute_names"]):
            p = places[(i * 7) % len(places)]
            inst.append(_Org(f"重庆{p}{base}", "research_institute", [], "small"))
        self.orgs["research_institute"] = inst
        self.orgs["government"] = [_Org(f"重庆市{g}", "government", [], "small")
                                   for g in self.nm["government_names"]]
        self.orgs["other"] = [_Org(f"重庆市{places[(i * 5) % len(places)]}{h}", "other", [], "small")
                              for i, h in enumerate(self.nm["other_names"])]

    def pick_org(self, key: str) -> _Org:
        lst = self.orgs[key]
        # a few big holders, a long tail (Zipf-like weights by rank)
        cdf = _zipf_cdf(len(lst), 1.05)
        return lst[min(bisect.bisect_right(cdf, self.rng.random()), len(lst) - 1)]

    def inventors(self, org: _Org | None, k: int) -> list[str]:
        if org is None:
            return list(dict.fromkeys(self.person() for _ in range(k)))
        if not org.staff:
            org.staff = list(dict.fromkeys(self.person()
                                           for _ in range(int(self.rng.integers(6, 45)))))
        w = 1.0 / np.arange(1, len(org.staff) + 1) ** 0.9
        k = min(k, len(org.staff))
        idx = self.rng.choice(len(org.staff), size=k, replace=False, p=w / w.sum())
        return [org.staff[int(i)] for i in idx]

    # ------------------------------------------------------------------ numbers
    def application_number(self, ptype: str, year: int, digit: str | None = None,
                           old: bool = False) -> str:
        """12 digits (8 when ``old``: filed before 2003-10-01), without the check digit."""
        r = self.rng
        digit = digit or _TYPE_DIGIT[ptype]
        caps = _numbers()["serial_caps"]["invention" if digit == "8" else ptype]
        while True:
            if old:
                serial = int(r.integers(1000, 99999))
                digits = f"{year % 100:02d}{digit}{serial:05d}"
            else:
                cap = int(_interp(caps, year))
                low = 1_000_000 if digit == "1" and year >= 2010 else 0
                serial = int(r.integers(low, max(low + 1000, low + cap)))
                if digit == "8":
                    serial = int(r.integers(0, 150_000))
                digits = f"{year}{digit}{serial:07d}"
            if digits not in self.used_app:
                self.used_app.add(digits)
                return digits

    def publication_number(self, ptype: str, date: dt.date, kind: str) -> str:
        xs, ys = _numbers()["_anchors"][ptype]
        base = float(np.interp(date.toordinal(), xs, ys))
        r = self.rng
        while True:
            num = int(base + r.integers(-40_000, 40_000))
            if base < 1e7:  # 7-digit series before 2007/2008
                num = int(base + r.integers(-3000, 3000))
            key = f"{ptype}{num}"
            if key not in self.used_pub:
                self.used_pub.add(key)
                return f"CN{num}{kind}"

    def family_id(self) -> str:
        while True:
            v = str(int(self.rng.integers(10_000_000, 99_999_999)))
            if v not in self.used_family:
                self.used_family.add(v)
                return v


@cache
def _cdf(items: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    keys = [k for k, _ in items]
    total = sum(w for _, w in items)
    acc, cdf = 0.0, []
    for _, w in items:
        acc += w / total
        cdf.append(acc)
    cdf[-1] = 1.0
    return keys, cdf


def _choice(rng: np.random.Generator, mix: dict[str, float]) -> str:
    keys, cdf = _cdf(tuple(mix.items()))
    return keys[bisect.bisect_right(cdf, rng.random())]


def _pick_field(st: _State, sei: bool, need_um: bool = False) -> dict:
    pool = st.f["sei" if sei else "non_sei"]
    if need_um:
        pool = [f for f in pool if f.get("um")]
    w = np.array([f["weight"] for f in pool], dtype=float)
    return pool[int(st.rng.choice(len(pool), p=w / w.sum()))]


_QUALIFIERS = {
    "device": ["", "", "", "新型", "可调式", "高效", "模块化", "轻量化"],
    "software": ["", "", "基于深度学习的", "基于多源数据融合的", "基于注意力机制的", "面向山地城市的"],
    "composition": ["", "", "高性能", "低成本", "环保型"],
}


def _ipcs(st: _State, fld: dict) -> list[str]:
    r = st.rng
    main = fld["ipc"][int(r.integers(len(fld["ipc"])))]
    pool = [c for c in list(fld["ipc"]) + list(fld.get("extra_ipc") or []) if c != main]
    k = int(min(len(pool), r.choice([0, 1, 1, 2, 2, 3, 4])))
    extra = [pool[int(i)] for i in r.choice(len(pool), size=k, replace=False)] if k else []
    return [main, *extra]


def _title_abstract(st: _State, fld: dict, subject: str, ptype: str, n_indep: int) -> tuple:
    r = st.rng
    style = fld["style"] if ptype == "invention" else "device"
    parts = list(fld["parts"])
    a, b, c = (parts[int(i)] for i in r.choice(len(parts), size=3, replace=False))
    steps = list(fld.get("steps") or ["进行处理"])
    s = [steps[int(i)] for i in r.choice(len(steps), size=min(3, len(steps)), replace=False)]
    effects = list(fld["effects"])
    e1, e2 = (effects[int(i)] for i in r.choice(len(effects), size=2, replace=False))
    method = fld.get("method_noun", "方法")
    if ptype == "utility_model":
        title = f"一种{subject}"
        abstract = (f"本实用新型公开了一种{subject}，包括{a}、{b}和{c}，所述{a}设置在所述{b}上，"
                    f"所述{c}与所述{b}连接。本实用新型{e1}，{e2}。")
        return title, abstract
    if style == "software":
        if n_indep >= 3:
            title = f"{subject}方法、{fld.get('device_noun', '装置')}、设备及存储介质"
        elif n_indep == 2:
            title = f"一种{subject}方法及{fld.get('device_noun', '装置')}"
        else:
            title = f"一种{subject}方法"
        abstract = (f"本发明公开了一种{subject}方法，包括：{'；'.join(s)}。"
                    f"本发明{e1}，{e2}。")
    elif style == "composition":
        title = f"一种{subject}及其{method}" if n_indep >= 2 else f"一种{subject}"
        abstract = (f"本发明公开了一种{subject}，由{a}、{b}和{c}等原料制成，其{method}包括"
                    f"{'、'.join(s)}等步骤。本发明{e1}，{e2}。")
    else:
        title = f"一种{subject}及其{method}" if n_indep >= 2 else f"一种{subject}"
        abstract = (f"本发明公开了一种{subject}，包括{a}、{b}和{c}，所述{a}安装于所述{b}，"
                    f"所述{c}用于{s[0]}。本发明{e1}，{e2}。")
    return title, abstract


def _design_text(st: _State) -> tuple[str, str]:
    r = st.rng
    prods = st.f["design_products"]
    product = prods[int(r.integers(len(prods)))]
    views = st.f["design_views"]
    view = views[int(r.integers(len(views)))]
    abstract = (f"1．本外观设计产品的名称：{product}。2．本外观设计产品的用途：用于日常使用。"
                f"3．本外观设计产品的设计要点：在于形状与图案的结合。"
                f"4．最能表明设计要点的图片或照片：{view}。")
    return product, abstract


def _claim_counts(st: _State, ptype: str) -> tuple[int, int]:
    r = st.rng
    if ptype == "invention":
        n = int(np.clip(round(r.lognormal(np.log(10.5), 0.38)), 3, 30))
        if r.random() < 0.12:
            n = 10
        ind = int(r.choice([1, 2, 3, 4], p=[0.42, 0.36, 0.18, 0.04]))
    else:
        n = int(np.clip(round(r.lognormal(np.log(7.0), 0.35)), 1, 15))
        ind = 1 if r.random() < 0.88 else 2
    return n, max(1, min(ind, n))


def _make_claims(st: _State, fld: dict, subject: str, ptype: str, n: int, ind: int):
    r = st.rng
    p = PROPORTIONS
    vague_rate = float(r.uniform(0.1, 0.35)) if r.random() < p["claims_vague"] else 0.0
    return build_claims(
        dict(fld, _subject=subject), ptype, n, ind, r,
        vague_rate=vague_rate,
        numbering_error=bool(r.random() < p["claims_numbering_error"]),
        forward_reference=bool(r.random() < p["claims_forward_reference"]),
    )


def _foreign_number(o: dict, num: int, year: int, granted: bool) -> str:
    """A foreign publication number of ``year``, placed from the draw ``num`` in its range."""
    frac = (num - o["low"]) / (o["high"] - o["low"])
    n = int(_interp(o["anchors"], year + frac)) if "anchors" in o else 0
    fmt = o["granted_fmt" if granted else "pending_fmt"]
    return fmt.format(n=n, year=year, serial=num % 1_000_000)


def _overseas(st: _State, cn_pub: str, granted: bool, pub_year: int) -> tuple[list, list, list]:
    """Family members, family countries, overseas-granted countries."""
    r = st.rng
    cfg = _numbers()
    offices = cfg["overseas_offices"]
    w = cfg["overseas_weights"]
    k = int(r.choice([1, 1, 1, 2, 2, 3, 4]))
    keys = list(w)
    p = np.array([w[c] for c in keys])
    chosen = [keys[int(i)] for i in r.choice(len(keys), size=k, replace=False, p=p / p.sum())]
    members = [cn_pub]
    granted_cc: list[str] = []
    last = st.as_of.year
    for j, cc in enumerate(chosen):
        o = offices[cc]
        is_granted = granted and (j == 0 or r.random() < 0.6)
        if is_granted:
            num = int(r.integers(o["low"], o["high"]))
            year = min(pub_year + 1 + num % 3, last)  # granted 1-3 years after the CN publication
            members.append(_foreign_number(o, num, year, granted=True))
            granted_cc.append(cc)
        elif o.get("pending_prefix_year"):
            serial = int(r.integers(0, 400000))
            members.append(o["pending_fmt"].format(year=min(pub_year + 1, last), serial=serial))
        else:
            num = int(r.integers(o["low"], o["high"]))
            members.append(_foreign_number(o, num, min(pub_year + 1, last), granted=False))
    return members, ["CN", *chosen], granted_cc


_AWARD_MIX = {"china_patent_excellence": 0.62, "china_patent_silver": 0.10,
              "china_patent_gold": 0.05, "national_sci_tech_progress": 0.15,
              "national_technological_invention": 0.08}


def _row(st: _State, ptype: str, status: str) -> dict:
    r = st.rng
    as_of = st.as_of
    P = PROPORTIONS
    row: dict = {c.name: None for c in COLUMNS}
    flags = {"sei": False, "maintained_10y": False, "overseas": False, "pledge": False,
             "award": False}
    valid_inv = ptype == "invention" and status == "in_force"
    if valid_inv:
        flags["sei"] = bool(r.random() < P["valid_invention"]["sei"])
        arm = "sei" if flags["sei"] else "not_sei"
        for k in ("maintained_10y", "overseas", "pledge", "award"):
            flags[k] = bool(r.random() < CONDITIONAL[k][arm])

    # ---------------------------------------------------------------- field, applicant
    if ptype == "design":
        fld = None
    elif valid_inv:
        fld = _pick_field(st, flags["sei"])
    elif ptype == "invention":
        fld = _pick_field(st, bool(r.random() < P["sei_share_other_inventions"]))
    else:
        fld = _pick_field(st, bool(r.random() < P["sei_share_utility_models"]), need_um=True)
    atype = _choice(r, P["applicant_type"][ptype])
    if flags["pledge"] or flags["overseas"]:
        atype = "enterprise" if r.random() < 0.92 else atype
    if flags["pledge"]:
        atype = "enterprise"
    if atype == "individual":
        org = None
        first = st.person()
        applicants = [first]
        inventors = list(dict.fromkeys([first] + [st.person() for _ in range(int(r.poisson(0.6)))]))
    else:
        key = (fld["key"] if fld else "design") if atype == "enterprise" else atype
        org = st.pick_org(key)
        applicants = [org.name]
        if ptype == "invention" and atype == "enterprise" and r.random() < 0.07:
            applicants.append(st.pick_org("university").name)
        elif ptype == "invention" and atype == "university" and r.random() < 0.08:
            applicants.append(st.pick_org(fld["key"]).name)
        lam = {"invention": 3.0, "utility_model": 1.8, "design": 0.4}[ptype]
        inventors = st.inventors(org, 1 + int(r.poisson(lam)))
    row["applicants"] = applicants
    row["applicant_type"] = atype
    row["applicant_region"] = "重庆市"
    row["inventors"] = inventors
    row["enterprise_tags"] = list(org.tags) if org is not None and atype == "enterprise" else []
    size = org.size if org is not None else "micro"
    row["entity_size"] = size
    p_red = {"large": 0.02, "small": 0.7, "micro": 0.9}[size]
    if atype in ("university", "research_institute"):
        p_red = 0.8
    row["fee_reduction"] = bool(r.random() < p_red)

    # ---------------------------------------------------------------- dates
    filing, grant, pub, lapse = _dates(st, ptype, status, flags)
    row["filing_date"] = filing
    row["grant_date"] = grant
    row["publication_date"] = pub
    row["lapse_date"] = lapse
    row["legal_status"] = status
    row["patent_type"] = ptype
    granted = grant is not None

    # ---------------------------------------------------------------- routes and numbers
    pct8 = False
    divisional = None
    priority_claims = 0
    priority = None
    pct = False
    if ptype == "invention":
        if flags["overseas"] or (valid_inv and r.random() < P["valid_invention_pct_pending_abroad"]):
            pct = bool(r.random() < 0.8)
        elif not valid_inv and r.random() < 0.02:
            pct = True
        age = (as_of - filing).days / _YEAR
        if pct and granted and age > 3.2 and r.random() < 0.25:
            pct8 = True
        if pct8:
            priority = filing - dt.timedelta(days=int(r.integers(60, 365)))
            priority_claims = 1
        elif r.random() < 0.05:
            priority = filing - dt.timedelta(days=int(r.integers(30, 365)))
            priority_claims = 1 + int(r.random() < 0.15)
        if (not pct8 and granted and status in ("in_force", "lapsed") and r.random() < 0.02
                and (pub - filing).days > 400):
            divisional = True
    number_year = filing.year
    digit = None
    if pct8:
        entry = _shift(priority or filing, 2.5)
        number_year = entry.year
        digit = "8"
        pub = max(pub, entry + dt.timedelta(days=int(r.integers(60, 200))))
        if granted and grant <= pub:
            grant = pub + dt.timedelta(days=int(r.integers(120, 500)))
    if divisional:
        number_year = int(min(filing.year + int(r.integers(1, 3)), pub.year))
        parent = st.application_number("invention", filing.year)
        divisional = "CN" + format_cn_application(parent)
        pub = max(pub, dt.date(number_year, 1, 1) + dt.timedelta(days=int(r.integers(90, 300))))
        if granted and grant <= pub:
            grant = pub + dt.timedelta(days=int(r.integers(120, 500)))
    if granted and grant > as_of:  # a late grant pushed past as_of: keep it in the past
        grant = as_of - dt.timedelta(days=int(r.integers(5, 60)))
        pub = min(pub, grant - dt.timedelta(days=30))
    if lapse is not None and granted and lapse <= grant:
        lapse = None if status == "in_force" else grant + dt.timedelta(days=int(r.integers(60, 700)))
        if lapse is not None and lapse > as_of:
            lapse = as_of - dt.timedelta(days=1)
    row["grant_date"], row["publication_date"], row["lapse_date"] = grant, pub, lapse
    old = number_year < 2003 or (number_year == 2003 and filing < dt.date(2003, 10, 1))
    digits = st.application_number(ptype, number_year, digit, old=old)
    row["patent_id"] = "CN" + format_cn_application(digits)
    row["divisional_of"] = divisional
    row["pct_application"] = pct
    row["priority_date"] = priority
    row["priority_claims"] = priority_claims
    kind = {"invention": "B" if granted else "A", "utility_model": "U", "design": "S"}[ptype]
    row["publication_number"] = st.publication_number(ptype, pub, kind)

    # ---------------------------------------------------------------- texts and claims
    if fld is None:
        title, abstract = _design_text(st)
        row["title"], row["abstract"], row["claims_text"] = title, abstract, None
        row["ipc"] = []
    else:
        style = fld["style"] if ptype == "invention" else "device"
        subject = fld["subjects"][int(r.integers(len(fld["subjects"])))]
        q = _QUALIFIERS[style][int(r.integers(len(_QUALIFIERS[style])))]
        subject = q + subject
        n_filed, ind_filed = _claim_counts(st, ptype)
        if ptype == "invention" and granted:
            n_grant = max(1, n_filed - int(r.binomial(n_filed, 0.15)))
            ind_grant = max(1, min(ind_filed - int(r.random() < 0.15), n_grant))
        else:
            n_grant, ind_grant = n_filed, ind_filed
        use_n, use_ind = (n_grant, ind_grant) if granted else (n_filed, ind_filed)
        cs = _make_claims(st, fld, subject, ptype, use_n, use_ind)
        title, abstract = _title_abstract(st, fld, subject, ptype, len(cs.independent))
        row["title"], row["abstract"], row["claims_text"] = title, abstract, cs.text
        row["ipc"] = _ipcs(st, fld)
        row["claims_count_filed"] = n_filed if ptype == "invention" else cs.n_claims
        row["independent_claims_filed"] = ind_filed if ptype == "invention" else len(cs.independent)
        if not granted:
            row["claims_count_filed"], row["independent_claims_filed"] = cs.n_claims, len(
                cs.independent)
        if granted:
            row["claims_count"] = cs.n_claims
            row["independent_claims"] = len(cs.independent)
            if ptype == "invention":
                row["claims_count_filed"] = max(row["claims_count_filed"], cs.n_claims)
                row["independent_claims_filed"] = max(row["independent_claims_filed"],
                                                      len(cs.independent))

    # ---------------------------------------------------------------- prosecution
    if ptype == "invention":
        oa = {"in_force": 1 + r.poisson(0.6), "lapsed": 1 + r.poisson(0.5),
              "expired": r.poisson(1.2), "invalidated": 1 + r.poisson(0.5),
              "rejected": 2 + r.poisson(0.6), "withdrawn": r.poisson(0.7),
              "pending": r.poisson(0.5)}[status]
        if granted and r.random() < 0.2:
            oa = 0 if r.random() < 0.5 else oa
        row["office_actions"] = int(oa)
        reex = 0.3 if status == "rejected" else (0.02 if granted else 0.0)
        row["reexaminations"] = int(r.random() < reex)
    else:
        row["office_actions"] = 0
        row["reexaminations"] = 0
    row["appeals"] = 0
    row["continued_examinations"] = 0
    row["extensions"] = int(r.random() < (0.04 if ptype == "invention" else 0.0))
    row["continuity_parents"] = 1 if divisional else 0
    row["continuity_children"] = 0

    # ---------------------------------------------------------------- family
    cn_pub = row["publication_number"]
    row["family_id"] = st.family_id()
    if flags["overseas"]:
        members, countries, g = _overseas(st, cn_pub, True, pub.year)
        row["family_members"], row["family_countries"], row["overseas_granted"] = members, countries, g
    elif ptype == "invention" and pct:
        members, countries, g = _overseas(st, cn_pub, False, pub.year)
        row["family_members"], row["family_countries"], row["overseas_granted"] = members, countries, g
    elif ptype == "invention" and not valid_inv and granted and r.random() < 0.02:
        members, countries, g = _overseas(st, cn_pub, True, pub.year)  # a dead patent's family
        row["family_members"], row["family_countries"], row["overseas_granted"] = members, countries, g
    else:
        row["family_members"], row["family_countries"], row["overseas_granted"] = [cn_pub], ["CN"], []
    if pct:
        wo = f"WO{min(filing.year + 1, as_of.year)}{int(r.integers(0, 250000)):06d}A1"
        row["family_members"] = [*row["family_members"], wo]

    # ---------------------------------------------------------------- pledge, award, transfers
    thr = st.pledge_threshold
    pledge_amount = 0.0
    pledge_count = 0
    pledge_date = None
    small = (valid_inv and r.random() < P["valid_invention_small_pledge"]) or (
        not valid_inv and granted and ptype != "design" and r.random() < 0.01)
    if flags["pledge"] or small:
        pledge_count = 1 + int(r.random() < 0.25) + int(r.random() < 0.05)
        if flags["pledge"]:
            if r.random() < 0.1:
                pledge_amount = thr
            else:
                pledge_amount = float(np.round(np.exp(r.uniform(np.log(thr), np.log(thr * 60)))
                                               / 10_000) * 10_000)
        else:
            hi = max(thr - 10_000, 50_000)
            pledge_amount = float(np.round(np.exp(r.uniform(np.log(30_000), np.log(hi))) / 1000)
                                  * 1000)
            pledge_amount = min(pledge_amount, thr - 1000)
        start = grant or filing
        end = lapse or as_of
        span = max(1, (end - start).days - 1)
        pledge_date = start + dt.timedelta(days=int(r.integers(1, span + 1)))
    row["pledge_count"] = pledge_count
    row["pledge_amount_cny"] = pledge_amount
    row["pledge_date"] = pledge_date
    awards: list[str] = []
    award_year = None
    if flags["award"]:
        awards = [_choice(r, _AWARD_MIX)]
        if r.random() < 0.1:
            other = _choice(r, _AWARD_MIX)
            if other not in awards:
                awards.append(other)
    elif valid_inv and r.random() < P["valid_invention_provincial_award"]:
        awards = ["provincial_patent_award"]
    elif ptype == "design" and status == "in_force" and r.random() < 0.002:
        awards = ["china_design_excellence"]
    if awards:
        y0 = (grant or filing).year + 1
        y1 = (lapse or as_of).year
        award_year = int(r.integers(min(y0, y1), y1 + 1))
    row["awards"] = awards
    row["award_year"] = award_year
    p_tr = {"invention": 0.06, "utility_model": 0.03, "design": 0.01}[ptype]
    p_li = {"invention": 0.03, "utility_model": 0.01, "design": 0.005}[ptype]
    if atype in ("university", "research_institute"):
        p_tr, p_li = p_tr * 1.5, p_li * 2.5
    row["transfers"] = int(r.random() < p_tr) * (1 + int(r.poisson(0.3))) if granted else 0
    row["licenses"] = int(r.random() < p_li) * (1 + int(r.poisson(0.4))) if granted else 0

    # ---------------------------------------------------------------- citations
    age = max(0.1, (as_of - filing).days / _YEAR)
    if ptype == "design":
        row["backward_citations"], row["forward_citations"] = 0, 0
    else:
        mean_b = 8.0 if ptype == "invention" else 3.5
        row["backward_citations"] = int(r.negative_binomial(2, 2 / (2 + mean_b)))
        mean_f = (2.2 if ptype == "invention" else 0.7) * (age / 5) ** 0.8
        if flags["sei"]:
            mean_f *= 1.3
        if flags["overseas"]:
            mean_f *= 2.0
        if awards and flags["award"]:
            mean_f *= 4.0
        row["forward_citations"] = int(r.negative_binomial(1.2, 1.2 / (1.2 + mean_f)))
    return row


def _dates(st: _State, ptype: str, status: str, flags: dict):
    """Filing, grant, (first) publication and lapse dates agreeing with type and status."""
    r = st.rng
    as_of = st.as_of

    def back(years: float) -> dt.date:
        return as_of - dt.timedelta(days=int(round(years * _YEAR)))

    grant = lapse = None
    if ptype == "invention":
        if status == "in_force":
            if flags["maintained_10y"]:
                age = 10.05 + 9.8 * float(r.beta(1.0, 2.2))
            else:
                age = 1.0 + 8.95 * float(r.beta(1.4, 1.9))
        elif status == "pending":
            age = 0.45 + 3.6 * float(r.beta(1.5, 1.6))
        elif status == "expired":
            age = 20.05 + 6.0 * float(r.beta(1.0, 2.0))
        elif status == "lapsed":
            age = 3.0 + 17.0 * float(r.beta(1.6, 2.2))
        elif status == "invalidated":
            age = 3.0 + 12.0 * float(r.beta(1.5, 1.5))
        else:  # rejected / withdrawn
            age = 2.2 + 10.0 * float(r.beta(1.3, 2.2))
        filing = back(age)
        if status in ("in_force", "lapsed", "expired", "invalidated"):
            lag = float(np.clip(r.lognormal(np.log(2.3), 0.35), 0.55, 6.0))
            if status == "expired":
                lag = float(np.clip(r.lognormal(np.log(3.2), 0.3), 1.2, 6.0))
            if lag > age - 0.05:
                lag = float(r.uniform(0.45, max(0.5, age - 0.05)))
            grant = _shift(filing, lag)
            pub_lag = float(r.uniform(0.25, 1.5))
            pub = _shift(filing, min(pub_lag, lag - 0.1))
            if status == "expired":
                lapse = _add_years(filing, 20)
            elif status == "lapsed":
                first = int(np.ceil(lag)) + 1
                last = int(np.floor(age - 0.5))
                k = int(r.integers(first, last + 1)) if last >= first else first
                lapse = _add_years(filing, k)
                if lapse > as_of:
                    lapse = as_of - dt.timedelta(days=int(r.integers(30, 120)))
            elif status == "invalidated":
                lapse = _shift(grant, float(r.uniform(0.4, max(0.5, age - lag - 0.1))))
        else:
            pub_hi = min(1.5, age - 0.02)
            pub = _shift(filing, float(r.uniform(min(0.25, pub_hi - 0.01), pub_hi)))
            if status == "rejected":
                lapse = _shift(filing, float(r.uniform(max(2.0, (pub - filing).days / _YEAR + 0.2),
                                                       max(2.1, min(4.5, age - 0.05)))))
            elif status == "withdrawn":
                lapse = _shift(filing, float(r.uniform(max(1.5, (pub - filing).days / _YEAR + 0.1),
                                                       max(1.6, min(4.0, age - 0.05)))))
        return filing, grant, pub, lapse

    term = 10  # utility models; designs filed before 2021-06-01 (15 years after)
    if status == "in_force":
        age = 0.45 + 9.45 * float(r.beta(1.2, 2.6))
    elif status == "expired":
        age = 10.05 + 8.0 * float(r.beta(1.0, 2.0))
    elif status == "lapsed":
        age = 1.5 + 14.0 * float(r.beta(1.5, 2.0))
    else:  # invalidated
        age = 1.5 + 8.0 * float(r.beta(1.5, 1.5))
    filing = back(age)
    lag = float(np.clip(r.lognormal(np.log(0.65), 0.35), 0.25, 2.0))
    if lag > age - 0.05:
        lag = float(r.uniform(0.2, age - 0.05))
    grant = _shift(filing, lag)
    pub = grant  # utility models and designs are published when granted (授权公告)
    if status == "expired":
        lapse = _add_years(filing, term)
    elif status == "lapsed":
        first = int(np.ceil(lag)) + 1
        last = int(np.floor(age - 0.3))
        k = int(r.integers(first, last + 1)) if last >= first else first
        lapse = _add_years(filing, min(k, term))
        if lapse > as_of:
            lapse = as_of - dt.timedelta(days=int(r.integers(30, 120)))
    elif status == "invalidated":
        lapse = _shift(grant, float(r.uniform(0.3, max(0.4, age - lag - 0.05))))
    return filing, grant, pub, lapse


def make_patents(
    n: int,
    seed: int = 0,
    as_of: str | dt.date = "2025-12-31",
    *,
    pledge_threshold_cny: float = PLEDGE_THRESHOLD_CNY,
) -> pd.DataFrame:
    """A synthetic municipal patent stock (Chongqing-like) as canonical records.

    Parameters
    ----------
    n : number of records (rows)
    seed : seed of the random generator; the same arguments give an identical frame
    as_of : the date the legal status and maintenance years are true at (YYYY-MM-DD)
    pledge_threshold_cny : pledges of a valid invention that meets the pledge criterion are at
        least this amount; other pledges stay below it

    Returns
    -------
    DataFrame with the columns of :data:`hvpscore.schema.COLUMNS` in that order, dtypes as the
    readers produce them. Proportions: :data:`hvpscore.datasets.PROPORTIONS` /
    :data:`hvpscore.datasets.INTENDED`. The data are synthetic: every name and number is invented.

    Examples
    --------
    >>> df = make_patents(50, seed=1)
    >>> len(df), bool(df["patent_id"].str.startswith("CN").all())
    (50, True)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InputError(f"n={n!r} is not a whole number ≥ 0; give the number of records to make")
    try:
        as_of_date = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError(f"as_of={as_of!r} is not a date; use YYYY-MM-DD, e.g. 2025-12-31") from None
    if isinstance(as_of_date, dt.datetime):
        as_of_date = as_of_date.date()
    if not pledge_threshold_cny > 0:
        raise InputError(f"pledge_threshold_cny={pledge_threshold_cny!r} must be > 0 (CNY)")
    rng = np.random.default_rng(seed)
    st = _State(int(n), rng, as_of_date)
    st.pledge_threshold = float(pledge_threshold_cny)
    type_mix = record_type_mix()
    rows = []
    for _ in range(int(n)):
        ptype = _choice(rng, type_mix)
        status = _choice(rng, PROPORTIONS["status_mix"][ptype])
        rows.append(_row(st, ptype, status))
    _add_hong_kong(rows, np.random.default_rng([seed, 852]))
    return _frame(rows)


def _add_hong_kong(rows: list[dict], rng: np.random.Generator) -> None:
    """Hong Kong standard patents (re-registered CN grants), from a second stream of draws.

    Some valid inventions with foreign grants also hold a HK patent; a few valid inventions hold a
    HK patent only. HK does not count as overseas under the default policy (``count_hk_mo_tw``),
    so the HK-only ones are *not* meant to meet the overseas criterion; they exercise that setting.
    """
    p = PROPORTIONS
    for row in rows:
        if row["patent_type"] != "invention" or row["legal_status"] != "in_force":
            continue
        has_foreign = bool(row["overseas_granted"])
        if has_foreign and rng.random() < p["overseas_with_hk"]:
            pass
        elif not has_foreign and rng.random() < p["valid_invention_hk_only"]:
            pass
        else:
            continue
        hk = f"HK{int(rng.integers(1_000_000, 1_300_000))}B"
        row["family_members"] = [*row["family_members"], hk]
        row["family_countries"] = [*row["family_countries"], "HK"]
        row["overseas_granted"] = [*row["overseas_granted"], "HK"]


def _frame(rows: list[dict]) -> pd.DataFrame:
    data = {}
    for c in COLUMNS:
        vals = [r[c.name] for r in rows]
        if c.kind == "date":
            data[c.name] = pd.Series(pd.to_datetime(pd.Series(vals, dtype=object)),
                                     dtype="datetime64[ns]")
        elif c.kind == "int":
            data[c.name] = pd.Series(pd.array(vals, dtype="Int64"))
        elif c.kind == "float":
            data[c.name] = pd.Series(np.array([np.nan if v is None else v for v in vals],
                                              dtype="float64"))
        elif c.kind == "bool":
            data[c.name] = pd.Series(pd.array(vals, dtype="boolean"))
        else:
            data[c.name] = pd.Series(vals, dtype=object)
    return pd.DataFrame(data)
