"""``hvpscore check DRAFT``: pre-filing review of one application (专利申请前置评审)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hvpscore.cli._common import as_of_option, lang_option

__all__ = ["check"]

_FORMATS = ("text", "json", "md", "html")
_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
              ".txt": "text"}


@click.command("check")
@click.argument("draft", metavar="DRAFT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "-f", "fmt", type=click.Choice(_FORMATS), default=None,
              help="Report format (default: text, or from the -o suffix) / 报告格式")
@lang_option
@click.option("-o", "--out", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output / 输出文件")
@click.option("--model", "model", default=None, metavar="DIR",
              help="Draft-stage model directory (default: the shipped default-draft) / 模型目录")
@click.option("--no-model", is_flag=True, help="Skip the predictions / 不做预测")
@click.option("--policy", default=None, help="Policy id or YAML file (default cnipa-2021) / 政策")
@as_of_option("Review date YYYY-MM-DD (default today): measures' validity, deadlines / 评审日期")
@click.option("--index", "index_dir", type=click.Path(file_okay=False), default=None,
              metavar="DIR",
              help="Stock index of `hvpscore screen --build-index`: near copies of the draft "
                   "in the stock / 与库内申请比对近似重复")
@click.option("--fail-on", type=click.Choice(["never", "error", "warning"]), default="never",
              show_default=True,
              help="Exit with code 3 when a finding of this severity or worse is found / 发现问题时"
                   "以退出码3结束")
def check(draft: str, fmt: str | None, lang: str, out: str | None, model: str | None,
          no_model: bool, policy: str | None, as_of: str | None, index_dir: str | None,
          fail_on: str) -> None:
    """Review a draft application DRAFT before filing: examiner findings (claims,
    specification, abstract, title), draft-stage probabilities, the five high-value criteria
    within reach and prioritised advice; with --index DIR, the stock applications the draft
    nearly copies (claim-by-claim, with the differing words).

    DRAFT is a .docx, .txt or .md application with the headings 权利要求书 / 说明书 / 说明书摘要 /
    发明名称 (or CLAIMS / DESCRIPTION / ABSTRACT / TITLE), a JSON object of draft fields
    (claims_text, description, abstract, title, ipc, applicant_type, planned_route …), or "-"
    for a text on standard input.

    申请前置评审：读取申请文件（.docx/.txt/.md/JSON），输出审查问题、草稿阶段预测、
    高价值发明专利五项条件的可达性和修改建议。
    """
    from hvpscore.prefiling import check_draft

    if fmt is None:
        fmt = _BY_SUFFIX.get(Path(out).suffix.lower(), "text") if out else "text"
    if draft == "-":
        source: object = sys.stdin.buffer.read()
        name = "stdin.txt"
    else:
        source, name = draft, None
    report = check_draft(source, lang=lang, model=False if no_model else model, policy=policy,
                         as_of=as_of, name=name, index=index_dir)
    color = fmt == "text" and out is None and sys.stdout.isatty()
    text = report.render(fmt, lang=lang, color=color)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        c = report.counts
        click.echo(f"{out}: " + (f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"
                                 if lang == "zh" else
                                 f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes"),
                   err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    worst = {"never": None, "error": ("error",), "warning": ("error", "warning")}[fail_on]
    if worst and any(f.severity in worst for f in report.findings):
        sys.exit(3)
