"""Top-100 lists of high-value invention patent holders and inventors (task 9 of the plan).

* Names are merged on :func:`name_key` (``data/names.yaml``) and an optional alias file; the list
  shows the canonical name (alias target) or else the most frequent original spelling (ties: the
  spelling on the most recently filed patent), and every spelling merged (``variants``).
* Co-owned patents: with ``credit="full"`` (default) every co-owner is credited with the whole
  patent (the usual reading of "拥有量": each holder holds it), so the holders' counts add up to
  more than the stock; ``"fractional"`` credits 1/k to each of k co-owners; ``"first"`` only the
  first owner. Inventors: every inventor named on a patent is credited with it.
* Inventors with the same name are kept apart by the holder they work for (the patent's first
  owner) unless ``inventor_key="name"``.
* Ranking: by high-value patents held, competition ranking ("1, 2, 2, 4"): equal counts share the
  rank and the next rank skips. Within a rank the order is more valid invention patents first, then
  the higher sum of scores, then the name in code-point order — for display only, the rank is
  shared. The cut at ``n`` keeps everyone whose rank is ≤ n, so a tie at the boundary can make the
  list longer than n. ``tie_break="score"`` ranks equal counts by the sum of scores of the
  holder's valid inventions instead (the rank is then shared only by equal count and equal sum),
  for a list of about n lines when many share the last count. Only holders with at least one
  high-value patent are ranked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore.indicators._group import mode_by_key, unique_join_by_key
from hvpscore.indicators._names import Aliases, load_aliases, name_key
from hvpscore.indicators._stock import CRITERIA, build_stock, region_matches

__all__ = ["holders_from_stock", "inventors_from_stock", "top_holders", "top_inventors"]

_CREDITS = ("full", "fractional", "first")


def _explode(stock: pd.DataFrame, names_col: str, credit: str) -> pd.DataFrame:
    rows = stock[[names_col]].copy()
    rows["_pos"] = np.arange(len(stock))
    rows = rows.explode(names_col)
    rows = rows[rows[names_col].notna() & (rows[names_col].astype(str).str.strip() != "")]
    k = rows.groupby("_pos")[names_col].transform("size").to_numpy(dtype=float)
    if credit == "fractional":
        rows["_w"] = 1.0 / k
    else:
        rows["_w"] = 1.0
    if credit == "first":
        rows = rows[~rows.duplicated("_pos", keep="first")]
    return rows.rename(columns={names_col: "_name"})


def _rank_table(rows: pd.DataFrame, stock: pd.DataFrame, keys: pd.Series, display: pd.Series,
                n: int, extra: dict[str, pd.Series] | None = None,
                tie_break: str | None = None) -> pd.DataFrame:
    pos = rows["_pos"].to_numpy()
    w = rows["_w"].to_numpy()
    df = pd.DataFrame({"key": keys.to_numpy(), "w": w})
    df["high_value"] = w * stock["is_high_value"].to_numpy()[pos]
    df["valid_invention"] = w * stock["valid_invention"].to_numpy()[pos]
    for c in CRITERIA:
        df[c] = w * stock[c].to_numpy()[pos]
    sc = np.nan_to_num(stock["score"].to_numpy(dtype=float))[pos]
    df["score_sum"] = w * np.where(stock["valid_invention"].to_numpy()[pos], sc, 0.0)
    df["co_owned_hv"] = (stock["is_high_value"].to_numpy()[pos] &
                         (stock["applicants"].map(len).to_numpy()[pos] > 1)).astype(float)
    g = df.groupby("key", sort=False)
    agg = g[["high_value", "valid_invention", *CRITERIA, "score_sum", "co_owned_hv"]].sum()
    agg = agg[agg["high_value"] > 0]
    raw = rows["_name"].astype(str).to_numpy()
    alias = mode_by_key(keys.to_numpy(), display.to_numpy())
    filed = stock["filing_date"].to_numpy()[pos]
    common = mode_by_key(keys.to_numpy(), raw, latest=filed)
    agg["name"] = [alias.get(k, common.get(k, k)) for k in agg.index]
    for col, s in (extra or {}).items():
        agg[col] = s.reindex(agg.index).fillna("").to_numpy()
    agg = agg[agg["high_value"] > 0]
    agg = agg.sort_values(["high_value", "valid_invention", "score_sum", "name"],
                          ascending=[False, False, False, True], kind="mergesort")
    if tie_break == "score":
        pair = list(zip(-agg["high_value"], -agg["score_sum"].round(6), strict=True))
        agg["rank"] = pd.Series(pair, index=agg.index).rank(method="min").astype(int)
    else:
        agg["rank"] = agg["high_value"].rank(method="min", ascending=False).astype(int)
    agg = agg[agg["rank"] <= n]
    inlist = pd.Series(keys.to_numpy()).isin(agg.index).to_numpy()
    var = unique_join_by_key(keys.to_numpy()[inlist], raw[inlist])
    agg["variants"] = [var.get(k, "") if var.get(k, "") != nm else ""
                       for k, nm in zip(agg.index, agg["name"], strict=True)]
    for c in ("high_value", "valid_invention", *CRITERIA, "co_owned_hv"):
        if np.allclose(agg[c], np.round(agg[c])):
            agg[c] = np.round(agg[c]).astype(int)
    agg["score_sum"] = agg["score_sum"].round(1)
    agg["hv_share"] = np.where(agg["valid_invention"] > 0,
                               agg["high_value"] / agg["valid_invention"].where(
                                   agg["valid_invention"] > 0), np.nan)
    return agg.reset_index()


def _check(credit, n, region, stock):
    if credit not in _CREDITS:
        raise InputError(f"credit {credit!r} is not one of {', '.join(_CREDITS)}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise InputError(f"n {n!r} must be a positive whole number, e.g. 100")
    if region is not None:
        stock = stock[stock["region"].map(lambda r: region_matches(r, region))]
    return stock.reset_index(drop=True)


def _check_tie(tie_break):
    if tie_break not in (None, "score"):
        raise InputError(f"tie_break {tie_break!r} is not one of None, 'score'")
    return tie_break


def _keys(names: pd.Series, aliases: Aliases) -> tuple[pd.Series, pd.Series]:
    uniq = {}
    for v in pd.unique(names.astype(str)):
        k, disp = aliases.resolve(name_key(v))
        uniq[v] = (k, disp)
    keys = names.astype(str).map(lambda v: uniq[v][0])
    disp = names.astype(str).map(lambda v: uniq[v][1])
    return keys, disp


def top_holders(scores, records, *, n: int = 100, aliases=None, credit: str = "full",
                as_of=None, policy=None, region=None, tie_break: str | None = None,
                ) -> pd.DataFrame:
    """The top-``n`` holders of high-value invention patents.

    ``scores`` / ``records`` as for :func:`hvpscore.compute_indicators`; ``aliases``: an alias
    file (CSV ``alias,canonical``) or DataFrame; ``credit``: ``full`` / ``fractional`` /
    ``first`` for co-owned patents; ``region``: only owners of that region.
    Columns: rank, name, variants (other spellings merged), applicant_type (of the records where
    the holder is the first owner), high_value, one column per criterion (hv_sei …),
    valid_invention, hv_share, co_owned_hv (high-value patents shared with other owners),
    score_sum. Rules (normalisation, co-ownership credit, ties) in the module docstring.
    """
    stock, _, _ = build_stock(scores, records, as_of=as_of, policy=policy)
    return holders_from_stock(stock, n=n, aliases=aliases, credit=credit, region=region,
                              tie_break=tie_break)


def holders_from_stock(stock: pd.DataFrame, *, n: int = 100, aliases=None, credit: str = "full",
                       region=None, tie_break: str | None = None) -> pd.DataFrame:
    """:func:`top_holders` on a stock already joined (``Indicators.stock``)."""
    stock = _check(credit, n, region, stock)
    al = load_aliases(aliases, kind="holder")
    rows = _explode(stock, "applicants", credit)
    keys, disp = _keys(rows["_name"], al)
    first = stock["first_owner"].astype(str)
    fkeys, _ = _keys(first, al)
    has = first.to_numpy() != ""
    tmode = mode_by_key(fkeys.to_numpy()[has], stock["applicant_type"].astype(object).to_numpy()[has])
    out = _rank_table(rows, stock, keys, disp, n, extra={"applicant_type": tmode},
                      tie_break=_check_tie(tie_break))
    cols = ["rank", "name", "variants", "applicant_type", "high_value", *CRITERIA,
            "valid_invention", "hv_share", "co_owned_hv", "score_sum"]
    return out[cols]


def top_inventors(scores, records, *, n: int = 100, aliases=None, inventor_key: str = "holder",
                  as_of=None, policy=None, region=None, holder_aliases=None,
                  tie_break: str | None = None) -> pd.DataFrame:
    """The top-``n`` inventors by high-value invention patents they are named on.

    ``inventor_key="holder"`` (default) keeps inventors of the same name apart by the holder they
    work for (each patent's first owner, normalised); ``"name"`` merges them. Columns: rank,
    name, holder, variants, high_value, one column per criterion, valid_invention, hv_share,
    score_sum.
    """
    stock, _, _ = build_stock(scores, records, as_of=as_of, policy=policy)
    return inventors_from_stock(stock, n=n, aliases=aliases, inventor_key=inventor_key,
                                region=region, holder_aliases=holder_aliases,
                                tie_break=tie_break)


def inventors_from_stock(stock: pd.DataFrame, *, n: int = 100, aliases=None,
                         inventor_key: str = "holder", region=None, holder_aliases=None,
                         tie_break: str | None = None) -> pd.DataFrame:
    """:func:`top_inventors` on a stock already joined (``Indicators.stock``)."""
    if inventor_key not in ("holder", "name"):
        raise InputError(f"inventor_key {inventor_key!r} is not one of holder, name")
    stock = _check("full", n, region, stock)
    al = load_aliases(aliases, kind="inventor")
    hal = load_aliases(holder_aliases, kind="holder")
    rows = _explode(stock, "inventors", "full")
    keys, disp = _keys(rows["_name"], al)
    first = stock["first_owner"].astype(str).to_numpy()[rows["_pos"].to_numpy()]
    hkeys, hdisp = _keys(pd.Series(first), hal)
    if inventor_key == "holder":
        keys = pd.Series(keys.to_numpy() + "|" + hkeys.to_numpy())
    hmode = mode_by_key(keys.to_numpy(), np.where(hdisp.notna().to_numpy(), hdisp.to_numpy(),
                                                  first),
                        latest=stock["filing_date"].to_numpy()[rows["_pos"].to_numpy()])
    out = _rank_table(rows, stock, keys, disp, n, extra={"holder": hmode},
                      tie_break=_check_tie(tie_break))
    cols = ["rank", "name", "holder", "variants", "high_value", *CRITERIA, "valid_invention",
            "hv_share", "score_sum"]
    return out[cols]
