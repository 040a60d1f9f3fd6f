"""The stock: score table + canonical records joined on ``patent_id``, with the columns the
indicators, lists and support rules need (valid invention, owner class, region, domestic …)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError
from hvpscore.indicators._data import package_yaml
from hvpscore.indicators._messages import note

__all__ = ["CRITERIA", "build_stock", "domestic_of", "normalize_region", "region_matches"]

# The five official criteria, in the order of the policy.
CRITERIA = ("hv_sei", "hv_overseas", "hv_maintained_10y", "hv_pledge", "hv_award")
_FLAGS = ("is_high_value", *CRITERIA, "in_force")
_HK_MO_TW = {"HK", "MO", "TW"}


def normalize_region(region) -> str:
    """NFKC, no spaces; '' for a missing region."""
    if region is None or (isinstance(region, float) and np.isnan(region)) or region is pd.NA:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(region)).split())


def _short(name: str) -> str:
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=100_000)
def region_matches(record_region: str, region: str) -> bool:
    """Whether a (normalised) record region lies in ``region``: it contains the region's full
    name, or starts with its short name (重庆市渝北区 and 重庆 are in 重庆市; 渝北区 is in 重庆市渝北区)."""
    r = normalize_region(region)
    if not record_region or not r:
        return False
    return r in record_region or record_region.startswith(_short(r))


@lru_cache(maxsize=100_000)
def domestic_of(record_region: str):
    """True (mainland), False (HK/MO/TW, foreign or unmatched text) or None (no region)."""
    if not record_region:
        return None
    data = package_yaml("regions.yaml")
    for d in data["divisions"]:
        if record_region.startswith(d["name"]) or record_region.startswith(d["short"]):
            return bool(d["domestic"])
    return record_region in data.get("domestic_other", [])


def _owner_class_map() -> dict[str, str]:
    out = {}
    for cls, spec in package_yaml("owner_types.yaml")["classes"].items():
        for t in spec["from"]:
            out[t] = cls
    return out


def _as_list(v) -> list:
    if isinstance(v, (list, tuple, np.ndarray)):
        return [x for x in v if x is not None and str(x).strip() != ""]
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return []
    s = str(v).strip()
    return [x.strip() for x in s.split(";") if x.strip()] if s else []


def _col(records: pd.DataFrame, name: str, default=None) -> pd.Series:
    if name in records.columns:
        return records[name]
    return pd.Series([default] * len(records), index=records.index, dtype=object)


def build_stock(scores: pd.DataFrame | None, records: pd.DataFrame, *, as_of=None, policy=None,
                ) -> tuple[pd.DataFrame, pd.Timestamp, list[str]]:
    """Join the score table to the records; re-evaluate the criteria when ``as_of`` differs from
    the score table's date (or when no score table is given).

    Returns (stock, as_of, notes). One stock row per record that is in the score table.
    """
    if not isinstance(records, pd.DataFrame):
        raise InputError(f"records must be a DataFrame of canonical records, got "
                         f"{type(records).__name__}; read them with hvpscore.read_records")
    if "patent_id" not in records.columns:
        raise InputError("records have no patent_id column; read them with hvpscore.read_records")
    dup = records["patent_id"].duplicated()
    if dup.any():
        raise InputError(f"records: patent_id {records['patent_id'][dup].iloc[0]!r} appears more "
                         "than once; give each patent once")
    notes: list[dict] = []
    recs = records.reset_index(drop=True)
    scores_as_of = None
    if scores is not None:
        if not isinstance(scores, pd.DataFrame):
            raise InputError(f"scores must be the score table (a DataFrame), got "
                             f"{type(scores).__name__}")
        missing = [c for c in ("patent_id", *_FLAGS) if c not in scores.columns]
        if missing:
            raise InputError(f"score table lacks column(s) {', '.join(missing)}; give the output "
                             "of hvpscore score (or hvpscore criteria)")
        if "as_of" in scores.columns and scores["as_of"].notna().any():
            vals = sorted(set(scores["as_of"].dropna().astype(str)))
            if len(vals) > 1:
                raise InputError(f"score table mixes as_of dates {', '.join(vals[:3])}; score the "
                                 "stock as of one date")
            scores_as_of = parse_as_of(vals[0])
    if as_of is None and scores_as_of is None:
        raise InputError("as_of is needed: the score table carries no as_of column; pass "
                         "as_of=YYYY-MM-DD")
    ts = parse_as_of(as_of) if as_of is not None else scores_as_of

    pos = pd.Series(np.arange(len(recs)), index=recs["patent_id"].astype(str).to_numpy())
    if scores is not None:
        sid = scores["patent_id"].astype(str)
        absent = ~sid.isin(pos.index)
        if absent.any():
            raise InputError(f"{int(absent.sum())} patent(s) of the score table are not in the "
                             f"records, e.g. {sid[absent].iloc[0]!r}; give the records the score "
                             "table was made from")
        sdup = sid.duplicated()
        if sdup.any():
            raise InputError(f"score table: patent_id {sid[sdup].iloc[0]!r} appears more than once")
        extra = len(recs) - len(sid)
        if extra:
            notes.append(note("records_not_scored", n=extra))
        recs = recs.iloc[pos[sid.to_numpy()].to_numpy()].reset_index(drop=True)
        sc = scores.reset_index(drop=True)
    else:
        sc = None

    if sc is None or (scores_as_of is not None and ts != scores_as_of):
        from hvpscore.rules import evaluate_criteria

        crit = evaluate_criteria(recs, policy=policy, as_of=ts).reset_index(drop=True)
        flags = crit
        if sc is not None:
            notes.append(note("criteria_reevaluated", as_of=ts.date(),
                              scores_as_of=scores_as_of.date()))
    else:
        flags = sc

    stock = pd.DataFrame({"patent_id": recs["patent_id"].astype(str).to_numpy()})
    for c in _FLAGS:
        stock[c] = flags[c].fillna(False).astype(bool).to_numpy()
    stock["maintained_years"] = pd.to_numeric(flags.get("maintained_years"),
                                              errors="coerce").to_numpy() \
        if "maintained_years" in flags.columns else np.nan
    if sc is not None:
        for c in sc.columns:
            if c.startswith("p_") or c in ("score", "percentile"):
                stock[c] = pd.to_numeric(sc[c], errors="coerce").to_numpy()
        if "maintained_head" in sc.columns:  # which maintenance head gave p_maintained_10y
            stock["maintained_head"] = sc["maintained_head"].astype(object).to_numpy()
    if "score" not in stock.columns:
        stock["score"] = np.where(stock["is_high_value"], 100.0, np.nan)
    ptype = _col(recs, "patent_type")
    stock["patent_type"] = ptype.to_numpy()
    stock["valid_invention"] = stock["in_force"].to_numpy() & ptype.eq("invention").fillna(
        False).to_numpy(dtype=bool)
    # flags only count for valid inventions (the criteria engine guarantees it; keep it explicit)
    for c in ("is_high_value", *CRITERIA):
        stock[c] &= stock["valid_invention"]
    cls = _owner_class_map()
    atype = _col(recs, "applicant_type")
    stock["applicant_type"] = atype.to_numpy()
    stock["owner_class"] = atype.map(lambda t: cls.get(t, "unknown") if isinstance(t, str)
                                     else "unknown").to_numpy()
    region = _col(recs, "applicant_region").map(normalize_region)
    stock["region"] = region.to_numpy()
    stock["domestic"] = region.map(domestic_of).to_numpy()
    stock["is_domestic"] = region.map(lambda r: domestic_of(r) is True).to_numpy(dtype=bool)
    if "applicant_region" not in recs.columns:
        notes.append(note("no_region_column"))
    for c in ("applicants", "inventors", "enterprise_tags", "overseas_granted", "awards"):
        stock[c] = _col(recs, c).map(_as_list).to_numpy()
    stock["first_owner"] = stock["applicants"].map(lambda a: a[0] if a else "")
    for c in ("filing_date", "grant_date", "pledge_date", "lapse_date"):
        stock[c] = pd.to_datetime(_col(recs, c), errors="coerce").to_numpy()
    for c in ("pledge_amount_cny", "pledge_count", "transfers", "licenses"):
        stock[c] = pd.to_numeric(_col(recs, c), errors="coerce").astype(float).to_numpy()
    stock["legal_status"] = _col(recs, "legal_status").to_numpy()
    stock["family_id"] = _col(recs, "family_id").to_numpy()
    stock["pct_application"] = _col(recs, "pct_application").fillna(False).astype(bool).to_numpy()
    stock["foreign_grants"] = stock["overseas_granted"].map(
        lambda xs: sorted({str(x).upper() for x in xs} - _HK_MO_TW - {"CN"}))
    stock["commercialised"] = (np.nan_to_num(stock["transfers"].to_numpy()) +
                               np.nan_to_num(stock["licenses"].to_numpy())) > 0
    stock.attrs["as_of"] = ts
    return stock, ts, notes
