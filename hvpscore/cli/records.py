"""``hvpscore validate``, ``hvpscore profiles``, ``hvpscore schema``: reading records."""

from __future__ import annotations

import click

from hvpscore.cli._common import chunksize_option, echo_read, input_options, lang_option

__all__ = ["profiles", "schema", "validate"]


@click.command()
@input_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the validated canonical records (.parquet/.csv/.xlsx/.jsonl)")
@chunksize_option("validated")
@lang_option
def validate(input_path, profile, encoding, strict, rejects, output, chunksize, lang):
    """Read INPUT through a profile and report what is accepted and rejected.

    读取并校验专利记录：每一行要么被接受，要么连同原因写入拒绝文件。
    """
    from hvpscore.io import validate_file

    run = validate_file(input_path, output, profile=profile, encoding=encoding, strict=strict,
                        rejects=rejects, chunksize=chunksize)
    echo_read(run.summary, run.rejects_path, lang)


@click.command()
@lang_option
def profiles(lang):
    """List the shipped source profiles. / 列出内置数据源配置。"""
    from hvpscore.io import list_profiles, load_profile

    for pid in list_profiles():
        click.echo(f"{pid}\t{load_profile(pid).description}")


@click.command()
@lang_option
def schema(lang):
    """Print the canonical record: columns, kinds, stages. / 打印标准记录字段。"""
    from hvpscore.schema import COLUMNS

    for c in COLUMNS:
        label = c.zh if lang == "zh" else c.en
        allowed = f" [{'|'.join(c.allowed)}]" if c.allowed else ""
        req = " *" if c.required else ""
        click.echo(f"{c.name:26} {c.kind:8} {c.stage:7} {label}{allowed}{req}")
