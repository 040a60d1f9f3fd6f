"""check_draft: the public contract (JSON shape, schema, inputs, errors)."""

import doctest
import json
import re

import pytest

import hvpscore
from hvpscore import prefiling
from hvpscore.prefiling import check_draft, report_schema
from tests.prefiling.conftest import make_docx

CLAIMS = ("1. 一种杯子，包括杯体和把手，所述把手固定在所述杯体的外壁上。\n"
          "2. 根据权利要求1所述的杯子，其中所述杯体由陶瓷制成。\n"
          "3. 根据权利要求1所述的杯子，其中所述把手为环形。\n"
          "4. 根据权利要求2所述的杯子，其中所述杯体的壁厚为2-3mm。")


@pytest.mark.parametrize("name", prefiling.__all__)
def test_public_names(name):
    assert getattr(prefiling, name) is not None


def test_top_level_name():
    assert hvpscore.check_draft is check_draft


def test_report_validates_against_the_shipped_schema():
    jsonschema = pytest.importorskip("jsonschema")
    r = check_draft({"claims_text": CLAIMS, "title": "一种杯子"}, as_of="2025-06-30")
    d = json.loads(r.to_json())
    jsonschema.validate(d, report_schema())
    assert d["schema"] == "hvpscore-check-report" and d["schema_version"].startswith("1.")
    assert d["claims"]["n_claims"] == 4 and d["claims"]["independent"] == [1]
    assert [n["number"] for n in d["claims"]["tree"]] == [1]
    kids = [c["number"] for c in d["claims"]["tree"][0]["children"]]
    assert kids == [2, 3]
    assert d["predictions"]["available"] and d["predictions"]["model"]["stage"] == "draft"
    assert [c["id"] for c in d["criteria"]] == ["sei", "overseas", "maintained_10y", "pledge",
                                                "award"]


def test_claim_offsets_point_into_the_claims_section_text():
    text = "权利要求书\n1．一种杯子，包括杯体。\n2．根据权利要求1所述的杯子，其中\n所述把手约5cm长。"
    r = check_draft(text, model=False, as_of="2025-06-30")
    d = r.to_dict()
    claims = d["sections"]["claims"]["text"]
    items = d["claims"]["items"]
    assert claims[items[0]["start"]:items[0]["end"]] == "一种杯子，包括杯体。"
    # a finding's offsets mark its term, across the wrapped line
    ab = next(f for f in d["findings"] if f["code"] == "antecedent_basis")
    assert claims[ab["start"]:ab["end"]] == "把手"
    vague = next(f for f in d["findings"] if f["code"] == "vague_term")
    assert claims[vague["start"]:vague["end"]] == "约"


def test_all_formats_render():
    r = check_draft({"claims_text": CLAIMS}, as_of="2025-06-30")
    for fmt in ("text", "md", "html", "json"):
        out = r.render(fmt)
        assert len(out) > 200
    html = r.render("html", lang="en")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)  # self-contained
    assert "<style>" in html and "<link" not in html
    with pytest.raises(hvpscore.InputError, match="format 'pdf' is not one of"):
        r.render("pdf")


def test_docx_path_and_bytes(tmp_path):
    data = make_docx([("h", "权利要求书"), ("p", "1. 一种杯子，包括杯体。"),
                      ("h", "说明书"), ("p", "一种杯子"), ("h", "技术领域"), ("p", "本发明涉及杯子。")])
    p = tmp_path / "draft.docx"
    p.write_bytes(data)
    a = check_draft(p, model=False, as_of="2025-06-30")
    b = check_draft(data, name="draft.docx", model=False, as_of="2025-06-30")
    assert a.to_dict()["sections"] == b.to_dict()["sections"]
    assert a.draft.source["kind"] == "docx"


@pytest.mark.parametrize(
    ("draft", "kw", "match"),
    [
        ("missing.docx", {}, "is not a readable file"),
        ({"claims_text": 5}, {}, "claims_text must be a text"),
        ({"claims_text": "1. 一种杯子。", "grant_date": "2020-01-01"}, {},
         "not known at the draft stage"),
        ({"claims_text": "1. 一种杯子。", "colour": "red"}, {}, "unknown field"),
        ({"title": ""}, {}, "no text given"),
        ({"claims_text": "1. 一种杯子。"}, {"lang": "fr"}, "lang: 'fr' is not supported"),
        ({"claims_text": "1. 一种杯子。"}, {"as_of": "2025-13-01"}, "is not a date"),
        ({"claims_text": "1. 一种杯子。", "planned_route": ["ship"]}, {}, "planned_route"),
        (b"PK\x03\x04 not a zip", {"name": "x.docx"}, "not a readable .docx"),
        ("这是一段没有标题的文字，不是权利要求。", {}, "no section headings found"),
    ],
)
def test_bad_input_is_a_clear_error(draft, kw, match):
    with pytest.raises(hvpscore.InputError, match=match):
        check_draft(draft, model=False, **kw)


def test_later_stage_model_is_refused():
    from hvpscore.scoring import default_model_path

    with pytest.raises(hvpscore.ModelError, match="needs a draft-stage model"):
        check_draft({"claims_text": CLAIMS}, model=default_model_path())


def test_doctests():
    from hvpscore.prefiling import _check

    result = doctest.testmod(_check, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0


def test_readme_lists_every_check_with_its_source():
    from pathlib import Path

    from hvpscore.prefiling import CHECK_CODES
    from hvpscore.prefiling._data import checks

    text = (Path(prefiling.__file__).parent / "README.md").read_text(encoding="utf-8")
    for code in CHECK_CODES:
        assert f"`{code}`" in text, code
        assert checks()[code]["source"]["zh"] in text, code


def test_every_check_has_texts_and_a_source():
    from hvpscore.prefiling._data import advice_texts, checks

    adv = advice_texts()["findings"]
    for code, c in checks().items():
        assert c["severity"] in ("error", "warning", "info")
        assert c["source"]["zh"] and c["source"]["en"]
        if c.get("from") != "claims" and code != "empty_claims":
            assert c["zh"] and c["en"], code
        assert code in adv, f"no advice text for {code}"


def test_prefiling_imports_no_face_and_no_renderer():
    import subprocess
    import sys

    code = ("import sys, hvpscore.prefiling; print(' '.join(m for m in ('click', 'fastapi', "
            "'mlflow', 'pyspark', 'hvpscore.cli', 'rich', 'docx', 'lightgbm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
