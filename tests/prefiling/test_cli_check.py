"""``hvpscore check``: formats, output file, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hvpscore.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample" / "drafts"


def test_text_report_to_stdout():
    res = CliRunner().invoke(main, ["check", str(SAMPLES / "battery_cooling.txt"),
                                    "--as-of", "2025-06-30", "--no-model"])
    assert res.exit_code == 0, res.output
    assert "专利申请前置评审报告" in res.output and "权利要求树" in res.output
    assert "\x1b[" not in res.output  # no colours when not a terminal


def test_json_to_file_validates(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from hvpscore.prefiling import report_schema

    out = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["check", str(SAMPLES / "lidar_en.json"), "--lang", "en",
                                    "-o", str(out), "--as-of", "2025-06-30"])
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(d, report_schema())
    assert d["lang"] == "en" and "errors" in res.output


@pytest.mark.parametrize(("suffix", "marker"), [(".md", "# 专利申请前置评审报告"),
                                                (".html", "<!DOCTYPE html>")])
def test_format_from_suffix(tmp_path, suffix, marker):
    out = tmp_path / f"r{suffix}"
    res = CliRunner().invoke(main, ["check", str(SAMPLES / "sorting_bin.docx"), "-o", str(out),
                                    "--no-model", "--as-of", "2025-06-30"])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith(marker)


def test_fail_on_error_exit_code():
    args = ["check", str(SAMPLES / "sorting_bin.docx"), "--no-model", "--as-of", "2025-06-30"]
    assert CliRunner().invoke(main, args + ["--fail-on", "error"]).exit_code == 3
    clean = ["check", str(SAMPLES / "battery_cooling.txt"), "--no-model", "--as-of",
             "2025-06-30", "--fail-on", "warning"]
    assert CliRunner().invoke(main, clean).exit_code == 0


def test_stdin_and_bad_input_is_one_line():
    res = CliRunner().invoke(main, ["check", "-", "--no-model", "-f", "json"],
                             input="权利要求书\n1. 一种杯子，包括杯体。\n")
    assert res.exit_code == 0 and json.loads(res.output)["claims"]["n_claims"] == 1
    res = CliRunner().invoke(main, ["check", "nope.docx"])
    assert res.exit_code == 1
    assert res.output.strip().startswith("error: draft: 'nope.docx' is not a readable file")
    assert "Traceback" not in res.output
