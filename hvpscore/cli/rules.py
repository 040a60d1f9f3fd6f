"""``hvpscore policy show`` and ``hvpscore criteria``: the official criteria engine."""

from __future__ import annotations

import click

from hvpscore.cli._common import (
    as_of_option,
    chunksize_option,
    echo_read,
    input_options,
    lang_option,
)

__all__ = ["criteria", "policy"]


@click.group()
def policy() -> None:
    """Inspect high-value policies. / 查看高价值专利判定口径。"""


@policy.command("show")
@click.option("--policy", "policy_ref", default=None, metavar="FILE|ID",
              help="A policy YAML file (extends: cnipa-2021) or a shipped id; default cnipa-2021")
@lang_option
def show(policy_ref, lang):
    """Print the effective settings, marking overrides vs defaults. / 打印生效参数（标出覆盖项）。"""
    from hvpscore.rules import load_policy

    click.echo(load_policy(policy_ref).describe())


def _print_shares(shares, n: int, nf: int, policy_id: str, as_of: str, lang: str) -> None:
    if lang == "zh":
        click.echo(f"口径 {policy_id}，统计日 {as_of}：记录 {n} 条，有效发明专利 {nf} 件"
                   + (f"（{nf / n:.1%}）" if n else ""))
        click.echo(f"{'标准 criterion':22} {'件数':>8} {'占比':>8} {'占有效':>9} {'仅此':>7}")
    else:
        click.echo(f"policy {policy_id}, as of {as_of}: {n} records, {nf} valid invention "
                   f"patents in force" + (f" ({nf / n:.1%})" if n else ""))
        click.echo(f"{'criterion':22} {'count':>8} {'share':>8} {'of valid':>9} {'only':>7}")
    for r in shares.itertuples(index=False):
        if r.criterion == "is_high_value":
            click.echo("-" * 64)
        label = r.label_zh if lang == "zh" else r.label_en
        click.echo(f"{r.criterion:22} {r.count:8d} {r.share:8.2%} {r.share_of_in_force:9.2%} "
                   f"{r.only_this:7d}  {label}")


@click.command("criteria")
@input_options
@as_of_option()
@click.option("--policy", "policy_ref", default=None, metavar="FILE|ID",
              help="Policy YAML or shipped id (default cnipa-2021) / 判定口径")
@click.option("--concordance", default=None, type=click.Path(dir_okay=False),
              help="Official CNIPA SEI-IPC concordance table (xlsx/csv) to use instead of the "
                   "shipped one / 官方参照关系表")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Output file: .csv, .parquet, .xlsx or .jsonl / 输出文件")
@chunksize_option("evaluated")
@lang_option
def criteria(input_path, profile, encoding, strict, rejects, as_of, policy_ref, concordance,
             output, chunksize, lang):
    """Evaluate the five official criteria as of a date; write flags + evidence.

    按五类官方标准判定高价值发明专利（截至统计日），输出标志与依据，并打印各标准占比。
    """
    from hvpscore.rules import criteria_file

    run = criteria_file(input_path, output, profile=profile, policy=policy_ref, as_of=as_of,
                        concordance=concordance, encoding=encoding, strict=strict,
                        rejects=rejects, chunksize=chunksize)
    echo_read(run.summary, run.rejects_path, lang)
    _print_shares(run.extra["shares"], run.rows_out, run.extra["in_force"],
                  run.extra["policy_id"], run.extra["as_of"], lang)
    click.echo(("已写入 " if lang == "zh" else "written to ") + str(output), err=True)
