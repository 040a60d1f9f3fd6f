"""Renderers of a :class:`CheckReport`: terminal text (rich: colours, claim tree), Markdown and a
self-contained HTML page (inline CSS, no scripts from a CDN; findings highlighted in the claims
text by their offsets)."""

from __future__ import annotations

import html as _html
from typing import Any

__all__ = ["to_html", "to_markdown", "to_text"]

_SEV = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "note"},
}
_PRIO = {
    "zh": {"must": "必须修改", "should": "建议修改", "consider": "可争取", "note": "参考"},
    "en": {"must": "must fix", "should": "should fix", "consider": "consider", "note": "note"},
}
_SEC = {
    "zh": {"title": "名称", "abstract": "说明书摘要", "claims": "权利要求书", "description": "说明书",
           "draft": "申请文件"},
    "en": {"title": "Title", "abstract": "Abstract", "claims": "Claims",
           "description": "Description", "draft": "Application"},
}
_CAT = {
    "zh": {"product": "产品", "apparatus": "装置", "system": "系统", "method": "方法", "use": "用途",
           None: "—"},
    "en": {"product": "product", "apparatus": "apparatus", "system": "system", "method": "method",
           "use": "use", None: "—"},
}
_L = {
    "zh": {
        "title": "专利申请前置评审报告", "sections": "识别出的部分", "claims_tree": "权利要求树",
        "findings": "审查问题", "predictions": "授权前预测（草稿阶段模型）",
        "criteria": "高价值发明专利五项条件", "advice": "修改建议", "none": "未发现问题",
        "source": "依据", "notes": "说明", "found": "已识别", "missing": "未找到",
        "chars": "字", "model": "模型", "synthetic": "演示模型，基于合成数据训练，概率不代表真实专利",
        "no_skill": "该预测头在留出数据上无区分能力（AUC {auc:.2f}），仅供参考",
        "reasons": "主要因素", "measures": "支持措施", "status": "状态", "valid": "有效期",
        "summary": "错误 {error} 处，警告 {warning} 处，提示 {info} 处",
        "no_model": "未进行预测", "where": "位置", "claim": "权利要求", "para": "段",
        "independent": "独立", "type": "类型", "as_of": "评审日期", "draft": "申请文件",
        "actionable": "可在撰写阶段改变",
    },
    "en": {
        "title": "Pre-filing review", "sections": "Sections found", "claims_tree": "Claim tree",
        "findings": "Findings", "predictions": "Predictions (draft-stage model)",
        "criteria": "The five high-value criteria", "advice": "Advice", "none": "no findings",
        "source": "source", "notes": "Notes", "found": "found", "missing": "missing",
        "chars": "chars", "model": "model",
        "synthetic": "demonstration model trained on synthetic data; the probabilities say "
                     "nothing about real patents",
        "no_skill": "this head has no skill on its held-out rows (AUC {auc:.2f}); for reference only",
        "reasons": "main factors", "measures": "Support measures", "status": "status",
        "valid": "valid", "summary": "errors {error}, warnings {warning}, notes {info}",
        "no_model": "no predictions", "where": "where", "claim": "claim", "para": "para.",
        "independent": "independent", "type": "type", "as_of": "review date", "draft": "draft",
        "actionable": "changeable while drafting",
    },
}


def _t(lang: str, key: str, **kw) -> str:
    s = _L[lang][key]
    return s.format(**kw) if kw else s


def _where(f, lang: str) -> str:
    if f.claim is not None:
        return f"{_t(lang, 'claim')} {f.claim}" if lang == "en" else f"权利要求{f.claim}"
    parts = [_SEC[lang].get(f.section, f.section)]
    if f.paragraph is not None and f.section == "description":
        label = f.details.get("paragraph_label") or str(f.paragraph)
        parts.append(label if label.startswith("[") else (f"第{label}段" if lang == "zh"
                                                          else f"para. {label}"))
    return " · ".join(parts)


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{p:.0%}"


# ---------------------------------------------------------------------------------- text
def _tree(report, lang: str):
    from rich.tree import Tree

    cd = report.claims_dict()
    by_n = {c["number"]: c for c in cd["items"]}
    sev_of: dict[int, str] = {}
    for f in report.findings:
        if f.claim is not None:
            cur = sev_of.get(f.claim)
            order = ("error", "warning", "info")
            if cur is None or order.index(f.severity) < order.index(cur):
                sev_of[f.claim] = f.severity
    root = Tree(f"[bold]{_t(lang, 'claims_tree')}[/] ({cd['n_claims']} / "
                f"{_t(lang, 'independent')} {cd['n_independent']})")
    style = {"error": "red", "warning": "yellow", "info": "cyan"}

    def label(n: int) -> str:
        c = by_n.get(n)
        if c is None:
            return str(n)
        mark = ""
        if n in sev_of:
            mark = f" [{style[sev_of[n]]}]●[/]"
        subj = (c["subject"] or "")[:24]
        return f"[bold]{n}[/] {_CAT[lang].get(c['category'], c['category'])} · {subj}{mark}"

    def add(node, tree_node, depth=0):
        br = node.add(label(tree_node["number"]))
        for ch in tree_node["children"]:
            if depth < 30:
                add(br, ch, depth + 1)

    for t in cd["tree"]:
        add(root, t)
    return root


def to_text(report, lang: str = "zh", *, color: bool = False, width: int = 100) -> str:
    """The terminal report (rich). ANSI colours when ``color``; plain text otherwise."""
    import io

    try:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
    except ImportError:  # pragma: no cover - rich is part of the check extra
        from hvpscore._errors import InputError

        raise InputError("the text report needs rich: pip install 'hvpscore[check]' (or use "
                         "--format md, html or json)") from None

    buf = io.StringIO()
    con = Console(file=buf, width=width, color_system="standard" if color else None,
                  force_terminal=color, highlight=False, emoji=False)
    d = report.draft
    c = report.counts
    con.rule(f"[bold]{_t(lang, 'title')}[/]")
    title = d.text("title") or "—"
    con.print(f"{_t(lang, 'draft')}: {title}  ({report.draft.source.get('name')}; "
              f"{_t(lang, 'type')} {report.patent_type}; {_t(lang, 'as_of')} {report.as_of})")
    sevline = Text(_t(lang, "summary", **c))
    con.print(sevline, style="bold red" if c["error"] else ("yellow" if c["warning"] else "green"))
    # sections
    parts = []
    for name in ("title", "abstract", "claims", "description"):
        sec = d.sections[name]
        mark = "✓" if sec.found else "✗"
        parts.append(f"{mark} {_SEC[lang][name]}" + (f" {len(sec.text)}{_t(lang, 'chars')}"
                                                     if sec.found else ""))
    con.print(f"{_t(lang, 'sections')}: " + " | ".join(parts))
    desc = d.sections["description"]
    if desc.parts:
        con.print("  " + " / ".join(p.heading for p in desc.parts))
    # claim tree
    if report.claimset is not None and report.claimset.claims:
        con.print(_tree(report, lang))
    # findings
    con.rule(f"{_t(lang, 'findings')} ({len(report.findings)})")
    if not report.findings:
        con.print(_t(lang, "none"), style="green")
    style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    if report.findings:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for f in report.findings:
            head = Text()
            head.append(f"{f.id} ", style="bold")
            head.append(f"[{_SEV[lang][f.severity]}]", style=style[f.severity])
            body = Text()
            body.append(f"{_where(f, lang)}  ", style="bold dim")
            body.append(f.message(lang))
            if f.quote:
                body.append("\n" + (f"「{f.quote}」" if lang == "zh" else f"\"{f.quote}\""),
                            style="dim")
            body.append("\n" + ("依据：" if lang == "zh" else "source: ") + f.source(lang),
                        style="dim italic")
            grid.add_row(head, body)
        con.print(grid)
    # predictions
    pred = report.predictions
    con.rule(_t(lang, "predictions"))
    if not pred.get("available"):
        con.print(_t(lang, "no_model"))
    else:
        mdl = pred["model"]
        con.print(f"{_t(lang, 'model')}: {mdl['name']} ({mdl['version']})", style="dim")
        if mdl.get("synthetic"):
            con.print(f"⚠ {_t(lang, 'synthetic')}", style="yellow")
        for h in pred["heads"]:
            p = h["probability"]
            bar = "█" * int(round(p * 20)) + "░" * (20 - int(round(p * 20)))
            name = h["name_zh"] if lang == "zh" else h["name_en"]
            con.print(f"  {name:<12} {bar} {p:6.1%}")
            if not h.get("skill") and h.get("heldout_auc") is not None:
                con.print(f"    {_t(lang, 'no_skill', auc=h['heldout_auc'])}", style="dim")
            for r in h["reasons"][:3]:
                txt = r["text_zh"] if lang == "zh" else r["text_en"]
                tag = f" · {_t(lang, 'actionable')}" if r["actionable"] else ""
                con.print(f"    {r['contribution']:+.2f}  {txt}{tag}", style="dim")
    # criteria
    con.rule(_t(lang, "criteria"))
    tbl = Table(show_header=False, box=None, pad_edge=False, expand=True)
    tbl.add_column(width=18 if lang == "zh" else 22, overflow="fold")
    tbl.add_column(width=12 if lang == "zh" else 18, overflow="fold")
    tbl.add_column(width=5)
    tbl.add_column(ratio=1, overflow="fold")
    for cr in report.criteria:
        name = cr["name_zh"] if lang == "zh" else cr["name_en"]
        st = cr["status_zh"] if lang == "zh" else cr["status_en"]
        ev = cr["evidence_zh"] if lang == "zh" else cr["evidence_en"]
        tbl.add_row(name, st, _pct(cr.get("probability")), ev)
    con.print(tbl)
    # advice
    con.rule(f"{_t(lang, 'advice')} ({len(report.advice)})")
    pstyle = {"must": "bold red", "should": "yellow", "consider": "green", "note": "cyan"}
    if report.advice:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for a in report.advice:
            line = Text(a["text_zh"] if lang == "zh" else a["text_en"])
            line.append(f"  ← {', '.join(a['refs'])}", style="dim")
            grid.add_row(Text(f"{a['rank']}.", style="bold"),
                         Text(f"[{_PRIO[lang][a['priority']]}]", style=pstyle[a["priority"]]),
                         line)
        con.print(grid)
    if report.notes:
        con.rule(_t(lang, "notes"))
        for n in report.notes:
            con.print(n[lang], style="dim")
    out = buf.getvalue()
    if not color:
        out = "\n".join(line.rstrip() for line in out.splitlines()) + "\n"
    return out


# ------------------------------------------------------------------------------ markdown
def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def to_markdown(report, lang: str = "zh") -> str:
    """The report as Markdown (GitHub flavour: tables)."""
    d = report.draft
    c = report.counts
    out = [f"# {_t(lang, 'title')}", ""]
    out.append(f"- {_t(lang, 'draft')}: **{_md_escape(d.text('title') or '—')}** "
               f"({d.source.get('name')})")
    out.append(f"- {_t(lang, 'type')}: {report.patent_type}; {_t(lang, 'as_of')}: {report.as_of}")
    out.append(f"- {_t(lang, 'summary', **c)}")
    out.append("")
    out.append(f"## {_t(lang, 'sections')}")
    out.append("")
    for name in ("title", "abstract", "claims", "description"):
        sec = d.sections[name]
        out.append(f"- {_SEC[lang][name]}: " + (f"{_t(lang, 'found')}, {len(sec.text)} "
                                                f"{_t(lang, 'chars')}" if sec.found
                                                else _t(lang, "missing")))
    if d.sections["description"].parts:
        out.append("  - " + " / ".join(p.heading for p in d.sections["description"].parts))
    cd = report.claims_dict()
    if cd["items"]:
        out += ["", f"## {_t(lang, 'claims_tree')}", ""]

        def walk(node, depth):
            it = next(x for x in cd["items"] if x["number"] == node["number"])
            out.append("  " * depth + f"- **{it['number']}** "
                       f"{_CAT[lang].get(it['category'], it['category'])} · "
                       f"{_md_escape(it['subject'] or '')}"
                       + (f" ({', '.join(it['findings'])})" if it["findings"] else ""))
            for ch in node["children"]:
                walk(ch, depth + 1)

        for t in cd["tree"]:
            walk(t, 0)
    out += ["", f"## {_t(lang, 'findings')} ({len(report.findings)})", ""]
    if report.findings:
        hdr = ("| # | 级别 | 位置 | 问题 | 引文 | 依据 |" if lang == "zh"
               else "| # | severity | where | finding | quote | source |")
        out += [hdr, "|---|---|---|---|---|---|"]
        for f in report.findings:
            out.append(f"| {f.id} | {_SEV[lang][f.severity]} | {_md_escape(_where(f, lang))} | "
                       f"{_md_escape(f.message(lang))} | {_md_escape(f.quote)} | "
                       f"{_md_escape(f.source(lang))} |")
    else:
        out.append(_t(lang, "none"))
    out += ["", f"## {_t(lang, 'predictions')}", ""]
    pred = report.predictions
    if not pred.get("available"):
        out.append(_t(lang, "no_model"))
    else:
        out.append(f"{_t(lang, 'model')}: `{pred['model']['version']}`"
                   + (f" — ⚠ {_t(lang, 'synthetic')}" if pred["model"].get("synthetic") else ""))
        out.append("")
        for h in pred["heads"]:
            name = h["name_zh"] if lang == "zh" else h["name_en"]
            out.append(f"- **{name}**: {h['probability']:.1%}"
                       + ("" if h.get("skill") else
                          f" ({_t(lang, 'no_skill', auc=h['heldout_auc'] or 0)})"))
            for r in h["reasons"][:3]:
                txt = r["text_zh"] if lang == "zh" else r["text_en"]
                out.append(f"  - {r['contribution']:+.2f} {_md_escape(txt)}")
    out += ["", f"## {_t(lang, 'criteria')}", ""]
    out += [("| 条件 | 状态 | 概率 | 说明 |" if lang == "zh" else
             "| criterion | status | probability | notes |"), "|---|---|---|---|"]
    for cr in report.criteria:
        out.append(f"| {cr['name_' + lang]} | {cr['status_' + lang]} | "
                   f"{_pct(cr.get('probability'))} | {_md_escape(cr['evidence_' + lang])} |")
    out += ["", f"## {_t(lang, 'advice')}", ""]
    for a in report.advice:
        out.append(f"{a['rank']}. **{_PRIO[lang][a['priority']]}** "
                   f"{_md_escape(a['text_' + lang])} ← {', '.join(a['refs'])}")
    if report.notes:
        out += ["", f"## {_t(lang, 'notes')}", ""]
        out += [f"- {n[lang]}" for n in report.notes]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------- html
_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;
margin:0;padding:24px;color:#1d2733;background:#f6f8fa;line-height:1.6}
main{max-width:1080px;margin:0 auto}h1{font-size:22px;margin:0 0 8px}
h2{font-size:17px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 18px;margin:12px 0}
.sum span{display:inline-block;margin-right:14px;font-weight:600}
.error{color:#b42318}.warning{color:#9a6700}.info{color:#0969da}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-bottom:1px solid #eaeef2;
padding:5px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
.claim{white-space:pre-wrap;margin:6px 0;padding:6px 8px;border-left:3px solid #d0d7de}
mark{border-radius:2px;padding:0 1px}mark.error{background:#ffd7d5}mark.warning{background:#fff1b8}
mark.info{background:#ddf4ff}.src{color:#57606a;font-size:12px}.bar{display:inline-block;
height:10px;background:#2da44e;border-radius:2px;vertical-align:middle}
.bartrack{display:inline-block;width:200px;height:10px;background:#eaeef2;border-radius:2px;
vertical-align:middle;margin-right:8px}ul.tree,ul.tree ul{list-style:none;padding-left:18px}
.tag{font-size:12px;border-radius:10px;padding:0 6px;border:1px solid #d0d7de;margin-left:4px}
details{margin:8px 0}summary{cursor:pointer}
.warn{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}
"""


def _e(s: Any) -> str:
    return _html.escape("" if s is None else str(s))


_LONG_MARK = 60  # a finding over more characters (a whole claim, the abstract) is not marked


def _highlight(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` with ``marks`` (start, end, severity, title) as <mark>; overlaps: the first wins;
    marks longer than ``_LONG_MARK`` characters are left to the tags and the findings table."""
    marks = sorted((m for m in marks if m[0] is not None and m[1] is not None
                    and 0 < m[1] - m[0] <= _LONG_MARK), key=lambda m: (m[0], -m[1]))
    out = []
    pos = 0
    for s, e, sev, title in marks:
        if s < pos:
            continue
        out.append(_e(text[pos:s]))
        out.append(f'<mark class="{sev}" title="{_e(title)}">{_e(text[s:e])}</mark>')
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def to_html(report, lang: str = "zh") -> str:
    """A self-contained HTML page: no external scripts, styles or fonts."""
    d = report.draft
    c = report.counts
    h: list[str] = []
    h.append(f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
             f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,'
             f'initial-scale=1"><title>{_e(_t(lang, "title"))} — {_e(d.text("title") or "")}'
             f"</title><style>{_CSS}</style></head><body><main>")
    h.append(f"<h1>{_e(_t(lang, 'title'))}</h1>")
    h.append(f"<p><b>{_e(d.text('title') or '—')}</b> · {_e(d.source.get('name'))} · "
             f"{_e(_t(lang, 'type'))} {_e(report.patent_type)} · {_e(_t(lang, 'as_of'))} "
             f"{_e(report.as_of)}</p>")
    h.append('<p class="sum">' + "".join(
        f'<span class="{s}">{_e(_SEV[lang][s])} {c[s]}</span>' for s in ("error", "warning",
                                                                         "info")) + "</p>")
    # claims with highlights
    cd = report.claims_dict()
    claims_text = d.text("claims")
    if cd["items"]:
        h.append(f"<h2>{_e(_t(lang, 'claims_tree'))}</h2><section><ul class='tree'>")

        def walk(node):
            it = next(x for x in cd["items"] if x["number"] == node["number"])
            tags = "".join(f'<span class="tag">{_e(fid)}</span>' for fid in it["findings"])
            h.append(f"<li><b>{it['number']}</b> {_e(_CAT[lang].get(it['category'], ''))} · "
                     f"{_e(it['subject'])}{tags}")
            if node["children"]:
                h.append("<ul>")
                for ch in node["children"]:
                    walk(ch)
                h.append("</ul>")
            h.append("</li>")

        for t in cd["tree"]:
            walk(t)
        h.append("</ul></section>")
        h.append(f"<h2>{_e(_SEC[lang]['claims'])}</h2><section>")
        for it in cd["items"]:
            s, e = it["start"], it["end"]
            if s is None:
                continue
            marks = [(f.start - s, f.end - s, f.severity, f"{f.id} {f.message(lang)}")
                     for f in report.findings
                     if f.section == "claims" and f.start is not None and s <= f.start < e
                     and not (f.start == s and f.end == e)]  # whole-claim findings: the tags
            h.append(f'<div class="claim" id="claim-{it["number"]}"><b>{it["number"]}.</b> '
                     f"{_highlight(claims_text[s:e], marks)}</div>")
        h.append("</section>")
    # the other sections, findings highlighted (folded)
    for name in ("title", "abstract", "description"):
        sec = d.sections[name]
        if not sec.found:
            continue
        marks = [(f.start, f.end, f.severity, f"{f.id} {f.message(lang)}")
                 for f in report.findings if f.section == name and f.start is not None
                 and not (f.start == 0 and f.end == len(sec.text))]
        n = len(marks)
        h.append(f"<details{' open' if n and name != 'description' else ''}><summary><b>"
                 f"{_e(_SEC[lang][name])}</b> ({n})</summary><section><div class='claim'>"
                 f"{_highlight(sec.text, marks)}</div></section></details>")
    # findings
    h.append(f"<h2>{_e(_t(lang, 'findings'))} ({len(report.findings)})</h2><section>")
    if report.findings:
        h.append(f"<table><tr><th>#</th><th>{_e(_t(lang, 'status'))}</th>"
                 f"<th>{_e(_t(lang, 'where'))}</th><th>{_e(_t(lang, 'findings'))}</th></tr>")
        for f in report.findings:
            h.append(f'<tr id="{_e(f.id)}"><td>{_e(f.id)}</td><td class="{f.severity}">'
                     f"{_e(_SEV[lang][f.severity])}</td><td>{_e(_where(f, lang))}</td>"
                     f"<td>{_e(f.message(lang))}"
                     + (f"<br><q>{_e(f.quote)}</q>" if f.quote else "")
                     + f'<div class="src">{_e(_t(lang, "source"))}: {_e(f.source(lang))}</div>'
                     "</td></tr>")
        h.append("</table>")
    else:
        h.append(f"<p>{_e(_t(lang, 'none'))}</p>")
    h.append("</section>")
    # predictions
    pred = report.predictions
    h.append(f"<h2>{_e(_t(lang, 'predictions'))}</h2><section>")
    if not pred.get("available"):
        h.append(f"<p>{_e(_t(lang, 'no_model'))}</p>")
    else:
        if pred["model"].get("synthetic"):
            h.append(f'<p class="warn">{_e(_t(lang, "synthetic"))}</p>')
        h.append("<table>")
        for hd in pred["heads"]:
            p = hd["probability"]
            name = hd["name_zh"] if lang == "zh" else hd["name_en"]
            note = "" if hd.get("skill") else (
                f'<div class="src">{_e(_t(lang, "no_skill", auc=hd["heldout_auc"] or 0))}</div>')
            reasons = "".join(
                f"<div class='src'>{r['contribution']:+.2f} "
                f"{_e(r['text_zh'] if lang == 'zh' else r['text_en'])}</div>"
                for r in hd["reasons"][:3])
            h.append(f"<tr><td>{_e(name)}</td><td><span class='bartrack'><span class='bar' "
                     f"style='width:{p * 100:.1f}%'></span></span>{p:.1%}{note}{reasons}</td></tr>")
        h.append(f"</table><p class='src'>{_e(_t(lang, 'model'))}: "
                 f"{_e(pred['model']['version'])}</p>")
    h.append("</section>")
    # criteria
    h.append(f"<h2>{_e(_t(lang, 'criteria'))}</h2><section><table>")
    for cr in report.criteria:
        h.append(f"<tr><td>{_e(cr['name_' + lang])}</td><td>{_e(cr['status_' + lang])}</td>"
                 f"<td>{_e(_pct(cr.get('probability')))}</td>"
                 f"<td>{_e(cr['evidence_' + lang])}</td></tr>")
    h.append("</table></section>")
    # advice
    h.append(f"<h2>{_e(_t(lang, 'advice'))}</h2><section><ol>")
    for a in report.advice:
        refs = ", ".join(f'<a href="#{_e(r)}">{_e(r)}</a>' if r.startswith("F") else _e(r)
                         for r in a["refs"])
        h.append(f"<li><b>{_e(_PRIO[lang][a['priority']])}</b> {_e(a['text_' + lang])} "
                 f"<span class='src'>← {refs}</span></li>")
    h.append("</ol></section>")
    # measures
    h.append(f"<h2>{_e(_t(lang, 'measures'))}</h2><section><table>")
    for m in report.measures:
        h.append(f"<tr><td>{_e(m['name'][lang])}</td><td>{_e(m['amount'][lang])}</td>"
                 f"<td>{_e(m['valid_from'])} – {_e(m['valid_to'] or '')} ({_e(m['status'])})</td>"
                 f"<td class='src'>{_e(m['source']['issuer'])} {_e(m['source']['doc_no'])}</td>"
                 "</tr>")
    h.append("</table></section>")
    if report.notes:
        h.append(f"<h2>{_e(_t(lang, 'notes'))}</h2><section><ul>"
                 + "".join(f"<li>{_e(n[lang])}</li>" for n in report.notes) + "</ul></section>")
    h.append("</main></body></html>")
    return "".join(h)
