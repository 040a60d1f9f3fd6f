"""Advice: prioritised lines, each pointing at the finding(s), criterion, measure or model reason
it comes from (``refs``). Texts in ``data/advice.yaml``."""

from __future__ import annotations

import re
from typing import Any

from hvpscore.prefiling._data import advice_texts, measures

__all__ = ["build_advice"]

PRIORITIES = ("must", "should", "consider", "note")
_SEV_PRIORITY = {"error": "must", "warning": "should", "info": "note"}
_GROUPED = ("vague_term", "antecedent_basis", "term_unsupported")
_KIND = re.compile(r"（(相对性用语|近似性用语|例举性用语|可选择性用语|不确定数量用语)）")
_KIND_ID = {"相对性用语": "relative", "近似性用语": "approximate", "例举性用语": "exemplary",
            "可选择性用语": "optional", "不确定数量用语": "indefinite"}


class _F(dict):
    def __missing__(self, k):
        return ""


def _where(f) -> tuple[str, str]:
    if f.claim is not None:
        return f"权利要求{f.claim}", f"claim {f.claim}"
    if f.section == "description":
        label = f.details.get("paragraph_label")
        if label:
            return f"说明书第{label}段", f"description paragraph {label}"
        return "说明书", "description"
    return {"abstract": ("摘要", "abstract"), "title": ("名称", "title"),
            "claims": ("权利要求书", "claims")}.get(f.section, (f.section, f.section))


def _details(f) -> dict[str, Any]:
    return {"claim": f.claim, "term": f.term or "", "quote": (f.quote or "").strip("…"),
            **f.details}


def _finding_lines(findings) -> list[dict[str, Any]]:
    tmpl = advice_texts()["findings"]
    lines: list[dict[str, Any]] = []
    groups: dict[tuple, list] = {}
    rank = {f.id: i for i, f in enumerate(findings)}
    for f in findings:
        if f.code in _GROUPED:
            kind = None
            if f.code == "vague_term":
                m = _KIND.search(f.message_zh)
                kind = _KIND_ID.get(m.group(1)) if m else None
            groups.setdefault((f.code, f.claim, kind, f.severity), []).append(f)
            continue
        t = tmpl.get(f.code)
        if t is None:
            continue
        wz, we = _where(f)
        d = _details(f) | {"where_zh": wz, "where_en": we}
        lines.append({"priority": _SEV_PRIORITY[f.severity], "kind": "finding",
                      "refs": [f.id], "text_zh": t["zh"].format_map(_F(d)),
                      "text_en": t["en"].format_map(_F(d)), "_order": rank[f.id]})
    for (code, claim, kind, sev), fs in groups.items():
        t = tmpl[code]
        if code == "vague_term" and kind and kind in t.get("by_kind", {}):
            t = t["by_kind"][kind]
        terms = []
        for f in fs:
            if f.term and f.term not in terms:
                terms.append(f.term)
        wz, we = _where(fs[0])
        d = {"where_zh": wz, "where_en": we, "claim": claim,
             "terms_zh": "".join(f"“{x}”" for x in terms),
             "terms_en": ", ".join(f"\"{x}\"" for x in terms),
             "first_term": terms[0] if terms else ""}
        lines.append({"priority": _SEV_PRIORITY[sev], "kind": "finding",
                      "refs": [f.id for f in fs], "text_zh": t["zh"].format_map(_F(d)),
                      "text_en": t["en"].format_map(_F(d)), "_order": rank[fs[0].id]})
    return lines


def _criteria_lines(criteria) -> list[dict[str, Any]]:
    out = []
    for c in criteria:
        if c["status"] in ("not_met",):
            continue
        prio = "must" if c["status"] == "not_eligible" else "consider"
        if c["status"] == "not_eligible" and c["id"] != "sei":
            continue  # one line says it for all five
        out.append({"priority": prio, "kind": "criterion", "refs": [c["id"]],
                    "text_zh": c["evidence_zh"], "text_en": c["evidence_en"], "_order": 0})
        if c["id"] == "overseas" and c["details"].get("secrecy_zh"):
            out.append({"priority": "consider", "kind": "criterion", "refs": ["overseas"],
                        "text_zh": c["details"]["secrecy_zh"],
                        "text_en": c["details"]["secrecy_en"], "_order": 0})
    return out


def _num(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def _model_lines(predictions) -> list[dict[str, Any]]:
    """A line per model reason that is actionable, lowers the probability of a head with skill,
    and whose drafting-practice change raises it when the model is asked again (``what_if``)."""
    if not predictions or not predictions.get("available"):
        return []
    acts = {a["feature"]: a for a in advice_texts()["actionable"]}
    out = []
    for h in predictions["heads"]:
        if not h.get("skill"):
            continue  # a head without skill on its held-out rows gives no advice
        for r in h["reasons"]:
            a = acts.get(r["feature"])
            w = r.get("what_if")
            if a is None or r["contribution"] >= 0 or not w:
                continue
            d = {"v": _num(r["value"]), "v2": _num(w["value"]),
                 "c": f"{r['contribution']:+.2f}".replace("-", "−"),
                 "p0": f"{h['probability']:.1%}", "p1": f"{w['probability']:.1%}",
                 "head_zh": h["name_zh"], "head_en": h["name_en"]}
            out.append({"priority": "consider", "kind": "model",
                        "refs": [f"{h['target']}:{r['feature']}"],
                        "text_zh": a["zh"].format_map(_F(d)), "text_en": a["en"].format_map(_F(d)),
                        "_order": 1})
    return out


def _measure_lines(criteria, statuses: dict[str, str]) -> list[dict[str, Any]]:
    """Active measures that apply to a criterion within reach (``consider``); national rules
    (e.g. the end of per-grant subsidies) as a ``note`` whatever their status."""
    wanted = []
    for c in criteria:
        if c["status"] in ("not_met", "not_eligible"):
            continue
        for mid in c["measures"]:
            if mid not in wanted:
                wanted.append(mid)
    by_id = {m["id"]: m for m in measures()}
    for m in measures():
        if m.get("kind") == "national_rule" and m["id"] not in wanted:
            wanted.append(m["id"])
    out = []
    for mid in wanted:
        m = by_id[mid]
        st = statuses.get(mid, "active")
        rule = m.get("kind") == "national_rule"
        if st != "active" and not rule:
            continue
        vt = m.get("valid_to") or "—"
        label_zh = {"active": "有效", "expired": "已到期", "not_yet": "未生效"}[st]
        label_en = {"active": "in force", "expired": "expired", "not_yet": "not yet in force"}[st]
        src = m["source"]
        head_zh = "政策" if rule else "支持措施"
        head_en = "Policy" if rule else "Support measure"
        out.append({
            "priority": "note" if rule else "consider", "kind": "measure", "refs": [mid],
            "text_zh": f"{head_zh}：{m['name']['zh']}（{m['amount']['zh']}；{m['valid_from']}至{vt}，"
                       f"{label_zh}；{src['issuer']}{src['doc_no']}）",
            "text_en": f"{head_en}: {m['name']['en']} ({m['amount']['en']}; "
                       f"{m['valid_from']} to {vt}, {label_en}; {src['doc_no']})",
            "_order": 0,
        })
    return out


def build_advice(findings, criteria, predictions, measure_statuses) -> list[dict[str, Any]]:
    """All advice lines, ranked: must > should > consider > note; within a priority, findings
    by claim number, then criteria, model reasons and measures."""
    lines = (_finding_lines(findings) + _criteria_lines(criteria) + _model_lines(predictions)
             + _measure_lines(criteria, measure_statuses))
    kind_order = {"finding": 0, "criterion": 1, "model": 2, "measure": 3}
    lines.sort(key=lambda x: (PRIORITIES.index(x["priority"]), kind_order[x["kind"]],
                              x["_order"]))
    out = []
    for i, ln in enumerate(lines, start=1):
        ln.pop("_order")
        out.append({"rank": i, **ln})
    return out
