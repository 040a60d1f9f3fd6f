"""CLI commands of the criteria engine: ``hvpscore policy show`` and ``hvpscore criteria``."""

from __future__ import annotations

import click
import pandas as pd

__all__ = ["criteria", "criteria_shares", "policy"]

_LABELS = {
    "hv_sei": ("战略性新兴产业", "strategic emerging industry"),
    "hv_overseas": ("海外同族专利权", "overseas family patent right"),
    "hv_maintained_10y": ("维持超过10年", "maintained > 10 years"),
    "hv_pledge": ("较高质押融资", "high pledge financing"),
    "hv_award": ("国家科技奖/中国专利奖", "national S&T / China Patent Award"),
}


@click.group()
def policy() -> None:
    """Inspect high-value policies. / 查看高价值专利判定口径。"""


@policy.command("show")
@click.option("--policy", "policy_ref", default=None, metavar="FILE|ID",
              help="A policy YAML file (extends: cnipa-2021) or a shipped id; default cnipa-2021")
def show(policy_ref):
    """Print the effective settings, marking overrides vs defaults. / 打印生效参数（标出覆盖项）。"""
    from hvpscore.rules import load_policy

    click.echo(load_policy(policy_ref).describe())


def criteria_shares(flags: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares per criterion: ``criterion, label_zh, label_en, count, share,
    share_of_in_force, only_this`` (reached through this criterion alone), plus a
    ``is_high_value`` row. Shares are of all records; ``share_of_in_force`` of valid inventions.
    """
    n = len(flags)
    nf = int(flags["in_force"].sum())
    rows = []
    cols = list(_LABELS)
    hv = flags[cols].to_numpy(dtype=bool)
    k = hv.sum(axis=1)
    for j, col in enumerate(cols):
        c = int(hv[:, j].sum())
        only = int((hv[:, j] & (k == 1)).sum())
        rows.append({"criterion": col, "label_zh": _LABELS[col][0], "label_en": _LABELS[col][1],
                     "count": c, "share": c / n if n else 0.0,
                     "share_of_in_force": c / nf if nf else 0.0, "only_this": only})
    c = int(flags["is_high_value"].sum())
    rows.append({"criterion": "is_high_value", "label_zh": "高价值发明专利",
                 "label_en": "high-value invention patent", "count": c,
                 "share": c / n if n else 0.0, "share_of_in_force": c / nf if nf else 0.0,
                 "only_this": c})
    return pd.DataFrame(rows)


def _print_shares(flags: pd.DataFrame, policy_id: str, as_of: str) -> None:
    n = len(flags)
    nf = int(flags["in_force"].sum())
    table = criteria_shares(flags)
    click.echo(f"policy {policy_id}, as of {as_of}: {n} records, {nf} valid invention patents in "
               f"force ({nf / n:.1%})" if n else f"policy {policy_id}: no records")
    click.echo(f"口径 {policy_id}，统计日 {as_of}：记录 {n} 条，有效发明专利 {nf} 件")
    click.echo(f"{'criterion':20} {'count':>8} {'share':>8} {'of valid':>9} {'only':>7}  标准")
    for r in table.itertuples(index=False):
        if r.criterion == "is_high_value":
            click.echo("-" * 64)
        click.echo(f"{r.criterion:20} {r.count:8d} {r.share:8.2%} {r.share_of_in_force:9.2%} "
                   f"{r.only_this:7d}  {r.label_zh}")


@click.command("criteria")
@click.argument("records", metavar="RECORDS", type=click.Path(dir_okay=False))
@click.option("--profile", "-p", default="canonical", show_default=True,
              help="Source profile: a shipped id or a YAML file / 数据源配置")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Statistics date YYYY-MM-DD (default today) / 统计日")
@click.option("--policy", "policy_ref", default=None, metavar="FILE|ID",
              help="Policy YAML or shipped id (default cnipa-2021) / 判定口径")
@click.option("--concordance", default=None, type=click.Path(dir_okay=False),
              help="Official CNIPA SEI-IPC concordance table (xlsx/csv) to use instead of the "
                   "shipped one / 官方参照关系表")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Output file: .csv, .parquet, .xlsx or .jsonl / 输出文件")
@click.option("--encoding", default=None, help="Text encoding of CSV input (default: detect)")
@click.option("--strict", is_flag=True, help="Fail on any bad row instead of writing rejects")
@click.option("--rejects", type=click.Path(dir_okay=False), default=None,
              help="Where to write rejected rows (default: OUT name + .rejects.csv)")
@click.option("--chunksize", default=100_000, show_default=True, type=click.IntRange(min=1000),
              help="Rows read and evaluated at a time (bounded memory) / 分块行数")
def criteria(records, profile, as_of, policy_ref, concordance, output, encoding, strict,
             rejects, chunksize):
    """Evaluate the five official criteria as of a date; write flags + evidence.

    按五类官方标准判定高价值发明专利（截至统计日），输出标志与依据，并打印各标准占比。
    """
    from hvpscore.cli import ChunkedInput
    from hvpscore.io import write_table
    from hvpscore.rules import evaluate_criteria, load_policy

    pol = load_policy(policy_ref)
    source = ChunkedInput(records, profile, encoding, strict, chunksize)
    parts = []
    for recs in source:
        flags = evaluate_criteria(recs, policy=pol, as_of=as_of, concordance=concordance)
        part = pd.concat([recs[["patent_id"]], flags], axis=1)
        part.insert(1, "policy_id", flags.attrs["policy_id"])
        part.insert(2, "as_of", flags.attrs["as_of"])
        parts.append(part)
    source.finish(output, rejects, "zh")
    if not parts:  # an empty input still writes an (empty) table with the right columns
        empty = evaluate_criteria(pd.DataFrame({"patent_id": []}), policy=pol, as_of=as_of)
        parts = [pd.concat([pd.DataFrame({"patent_id": [], "policy_id": [], "as_of": []}),
                            empty], axis=1)]
    out = pd.concat(parts)
    write_table(out.reset_index(drop=True), output)
    _print_shares(out, out["policy_id"].iat[0] if len(out) else pol.id,
                  out["as_of"].iat[0] if len(out) else str(as_of))
    click.echo(f"written / 已写入: {output}", err=True)
