"""``hvpscore claims FILE``: claim tree and findings in zh and en, JSON, clean errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hvpscore.cli import main

TEXT = (
    "权利要求书\n1.一种杯子，包括杯体和杯盖。\n2.根据权利要求1所述的杯子，其中杯体约2mm厚。\n"
    "3.根据权利要求2所述的杯子，其中杯盖为圆形。\n4.根据权利要求5所述的杯子，其中杯体为白色。\n"
)


def _run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


def test_tree_and_findings_zh_en(tmp_path):
    f = tmp_path / "claims.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = _run(["claims", str(f)])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "权利要求 claims: 4" in out and "独立 independent: 1" in out
    assert "1. [独立 independent · 产品 product" in out
    assert "└─ 3. [→ 2" in out  # claim 3 hangs under claim 2
    assert "ref_missing" in out and "不存在" in out and "does not exist" not in out
    assert "vague_term" in out and "约" in out
    assert "does not exist" in _run(["claims", str(f), "--lang", "en"]).output


def test_json_output(tmp_path):
    f = tmp_path / "claims.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = _run(["claims", str(f), "--json"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["n_claims"] == 4 and data["independent"] == [1]
    assert {x["code"] for x in data["findings"]} >= {"ref_missing", "vague_term"}


def test_gb18030_file_and_stdin(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes(TEXT.encode("gb18030"))
    assert "权利要求 claims: 4" in _run(["claims", str(f)]).output
    assert "权利要求 claims: 4" in _run(["claims", "-"], input=TEXT).output


def test_english_with_lang(tmp_path):
    f = tmp_path / "en.txt"
    f.write_text("1. A cup comprising a body.\n2. The cup of claim 1, wherein the lid is red.\n")
    res = _run(["claims", str(f), "--text-lang", "en"])
    assert res.exit_code == 0
    assert "language: en" in res.output and "antecedent_basis" in res.output


def test_lang_is_the_message_language_as_in_every_command(tmp_path):
    f = tmp_path / "zh.txt"
    f.write_text(TEXT, encoding="utf-8")
    zh = _run(["claims", str(f)]).output
    en = _run(["claims", str(f), "--lang", "en"]).output
    assert "language: zh" in en  # the claims are still read as Chinese
    from hvpscore.claims import analyze_claims

    f0 = analyze_claims(TEXT).findings[0]
    assert f0.message_zh in zh and f0.message_en not in zh
    assert f0.message_en in en and f0.message_zh not in en
    bad = _run(["claims", str(f), "--lang", "fr"])
    assert bad.exit_code == 2 and "fr" in bad.output


def test_errors_are_one_line(tmp_path):
    res = _run(["claims", str(tmp_path / "missing.txt")])
    assert res.exit_code == 1
    assert "is not a readable file" in res.output
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    res = _run(["claims", str(empty)])
    assert res.exit_code == 1 and "empty" in res.output
    assert "Traceback" not in res.output


def test_help():
    res = _run(["claims", "--help"])
    assert res.exit_code == 0 and "claim tree" in res.output
