"""Plain-text rendering of a claim set: the claim tree and the findings (zh and en)."""

from __future__ import annotations

from hvpscore.claims._lexicon import messages
from hvpscore.claims._model import ClaimSet

__all__ = ["render_findings", "render_tree"]

_SEVERITY = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}


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


def render_findings(cs: ClaimSet, lang: str | None = None) -> list[str]:
    """The findings as text lines: severity, claim, code, message, quote.

    ``lang`` "zh" or "en" gives the message in that language only; None gives both (zh first).
    """
    if lang not in (None, "zh", "en"):
        raise ValueError(f"lang must be 'zh', 'en' or None, not {lang!r}")
    if not cs.findings:
        return ["未发现问题 No findings."]
    out = [f"发现 findings: {len(cs.findings)}"]
    for f in cs.findings:
        where = f"权利要求 claim {f.claim}" if f.claim is not None else "全部 all"
        out.append(f"[{_SEVERITY.get(f.severity, f.severity)}] {where} · {f.code}")
        if lang in (None, "zh"):
            out.append(f"    {f.message_zh}")
        if lang in (None, "en"):
            out.append(f"    {f.message_en}")
        if f.quote:
            out.append(f"    「{f.quote}」")
    return out
