"""What every command shares: the click group class (clean errors), input options, ``--lang``,
``--as-of``, and printing a read summary.

Commands stay thin: parse options, call one public library function, print what it returns.
"""

from __future__ import annotations

import os
import sys
import traceback

import click

from hvpscore._errors import HvpscoreError

__all__ = [
    "Group",
    "as_of_option",
    "chunksize_option",
    "echo_read",
    "input_options",
    "lang_option",
    "read_for_command",
]

DEBUG_ENV = "HVPSCORE_DEBUG"


class Group(click.Group):
    """A click group whose commands fail in one line: library errors (:class:`HvpscoreError`)
    exit 1, an interrupt exits 130, anything else is an internal error (exit 2) whose traceback
    is shown only with ``HVPSCORE_DEBUG=1``."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HvpscoreError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted / 已中断", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug: say so in one line, traceback only on request
            if os.environ.get(DEBUG_ENV):
                traceback.print_exc()
            click.echo(f"internal error: {type(exc).__name__}: {exc} — this is a bug in hvpscore; "
                       f"rerun with {DEBUG_ENV}=1 for the traceback and report it", err=True)
            sys.exit(2)


class _Chunksize(click.ParamType):
    """``--chunksize``: records a chunk (at least 1,000) or ``auto``."""

    name = "N|auto"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and value >= 1000 or value == "auto":
            return value
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = 0
        if n < 1000:
            self.fail(f"{value!r} is not a chunk size; use auto or a record count of at least "
                      f"1000, e.g. 10000 / 请填写 auto 或不少于 1000 的行数", param, ctx)
        return n


def chunksize_option(verb: str):
    """``--chunksize N|auto`` (default auto: :func:`hvpscore.io._chunksize.auto_chunksize`, ~32
    MiB of input a chunk, 10,000-50,000 records), passed on as given: the library resolves
    ``auto`` for the input it reads."""
    return click.option(
        "--chunksize", default="auto", show_default=True, type=_Chunksize(),
        help=f"Rows read and {verb} at a time (bounded memory; auto: ~32 MiB of input, "
             "10,000-50,000 rows) / 每批处理的行数（auto：按每行字节数）")


def lang_option(f):
    """``--lang zh|en``: the language of messages and labels (Chinese first)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh",
                        show_default=True, help="Language of messages / 输出语言")(f)


def _check_as_of(ctx, param, value):
    if value is None:
        return None
    from hvpscore._dates import parse_as_of

    try:
        return parse_as_of(value).date().isoformat()
    except HvpscoreError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2025-12-31",
                                 ctx=ctx, param=param) from None


def as_of_option(help_text: str = "Statistics date YYYY-MM-DD (default today) / 统计日"):
    """``--as-of DATE``, checked when parsed (a bad date is a usage error naming the value)."""
    return click.option("--as-of", "as_of", default=None, metavar="DATE", callback=_check_as_of,
                        help=help_text)


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
    """INPUT, ``--profile``, ``--encoding``, ``--strict``, ``--rejects``: every reading command."""
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def echo_read(summary, rejects_path, lang: str) -> None:
    """Print a run's read summary and where its rejected rows went (stderr)."""
    if summary is not None:
        click.echo(summary.text(lang), err=True)
    if rejects_path is not None:
        label = "被拒绝的行及原因写入" if lang == "zh" else "rejected rows with reasons written to"
        click.echo(f"{label} {rejects_path}", err=True)


def read_for_command(input_path, profile, encoding, strict, out=None, rejects=None, lang="zh"):
    """Read INPUT whole (for commands that need every record at once: train, evaluate,
    validate): print the summary, write the rejects beside OUT (or INPUT), honour --strict."""
    from pathlib import Path

    from hvpscore.io import read_records, rejects_path_for, write_table

    result = read_records(input_path, profile, encoding=encoding, strict=strict)
    target = None
    if len(result.rejects):
        target = rejects or rejects_path_for(out or Path(input_path).name)
        write_table(result.rejects, target)
    echo_read(result.summary, target, lang)
    return result
