"""The bureau's commands: indicators, report, lists, support (with the budget mode), measures."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from hvpscore.cli import main


@pytest.fixture(scope="module")
def files(sample, repo_dir, tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    _, scores = sample
    scores.to_parquet(d / "scores.parquet", index=False)
    return {"scores": str(d / "scores.parquet"), "dir": d,
            "records": str(repo_dir / "data" / "sample" / "patents.csv"),
            "context": str(repo_dir / "data" / "sample" / "context.yaml")}


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _stock(files):
    return [files["scores"], "--records", files["records"], "-p", "cn-export"]


def test_report_writes_html_and_xlsx(files):
    d = files["dir"]
    r = _run("report", *_stock(files), "--context", files["context"], "-o", d / "r.html",
             "-o", d / "r.xlsx")
    assert r.exit_code == 0, r.output
    assert "每万人口高价值发明专利拥有量" in r.output
    assert (d / "r.html").stat().st_size > 100_000
    wb = openpyxl.load_workbook(d / "r.xlsx")
    assert wb.sheetnames[:7] == ["指标与目标", "标准构成", "分地区", "分类型", "预测", "权利人百强",
                                 "发明人百强"]
    r = _run("report", *_stock(files), "--context", files["context"], "--lang", "en",
             "--no-forecast", "--top", "10", "-o", d / "r-en.xlsx")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(d / "r-en.xlsx")
    assert "Forecast" not in wb.sheetnames and "Top holders" in wb.sheetnames
    assert "per 10,000 residents" in r.output


def test_report_refuses_other_suffixes(files):
    r = _run("report", *_stock(files), "-o", files["dir"] / "r.pdf")
    assert r.exit_code == 2 and "write the report as .html or .xlsx" in r.output


def test_indicators_command(files):
    d = files["dir"]
    r = _run("indicators", *_stock(files), "--context", files["context"], "--compare-to",
             "2024-12-31", "-o", d / "ind.xlsx")
    assert r.exit_code == 0, r.output
    assert "上期" in r.output
    assert openpyxl.load_workbook(d / "ind.xlsx").sheetnames == ["指标与目标", "标准构成", "分地区",
                                                                  "分类型", "说明"]
    r = _run("indicators", *_stock(files), "--targets", "none", "-o", d / "ind.csv")
    assert r.exit_code == 0, r.output
    t = pd.read_csv(d / "ind.csv", encoding="utf-8-sig")
    assert set(t["status"]) == {"no_target"}


def test_lists_command(files):
    d = files["dir"]
    r = _run("lists", *_stock(files), "--kind", "inventors", "--top", "5", "-o", d / "inv.csv")
    assert r.exit_code == 0, r.output
    t = pd.read_csv(d / "inv.csv", encoding="utf-8-sig")
    assert t["rank"].max() <= 5 and t["rank"].min() == 1
    r = _run("lists", *_stock(files), "--kind", "inventors", "--tie-break", "score",
             "-o", d / "inv100.csv")
    assert r.exit_code == 0, r.output
    t = pd.read_csv(d / "inv100.csv", encoding="utf-8-sig")
    r = _run("lists", *_stock(files), "--kind", "inventors", "-o", d / "inv_ties.csv")
    ties = pd.read_csv(d / "inv_ties.csv", encoding="utf-8-sig")
    assert 100 <= len(t) <= len(ties)
    # rows past the 100th are there only because they truly tie with it (count and score)
    last = t.iloc[99]
    extra = t.iloc[100:]
    assert (extra["rank"] == last["rank"]).all()
    assert (extra["high_value"] == last["high_value"]).all()
    assert (extra["score_sum"] == last["score_sum"]).all()


def test_support_and_budget(files):
    d = files["dir"]
    r = _run("support", *_stock(files), "-o", d / "sup.csv")
    assert r.exit_code == 0, r.output
    assert "expired" in r.output
    r = _run("support", *_stock(files), "--measure", "cq2022-m2-cultivation", "--budget",
             "2000000", "-o", d / "b.csv")
    assert r.exit_code == 1
    assert r.output.strip().splitlines()[-1].startswith("error: measure cq2022-m2-cultivation "
                                                        "is valid 2022-03-25")
    r = _run("support", *_stock(files), "--measure", "cq2022-m2-cultivation", "--budget",
             "2000000", "--allow-expired", "-o", d / "b.csv")
    assert r.exit_code == 0, r.output
    b = pd.read_csv(d / "b.csv", encoding="utf-8-sig")
    assert 0 < b["allocated_cny"].sum() <= 2_000_000
    assert b["explain_zh"].str.contains("按得分比例分得").any()
    r = _run("support", *_stock(files), "--budget", "100", "-o", d / "b.csv")
    assert r.exit_code == 2 and "needs both --measure and --budget" in r.output


def test_measures_command():
    r = _run("measures", "--as-of", "2023-06-30")
    assert r.exit_code == 0
    assert r.output.count("有效") >= 7 and "国知发保字〔2021〕1号" in r.output
    r = _run("measures", "--as-of", "2025-12-31", "--lang", "en")
    assert "expired" in r.output and "valid " not in r.output


@pytest.mark.parametrize("cmd", ["indicators", "report", "lists", "support", "measures"])
def test_help(cmd):
    r = _run(cmd, "--help")
    assert r.exit_code == 0 and len(r.output) > 200
