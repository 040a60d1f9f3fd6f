"""Small drafts for the check tests: a clean base in Chinese and in English, built as .docx
with python-docx (or as a JSON record), and variants that break one rule each."""

from __future__ import annotations

import copy

from tests.prefiling.conftest import make_docx

ZH = {
    "title": "一种保温杯",
    "abstract": "本发明公开了一种保温杯，包括杯体和杯盖，杯盖与杯体螺纹连接，杯体为双层结构，杯盖内设有密封圈。",
    "claims": [
        "一种保温杯，其特征在于，包括杯体和杯盖，所述杯盖与所述杯体螺纹连接，所述杯体为双层结构。",
        "根据权利要求1所述的保温杯，其特征在于，所述杯体的内层与外层之间为真空层。",
        "根据权利要求1所述的保温杯，其特征在于，所述杯盖内设有密封圈。",
        "根据权利要求3所述的保温杯，其特征在于，所述密封圈由硅胶制成。",
    ],
    "description": [
        ("技术领域", ["本发明涉及日用品技术领域，具体涉及一种保温杯。"]),
        ("背景技术", ["现有保温杯的杯盖密封不严，热量从杯盖处散失。"]),
        ("发明内容", ["本发明提供一种保温杯，包括杯体1和杯盖2，杯盖2与杯体1螺纹连接，杯体1为双层结构，"
                      "内层与外层之间为真空层，杯盖2内设有密封圈3，密封圈3由硅胶制成。"]),
        ("附图说明", ["图1为本发明的保温杯的剖视图。", "附图标记说明：1-杯体，2-杯盖，3-密封圈。"]),
        ("具体实施方式", ["如图1所示，保温杯包括杯体1和杯盖2。杯体1为双层结构，杯体1的内层与外层之间为"
                        "真空层。杯盖2与杯体1螺纹连接，杯盖2内设有密封圈3，密封圈3由硅胶制成。"]),
    ],
}

EN = {
    "title": "Insulated bottle",
    "abstract": "An insulated bottle comprises a body with an inner wall and an outer wall and a lid "
                "screwed onto the body. A vacuum between the walls keeps the contents warm.",
    "claims": [
        "An insulated bottle, comprising: a body having an inner wall and an outer wall; and a lid "
        "screwed onto the body.",
        "The bottle of claim 1, wherein a vacuum is formed between the inner wall and the outer wall.",
        "The bottle of claim 1, wherein the lid comprises a seal ring.",
        "The bottle of claim 3, wherein the seal ring is made of silicone.",
    ],
    "description": [
        ("TECHNICAL FIELD", ["The invention relates to drinking vessels, in particular to an "
                             "insulated bottle."]),
        ("BACKGROUND", ["The lids of known insulated bottles leak heat."]),
        ("SUMMARY", ["An insulated bottle comprises a body having an inner wall and an outer wall, "
                     "a vacuum between the walls, and a lid screwed onto the body. The lid comprises "
                     "a seal ring made of silicone."]),
        ("BRIEF DESCRIPTION OF THE DRAWINGS", ["FIG. 1 is a section of the bottle."]),
        ("DETAILED DESCRIPTION", ["As shown in FIG. 1, the body has an inner wall and an outer "
                                  "wall with a vacuum between them. The lid is screwed onto the "
                                  "body and carries a seal ring of silicone."]),
    ],
}


def base(lang: str = "zh") -> dict:
    return copy.deepcopy(ZH if lang == "zh" else EN)


def to_docx(d: dict, *, numbered_claims: bool = False) -> bytes:
    """The draft as a .docx: heading-styled section titles, one paragraph per claim."""
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in d.get("title", "") + "".join(d["claims"] or []))
    blocks = []
    if d.get("title") is not None:
        blocks.append(("h", "发明名称" if zh else "TITLE"))
        blocks.append(("p", d["title"]))
    if d.get("abstract") is not None:
        blocks.append(("h", "说明书摘要" if zh else "ABSTRACT"))
        blocks.append(("p", d["abstract"]))
    if d.get("claims") is not None:
        blocks.append(("h", "权利要求书" if zh else "CLAIMS"))
        for i, c in enumerate(d["claims"], start=1):
            blocks.append(("n", c) if numbered_claims else ("p", f"{i}. {c}"))
    if d.get("description") is not None:
        blocks.append(("break", None))
        blocks.append(("h", "说明书" if zh else "DESCRIPTION"))
        for head, paras in d["description"]:
            if head:
                blocks.append(("h", head))
            for p in paras:
                blocks.append(("p", p))
    return make_docx(blocks)


def to_record(d: dict, **fields) -> dict:
    rec = {"title": d.get("title"), "abstract": d.get("abstract"),
           "claims_text": "\n".join(f"{i}. {c}" for i, c in enumerate(d["claims"], start=1))}
    if d.get("description") is not None:
        rec["description"] = "\n".join(
            "\n".join(([h] if h else []) + ps) for h, ps in d["description"])
    rec.update(fields)
    return {k: v for k, v in rec.items() if v is not None}
