"""``hvpscore indicators``, ``report``, ``lists``, ``support`` and ``measures``: the bureau's
year — plan indicators against targets, forecast, top-100 lists, support lists, HTML/xlsx report.
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from hvpscore.cli._common import as_of_option, lang_option, read_for_command

__all__ = ["COMMANDS", "indicators", "lists", "measures", "report", "support"]


def _stock_options(f):
    opts = [
        click.argument("scores_path", metavar="SCORES", type=click.Path(dir_okay=False)),
        click.option("--records", "records_path", required=True, type=click.Path(dir_okay=False),
                     help="The records SCORES was made from (owners, regions, tags, pledges) / "
                          "评分所用的原始记录"),
        click.option("--profile", "-p", default="canonical", show_default=True,
                     help="Source profile of --records (canonical, cn-export, … or YAML) / 数据源配置"),
        click.option("--encoding", default=None, help="Text encoding of --records (default: detect)"),
        click.option("--strict", is_flag=True, help="Fail on any bad record instead of writing rejects"),
        click.option("--rejects", type=click.Path(dir_okay=False), default=None,
                     help="Where to write rejected records (default: OUT name + .rejects.csv)"),
        as_of_option("Statistics date YYYY-MM-DD (default: the score table's as_of) / 统计日"),
        click.option("--policy", default=None, help="Policy id or YAML (default cnipa-2021)"),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _read(scores_path, records_path, profile, encoding, strict, rejects, out, lang):
    from hvpscore.indicators import read_scores

    scores = read_scores(scores_path)
    result = read_for_command(records_path, profile, encoding, strict, out, rejects, lang)
    return scores, result.records


def _targets_arg(value):
    return None if value in ("none", "") else value


def _fmt(v, fmt: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if fmt == "int":
        return f"{v:,.0f}"
    if fmt == "percent":
        return f"{v:.1%}"
    if fmt == "percent2":
        return f"{v:.2%}"
    return f"{v:,.2f}"


def _print_indicators(ind, lang: str) -> None:
    from hvpscore.report._tables import t

    zh = lang == "zh"
    region = ind.region
    click.echo(f"统计日 {ind.as_of.date()}，地区 {region}" if zh else
                f"as of {ind.as_of.date()}, region {region}")
    for r in ind.table.itertuples(index=False):
        name = r.name_zh if zh else r.name_en
        tgt = "" if math.isnan(r.target) else f"{r.target_op} {_fmt(r.target, r.format)}"
        line = f"{_fmt(r.value, r.format):>12}  {tgt:>12}  {t(f'status.{r.status}', lang):6}  {name}"
        if "value_prev" in ind.table.columns:
            line += f"  ({'上期' if zh else 'prev'} {_fmt(r.value_prev, r.format)})"
        click.echo(line)
    from hvpscore.indicators._messages import note_text

    for n in ind.notes:
        click.echo(("注：" if zh else "note: ") + note_text(n, lang), err=True)


@click.command()
@_stock_options
@click.option("--context", "context_path", default=None, type=click.Path(dir_okay=False),
              help="Denominators by region and year (YAML/CSV, see data/sample/context.yaml) / 分母")
@click.option("--targets", default="chongqing-2022-2024", show_default=True,
              help="Target file: shipped id, YAML path, or 'none' / 目标文件")
@click.option("--compare-to", default=None, metavar="DATE",
              help="Second date for year-over-year columns / 同比日期")
@click.option("--region", default=None, help="Headline region (default: the targets' region) / 地区")
@click.option("--domestic-only/--all-owners", "domestic_only", default=None,
              help="Count domestic owners only, or all (default: each indicator's definition)")
@click.option("--output", "-o", default=None, type=click.Path(dir_okay=False),
              help="Write the tables: .xlsx (one sheet each) or .csv/.parquet/.jsonl (indicators)")
@lang_option
def indicators(scores_path, records_path, profile, encoding, strict, rejects, as_of, policy,
               context_path, targets, compare_to, region, domestic_only, output, lang):
    """Plan indicators against targets, by region and owner type.

    计算规划指标（万人高价值发明专利拥有量、每亿元研发投入/GDP、各类主体拥有量、战略性新兴产业占比、
    质押融资等）并与目标比较；可输出同比。
    """
    from hvpscore.indicators import compute_indicators

    scores, records = _read(scores_path, records_path, profile, encoding, strict, rejects, output,
                            lang)
    ind = compute_indicators(scores, records, context_path, targets=_targets_arg(targets),
                             as_of=as_of, domestic_only=domestic_only, region=region,
                             compare_to=compare_to, policy=policy)
    _print_indicators(ind, lang)
    if output:
        if Path(output).suffix.lower() == ".xlsx":
            from hvpscore.report import Report
            from hvpscore.report._tables import localised_tables
            from hvpscore.report._xlsx import write_xlsx

            rep = Report(ind, None, None, None, None)
            write_xlsx(localised_tables(rep, lang, parts=(
                "indicators", "criteria", "by_region", "by_owner_type", "notes")), output)
        else:
            from hvpscore.io import write_table

            write_table(ind.table, output)
        click.echo(("已写入 " if lang == "zh" else "written to ") + str(output), err=True)


@click.command()
@_stock_options
@click.option("--context", "context_path", default=None, type=click.Path(dir_okay=False),
              help="Denominators by region and year (YAML/CSV) / 分母")
@click.option("--targets", default="chongqing-2022-2024", show_default=True,
              help="Target file: shipped id, YAML path, or 'none' / 目标文件")
@click.option("--compare-to", default=None, metavar="DATE", help="Year-over-year date / 同比日期")
@click.option("--region", default=None, help="Headline region / 地区")
@click.option("--forecast-at", multiple=True, metavar="DATE",
              help="Forecast date(s) (default: the next three year-ends) / 预测日期")
@click.option("--no-forecast", is_flag=True, help="Leave the forecast out")
@click.option("--top", "n_top", default=100, show_default=True, type=click.IntRange(1),
              help="Length of the top lists / 百强榜长度")
@click.option("--aliases", default=None, type=click.Path(dir_okay=False),
              help="Alias file for renamed holders (CSV alias,canonical) / 更名别名文件")
@click.option("--tie-break", type=click.Choice(["score"]), default=None,
              help="Rank equal counts by score (default: ties share the rank) / 并列时按得分排")
@click.option("--measures", "measures_path", default=None, type=click.Path(dir_okay=False),
              help="Support-measure table (default: the shipped plan measures)")
@click.option("--output", "-o", "outputs", required=True, multiple=True,
              type=click.Path(dir_okay=False),
              help="report.html and/or report.xlsx (repeat -o for both) / 输出文件")
@lang_option
def report(scores_path, records_path, profile, encoding, strict, rejects, as_of, policy,
           context_path, targets, compare_to, region, forecast_at, no_forecast, n_top, aliases,
           tie_break, measures_path, outputs, lang):
    """The bureau's report: a self-contained HTML page and/or an Excel workbook.

    生成统计监测报告：离线HTML页面（内嵌图表）与Excel工作簿（指标与目标、标准构成、分地区、分类型、
    权利人百强、发明人百强、支持清单、预测）。
    """
    from hvpscore.report import build_report, write_report

    for o in outputs:
        if Path(o).suffix.lower() not in (".html", ".htm", ".xlsx"):
            raise click.BadParameter(f"{o}: write the report as .html or .xlsx",
                                     param_hint="--output")
    scores, records = _read(scores_path, records_path, profile, encoding, strict, rejects,
                            outputs[0], lang)
    rep = build_report(scores, records, context_path, targets=_targets_arg(targets), as_of=as_of,
                       compare_to=compare_to, region=region, policy=policy,
                       forecast_at=False if no_forecast else (list(forecast_at) or None),
                       n_top=n_top, aliases=aliases, measures=measures_path,
                       synthetic=_synthetic(records_path, records), tie_break=tie_break)
    _print_indicators(rep.indicators, lang)
    for o in outputs:
        write_report(rep, o, lang=lang)
        click.echo(("已写入 " if lang == "zh" else "written to ") + str(o), err=True)


def _synthetic(path, records) -> bool:
    """The shipped sample (and anything the generator wrote) is synthetic."""
    p = Path(path).resolve()
    return p.parent.name == "sample" and p.parent.parent.name == "data" or bool(
        records.attrs.get("synthetic", False))


@click.command()
@_stock_options
@click.option("--kind", type=click.Choice(["holders", "inventors"]), default="holders",
              show_default=True, help="Which list / 榜单类型")
@click.option("--top", "n_top", default=100, show_default=True, type=click.IntRange(1))
@click.option("--aliases", default=None, type=click.Path(dir_okay=False),
              help="Alias file (CSV alias,canonical[,kind]) / 别名文件")
@click.option("--credit", type=click.Choice(["full", "fractional", "first"]), default="full",
              show_default=True, help="Co-owned patents: each owner in full, 1/k, or first owner")
@click.option("--region", default=None, help="Only owners of this region / 地区")
@click.option("--tie-break", type=click.Choice(["score"]), default=None,
              help="Rank equal counts by score (default: ties share the rank) / 并列时按得分排")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="List to write (.xlsx/.csv/.parquet/.jsonl)")
@lang_option
def lists(scores_path, records_path, profile, encoding, strict, rejects, as_of, policy, kind,
          n_top, aliases, credit, region, tie_break, output, lang):
    """Top-100 lists of high-value invention patent holders or inventors.

    高价值发明专利拥有量百强榜（专利权人）或发明人百强榜；并列同名次（1、2、2、4）。
    """
    from hvpscore.indicators import top_holders, top_inventors
    from hvpscore.io import write_table

    scores, records = _read(scores_path, records_path, profile, encoding, strict, rejects, output,
                            lang)
    if kind == "holders":
        table = top_holders(scores, records, n=n_top, aliases=aliases, credit=credit,
                            as_of=as_of, policy=policy, region=region, tie_break=tie_break)
    else:
        table = top_inventors(scores, records, n=n_top, aliases=aliases, as_of=as_of,
                              policy=policy, region=region, tie_break=tie_break)
    for r in table.head(10).itertuples(index=False):
        click.echo(f"{r.rank:>4}  {r.high_value:>6}  {r.name}")
    write_table(table, output)
    click.echo((f"共 {len(table)} 行，已写入 " if lang == "zh" else
                f"{len(table)} rows written to ") + str(output), err=True)


@click.command()
@_stock_options
@click.option("--measures", "measures_path", default=None, type=click.Path(dir_okay=False),
              help="Support-measure table (default: the shipped plan measures)")
@click.option("--valid-only", is_flag=True, help="Only measures in force at the date / 仅有效措施")
@click.option("--measure", default=None, help="Budget mode: the measure to allocate / 分配的措施")
@click.option("--budget", default=None, type=float, help="Budget mode: amount in CNY / 预算（元）")
@click.option("--min-score", default=None, type=float, help="Budget mode: lines below get nothing")
@click.option("--mode", type=click.Choice(["fixed", "proportional"]), default=None,
              help="Budget mode: override the measure's allocation")
@click.option("--allow-expired", is_flag=True,
              help="Budget mode: simulate a measure that is not in force at the date")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Lines to write (.xlsx/.csv/.parquet/.jsonl)")
@lang_option
def support(scores_path, records_path, profile, encoding, strict, rejects, as_of, policy,
            measures_path, valid_only, measure, budget, min_score, mode, allow_expired, output,
            lang):
    """Support list: which measure each patent, owner or inventor qualifies for; or, with
    --measure and --budget, a budget allocated by score with an explanation per line.

    支持清单：逐项列出专利、专利权人、发明人符合的支持措施及理由；指定 --measure 与 --budget 时按得分分配预算。
    """
    from hvpscore.io import write_table
    from hvpscore.support import allocate_budget, support_list

    if (measure is None) != (budget is None):
        raise click.UsageError("budget mode needs both --measure and --budget")
    scores, records = _read(scores_path, records_path, profile, encoding, strict, rejects, output,
                            lang)
    if measure is None:
        table = support_list(scores, records, as_of=as_of, measures=measures_path,
                             include_expired=not valid_only, policy=policy)
        counts = table.groupby(["measure_id", "status"]).size() if len(table) else []
        for (mid, st), n in (counts.items() if len(table) else []):
            click.echo(f"{n:>6}  {st:8}  {mid}")
    else:
        table = allocate_budget(scores, records, measure, budget, as_of=as_of,
                                measures=measures_path, min_score=min_score, mode=mode,
                                allow_expired=allow_expired, policy=policy)
        col = "explain_zh" if lang == "zh" else "explain_en"
        for r in table.head(10).itertuples(index=False):
            click.echo(f"{r.allocated_cny:>12,.0f}  {r.beneficiary}  {getattr(r, col)}")
        click.echo(f"预算 {budget:,.0f} 元，已分配 {table['allocated_cny'].sum():,.0f} 元" if lang == "zh"
                    else f"budget {budget:,.0f} CNY, allocated {table['allocated_cny'].sum():,.0f} CNY")
    write_table(table, output)
    click.echo(("已写入 " if lang == "zh" else "written to ") + str(output), err=True)


@click.command()
@click.option("--measures", "measures_path", default=None, type=click.Path(dir_okay=False),
              help="Support-measure table (default: the shipped plan measures)")
@as_of_option("Show validity at this date (default today) / 判断有效期的日期")
@lang_option
def measures(measures_path, as_of, lang):
    """The support-measure table: amount, cap, eligibility, validity and source.

    列出支持措施：金额、上限、条件、每族一次、有效期、来源。
    """
    from hvpscore._dates import parse_as_of
    from hvpscore.report._tables import t
    from hvpscore.support import load_measures, measure_constraints

    ts = parse_as_of(as_of)
    for m in load_measures(measures_path):
        amount = (f"{m.amount_cny:,.0f}" if m.amount_cny else "—") + (
            f" / ≤{m.cap_cny:,.0f}" if m.cap_cny else "")
        name = m.name_zh if lang == "zh" else m.name_en
        click.echo(f"{m.id:28} {m.clause:6} {amount:>18}  {m.valid_from.date()}…{m.valid_to.date()}"
                   f"  {t('status.' + m.status(ts), lang):6}  {name}")
    for c in measure_constraints(measures_path).values():
        click.echo(("注：" if lang == "zh" else "note: ") + c[lang])


COMMANDS = (indicators, report, lists, support, measures)
