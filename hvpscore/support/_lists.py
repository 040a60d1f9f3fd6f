"""Support lists (who qualifies for which measure) and the budget mode."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError, PolicyError
from hvpscore.indicators._stock import build_stock
from hvpscore.support._eligibility import entity_table, evaluate_rule, explain_rule
from hvpscore.support._measures import Measure, load_measures

__all__ = ["LINE_COLUMNS", "allocate_budget", "support_from_stock", "support_list"]

_DEFAULT_EVIDENCE = {"field": "is_high_value", "op": "==", "value": True}

LINE_COLUMNS = ["measure_id", "measure_zh", "measure_en", "clause", "level", "beneficiary",
                "holder", "patents", "units", "amount_cny", "cap_cny", "score", "status",
                "valid_from", "valid_to", "reason_zh", "reason_en", "source"]


def _stock(scores, records, as_of, policy):
    st, ts, _ = build_stock(scores, records, as_of=as_of, policy=policy)
    return st, ts


def _lines(m: Measure, stock: pd.DataFrame, ts: pd.Timestamp, cache: dict | None = None,
           ) -> pd.DataFrame:
    status = m.status(ts)
    base = {"measure_id": m.id, "measure_zh": m.name_zh, "measure_en": m.name_en,
            "clause": m.clause, "level": m.level, "cap_cny": m.cap_cny, "status": status,
            "valid_from": m.valid_from.date().isoformat(),
            "valid_to": m.valid_to.date().isoformat(), "source": m.passage}
    if m.level == "institution" or m.eligibility is None:
        return pd.DataFrame(columns=LINE_COLUMNS)
    period = (m.valid_from, min(m.valid_to, ts))
    cache = {} if cache is None else cache
    for lv in {m.level, "patent"}:
        if (lv, period) not in cache:
            cache[(lv, period)] = entity_table(stock, lv, period=period)
    full = cache[(m.level, period)]
    t = full[evaluate_rule(full, m.eligibility)].copy()
    if m.level != "patent" and len(t):
        pt = cache[("patent", period)]
        ev = pt[evaluate_rule(pt, m.evidence or _DEFAULT_EVIDENCE)]
        order = ev.sort_values(["score", "patent_id"], ascending=[False, True])["patent_id"]
        rank = {pid: i for i, pid in enumerate(order)}
        mem = full.attrs["members"]
        mem = mem[mem["key"].isin(set(t["key"])) & mem["patent_id"].isin(rank)]
        lists = mem.drop_duplicates().groupby("key")["patent_id"].agg(
            lambda ids: sorted(ids, key=rank.__getitem__))
        t["patents"] = t["key"].map(lists).map(lambda v: v if isinstance(v, list) else [])
    if t.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    t = t.sort_values(["score", "key"], ascending=[False, True], kind="mergesort")
    fam_note_zh = pd.Series("", index=t.index)
    fam_note_en = pd.Series("", index=t.index)
    if m.level == "patent" and m.one_per_family:
        fam = t["family_id"].astype(object).where(t["family_id"].notna(), t["patent_id"])
        first = ~fam.duplicated(keep="first")
        for idx in t.index[first.to_numpy()]:
            same = t.index[(fam == fam[idx]).to_numpy() & ~first.to_numpy()]
            if len(same):
                ids = "、".join(t.loc[same, "patent_id"])
                fam_note_zh[idx] = f"；同族另有 {ids}，只付一次"
                fam_note_en[idx] = f"; same family as {ids}: paid once"
        t = t[first.to_numpy()]
    rows = []
    for idx, r in t.iterrows():
        units = 1
        amount = m.amount_cny * units if m.amount_cny is not None and m.allocation == "fixed" \
            else (m.cap_cny if m.allocation == "proportional" else np.nan)
        why_zh = explain_rule(r, m.eligibility, "zh") + fam_note_zh.get(idx, "")
        why_en = explain_rule(r, m.eligibility, "en") + fam_note_en.get(idx, "")
        if m.allocation == "proportional":
            why_zh += f"；择优，最高 {m.cap_cny:,.0f} 元"
            why_en += f"; on merit, up to {m.cap_cny:,.0f} CNY"
        if m.rate is not None and m.allocation == "none":
            why_zh += f"；按实际费用的 {m.rate:.0%} 补贴"
            why_en += f"; {m.rate:.0%} of the actual cost"
        rows.append({**base, "beneficiary": r["name"], "holder": r["holder"],
                     "patents": list(r["patents"]), "units": units, "amount_cny": amount,
                     "score": float(r["score"]), "reason_zh": why_zh, "reason_en": why_en})
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def support_list(scores, records, *, as_of=None, measures=None, include_expired: bool = True,
                 policy=None) -> pd.DataFrame:
    """Every measure each patent, owner or inventor qualifies for, one line per beneficiary.

    ``measures``: a measure file or list of :class:`Measure` (default the shipped table).
    ``status`` says whether the measure is valid at ``as_of`` (``valid`` / ``expired`` /
    ``not_yet``); ``include_expired=False`` keeps only valid ones. ``amount_cny`` is the fixed
    amount (``allocation: fixed``) or the cap (on-merit measures: the most a line can get, not a
    decision); ``reason_zh`` / ``reason_en`` name the facts that qualify the line. Lines are sorted
    by measure, then score (highest first).
    """
    stock, ts = _stock(scores, records, as_of, policy)
    return support_from_stock(stock, as_of=ts, measures=measures,
                              include_expired=include_expired)


def support_from_stock(stock: pd.DataFrame, *, as_of, measures=None,
                       include_expired: bool = True) -> pd.DataFrame:
    """:func:`support_list` on a stock already joined (``Indicators.stock``)."""
    ts = parse_as_of(as_of)
    ms = measures if isinstance(measures, list) else load_measures(measures)
    cache: dict = {}
    parts = [_lines(m, stock, ts, cache) for m in ms if include_expired or m.valid_at(ts)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=LINE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out.attrs["as_of"] = ts
    return out


def _water_fill(w: np.ndarray, budget: float, cap: float | None) -> np.ndarray:
    alloc = np.zeros(len(w))
    active = w > 0
    remaining = float(budget)
    while remaining > 1e-9 and active.any():
        share = remaining * w / w[active].sum() * active
        if cap is None:
            alloc += share
            break
        over = active & (alloc + share >= cap)
        if not over.any():
            alloc += share
            break
        remaining -= float((cap - alloc[over]).sum())
        alloc[over] = cap
        active &= ~over
    return alloc


def allocate_budget(scores, records, measure: str, budget: float, *, as_of=None, measures=None,
                    min_score: float | None = None, mode: str | None = None,
                    allow_expired: bool = False, policy=None) -> pd.DataFrame:
    """Allocate ``budget`` CNY of one measure by score, with an explanation per line.

    ``mode``: the measure's allocation by default — ``fixed``: the fixed amount per line, in score
    order while the budget lasts; lines tied on score are funded together or not at all, and
    allocation stops at the first group that no longer fits (no line is passed over for a cheaper
    one); ``proportional``: shares proportional to score,
    each capped at the measure's cap, what a capped line cannot take goes to the others (water
    filling); amounts are whole yuan, rounded down. ``min_score``: lines below it get nothing.
    A measure not in force at ``as_of`` is refused unless ``allow_expired=True`` (a simulation).
    Columns: the support-list columns plus rank, allocated_cny, explain_zh, explain_en.
    """
    ms = measures if isinstance(measures, list) else load_measures(measures)
    by_id = {m.id: m for m in ms}
    if measure not in by_id:
        raise InputError(f"measure {measure!r} is not one of {', '.join(by_id)}")
    m = by_id[measure]
    try:
        budget = float(budget)
    except (TypeError, ValueError):
        raise InputError(f"budget {budget!r} is not an amount in CNY") from None
    if not budget > 0:
        raise InputError(f"budget {budget!r} must be a positive amount in CNY")
    mode = mode or m.allocation
    if mode not in ("fixed", "proportional"):
        raise PolicyError(f"measure {m.id} gives no amount to allocate (allocation "
                          f"{m.allocation!r}); pass mode='proportional' to split a budget by score")
    if mode == "fixed" and m.amount_cny is None:
        raise PolicyError(f"measure {m.id} has no fixed amount; use mode='proportional'")
    stock, ts = _stock(scores, records, as_of, policy)
    if not m.valid_at(ts) and not allow_expired:
        raise PolicyError(f"measure {m.id} is valid {m.valid_from.date()} … {m.valid_to.date()}, "
                          f"not at {ts.date()}; pass allow_expired=True (--allow-expired) to "
                          "simulate the allocation anyway")
    lines = _lines(m, stock, ts).reset_index(drop=True)
    if lines.empty:
        return lines.assign(rank=[], allocated_cny=[], explain_zh=[], explain_en=[])
    lines = lines.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)
    lines["rank"] = lines["score"].rank(method="min", ascending=False).astype(int)
    score = lines["score"].to_numpy(dtype=float)
    ok = np.ones(len(lines), dtype=bool) if min_score is None else score >= float(min_score)
    alloc = np.zeros(len(lines))
    ez, ee = [], []
    if mode == "fixed":
        # tied lines (same rank) are funded together or not at all; allocation stops at the
        # first rank group that no longer fits, so no line is passed over for a cheaper one
        left = budget
        stopped = False
        short = {}
        for _rank, idx in pd.Series(range(len(lines))).groupby(lines["rank"].to_numpy()):
            idx = [i for i in idx if ok[i]]
            need = float(sum(m.amount_cny * lines.at[i, "units"] for i in idx))
            if not idx:
                continue
            if not stopped and need <= left + 1e-9:
                for i in idx:
                    alloc[i] = m.amount_cny * lines.at[i, "units"]
                left -= need
            else:
                if not stopped:
                    short = {i: (len(idx), need, left) for i in idx}
                stopped = True
        for i in range(len(lines)):
            head = f"第{lines.at[i, 'rank']}名（得分 {score[i]:.1f}）"
            head_en = f"rank {lines.at[i, 'rank']} (score {score[i]:.1f})"
            if not ok[i]:
                ez.append(f"{head}：低于最低得分 {min_score}，不分配")
                ee.append(f"{head_en}: below the minimum score {min_score}, nothing")
            elif alloc[i] > 0:
                ez.append(f"{head}：{lines.at[i, 'units']} × {m.amount_cny:,.0f} 元 = "
                          f"{alloc[i]:,.0f} 元")
                ee.append(f"{head_en}: {lines.at[i, 'units']} × {m.amount_cny:,.0f} CNY = "
                          f"{alloc[i]:,.0f} CNY")
            elif i in short:
                k, need, left_ = short[i]
                ez.append(f"{head}：并列 {k} 项共需 {need:,.0f} 元，超出剩余预算 {left_:,.0f} 元，"
                          "并列者同进同退，未分配")
                ee.append(f"{head_en}: the {k} tied lines need {need:,.0f} CNY, more than the "
                          f"{left_:,.0f} CNY left; tied lines are funded together or not at all")
            else:
                ez.append(f"{head}：预算已用完（按得分顺序分配），未分配")
                ee.append(f"{head_en}: budget used up (allocated in score order), nothing")
    else:
        w = np.where(ok, score, 0.0)
        alloc = np.floor(_water_fill(w, budget, m.cap_cny))
        total_w = w.sum()
        for i in range(len(lines)):
            head = f"第{lines.at[i, 'rank']}名（得分 {score[i]:.1f}）"
            head_en = f"rank {lines.at[i, 'rank']} (score {score[i]:.1f})"
            if not ok[i]:
                ez.append(f"{head}：低于最低得分 {min_score}，不分配")
                ee.append(f"{head_en}: below the minimum score {min_score}, nothing")
                continue
            share = w[i] / total_w if total_w else 0.0
            capped = m.cap_cny is not None and alloc[i] >= np.floor(m.cap_cny)
            ez.append(f"{head}：占参与分配总分的 {share:.1%}，按得分比例分得 {alloc[i]:,.0f} 元"
                      + (f"（达到封顶 {m.cap_cny:,.0f} 元，超出部分分给其他主体）" if capped else ""))
            ee.append(f"{head_en}: {share:.1%} of the total score, {alloc[i]:,.0f} CNY in "
                      "proportion to score" +
                      (f" (capped at {m.cap_cny:,.0f} CNY; the excess goes to the others)"
                       if capped else ""))
    lines["allocated_cny"] = alloc
    lines["explain_zh"] = ez
    lines["explain_en"] = ee
    if m.status(ts) != "valid":
        note = f"（模拟：该措施有效期 {m.valid_from.date()}—{m.valid_to.date()}）"
        lines["explain_zh"] = lines["explain_zh"] + note
        lines["explain_en"] = lines["explain_en"] + (
            f" (simulation: the measure is valid {m.valid_from.date()}–{m.valid_to.date()})")
    lines.attrs["budget"] = budget
    lines.attrs["unallocated"] = budget - float(alloc.sum())
    lines.attrs["measure"] = m
    return lines
