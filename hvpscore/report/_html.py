"""The self-contained offline HTML page: inline CSS and SVG charts, no script, no CDN."""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np

from hvpscore.report._charts import CSS_FONTS, cjk_font, svg_charts
from hvpscore.report._tables import t

__all__ = ["render_html", "write_html"]

_CSS = """
body{font-family:%(fonts)s;margin:0;background:#f7f9fc;color:#1a202c;line-height:1.5}
header{background:#1f4e8c;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;font-size:14px;opacity:.9}
main{padding:12px 28px 40px;max-width:1280px}
.banner{background:#fff4e5;border:1px solid #f6ad55;padding:8px 12px;margin:12px 0;font-size:14px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:12px 16px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px;color:#1f4e8c}
.kpis{display:flex;flex-wrap:wrap;gap:12px}
.kpi{flex:1 1 180px;border:1px solid #e2e8f0;border-radius:6px;padding:10px 12px;background:#fdfdfd}
.kpi .v{font-size:22px;font-weight:bold}
.kpi .l{font-size:13px;color:#4a5568}
.kpi .s{font-size:12px}
.met{color:#2f855a}.not_met{color:#c05621}.no_data,.no_target{color:#718096}
figure.chart{margin:8px 0;overflow-x:auto}
figure.chart svg{max-width:100%%;height:auto}
svg text{font-family:%(fonts)s}
.tablewrap{overflow-x:auto;max-height:640px;overflow-y:auto}
table{border-collapse:collapse;font-size:13px;width:100%%}
th,td{border:1px solid #e2e8f0;padding:3px 6px;vertical-align:top}
th{background:#dde7f3;position:sticky;top:0;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}
td.t{min-width:6em}
td.long{min-width:18em}
.note{font-size:12px;color:#4a5568}
footer{font-size:12px;color:#718096;padding:0 28px 24px}
"""


def _fmt(v, f: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        x = float(v)
        if f == "int":
            return f"{x:,.0f}"
        if f == "percent":
            return f"{x:.1%}"
        if f == "percent2":
            return f"{x:.2%}"
        if f == "auto":
            return f"{x:,.0f}" if x.is_integer() else f"{x:,.2f}"
        if f == "float1":
            return f"{x:,.1f}"
        if f == "cny":
            return f"{x:,.0f}"
        return f"{x:,.2f}"
    return html.escape(str(v))


def _table_html(tab) -> str:
    df = tab.frame
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for i, row in enumerate(df.itertuples(index=False)):
        cells = []
        for j, v in enumerate(row):
            fmt = tab.formats[j]
            f = fmt[i] if isinstance(fmt, list) else fmt
            long = isinstance(v, str) and len(v) > 30
            cls = ' class="n"' if f != "text" else (' class="long"' if long else ' class="t"')
            cells.append(f"<td{cls}>{_fmt(v, f)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="tablewrap"><table data-table="{tab.key}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _kpis(report, lang) -> str:
    tb = report.indicators.table.set_index("indicator")
    cards = []
    for ind in ("hv_count", "hv_per_10k_pop", "hv_per_100m_rd", "hv_per_100m_gdp", "sei_share",
                "hv_enterprise"):
        if ind not in tb.index:
            continue
        r = tb.loc[ind]
        f = {"int": "int", "percent": "percent", "percent2": "percent2"}.get(r["format"],
                                                                           "float2")
        val = _fmt(r["value"], f) or "—"
        tgt = "" if (isinstance(r["target"], float) and math.isnan(r["target"])) else \
            f'{r["target_op"]} {_fmt(r["target"], f)}'
        st = t(f"status.{r['status']}", lang)
        cards.append(f'<div class="kpi" data-indicator="{ind}"><div class="l">'
                     f'{html.escape(r[f"name_{lang}"])}</div><div class="v">{val}</div>'
                     f'<div class="s {r["status"]}">{html.escape(tgt)} · {html.escape(st)}</div>'
                     "</div>")
    fc = report.forecast
    if fc is not None and len(fc.summary):
        s = fc.summary.iloc[-1]
        lab = t("sections.forecast", lang)
        cards.append(f'<div class="kpi" data-indicator="forecast"><div class="l">'
                     f'{html.escape(lab)} {html.escape(s["date"])}</div><div class="v">'
                     f'{s["expected"]:,.0f}</div><div class="s">[{s["low"]:,} – {s["high"]:,}]'
                     f' · {s["level"]:.0%}</div></div>')
    return '<div class="kpis">' + "".join(cards) + "</div>"


def render_html(report, tables: dict, lang: str = "zh") -> str:
    """The report page as one HTML string (charts inline)."""
    ind = report.indicators

    def label(k):
        return t(k, lang)

    charts = svg_charts(report, lang, label)
    region = ind.region if ind.region != "全部" else label("all_regions")
    synthetic = bool(ind.context is not None and ind.context.synthetic) or report.synthetic
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
             '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
             f"<title>{html.escape(label('title'))}</title>"
             f"<style>{_CSS % {'fonts': CSS_FONTS}}</style></head><body>",
             f"<header><h1>{html.escape(label('title'))}</h1><p>{html.escape(label('subtitle'))}"
             f" {ind.as_of.date()} · {html.escape(label('region'))}：{html.escape(region)}"
             + (f" · {html.escape(ind.targets.title_zh if lang == 'zh' else ind.targets.title_en)}"
                f"（{html.escape(ind.targets.document)}）" if ind.targets and ind.targets.document
                else "") + "</p></header><main>"]
    if synthetic:
        parts.append(f'<div class="banner" id="synthetic">{html.escape(label("synthetic_banner"))}'
                     "</div>")
    parts.append(f'<section id="kpis"><h2>{html.escape(label("sections.kpis"))}</h2>'
                 f"{_kpis(report, lang)}</section>")
    chart_of = {"indicators": ["achievement"], "criteria": ["criteria"],
                "by_owner_type": ["owner_type"], "forecast": ["forecast"],
                "top_holders": ["top_holders"]}
    for key, tab in tables.items():
        figs = "".join(f'<figure class="chart" data-chart="{c}">{charts[c]}</figure>'
                       for c in chart_of.get(key, []) if c in charts)
        extra = ""
        if key == "forecast":
            extra = f'<p class="note">{html.escape(label("forecast_note"))}</p>'
        if key in ("top_holders", "top_inventors"):
            extra = f'<p class="note">{html.escape(label("lists_note"))}</p>'
        parts.append(f'<section id="{key}"><h2>{html.escape(tab.title)}</h2>{figs}{extra}'
                     f"{_table_html(tab)}</section>")
    font = cjk_font()
    parts.append(f"</main><footer>{html.escape(label('generated_by'))} · "
                 f"{'CJK font: ' + html.escape(font) if font else 'SVG text uses the page fonts'}"
                 "</footer></body></html>")
    return "".join(parts)


def write_html(report, tables: dict, path: str | Path, lang: str = "zh") -> Path:
    """Write the page to ``path`` (UTF-8)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, tables, lang), encoding="utf-8")
    return path
