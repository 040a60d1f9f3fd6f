"""The ``hvpscore`` command line: a thin layer over the public library functions.

Each command parses its options, calls one public function and writes output. Library errors
(:class:`hvpscore.HvpscoreError`) become one line on stderr and exit code 1, no traceback.
"""

from __future__ import annotations

import sys

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
