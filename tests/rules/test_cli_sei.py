"""``hvpscore sei``: the row that matched and why, in zh and en."""

from __future__ import annotations

from click.testing import CliRunner

from hvpscore.cli import main


def run(*args):
    return CliRunner().invoke(main, ["sei", *args])


def test_codes_in_chinese_and_english():
    res = run("H04W72/04", "G01N33/483", "H04L9/32", "F16H57/02", "bad")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "IPC H04W72/04\n  计入 1.1 下一代信息网络产业：第 T005 行条目 H04W72*（完全对应）" in out
    assert "（更具体的条目优先，未采用：4.4 G01N33*）" in out
    assert "接近 1.3 新兴软件和新型信息技术服务" in out and "未提供文本" in out
    assert "F16H57/02\n  不属于战略性新兴产业" in out
    assert "bad：不是IPC分类号" in out
    en = run("H04L9/32", "--text", "一种基于区块链的存证方法", "--lang", "en")
    assert en.exit_code == 0, en.output
    assert ("counted in 1.3 Emerging software and new IT services: row T019, entry H04L9* "
            "(the text contains 「区块链」)") in en.output


def test_records_of_a_file(repo_dir):
    res = run("--record", str(repo_dir / "data" / "sample" / "patents.csv"), "-p", "cn-export",
              "--limit", "3", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert res.output.count("record CN") == 3
    assert "needs a keyword" in res.output or "counted in" in res.output


def test_suggest_and_usage_errors(tmp_path):
    res = run("--suggest", "--text", "一种锂离子电池单体的制备方法", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "1.2 Core electronics  text only  keywords: 锂离子电池单体" in res.output
    assert run().exit_code == 2
    bad = run("--suggest")
    assert bad.exit_code == 2 and "--suggest needs --text" in bad.output
    missing = run("--record", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "Traceback" not in missing.output
