"""``compute_indicators``: plan indicators by region and owner type, against targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError
from hvpscore.indicators._context import Context, load_context
from hvpscore.indicators._data import package_yaml
from hvpscore.indicators._messages import note
from hvpscore.indicators._names import name_key
from hvpscore.indicators._stock import CRITERIA, build_stock, normalize_region, region_matches
from hvpscore.indicators._targets import DEFAULT_TARGETS, OPS, Targets, load_targets

__all__ = ["ALL_REGIONS", "INDICATORS", "Indicators", "compute_indicators", "indicator_quantity"]

ALL_REGIONS = "全部"
INDICATORS: tuple[str, ...] = tuple(package_yaml("indicators.yaml")["indicators"])
OWNER_CLASSES = tuple(package_yaml("owner_types.yaml")["classes"])
_DAYS_PER_MONTH = 365.25 / 12


def _definitions() -> dict:
    return package_yaml("indicators.yaml")["indicators"]


@dataclass
class Indicators:
    """The result of :func:`compute_indicators`.

    ``table``: one row per indicator (value, target, gap, status, basis, sources, and with
    ``compare_to`` the previous value and the change); ``criteria``: counts by official
    criterion; ``by_region``; ``by_owner_type`` (the CNIPA layout); ``notes``: what was assumed or
    left out. ``stock`` is the joined stock the tables were computed from.
    """

    as_of: pd.Timestamp
    region: str
    table: pd.DataFrame
    criteria: pd.DataFrame
    by_region: pd.DataFrame
    by_owner_type: pd.DataFrame
    notes: list[dict] = field(default_factory=list)
    targets: Targets | None = None
    context: Context | None = None
    stock: pd.DataFrame | None = None
    compare_to: pd.Timestamp | None = None

    def value(self, indicator: str):
        """The value of one indicator (None when there is no data)."""
        row = self.table.loc[self.table["indicator"] == indicator]
        if row.empty:
            raise InputError(f"unknown indicator {indicator!r}; known: {', '.join(INDICATORS)}")
        v = row["value"].iloc[0]
        return None if pd.isna(v) else float(v)


def _subset(stock: pd.DataFrame, region: str, domestic_only: bool) -> pd.DataFrame:
    sub = stock
    if region != ALL_REGIONS:
        sub = sub[sub["region"].map(lambda r: region_matches(r, region))]
    if domestic_only:
        sub = sub[sub["is_domestic"].to_numpy(dtype=bool)]
    return sub


def indicator_quantity(sub: pd.DataFrame, name: str, as_of: pd.Timestamp):
    """A stock quantity by name (see ``data/indicators.yaml``); None when it cannot be computed."""
    hv = sub["is_high_value"].to_numpy(dtype=bool)
    if name == "hv":
        return int(hv.sum())
    if name == "valid_invention":
        return int(sub["valid_invention"].sum())
    if name == "sei":
        return int(sub["hv_sei"].sum())
    if name.startswith("hv_owner:"):
        return int((hv & (sub["owner_class"] == name.split(":", 1)[1]).to_numpy()).sum())
    if name.startswith("hv_tag:"):
        tag = name.split(":", 1)[1]
        return int((hv & sub["enterprise_tags"].map(lambda t: tag in t).to_numpy()).sum())
    if name.startswith("tagged:"):
        tag = name.split(":", 1)[1]
        owners = sub.loc[sub["enterprise_tags"].map(lambda t: tag in t), "first_owner"]
        n = owners.map(name_key).replace("", np.nan).nunique()
        return int(n) if n else None
    if name == "pledge_amount_year":
        d = pd.to_datetime(sub["pledge_date"])
        m = (d.dt.year == as_of.year) & (d <= as_of)
        return float(np.nansum(sub.loc[m, "pledge_amount_cny"].to_numpy(dtype=float)))
    if name == "exam_months_median":
        g = pd.to_datetime(sub["grant_date"])
        f = pd.to_datetime(sub["filing_date"])
        m = hv & (g.dt.year == as_of.year).to_numpy() & (g <= as_of).to_numpy() & f.notna().to_numpy()
        if not m.any():
            return None
        months = (g[m] - f[m]).dt.days / _DAYS_PER_MONTH
        return float(np.median(months))
    raise InputError(f"indicators.yaml: unknown quantity {name!r}")


def _resolve(q, sub, region, context: Context, as_of):
    """(value, source) of a quantity; value None when missing."""
    if q is None:
        return 1.0, ""
    if isinstance(q, str) and q.startswith("context."):
        fname = q.split(".", 1)[1]
        v = context.get(region, fname, as_of.year) if region != ALL_REGIONS else None
        if v is None:
            return None, ""
        src = v.source or context.id
        if v.year != as_of.year:
            src = f"{src} ({v.year})"
        if context.synthetic and "synthetic" not in src.lower():
            src = f"{src} [synthetic]"
        return v.value, src
    return indicator_quantity(sub, q, as_of), "records"


def _evaluate(ind: str, spec: dict, stock, region, context, as_of, domestic_only):
    dom = spec.get("domestic_only", False) if domestic_only is None else bool(domestic_only)
    sub = _subset(stock, region, dom)
    attempts = [dict(spec)] + [{**spec, **fb} for fb in spec.get("fallback", [])]
    first_missing = None
    for i, a in enumerate(attempts):
        num, nsrc = _resolve(a.get("numerator"), sub, region, context, as_of)
        den, dsrc = _resolve(a.get("denominator"), sub, region, context, as_of)
        if num is None or den is None:
            first_missing = first_missing or ("numerator" if num is None else "denominator")
            continue
        if a.get("denominator") is not None and den == 0:
            return dict(value=np.nan, numerator=num, denominator=den, domestic_only=dom,
                        basis_zh="分母为0", basis_en="denominator is 0", source="")
        value = num / den * float(a.get("scale", 1.0))
        basis = a.get("basis") or {}
        if i > 0 and not basis:
            basis = {"zh": f"替代口径：{a.get('denominator')}",
                     "en": f"fallback definition: {a.get('denominator')}"}
        srcs = [s for s in (nsrc, dsrc) if s and s != "records"]
        return dict(value=value, numerator=num,
                    denominator=den if a.get("denominator") is not None else np.nan,
                    domestic_only=dom, basis_zh=basis.get("zh", ""), basis_en=basis.get("en", ""),
                    source="; ".join(dict.fromkeys(srcs)) or "records")
    return dict(value=np.nan, numerator=np.nan, denominator=np.nan, domestic_only=dom,
                basis_zh=f"缺数据（{first_missing}）", basis_en=f"no data ({first_missing})",
                source="")


def _table(stock, region, context, targets: Targets, as_of, domestic_only) -> pd.DataFrame:
    rows = []
    for ind, spec in _definitions().items():
        r = _evaluate(ind, spec, stock, region, context, as_of, domestic_only)
        t = targets.targets.get(ind) if targets else None
        value = r["value"]
        if t is None:
            status = "no_target"
        elif pd.isna(value):
            status = "no_data"
        else:
            status = "met" if t.met(float(value)) else "not_met"
        rows.append({
            "indicator": ind,
            "name_zh": spec["zh"], "name_en": spec["en"],
            "unit_zh": spec["unit"]["zh"], "unit_en": spec["unit"]["en"],
            "format": spec.get("format", "float2"),
            "region": region,
            "value": value,
            "target_op": OPS[t.op] if t else "",
            "target": t.value if t else np.nan,
            "gap": (value - t.value) if (t and not pd.isna(value)) else np.nan,
            "status": status,
            "target_date": targets.target_date.date().isoformat()
            if (t and targets.target_date is not None) else "",
            "numerator": r["numerator"], "denominator": r["denominator"],
            "domestic_only": r["domestic_only"],
            "basis_zh": r["basis_zh"] or (t.note_zh if t else ""),
            "basis_en": r["basis_en"] or (t.note_en if t else ""),
            "source": r["source"],
            "passage": t.passage if t else "",
        })
    return pd.DataFrame(rows)


def _criteria_table(sub: pd.DataFrame) -> pd.DataFrame:
    names = package_yaml("labels.yaml")["criteria"]
    hv = sub["is_high_value"].to_numpy(dtype=bool)
    n_valid = int(sub["valid_invention"].sum())
    n_hv = int(hv.sum())
    flags = sub[list(CRITERIA)].to_numpy(dtype=bool)
    n_met = flags.sum(axis=1)
    rows = []
    for j, c in enumerate(CRITERIA):
        k = int(flags[:, j].sum())
        only = int((flags[:, j] & (n_met == 1)).sum())
        amount = float(np.nansum(sub.loc[flags[:, j], "pledge_amount_cny"].to_numpy(dtype=float)))
        rows.append({"criterion": c, "name_zh": names[c]["zh"], "name_en": names[c]["en"],
                     "count": k, "only_this": only,
                     "share_of_valid": k / n_valid if n_valid else np.nan,
                     "share_of_hv": k / n_hv if n_hv else np.nan,
                     "pledge_amount_cny": amount})
    rows.append({"criterion": "any", "name_zh": names["any"]["zh"], "name_en": names["any"]["en"],
                 "count": n_hv, "only_this": np.nan,
                 "share_of_valid": n_hv / n_valid if n_valid else np.nan,
                 "share_of_hv": 1.0 if n_hv else np.nan,
                 "pledge_amount_cny": float(np.nansum(
                     sub.loc[hv, "pledge_amount_cny"].to_numpy(dtype=float)))})
    rows.append({"criterion": "sum_of_criteria", "name_zh": names["sum_of_criteria"]["zh"],
                 "name_en": names["sum_of_criteria"]["en"], "count": int(flags.sum()),
                 "only_this": np.nan, "share_of_valid": np.nan,
                 "share_of_hv": flags.sum() / n_hv if n_hv else np.nan,
                 "pledge_amount_cny": np.nan})
    rows.append({"criterion": "multiple", "name_zh": names["multiple"]["zh"],
                 "name_en": names["multiple"]["en"], "count": int((n_met >= 2).sum()),
                 "only_this": np.nan,
                 "share_of_valid": (n_met >= 2).sum() / n_valid if n_valid else np.nan,
                 "share_of_hv": (n_met >= 2).sum() / n_hv if n_hv else np.nan,
                 "pledge_amount_cny": np.nan})
    return pd.DataFrame(rows)


def _counts(sub: pd.DataFrame) -> dict:
    n_valid = int(sub["valid_invention"].sum())
    n_hv = int(sub["is_high_value"].sum())
    out = {"valid_invention": n_valid, "high_value": n_hv,
           "hv_share": n_hv / n_valid if n_valid else np.nan}
    for c in CRITERIA:
        out[c] = int(sub[c].sum())
    return out


def _owner_table(sub: pd.DataFrame) -> pd.DataFrame:
    spec = package_yaml("owner_types.yaml")
    n_hv_all = int(sub["is_high_value"].sum())
    rows = []
    keys = list(OWNER_CLASSES)
    if (sub["owner_class"] == "unknown").any():
        keys.append("unknown")
    for cls in keys:
        s = sub[sub["owner_class"] == cls]
        lab = spec["classes"].get(cls, spec["unknown"])
        c = _counts(s)
        rows.append({"owner_class": cls, "name_zh": lab["zh"], "name_en": lab["en"], **c,
                     "share_of_all_hv": c["high_value"] / n_hv_all if n_hv_all else np.nan})
    c = _counts(sub)
    tot = package_yaml("labels.yaml")["total"]
    rows.append({"owner_class": "total", "name_zh": tot["zh"], "name_en": tot["en"], **c,
                 "share_of_all_hv": 1.0 if n_hv_all else np.nan})
    return pd.DataFrame(rows)


def _region_table(stock, context: Context, as_of) -> pd.DataFrame:
    labels = package_yaml("labels.yaml")
    ctx_regions = [r for r in context.regions]
    names = list(ctx_regions)
    for r in stock["region"].unique():
        if not any(region_matches(r, c) for c in ctx_regions) and r not in names:
            names.append(r)
    rows = []
    for r in names:
        if r == "":
            sub = stock[stock["region"] == ""]
        elif r in ctx_regions:
            sub = stock[stock["region"].map(lambda x, r=r: region_matches(x, r))]
        else:
            sub = stock[stock["region"] == r]
        c = _counts(sub)
        row = {"region": r or labels["unknown_region"]["zh"], "in_context": r in ctx_regions,
               "domestic": sub["domestic"].map(lambda d: d is True).all() if len(sub) else np.nan,
               **c}
        for ind, field_name in (("hv_per_10k_pop", "population_10k"),
                                ("hv_per_100m_rd", "rd_100m_cny"),
                                ("hv_per_100m_gdp", "gdp_100m_cny")):
            v = context.get(r, field_name, as_of.year) if r in ctx_regions else None
            row[ind] = c["high_value"] / v.value if (v is not None and v.value) else np.nan
        rows.append(row)
    rows.sort(key=lambda x: (-x["high_value"], x["region"]))
    c = _counts(stock)
    rows.append({"region": labels["total"]["zh"], "in_context": False,
                 "domestic": np.nan, **c, "hv_per_10k_pop": np.nan, "hv_per_100m_rd": np.nan,
                 "hv_per_100m_gdp": np.nan})
    return pd.DataFrame(rows)


def _headline_region(region, targets: Targets, context: Context, stock) -> str:
    if region is not None:
        return normalize_region(region) or ALL_REGIONS
    if targets and targets.region and (targets.region in context.regions or
                                       stock["region"].map(lambda r: region_matches(
                                           r, targets.region)).any()):
        return targets.region
    if len(context.regions) == 1:
        return context.regions[0]
    return ALL_REGIONS


def compute_indicators(scores, records, context=None, *, targets=DEFAULT_TARGETS, as_of=None,
                       domestic_only=None, region=None, compare_to=None, policy=None,
                       ) -> Indicators:
    """Plan indicators of a patent stock as of a date, by region and owner type, against targets.

    ``scores``: the score table of :func:`hvpscore.score_records` / ``hvpscore score`` (or of
    ``hvpscore criteria``; ``None`` evaluates the criteria from the records). ``records``: the
    canonical records it was made from (owners, regions, tags, pledges; joined on ``patent_id``).
    ``context``: denominators by region and year (:func:`load_context`: a YAML/CSV path, mapping or
    DataFrame; ``None`` = no denominators, ratio indicators show ``no_data``). ``targets``: a
    shipped id, a YAML path or None (default: the Chongqing 2022–2024 plan).
    ``as_of``: default the score table's date; another date re-evaluates the criteria from the
    records. ``domestic_only``: None = each indicator's definition (``data/indicators.yaml``),
    True/False = for all. ``region``: the headline region (default: the target file's region when
    the data hold it, else the context's only region, else all records). ``compare_to``: a
    second date for year-over-year columns (criteria re-evaluated from the records at that date,
    context figures of that year).

    Each patent counts once in every total, and in every criterion it meets; owner types and
    enterprise tags are those of the record (its first owner). Definitions, bases and sources
    are in the result's ``table``; see :class:`Indicators`.
    """
    ctx = load_context(context)
    tg = load_targets(targets)
    stock, ts, notes = build_stock(scores, records, as_of=as_of, policy=policy)
    head = _headline_region(region, tg, ctx, stock)
    if head != ALL_REGIONS and head not in ctx.regions:
        notes.append(note("no_context_region", region=head))
    if ctx.synthetic:
        notes.append(note("synthetic_context", id=ctx.id, note=ctx.note or "—"))
    table = _table(stock, head, ctx, tg, ts, domestic_only)
    dom_hv = _subset(stock, head, True)
    all_hv = _subset(stock, head, False)
    left_out = int(all_hv["is_high_value"].sum() - dom_hv["is_high_value"].sum())
    if left_out:
        notes.append(note("domestic_left_out", n=left_out))
    if tg.target_date is not None and ts > tg.target_date:
        notes.append(note("after_target_date", as_of=ts.date(),
                          target_date=tg.target_date.date(), document=tg.document or tg.id))
    sub = _subset(stock, head, domestic_only if domestic_only is not None else True)
    res = Indicators(as_of=ts, region=head, table=table, criteria=_criteria_table(sub),
                     by_region=_region_table(stock, ctx, ts),
                     by_owner_type=_owner_table(sub), notes=notes, targets=tg, context=ctx,
                     stock=stock)
    if compare_to is not None:
        prev_ts = parse_as_of(compare_to)
        prev_stock, _, _ = build_stock(None, records, as_of=prev_ts, policy=policy)
        if scores is not None:
            keep = set(stock["patent_id"])
            prev_stock = prev_stock[prev_stock["patent_id"].isin(keep)]
        prev = _table(prev_stock, head, ctx, tg, prev_ts, domestic_only)
        table["value_prev"] = prev["value"].to_numpy()
        table["change"] = table["value"] - table["value_prev"]
        with np.errstate(divide="ignore", invalid="ignore"):
            table["change_pct"] = np.where(table["value_prev"].abs() > 0,
                                           table["change"] / table["value_prev"].abs(), np.nan)
        res.compare_to = prev_ts
        notes.append(note("previous_values", as_of=prev_ts.date()))
    return res
