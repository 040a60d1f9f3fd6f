"""``hvpscore sei``: which row of the CNIPA 2021 SEI concordance an IPC code (or a record) matches,
and why."""

from __future__ import annotations

import click

from hvpscore.cli._common import lang_option, read_for_command

__all__ = ["sei"]


@click.command("sei")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--text", default=None,
              help="Title/abstract/claims to search for a partial row's keywords / 检索关键词的文本")
@click.option("--record", "record_path", default=None, type=click.Path(dir_okay=False),
              help="Explain every record of this file (its IPC codes and texts) / 逐条解释记录文件")
@click.option("--profile", "-p", default="canonical", show_default=True,
              help="Source profile of --record (canonical, cn-export, …) / 数据源配置")
@click.option("--encoding", default=None, help="Text encoding of a CSV --record file")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="At most this many records of --record / 最多解释的记录数")
@click.option("--suggest", is_flag=True,
              help="Suggest fields from --text (and the CODEs) by the table's keywords / 依关键词建议产业")
@click.option("--concordance", default=None, type=click.Path(dir_okay=False),
              help="Your copy of the official table (xlsx/csv) instead of the shipped one / 官方参照关系表")
@click.option("--policy", "policy_ref", default=None, metavar="FILE|ID",
              help="Policy for ipc_scope and keyword_fields of --record (default cnipa-2021)")
@lang_option
def sei(codes, text, record_path, profile, encoding, limit, suggest, concordance, policy_ref,
        lang):
    """Explain the strategic-emerging-industry verdict of IPC codes or of records.

    解释IPC分类号（或记录）在《战略性新兴产业分类与国际专利分类参照关系表（2021）》中命中的行及原因：
    最具体的条目优先；部分对应（带关键词）的条目须文本含关键词才计入，否则为"接近"。

    \b
    hvpscore sei H04W72/04 H04L9/32 --text "一种基于区块链的…"
    hvpscore sei --record patents.csv --profile cn-export --limit 5
    hvpscore sei --suggest --text "一种锂离子电池单体…" H01M10/0525
    """
    from hvpscore.rules import (
        explain_sei,
        format_sei_explanation,
        format_sei_suggestions,
        load_concordance,
        load_policy,
        shipped_concordance,
        suggest_sei,
    )

    if suggest and not text:
        raise click.UsageError("--suggest needs --text (the draft's title, abstract or claims)")
    if not codes and record_path is None and not suggest:
        raise click.UsageError("give IPC codes, --record FILE, or --suggest --text TEXT "
                               "(e.g. hvpscore sei H04W72/04)")
    conc = load_concordance(concordance) if concordance else shipped_concordance()
    if suggest:
        table = suggest_sei(text, ipc=list(codes) or None, concordance=conc)
        click.echo(format_sei_suggestions(table, lang, ";".join(codes)))
        return
    if codes:
        click.echo(format_sei_explanation(explain_sei(codes, text=text, concordance=conc), lang))
    if record_path is None:
        return
    pol = load_policy(policy_ref)
    res = read_for_command(record_path, profile, encoding, strict=False, lang=lang)
    recs = res.records.head(limit)
    fields = [c for c in pol.param("sei", "keyword_fields") if c in recs.columns]
    main_only = pol.param("sei", "ipc_scope") == "main"
    label = {"zh": "记录 {id}：", "en": "record {id}:"}[lang]
    for _, r in recs.iterrows():
        ipc = r["ipc"] if isinstance(r.get("ipc"), list) else []
        ipc = ipc[:1] if main_only else ipc
        body = " ".join(str(r[c]) for c in fields if isinstance(r[c], str))
        click.echo(label.format(id=r.get("patent_id", "?")))
        if not ipc:
            click.echo("  " + {"zh": "无IPC分类号", "en": "no IPC code"}[lang])
            continue
        click.echo(format_sei_explanation(explain_sei(ipc, text=body or None, concordance=conc),
                                          lang))
