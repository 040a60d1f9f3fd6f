"""The ``hvpscore`` command line: a thin layer over the public library functions.

Each command parses its options, calls one public function and writes output. Library errors
(:class:`hvpscore.HvpscoreError`) become one line on stderr and exit code 1, no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hvpscore._errors import HvpscoreError

__all__ = ["main"]


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HvpscoreError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hvpscore")
def main() -> None:
    """hvpscore: decide and predict China's high-value invention patents.

    高价值发明专利判定与评分：五类官方标准、价值评分、申请前置评审。
    """


def _lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="Language of messages / 输出语言")(f)


def read_for_command(input_path, profile, encoding, strict, out=None, rejects=None, lang="zh"):
    """Shared by every command that reads records: read, report, write rejects, enforce --strict."""
    from hvpscore.io import read_records

    result = read_records(input_path, profile, encoding=encoding, strict=strict)
    click.echo(result.summary.text(lang), err=True)
    _write_rejects([result.rejects], out or Path(input_path).name, rejects, lang)
    return result


class ChunkedInput:
    """Iterate INPUT's validated records chunk by chunk for a command (bounded memory).

    ``--strict`` fails on the first chunk with a problem; otherwise rejected rows are kept and
    :meth:`finish` prints the summary of the whole run and writes the rejects file.
    """

    def __init__(self, input_path, profile, encoding, strict, chunksize=100_000):
        self.args = (input_path, profile, encoding, strict, chunksize)
        self.summary = None
        self.rejected: list = []

    def __iter__(self):
        from hvpscore.io import iter_records

        input_path, profile, encoding, strict, chunksize = self.args
        for res in iter_records(input_path, profile, encoding=encoding, chunksize=chunksize):
            if strict:
                res.raise_if_rejected()
            self.summary = res.summary if self.summary is None else self.summary.merge(res.summary)
            self.rejected.append(res.rejects)
            yield res.records

    def finish(self, out, rejects=None, lang="zh"):
        """Print the run's summary and write its rejects; return the rejects path or None."""
        if self.summary is not None:
            click.echo(self.summary.text(lang), err=True)
        return _write_rejects(self.rejected, out, rejects, lang)


def _write_rejects(frames, out, rejects, lang):
    import pandas as pd

    from hvpscore.io import rejects_path_for, write_table

    frames = [f for f in frames if len(f)]
    if not frames:
        return None
    target = rejects or rejects_path_for(out)
    write_table(pd.concat(frames, ignore_index=True), target)
    label = "被拒绝的行及原因写入" if lang == "zh" else "rejected rows with reasons written to"
    click.echo(f"{label} {target}", err=True)
    return target


_input_options = [
    click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False)),
    click.option("--profile", "-p", default="canonical", show_default=True,
                 help="Source profile: a shipped id (canonical, cn-export, uspto-renewal) or a YAML "
                      "file / 数据源配置"),
    click.option("--encoding", default=None,
                 help="Text encoding of CSV input (default: detect UTF-8 / UTF-8-BOM / GB18030)"),
    click.option("--strict", is_flag=True, help="Fail on any bad row instead of writing rejects"),
    click.option("--rejects", type=click.Path(dir_okay=False), default=None,
                 help="Where to write rejected rows (default: OUT or INPUT name + .rejects.csv)"),
]


def input_options(f):
    for opt in reversed(_input_options):
        f = opt(f)
    return f


@main.command()
@input_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the validated canonical records (.parquet/.csv/.xlsx/.jsonl)")
@_lang_option
def validate(input_path, profile, encoding, strict, rejects, output, lang):
    """Read INPUT through a profile and report what is accepted and rejected.

    读取并校验专利记录：每一行要么被接受，要么连同原因写入拒绝文件。
    """
    from hvpscore.io import write_table

    result = read_for_command(input_path, profile, encoding, strict, output, rejects, lang)
    if output:
        write_table(result.records.reset_index(), output)


@main.command()
def profiles():
    """List the shipped source profiles. / 列出内置数据源配置。"""
    from hvpscore.io import list_profiles, load_profile

    for pid in list_profiles():
        click.echo(f"{pid}\t{load_profile(pid).description}")


@main.command()
@_lang_option
def schema(lang):
    """Print the canonical record: columns, kinds, stages. / 打印标准记录字段。"""
    from hvpscore.schema import COLUMNS

    for c in COLUMNS:
        label = c.zh if lang == "zh" else c.en
        allowed = f" [{'|'.join(c.allowed)}]" if c.allowed else ""
        req = " *" if c.required else ""
        click.echo(f"{c.name:26} {c.kind:8} {c.stage:7} {label}{allowed}{req}")


# criteria engine (issue 4): hvpscore policy show / hvpscore criteria
from hvpscore.rules.cli import criteria as _criteria_cmd  # noqa: E402
from hvpscore.rules.cli import policy as _policy_cmd  # noqa: E402

main.add_command(_policy_cmd)
main.add_command(_criteria_cmd)

# model (issue 5): hvpscore train / evaluate / score
from hvpscore.model.cli import evaluate as _evaluate_cmd  # noqa: E402
from hvpscore.model.cli import score as _score_cmd  # noqa: E402
from hvpscore.model.cli import train as _train_cmd  # noqa: E402

main.add_command(_train_cmd)
main.add_command(_evaluate_cmd)
main.add_command(_score_cmd)

from hvpscore.claims.cli import claims_command as _claims_cmd  # noqa: E402

main.add_command(_claims_cmd)
