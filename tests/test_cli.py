"""The CLI is a thin layer: every command has help, errors are one clean line, exit code 1."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from hvpscore.cli import main
from hvpscore.numbers import cn_check_digit


def test_every_command_has_help():
    runner = CliRunner()
    res = runner.invoke(main, ["--help"])
    assert res.exit_code == 0
    for name, cmd in main.commands.items():
        assert cmd.help and cmd.help.strip(), f"command {name} has no help text"
        sub = runner.invoke(main, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)
        if hasattr(cmd, "commands"):
            for sname, scmd in cmd.commands.items():
                assert scmd.help and scmd.help.strip(), f"{name} {sname} has no help"


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "hvpscore", "--help"], capture_output=True,
                         text=True, check=True)
    assert "validate" in out.stdout


def test_the_program_exits_quickly_with_the_commands_code(tmp_path):
    """``python -m hvpscore`` (and the ``hvpscore`` script) end without the interpreter's
    teardown: the exit code is the command's, messages reach stderr, the output is complete,
    and after a ``--jobs 2`` run loky's tracker has nothing to warn about."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "patents.csv"
    out = tmp_path / "scores.parquet"
    ok = subprocess.run([sys.executable, "-m", "hvpscore", "score", str(sample), "-p",
                         "cn-export", "--as-of", "2025-12-31", "-o", str(out), "--jobs", "2",
                         "--chunksize", "1000", "--quiet", "--log-json"],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "leaked" not in ok.stderr and "Warning" not in ok.stderr, ok.stderr
    summary = __import__("json").loads(ok.stdout.strip().splitlines()[-1])
    assert summary["jobs"] == 2 and len(pd.read_parquet(out)) == summary["rows_out"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.parquet"]
    bad = subprocess.run([sys.executable, "-m", "hvpscore", "score", str(tmp_path / "no.csv"),
                          "-o", str(tmp_path / "x.parquet")], capture_output=True, text=True)
    assert bad.returncode == 1 and "no.csv" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "hvpscore", "no-such-command"],
                           capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr


def test_validate_writes_rejects_and_summary(tmp_path):
    d = "201810000001"
    df = pd.DataFrame({"patent_id": [f"{d}.{cn_check_digit(d)}", "201810000001.0", "x"],
                       "filing_date": ["2018-01-01", "2018-01-01", "2018-02-30"]})
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    res = CliRunner().invoke(main, ["validate", str(src), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "read 3 rows, accepted 1, rejected 2" in res.output
    rejects = pd.read_csv(tmp_path / "out.rejects.csv")
    assert rejects["row"].tolist() == [2, 3]
    assert "check digit" in rejects["reasons"][0]
    assert "'2018-02-30' is not a date" in rejects["reasons"][1]
    assert len(pd.read_parquet(out)) == 1


def test_strict_fails_cleanly(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"patent_id": ["nonsense"]}).to_csv(src, index=False)
    res = CliRunner().invoke(main, ["validate", str(src), "--strict"])
    assert res.exit_code == 1
    assert "error:" in res.output and "not a recognised patent number" in res.output
    assert "Traceback" not in res.output


def test_missing_file_is_one_line(tmp_path):
    res = CliRunner().invoke(main, ["validate", str(tmp_path / "none.csv")])
    assert res.exit_code == 1 and "no such file" in res.output


def test_schema_and_profiles_commands():
    runner = CliRunner()
    assert "patent_id" in runner.invoke(main, ["schema"]).output
    assert "cn-export" in runner.invoke(main, ["profiles"]).output


def test_criteria_and_score_in_chunks_equal_one_pass(repo_dir, tmp_path):
    """Chunked reading (bounded memory) changes nothing: same rows, same flags, rejects kept."""
    src = pd.read_csv(repo_dir / "data/sample/patents.csv", dtype=str, keep_default_na=False,
                      nrows=2500)
    src.loc[1700, "申请日"] = "2020-02-30"  # a reject in the second chunk
    src.loc[2200, "申请号"] = src.loc[10, "申请号"]  # a duplicate across chunks
    path = tmp_path / "stock.csv"
    src.to_csv(path, index=False, encoding="utf-8-sig")
    runner = CliRunner()
    outs = {}
    for cmd in ("criteria", "score"):
        for chunk in (1000, 100_000):
            out = tmp_path / f"{cmd}-{chunk}.parquet"
            res = runner.invoke(main, [cmd, str(path), "-p", "cn-export", "--as-of", "2025-12-31",
                                       "--chunksize", str(chunk), "-o", str(out)])
            assert res.exit_code == 0, res.output
            assert "读取 2500 行，接受 2498 行，拒绝 2 行" in res.output
            rej = pd.read_csv(tmp_path / f"{cmd}-{chunk}.rejects.csv")
            assert rej["row"].tolist() == [1701, 2201]
            assert "duplicates row 11" in rej["reasons"].iloc[1]
            outs[cmd, chunk] = pd.read_parquet(out)
        pd.testing.assert_frame_equal(outs[cmd, 1000], outs[cmd, 100_000])
        assert len(outs[cmd, 1000]) == 2498


def test_chunksize_auto_on_every_reading_command(repo_dir, tmp_path):
    """validate, criteria and score take --chunksize auto (the default) or a count >= 1000, and
    auto gives the same output as an explicit size."""
    src = pd.read_csv(repo_dir / "data/sample/patents.csv", dtype=str, keep_default_na=False,
                      nrows=1500)
    path = tmp_path / "stock.csv"
    src.to_csv(path, index=False, encoding="utf-8-sig")
    runner = CliRunner()
    for cmd in ("validate", "criteria", "score"):
        outs = []
        for size in ("auto", "1000"):
            out = tmp_path / f"{cmd}-{size}.parquet"
            args = [cmd, str(path), "-p", "cn-export", "--chunksize", size, "-o", str(out)]
            if cmd != "validate":
                args += ["--as-of", "2025-12-31"]
            res = runner.invoke(main, args)
            assert res.exit_code == 0, (cmd, res.output)
            outs.append(pd.read_parquet(out))
        pd.testing.assert_frame_equal(outs[0], outs[1])
        res = runner.invoke(main, [cmd, str(path), "-p", "cn-export", "--chunksize", "10",
                                   "-o", str(tmp_path / "x.parquet")])
        assert res.exit_code == 2 and "'10' is not a chunk size" in res.output, res.output


def test_bad_as_of_is_a_usage_error_naming_the_value(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"patent_id": ["CN201910561574.9"]}).to_csv(src, index=False)
    for cmd in (["score", str(src), "-o", str(tmp_path / "s.parquet")],
                ["criteria", str(src), "-o", str(tmp_path / "c.parquet")],
                ["train", str(src), "--out", str(tmp_path / "m")]):
        res = CliRunner().invoke(main, [*cmd, "--as-of", "2025-13-45"])
        assert res.exit_code == 2, (cmd, res.output)
        assert "'2025-13-45' is not a date; use YYYY-MM-DD" in res.output
        assert "Traceback" not in res.output


def test_every_command_takes_lang():
    for name, cmd in main.commands.items():
        subs = cmd.commands.values() if hasattr(cmd, "commands") else [cmd]
        for c in subs:
            assert any("--lang" in p.opts for p in c.params), f"{name} {c.name} has no --lang"


def test_an_internal_error_is_one_line_without_traceback(monkeypatch, tmp_path):
    import hvpscore.io

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(hvpscore.io, "validate_file", boom)
    src = tmp_path / "in.csv"
    src.write_text("patent_id\nCN201910561574.9\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(src)])
    assert res.exit_code == 2
    assert "internal error: RuntimeError: kaput" in res.output
    assert "HVPSCORE_DEBUG=1" in res.output and "Traceback" not in res.output
