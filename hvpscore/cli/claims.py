"""``hvpscore claims FILE``: print the claim tree and the findings of one claims text (zh and en)."""

from __future__ import annotations

import json

import click

from hvpscore.cli._common import lang_option

__all__ = ["claims"]


@click.command("claims")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--text-lang",
    "text_lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the claims text (detected when omitted). 权利要求文本语言（默认自动识别）。",
)
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text. 输出JSON。")
@click.option("--width", default=60, show_default=True, help="Characters of claim text per line.")
def claims(file: str, text_lang: str | None, lang: str, as_json: bool, width: int) -> None:
    """Print the claim tree and the examiner findings of a claims text FILE (zh and en).

    读取权利要求书文本文件，输出权利要求引用树及审查意见（中英文）。
    """
    from hvpscore._textfile import read_text_file
    from hvpscore.claims import analyze_claims
    from hvpscore.claims._render import render_findings, render_tree

    text = read_text_file(file)
    cs = analyze_claims(text, text_lang)
    if as_json:
        click.echo(json.dumps(cs.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in render_tree(cs, width=width):
        click.echo(line)
    click.echo("")
    for line in render_findings(cs, lang=lang):
        click.echo(line)
