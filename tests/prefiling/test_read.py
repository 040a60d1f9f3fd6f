"""Reading drafts: the sections found in .docx agency templates (python-docx), .txt, .md, JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

import hvpscore
from hvpscore.prefiling import check_draft, read_draft
from tests.prefiling.conftest import make_docx

CLAIM1 = "一种保温杯，其特征在于，包括杯体和杯盖，所述杯盖与所述杯体螺纹连接。"
CLAIM2 = "根据权利要求1所述的保温杯，其特征在于，所述杯体为双层结构。"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample" / "drafts"


def found(d) -> dict[str, str]:
    return {k: s.text for k, s in d.sections.items() if s.found}


def test_bold_spaced_numbered_headings_and_page_breaks():
    data = make_docx([
        ("b", "说 明 书 摘 要"), ("p", "本发明公开了一种保温杯。"), ("break", None),
        ("b", "权 利 要 求 书"), ("p", f"1. {CLAIM1}"), ("p", f"2. {CLAIM2}"), ("break", None),
        ("b", "说  明  书"), ("p", "一种保温杯"),
        ("p", "一、技术领域"), ("p", "【0001】本发明涉及日用品。"),
        ("p", "【背景技术】"), ("p", "【0002】现有保温杯漏热。"),
        ("p", "发明内容："), ("p", "【0003】本发明提供一种保温杯。"),
        ("p", "4. 具体实施方式"), ("p", "【0004】杯体为双层结构。"),
    ])
    d = read_draft(data, name="a.docx")
    got = found(d)
    assert set(got) == {"title", "abstract", "claims", "description"}
    assert got["title"] == "一种保温杯"  # the first line of 说明书
    assert got["abstract"] == "本发明公开了一种保温杯。"
    assert got["claims"].splitlines() == [f"1. {CLAIM1}", f"2. {CLAIM2}"]
    assert [p.id for p in d.sections["description"].parts] == ["field", "background", "summary",
                                                               "embodiments"]
    desc = d.sections["description"]
    marked = [n for n, s, _e in desc.paragraphs if desc.text[s + 1].isdigit()]
    assert desc.numbered and marked == [1, 2, 3, 4]
    assert desc.paragraph_at(desc.text.index("现有")) == 2


def test_page_header_names_the_section_and_claims_are_auto_numbered():
    data = make_docx([
        ("p", "本发明公开了一种保温杯。"), ("section", None),
        ("n", CLAIM1), ("n", CLAIM2), ("section", None),
        ("h", "技术领域"), ("p", "本发明涉及日用品。"),
    ], header={0: "说 明 书 摘 要", 1: "权 利 要 求 书", 2: "说 明 书"})
    d = read_draft(data, name="b.docx")
    got = found(d)
    assert got["abstract"] == "本发明公开了一种保温杯。"
    assert got["claims"].splitlines() == [f"1. {CLAIM1}", f"2. {CLAIM2}"]
    assert d.sections["description"].parts[0].id == "field"
    r = check_draft(data, name="b.docx", model=False, as_of="2025-06-30")
    assert r.claimset.n_claims == 2 and r.claimset.independent == [1]


def test_tables_become_lines_and_title_inline():
    data = make_docx([
        ("p", "发明名称：一种保温杯"),
        ("h", "权利要求书"), ("p", f"1. {CLAIM1}"),
        ("h", "说明书"), ("h", "附图说明"), ("p", "图1为剖视图。附图标记对照表："),
        ("t", [["1-杯体", "2-杯盖"], ["3-密封圈", ""]]),
        ("h", "具体实施方式"), ("p", "杯体1与杯盖2螺纹连接，杯盖2内设有密封圈3。"),
    ])
    d = read_draft(data, name="c.docx")
    assert d.text("title") == "一种保温杯"
    assert "1-杯体 2-杯盖" in d.text("description")
    r = check_draft(d, model=False, as_of="2025-06-30")
    assert not [f for f in r.findings if f.code.startswith("refnum")]


def test_markdown_and_english_headings():
    md = (f"# 发明名称\n一种保温杯\n\n## 权利要求书\n1. {CLAIM1}\n\n**说明书摘要**\n本发明公开了一种保温杯。\n"
          "\n## 说明书\n### 技术领域\n本发明涉及日用品。\n")
    d = read_draft(md.encode(), name="x.md")
    assert set(found(d)) == {"title", "claims", "abstract", "description"}
    en = ("TITLE\nInsulated bottle\nWhat is claimed is:\n1. An insulated bottle, comprising a lid.\n"
          "ABSTRACT OF THE DISCLOSURE\nAn insulated bottle.\n")
    d = read_draft(en)
    assert d.lang == "en" and d.text("claims").startswith("1. An insulated")
    assert d.text("abstract") == "An insulated bottle."


def test_gb18030_text_file(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_bytes(f"权利要求书\n1. {CLAIM1}\n".encode("gb18030"))
    assert read_draft(p).text("claims") == f"1. {CLAIM1}"


def test_claims_only_text_without_headings():
    d = read_draft(f"1. {CLAIM1}\n2. {CLAIM2}")
    assert found(d).keys() == {"claims"}


def test_json_record_fields():
    d = read_draft({"claims_text": f"1. {CLAIM1}", "ipc": "A47G19/22;A47J41/00",
                    "applicant_type": "enterprise", "planned_route": ["PCT"],
                    "priority_date": "2025-01-15", "patent_type": "发明"})
    assert d.fields["ipc"] == ["A47G19/22", "A47J41/00"]
    assert d.fields["planned_route"] == ["pct"] and d.fields["patent_type"] == "invention"
    with pytest.raises(hvpscore.InputError, match="applicant_type 'company' is not one of"):
        read_draft({"claims_text": "1. 一种杯子。", "applicant_type": "company"})
    with pytest.raises(hvpscore.InputError, match="priority_date '2025-02-30' is not a date"):
        read_draft({"claims_text": "1. 一种杯子。", "priority_date": "2025-02-30"})


@pytest.mark.parametrize("name", ["a.doc", "a.pdf"])
def test_other_formats_say_how_to_convert(name):
    with pytest.raises(hvpscore.InputError, match="save it as .docx|export the application"):
        read_draft(b"whatever", name=name)


# --------------------------------------------------------------------- the shipped samples
def test_sample_clean_draft_has_no_error_or_warning():
    r = check_draft(SAMPLES / "battery_cooling.txt", as_of="2025-06-30")
    assert r.claimset.n_claims == 20
    assert {f.severity for f in r.findings} <= {"info"}
    assert sorted(r.standalone) == [1, 13, 16]


def test_sample_docx_draft_findings():
    r = check_draft(SAMPLES / "sorting_bin.docx", model=False, as_of="2025-06-30")
    assert set(found(r.draft)) == {"title", "abstract", "claims", "description"}
    assert r.claimset.n_claims == 8
    got = {(f.code, f.claim) for f in r.findings}
    for want in [("subject_mixed", 1), ("vague_term", 2), ("claim_brackets", 2),
                 ("vague_term", 3), ("ref_later", 4), ("claim_refers_to_description", 4),
                 ("antecedent_basis", 5), ("dependent_misplaced", 6), ("claims_same_scope", 8),
                 ("title_long", None), ("abstract_too_long", None), ("type_word_mixed", None),
                 ("commercial_language", None), ("refnum_conflict", None),
                 ("description_cites_claims", None)]:
        assert want in got, want


def test_sample_english_json():
    r = check_draft(SAMPLES / "lidar_en.json", as_of="2025-06-30", lang="en")
    assert r.draft.lang == "en"
    got = {(f.code, f.claim) for f in r.findings}
    assert {("vague_term", 3), ("subject_mixed", 7), ("claim_refers_to_description", 6)} <= got
    overseas = next(c for c in r.criteria if c["id"] == "overseas")
    assert overseas["status"] == "planned"
    dl = {d["id"]: d["date"] for d in overseas["details"]["deadlines"]}
    assert dl == {"priority": "2026-03-10", "pct_national": "2027-09-10"}
