"""Charts of the report as inline SVG (matplotlib, Agg-free SVG backend).

Chinese labels need a CJK font. When matplotlib finds one (Noto Sans CJK / Source Han Sans /
WenQuanYi / SimHei / Microsoft YaHei / PingFang …; on Debian ``apt-get install fonts-noto-cjk``),
text is drawn as glyph paths (``svg.fonttype = path``): the SVG then looks the same on any
computer, with no font needed to view it. Without one, text stays text (``svg.fonttype = none``)
and the page's CSS font-family fallback list (:data:`CSS_FONTS`) lets the viewer's system font
draw it — every Chinese Windows, macOS or Linux desktop has one.
"""

from __future__ import annotations

import io
import re
import warnings
from functools import cache

import numpy as np

from hvpscore._errors import InputError

__all__ = ["CJK_FONTS", "CSS_FONTS", "cjk_font", "svg_charts"]

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK JP", "Droid Sans Fallback")
CSS_FONTS = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
             "'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', SimHei, "
             "'Droid Sans Fallback', sans-serif")
_COLORS = {"main": "#2b6cb0", "light": "#a3c4e8", "met": "#2f855a", "not_met": "#c05621",
           "grey": "#718096", "band": "#bee3f8"}


def _mpl():
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        raise InputError("the report's charts need matplotlib: pip install 'hvpscore[report]'"
                         ) from None
    return matplotlib, font_manager


@cache
def cjk_font() -> str | None:
    """The name of a CJK font matplotlib can use, or None.

    Looks in matplotlib's font list, then (a stale font cache misses fonts installed later) adds
    system font files whose names suggest a CJK font.
    """
    _, fm = _mpl()
    names = {f.name for f in fm.fontManager.ttflist}
    for n in CJK_FONTS:
        if n in names:
            return n
    for path in fm.findSystemFonts():
        low = path.lower()
        if any(k in low for k in ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang",
                                  "droidsansfallback", "notosanssc")):
            try:
                fm.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = {f.name for f in fm.fontManager.ttflist}
    for n in CJK_FONTS:
        if n in names:
            return n
    return None


def _fig_to_svg(fig, prefix: str) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    # ids must be unique within the page: prefix every id and its references
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return svg


class _Figures:
    """``subplots`` without pyplot: no global figure state, no backend switch."""

    @staticmethod
    def subplots(figsize):
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize)
        return fig, fig.subplots()

    @staticmethod
    def FuncFormatter(f):  # noqa: N802 - mirrors matplotlib's name
        from matplotlib.ticker import FuncFormatter

        return FuncFormatter(f)


def _style():
    mpl, _ = _mpl()
    font = cjk_font()
    rc = {"svg.fonttype": "path" if font else "none", "svg.hashsalt": "hvpscore",
          "font.family": "sans-serif",
          "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
          "axes.unicode_minus": False, "axes.spines.top": False, "axes.spines.right": False,
          "font.size": 10}
    return mpl.rc_context(rc), _Figures


def svg_charts(report, lang: str, label) -> dict[str, str]:
    """The report's charts as SVG strings: achievement, criteria, owner_type, forecast,
    top_holders (those with data)."""
    ctx, plt = _style()
    out = {}
    ind = report.indicators
    with ctx:
        tb = ind.table
        m = tb["target"].notna() & tb["value"].notna() & (tb["target"] != 0)
        if m.any():
            sub = tb[m]
            lower_better = sub["target_op"].isin(["≤", "<"]).to_numpy()
            ratio = np.where(lower_better, sub["target"] / sub["value"].where(sub["value"] > 0),
                             sub["value"] / sub["target"])
            ratio = np.nan_to_num(np.asarray(ratio, dtype=float), nan=0.0)
            fig, ax = plt.subplots((7.5, 0.32 * len(sub) + 1.0))
            colors = [_COLORS["met"] if s == "met" else _COLORS["not_met"]
                      for s in sub["status"]]
            y = np.arange(len(sub))[::-1]
            ax.barh(y, np.minimum(ratio, 2.0), color=colors)
            ax.axvline(1.0, color=_COLORS["grey"], linestyle="--", linewidth=1)
            ax.set_yticks(y, list(sub[f"name_{lang}"]))
            ax.set_xlim(0, 2.05)
            ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
            for yi, r in zip(y, ratio, strict=True):
                ax.text(min(r, 2.0) + 0.02, yi, f"{r:.0%}", va="center", fontsize=8)
            ax.set_xlabel(label("charts.achievement_x"))
            ax.set_title(label("charts.achievement"), loc="left")
            out["achievement"] = _fig_to_svg(fig, "ch-ach")
        cr = ind.criteria[ind.criteria["criterion"].str.startswith("hv_")]
        if len(cr):
            fig, ax = plt.subplots((7.5, 2.8))
            y = np.arange(len(cr))[::-1]
            ax.barh(y, cr["count"], color=_COLORS["main"])
            ax.set_yticks(y, list(cr[f"name_{lang}"]))
            for yi, c in zip(y, cr["count"], strict=True):
                ax.text(c, yi, f" {int(c):,}", va="center", fontsize=8)
            ax.set_xlabel(label("charts.count_axis"))
            ax.set_title(label("charts.criteria"), loc="left")
            out["criteria"] = _fig_to_svg(fig, "ch-cri")
        ot = ind.by_owner_type[ind.by_owner_type["owner_class"] != "total"]
        if len(ot):
            fig, ax = plt.subplots((7.5, 3.0))
            x = np.arange(len(ot))
            ax.bar(x - 0.2, ot["valid_invention"], width=0.4, color=_COLORS["light"],
                   label=label("charts.valid"))
            ax.bar(x + 0.2, ot["high_value"], width=0.4, color=_COLORS["main"],
                   label=label("charts.high_value"))
            ax.set_xticks(x, list(ot[f"name_{lang}"]))
            ax.set_ylabel(label("charts.count_axis"))
            ax.legend(frameon=False)
            ax.set_title(label("charts.owner_type"), loc="left")
            out["owner_type"] = _fig_to_svg(fig, "ch-own")
        fc = report.forecast
        if fc is not None and len(fc.summary):
            s = fc.summary
            dates = [str(ind.as_of.date())] + list(s["date"])
            exp = [float(s["current"].iloc[0])] + list(s["expected"])
            lo = [exp[0]] + list(s["low"])
            hi = [exp[0]] + list(s["high"])
            fig, ax = plt.subplots((7.5, 3.0))
            x = np.arange(len(dates))
            ax.fill_between(x, lo, hi, color=_COLORS["band"], label=label("charts.forecast_band"))
            ax.plot(x, exp, marker="o", color=_COLORS["main"],
                    label=label("charts.forecast_expected"))
            for xi, e in zip(x, exp, strict=True):
                ax.annotate(f"{e:,.0f}", (xi, e), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8)
            ax.set_xticks(x, dates)
            ax.set_ylabel(label("charts.count_axis"))
            ax.legend(frameon=False, loc="lower left")
            ax.set_title(label("charts.forecast"), loc="left")
            out["forecast"] = _fig_to_svg(fig, "ch-fc")
        th = report.top_holders.head(10)
        if len(th):
            fig, ax = plt.subplots((7.5, 0.3 * len(th) + 1.0))
            y = np.arange(len(th))[::-1]
            ax.barh(y, th["high_value"], color=_COLORS["main"])
            ax.set_yticks(y, [f"{r}. {n}" for r, n in zip(th["rank"], th["name"], strict=True)])
            ax.set_xlabel(label("charts.count_axis"))
            ax.set_title(label("charts.top_holders"), loc="left")
            out["top_holders"] = _fig_to_svg(fig, "ch-top")
    return out
