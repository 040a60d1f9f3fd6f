"""The ``hvpscore`` command line: a thin layer over the public library functions.

One module per group of commands; each command parses its options, calls one public library
function and prints or writes what it returns. Shared options live in :mod:`hvpscore.cli._common`.
Library errors (:class:`hvpscore.HvpscoreError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import click

from hvpscore.cli._common import Group

__all__ = ["main", "run"]


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


def run() -> None:
    """The ``hvpscore`` program: :func:`main`, then a quick exit.

    Once the command has finished (its files written, closed and renamed), tearing down the
    interpreter costs ~0.2 s (pandas, scikit-learn and LightGBM loaded) and a run with
    ``--jobs`` waits as long again for its worker to tear down its own. So the workers are
    stopped (they are idle: every result is in), the exit handlers run (temporary folders,
    joblib's shared-memory folders), stdout and stderr are flushed and the process ends with
    the command's exit code. ``main`` itself (``CliRunner``, embedding) exits normally.
    """
    import sys

    try:
        main()  # click's standalone mode: messages, Ctrl-C and the exit code as usual, by
        code = 0  # SystemExit (it always ends so)
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"): the message, exit code 1
            print(e.code, file=sys.stderr)
            code = 1
    _quick_exit(code)


def _quick_exit(code: int) -> None:
    import atexit
    import os
    import sys

    try:
        from hvpscore._scoreparts import stop_workers

        stop_workers()
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (| head): nothing more to say
                pass
    except BaseException:  # noqa: BLE001 - whatever happened, exit the usual way
        sys.exit(code)
    os._exit(code)
