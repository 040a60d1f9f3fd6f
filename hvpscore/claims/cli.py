"""``hvpscore claims FILE``: print the claim tree and the findings of one claims text (zh and en)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hvpscore._errors import InputError
from hvpscore.claims._analyze import analyze_claims
from hvpscore.claims._lexicon import messages
from hvpscore.claims._model import ClaimSet

__all__ = ["claims_command", "render_tree", "read_text_file"]

_SEVERITY = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}


def read_text_file(path: str) -> str:
    """Read a claims text file ("-" = stdin): UTF-8 (with or without BOM), else GB18030."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(
                f"FILE: {path!r} is not a readable file; give the path of a text file."
            )
        data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"FILE: {path!r} is neither UTF-8 nor GB18030 text; save it as UTF-8.")


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def render_tree(cs: ClaimSet, width: int = 60) -> list[str]:
    """The claim tree as text lines: each dependent claim under the first claim it refers to."""
    cats = messages()["categories"]
    unit = "字" if cs.lang == "zh" else " words"
    lines = [
        f"权利要求 claims: {cs.n_claims}  独立 independent: {cs.n_independent}  "
        f"从属 dependent: {cs.n_dependent}  最大深度 max depth: {cs.max_depth}  "
        f"语言 language: {cs.lang}"
    ]
    if cs.cancelled:
        lines.append("已删除 cancelled: " + ", ".join(str(n) for n in cs.cancelled))
    numbers = [c.number for c in cs.claims]
    children: dict[int, list] = {}
    roots = []
    seen_numbers: set[int] = set()
    for c in cs.claims:
        parent = next((v for v in c.depends_on if v < c.number and v in numbers), None)
        if c.independent or parent is None or c.number in seen_numbers:
            roots.append(c)
        else:
            children.setdefault(parent, []).append(c)
        seen_numbers.add(c.number)

    def label(c) -> str:
        cat = cats.get(c.category or "", {"zh": "?", "en": "?"})
        kind = "独立 independent" if c.independent else "→ " + ",".join(map(str, c.depends_on))
        trans = f" · {c.transitional}" if c.transitional else ""
        head = f"{c.number}. [{kind} · {cat['zh']} {cat['en']}{trans} · {c.length}{unit}]"
        return f"{head} {_short(c.text, width)}"

    def walk(c, prefix: str, last: bool, top: bool) -> None:
        if top:
            lines.append(label(c))
            sub = ""
        else:
            lines.append(prefix + ("└─ " if last else "├─ ") + label(c))
            sub = prefix + ("   " if last else "│  ")
        kids = children.get(c.number, [])
        for i, k in enumerate(kids):
            walk(k, sub, i == len(kids) - 1, False)

    for r in roots:
        walk(r, "", True, True)
    return lines


def _render_findings(cs: ClaimSet) -> list[str]:
    if not cs.findings:
        return ["未发现问题 No findings."]
    out = [f"发现 findings: {len(cs.findings)}"]
    for f in cs.findings:
        where = f"权利要求 claim {f.claim}" if f.claim is not None else "全部 all"
        out.append(f"[{_SEVERITY.get(f.severity, f.severity)}] {where} · {f.code}")
        out.append(f"    {f.message_zh}")
        out.append(f"    {f.message_en}")
        if f.quote:
            out.append(f"    「{f.quote}」")
    return out


@click.command("claims")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the claims (detected when omitted). 权利要求语言（默认自动识别）。",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text. 输出JSON。")
@click.option("--width", default=60, show_default=True, help="Characters of claim text per line.")
def claims_command(file: str, lang: str | None, as_json: bool, width: int) -> None:
    """Print the claim tree and the examiner findings of a claims text FILE (zh and en).

    读取权利要求书文本文件，输出权利要求引用树及审查意见（中英文）。
    """
    text = read_text_file(file)
    cs = analyze_claims(text, lang)
    if as_json:
        click.echo(json.dumps(cs.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in render_tree(cs, width=width):
        click.echo(line)
    click.echo("")
    for line in _render_findings(cs):
        click.echo(line)
