"""The bureau's report: indicators against targets, forecast, top-100 lists and support list, as
a self-contained HTML page and an Excel workbook (one sheet per table), zh first, en available.

- :func:`build_report` — compute everything once (:class:`Report`)
- :func:`write_report` — ``.html`` (inline SVG charts, no script, no CDN) or ``.xlsx``
  (number formats, frozen header row, autofilter)
- :meth:`Report.tables` — the localised tables written to both

Charts need matplotlib (``pip install 'hvpscore[report]'``); Chinese text in charts is drawn
with a CJK font when one is installed (see :mod:`hvpscore.report._charts`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hvpscore._errors import InputError
from hvpscore.indicators import (
    Forecast,
    Indicators,
    compute_indicators,
    forecast_high_value,
    holders_from_stock,
    inventors_from_stock,
)
from hvpscore.indicators._compute import ALL_REGIONS
from hvpscore.indicators._messages import note_text
from hvpscore.indicators._stock import region_matches
from hvpscore.indicators._targets import DEFAULT_TARGETS
from hvpscore.report._tables import LANGS, Table, localised_tables, t
from hvpscore.support import measure_constraints
from hvpscore.support._lists import support_from_stock

__all__ = ["LANGS", "Report", "Table", "build_report", "write_report"]


@dataclass
class Report:
    """Everything the report shows: ``indicators`` (:class:`~hvpscore.indicators.Indicators`),
    ``forecast`` (:class:`~hvpscore.indicators.Forecast` or None), ``top_holders``,
    ``top_inventors``, ``support`` (support list), ``n_top``, ``synthetic`` (records known to be
    synthetic)."""

    indicators: Indicators
    forecast: Forecast | None = None
    top_holders: pd.DataFrame | None = None
    top_inventors: pd.DataFrame | None = None
    support: pd.DataFrame | None = None
    n_top: int = 100
    synthetic: bool = False

    def tables(self, lang: str = "zh") -> dict[str, Table]:
        """The localised tables, in sheet order (what the workbook holds, sheet by sheet)."""
        return localised_tables(self, lang)

    def notes(self, lang: str = "zh") -> list[tuple[str, str]]:
        """(topic, text) lines: assumptions, left-outs, sources and rules of this report."""
        zh = lang == "zh"
        ind = self.indicators
        out = [(("说明" if zh else "note"), note_text(n, lang)) for n in ind.notes]
        if self.forecast is not None:
            out += [(("预测" if zh else "forecast"), note_text(n, lang))
                    for n in self.forecast.notes]
        if ind.targets is not None and ind.targets.targets:
            out.append((("目标来源" if zh else "targets"),
                        f"{ind.targets.title_zh if zh else ind.targets.title_en}，"
                        f"{ind.targets.document}"))
        if ind.context is not None:
            out.append((("分母来源" if zh else "denominators"),
                        f"{ind.context.id}" + (f"：{ind.context.note}" if ind.context.note else "")))
        out.append((("百强规则" if zh else "top-100 rules"), t("lists_note", lang)))
        for c in measure_constraints().values():
            out.append((("国家政策" if zh else "national policy"),
                        f"{c[lang]}（{c.get('source', '')}）"))
        out.append((("支持措施" if zh else "support measures"),
                    "方案支持措施有效期为2022-03-25至2024-12-31；统计日在有效期外的措施标为“已过期”，"
                    "金额为方案上限而非资助决定。" if zh else
                    "The plan's measures are dated 2022-03-25 to 2024-12-31; at a later date they "
                    "show as expired; amounts are the plan's ceilings, not grant decisions."))
        return out


def _year_ends(as_of: pd.Timestamp, n: int = 3) -> list[str]:
    return [_dt.date(as_of.year + k, 12, 31).isoformat() for k in range(1, n + 1)]


def build_report(scores, records, context=None, *, targets=DEFAULT_TARGETS, as_of=None,
                 compare_to=None, forecast_at=None, n_top: int = 100, aliases=None,
                 measures=None, domestic_only=None, region=None, policy=None,
                 synthetic: bool | None = None, tie_break: str | None = None) -> Report:
    """Compute the report's contents once.

    Arguments as for :func:`hvpscore.compute_indicators`; ``forecast_at``: a date or list of
    dates (default the next three year-ends after ``as_of``; ``False`` for none);
    ``n_top``: length of the top lists (``tie_break="score"``: rank equal counts by score);
    ``aliases``: alias file for names; ``measures``: a
    support-measure file (default the shipped table). Lists and the support list cover the
    headline region's owners. ``synthetic``: mark the page as built on synthetic records (default:
    when the records say so in ``records.attrs['synthetic']``).
    """
    ind = compute_indicators(scores, records, context, targets=targets, as_of=as_of,
                             domestic_only=domestic_only, region=region, compare_to=compare_to,
                             policy=policy)
    reg = None if ind.region == ALL_REGIONS else ind.region
    fc = None
    if forecast_at is not False:
        dates = forecast_at if forecast_at is not None else _year_ends(ind.as_of)
        if isinstance(dates, str):
            dates = [dates]
        fc = forecast_high_value(scores, records, at=list(dates), as_of=ind.as_of,
                                 policy=policy, region=reg)
    stock = ind.stock
    holders = holders_from_stock(stock, n=n_top, aliases=aliases, region=reg, tie_break=tie_break)
    inventors = inventors_from_stock(stock, n=n_top, region=reg, holder_aliases=aliases,
                                     tie_break=tie_break)
    sub = stock if reg is None else stock[stock["region"].map(lambda r: region_matches(r, reg))]
    support = support_from_stock(sub, as_of=ind.as_of, measures=measures)
    syn = bool(records.attrs.get("synthetic", False)) if synthetic is None else bool(synthetic)
    return Report(ind, fc, holders, inventors, support, n_top=n_top, synthetic=syn)


def write_report(report: Report, path, *, lang: str = "zh") -> Path:
    """Write the report to ``path``: ``.html`` (self-contained page) or ``.xlsx`` (workbook)."""
    from hvpscore.report._html import write_html
    from hvpscore.report._xlsx import write_xlsx

    if lang not in LANGS:
        raise InputError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    path = Path(path)
    suffix = path.suffix.lower()
    tables = report.tables(lang)
    if suffix in (".html", ".htm"):
        return write_html(report, tables, path, lang)
    if suffix == ".xlsx":
        return write_xlsx(tables, path)
    raise InputError(f"{path}: a report is written as .html or .xlsx")

