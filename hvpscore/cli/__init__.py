"""The ``hvpscore`` command line: a thin layer over the public library functions.

One module per group of commands; each command parses its options, calls one public library
function and prints or writes what it returns. Shared options live in :mod:`hvpscore.cli._common`.
Library errors (:class:`hvpscore.HvpscoreError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import click

from hvpscore.cli._common import Group

__all__ = ["main"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hvpscore")
def main() -> None:
    """hvpscore: decide and predict China's high-value invention patents.

    高价值发明专利判定与评分：五类官方标准、价值评分、申请前置评审。
    """


def _register() -> None:
    from hvpscore.cli import check, claims, indicators, model, records, rules, screen, sei

    for cmd in (records.validate, records.profiles, records.schema, rules.policy,
                rules.criteria, model.train, model.evaluate, model.score, claims.claims,
                sei.sei, check.check, screen.screen, *indicators.COMMANDS):
        main.add_command(cmd)
    from hvpscore.cli import serve
    main.add_command(serve.serve)


_register()
