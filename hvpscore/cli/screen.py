"""``hvpscore screen INPUT``: near-copy applications and bulk-filing indicators in a stock
(非正常专利申请筛查), and the stock index ``hvpscore check --index`` compares drafts with."""

from __future__ import annotations

import click

from hvpscore.cli._common import echo_read, input_options, lang_option

__all__ = ["screen"]


@click.command("screen")
@input_options
@click.option("-o", "--out", type=click.Path(dir_okay=False), default=None,
              help="Flagged pairs (.parquet/.csv/.xlsx/.jsonl) / 疑似近似重复申请对")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False), default=None,
              help="Summary by applicant (.parquet/.csv/.xlsx/.jsonl) / 按申请人汇总")
@click.option("--signals", "signals_path", type=click.Path(dir_okay=False), default=None,
              help="Bulk-filing indicators per applicant/agency and month / 批量申请线索")
@click.option("--build-index", "index_dir", type=click.Path(file_okay=False), default=None,
              help="Also write the stock index to this directory (for check --index) / 建立索引")
@click.option("--text-lang", type=click.Choice(["auto", "zh", "en"]), default="auto",
              show_default=True, help="Language of the claims texts / 文本语言")
@click.option("--chunksize", type=click.IntRange(min=1000), default=50_000, show_default=True,
              help="Rows read at a time / 每次读取行数")
@lang_option
def screen(input_path, profile, encoding, strict, rejects, out, summary_path, signals_path,
           index_dir, text_lang, chunksize, lang):
    """Screen the stock INPUT for applications whose claims or abstracts are nearly the same
    (normalised claims, MinHash LSH, exact similarity, claim-to-claim matching) and for
    bulk-filing indicators per applicant and month (filings vs inventors, bursts, shared
    templates, early transfers). Every result is an indicator with evidence for a reviewer,
    with the clause of CNIPA's 2023 《规范申请专利行为的规定》 Art. 3 it relates to.

    非正常专利申请筛查：找出权利要求书或摘要近似相同的申请对（含逐项权利要求对应和差异词），
    以及按申请人、月份统计的批量申请线索。结果仅为线索，需人工判断。
    """
    from pathlib import Path

    import pandas as pd

    from hvpscore._errors import InputError
    from hvpscore.io import iter_records, rejects_path_for, write_table
    from hvpscore.screening import build_index
    from hvpscore.screening import screen as run_screen

    if not (out or summary_path or signals_path or index_dir):
        raise click.UsageError("give -o PAIRS, --summary, --signals or --build-index DIR / "
                               "请指定输出（-o、--summary、--signals 或 --build-index）")
    rejected: list[pd.DataFrame] = []
    counts = {"read": 0, "accepted": 0}

    def chunks():
        for res in iter_records(input_path, profile, encoding=encoding, chunksize=chunksize):
            counts["read"] += len(res.records) + len(res.rejects)
            counts["accepted"] += len(res.records)
            if len(res.rejects):
                if strict:
                    raise InputError(f"{input_path}: {len(res.rejects)} bad rows (--strict); "
                                     f"first: {res.rejects.iloc[0].to_dict()} / 存在不合格行")
                rejected.append(res.rejects)
            yield res.records

    idx = build_index(chunks(), index_dir, lang=text_lang)
    target = None
    if rejected:
        target = rejects or rejects_path_for(out or Path(input_path).name)
        write_table(pd.concat(rejected, ignore_index=True), target)
    n_rej = counts["read"] - counts["accepted"]
    click.echo((f"读取 {counts['read']} 行，接受 {counts['accepted']}，拒绝 {n_rej}" if lang == "zh"
                else f"{counts['read']} read, {counts['accepted']} accepted, {n_rej} rejected"),
               err=True)
    echo_read(None, target, lang)
    if index_dir:
        click.echo(("索引已写入 " if lang == "zh" else "index written to ") + str(index_dir),
                   err=True)
    if not (out or summary_path or signals_path):
        return
    res = run_screen(None, index=idx)
    if out:
        write_table(res.pairs, out)
    if summary_path:
        write_table(res.summary, summary_path)
    if signals_path:
        write_table(res.signals, signals_path)
    s = res.stats
    by = res.pairs["relation"].value_counts().to_dict() if len(res.pairs) else {}
    if lang == "zh":
        click.echo(f"疑似近似重复申请对 {s['flagged']} 对（同一申请人 {by.get('same_applicant', 0)}，"
                   f"不同申请人 {by.get('cross_applicant', 0)}），模板簇 {s['templates']} 个，"
                   f"批量申请线索 {s['signals']} 条；均为线索，需人工判断。")
    else:
        click.echo(f"{s['flagged']} flagged pairs ({by.get('same_applicant', 0)} same applicant, "
                   f"{by.get('cross_applicant', 0)} across applicants), {s['templates']} template "
                   f"buckets, {s['signals']} bulk-filing indicators; indicators for review, not "
                   f"findings.")
