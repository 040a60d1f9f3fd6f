"""score_file at scale: the same table whatever the chunk size and the number of processes,
output written atomically, the claims cache, the CLI's --quiet / --log-json / --jobs."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from hvpscore.cli import main
from hvpscore.scoring import score_file

AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def sample(repo_dir, tmp_path_factory):
    """The shipped sample (cn-export CSV) with a bad row in the fourth chunk of seven."""
    src = pd.read_csv(repo_dir / "data/sample/patents.csv", dtype=str, keep_default_na=False)
    src.loc[1700, "申请日"] = "2020-02-30"
    path = tmp_path_factory.mktemp("sample") / "patents.csv"
    src.to_csv(path, index=False, encoding="utf-8-sig")
    return path, len(src)


@pytest.fixture(scope="module")
def one_chunk(sample, tmp_path_factory):
    path, n = sample
    out = tmp_path_factory.mktemp("one") / "scores.parquet"
    run = score_file(path, out, profile="cn-export", as_of=AS_OF, chunksize=n, jobs=1)
    assert run.rows_out == n - 1 and run.rejected == 1
    return pd.read_parquet(out)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_seven_chunks_any_processes_same_table(sample, one_chunk, tmp_path, jobs):
    path, n = sample
    out = tmp_path / "scores.parquet"
    run = score_file(path, out, profile="cn-export", as_of=AS_OF,
                     chunksize=math.ceil(n / 7), jobs=jobs)
    assert run.extra["jobs"] == jobs
    assert (run.read, run.rejected, run.rows_out) == (n, 1, n - 1)
    pd.testing.assert_frame_equal(pd.read_parquet(out), one_chunk)
    assert pd.read_csv(run.rejects_path)["row"].tolist() == [1701]
    # nothing temporary left beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.parquet", "scores.rejects.csv"]


def test_text_outputs_in_chunks_equal_one_piece(sample, tmp_path):
    path, n = sample
    head = tmp_path / "head.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False, nrows=3000).to_csv(
        head, index=False, encoding="utf-8-sig")
    for suffix in (".csv", ".jsonl"):
        chunked, whole = tmp_path / f"chunked{suffix}", tmp_path / f"whole{suffix}"
        score_file(head, chunked, profile="cn-export", as_of=AS_OF, chunksize=1000)
        score_file(head, whole, profile="cn-export", as_of=AS_OF, chunksize=5000)
        assert chunked.read_bytes() == whole.read_bytes(), suffix
    assert pd.read_csv(tmp_path / "whole.csv")["percentile"].between(0, 100).all()


def test_interrupted_run_leaves_no_output(sample, tmp_path):
    path, _ = sample
    out = tmp_path / "scores.parquet"
    calls = []

    def stop(rows, rejected):
        calls.append(rows)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        score_file(path, out, profile="cn-export", as_of=AS_OF, chunksize=2000, progress=stop)
    assert calls == [1999, 2999]  # rows scored (one row of the first chunk is rejected)
    assert list(tmp_path.iterdir()) == []  # no output, no rejects, no temporary parts


def test_outputs_get_the_permissions_of_a_file_written_in_place(sample, tmp_path):
    """The output and the rejects are written under temporary names (readable by their owner
    only) and renamed: they get the umask's permissions, or keep those of the file they
    replace."""
    import os
    import stat

    path, n = sample
    out = tmp_path / "scores.csv"
    old = os.umask(0o027)
    try:
        run = score_file(path, out, profile="cn-export", as_of=AS_OF, chunksize=n)
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        assert stat.S_IMODE(run.rejects_path.stat().st_mode) == 0o640
        os.chmod(out, 0o664)
        score_file(path, out, profile="cn-export", as_of=AS_OF, chunksize=n)
        assert stat.S_IMODE(out.stat().st_mode) == 0o664
    finally:
        os.umask(old)


@pytest.mark.slow
def test_claims_cache_second_run_parses_nothing(sample, one_chunk, tmp_path):
    path, n = sample
    cache = tmp_path / "claims.sqlite"
    first = score_file(path, tmp_path / "a.parquet", profile="cn-export", as_of=AS_OF,
                       chunksize=4000, claims_cache=cache)
    c1 = first.extra["claims_cache"]
    assert c1["misses"] > 1000 and c1["hits"] < c1["misses"]
    second = score_file(path, tmp_path / "b.parquet", profile="cn-export", as_of=AS_OF,
                        chunksize=4000, claims_cache=cache, jobs=2)
    c2 = second.extra["claims_cache"]
    assert c2["misses"] == 0 and c2["hits"] == c1["hits"] + c1["misses"]
    for name in ("a.parquet", "b.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / name), one_chunk)


def test_cli_quiet_log_json_jobs(sample, tmp_path):
    path, n = sample
    head = tmp_path / "head.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False, nrows=1200).to_csv(
        head, index=False, encoding="utf-8-sig")
    out = tmp_path / "s.parquet"
    res = CliRunner().invoke(main, ["score", str(head), "-p", "cn-export", "--as-of", AS_OF,
                                    "-o", str(out), "--quiet", "--log-json",
                                    "--claims-cache", str(tmp_path / "c.sqlite")])
    assert res.exit_code == 0, res.output
    line = res.stdout.strip()
    assert "\n" not in line  # one line, nothing else on stdout
    summary = json.loads(line)
    assert summary["rows_out"] == 1200 and summary["read"] == 1200
    assert summary["claims_cache"]["misses"] > 0
    assert res.stderr == ""  # --quiet: no summary lines, no progress bar
    res = CliRunner().invoke(main, ["score", str(head), "-p", "cn-export", "--as-of", AS_OF,
                                    "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0 and "scored 1200" in res.stderr and res.stdout == ""


def test_estimate_rows_for_the_progress_bar(tmp_path):
    from hvpscore._scorefile import estimate_rows, resolve_jobs

    df = pd.DataFrame({"patent_id": ["a", "b", "c"],
                       "claims_text": ["1.一种杯子，\n包括杯体。", "x", "2行\n\n文字"]})
    df.to_csv(tmp_path / "s.csv", index=False)
    df.to_parquet(tmp_path / "s.parquet")
    df.to_json(tmp_path / "s.jsonl", orient="records", lines=True, force_ascii=False)
    assert estimate_rows(tmp_path / "s.csv") == 3  # quoted line breaks are not rows
    assert estimate_rows(tmp_path / "s.parquet") == 3
    assert estimate_rows(tmp_path / "s.jsonl") == 3
    assert estimate_rows(df) == 3
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert estimate_rows(tmp_path / "bad.parquet") is None
    assert estimate_rows(tmp_path / "missing.csv") is None
    assert resolve_jobs(2) == 2 and resolve_jobs(0) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigterm_leaves_nothing_beside_the_output(sample, tmp_path, jobs):
    """A real ``hvpscore score`` process stopped by SIGTERM mid-run removes its temporary
    output and its ``.parts`` folder (exit code 143), with one process and with workers."""
    import os
    import signal
    import subprocess
    import sys
    import time

    path, _ = sample
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hvpscore", "score", str(path), "-p", "cn-export", "--as-of",
         AS_OF, "-o", str(out_dir / "scores.parquet"), "--chunksize", "1000", "--jobs",
         str(jobs), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        parts = list(out_dir.glob(".scores.parquet.*.parts/*.arrow"))
        if parts:  # mid-run: a scored chunk spilled to the hidden parts folder
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before a chunk was spilled"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert list(out_dir.iterdir()) == []  # no output, no rejects, no hidden .parts folder


# ------------------------------------------------------------------ chunksize="auto"

def test_auto_chunksize_follows_the_bytes_per_record(tmp_path):
    """~32 MiB of input a chunk: long claims texts give smaller chunks than short records, within
    10,000-50,000 records; a file with parts for two processes keeps at least 8 of them."""
    from hvpscore._scorefile import (
        AUTO_CHUNK_BYTES,
        AUTO_CHUNK_RANGE,
        DEFAULT_CHUNKSIZE,
        auto_chunksize,
    )

    lo, hi = AUTO_CHUNK_RANGE
    short = tmp_path / "short.csv"
    short.write_text("id,x\n" + "".join(f"{i},v\n" for i in range(1000)), encoding="utf-8")
    assert auto_chunksize(short) == hi  # tiny records: the upper bound
    for width, expect in ((500, hi), (1000, None), (2000, None), (3000, None), (8000, lo)):
        text = tmp_path / f"text{width}.csv"
        rows = "".join(f'{i},"{"权" * (width // 3)}\n{i}"\n' for i in range(300))
        text.write_text("id,claims\n" + rows, encoding="utf-8")
        per = text.stat().st_size / 300
        got = auto_chunksize(text)
        assert got == pytest.approx(expect or AUTO_CHUNK_BYTES / per, rel=0.01), (width, got)
        assert lo <= got <= hi
    # 120,000 records of 300 bytes: 50,000 would be 3 parts; 15,000 each for 8
    big = tmp_path / "big.csv"
    line = "1," + "x" * 297 + "\n"
    big.write_text("id,x\n" + line * 120_000, encoding="utf-8")
    assert auto_chunksize(big) == pytest.approx(15_000, rel=0.01)
    # JSON Lines: a line a record, escaped quotes inside the texts do not count
    jl = tmp_path / "s.jsonl"
    rec = json.dumps({"id": 1, "claims": '权利要求 "引号 ' + "权" * 700}, ensure_ascii=False)
    jl.write_text((rec + "\n") * 300, encoding="utf-8")
    per = jl.stat().st_size / 300
    assert auto_chunksize(jl) == pytest.approx(AUTO_CHUNK_BYTES / per, rel=0.01)
    assert auto_chunksize(pd.DataFrame({"a": [1]})) == DEFAULT_CHUNKSIZE
    assert auto_chunksize(tmp_path / "missing.csv") == DEFAULT_CHUNKSIZE
    assert auto_chunksize(tmp_path / "stock.xlsx") == DEFAULT_CHUNKSIZE
    pq_path = tmp_path / "s.parquet"
    # distinct texts of ~6 KB (the row groups' uncompressed size): the lower bound
    pd.DataFrame({"id": range(5000),
                  "t": [f"{i}" + "权利要求" * 500 for i in range(5000)]}).to_parquet(pq_path)
    assert auto_chunksize(pq_path) == lo


def test_chunksize_auto_is_reported_and_bad_sizes_are_refused(sample, tmp_path):
    from hvpscore._errors import InputError

    path, n = sample
    from hvpscore._scorefile import auto_chunksize

    auto = auto_chunksize(path)
    run = score_file(path, tmp_path / "a.parquet", profile="cn-export", as_of=AS_OF, jobs=1)
    assert run.extra["chunksize"] == auto and run.rows_out == n - 1
    for bad in (0, -5, 2.5, "many", True):
        with pytest.raises(InputError, match="not a record count"):
            score_file(path, tmp_path / "b.parquet", profile="cn-export", as_of=AS_OF,
                       chunksize=bad)
    runner = CliRunner()
    res = runner.invoke(main, ["score", str(path), "-p", "cn-export", "--as-of", AS_OF,
                               "--chunksize", "500", "-o", str(tmp_path / "c.parquet")])
    assert res.exit_code == 2 and "'500' is not a chunk size" in res.output
    assert "至少" in res.output or "不少于" in res.output
    res = runner.invoke(main, ["score", str(path), "-p", "cn-export", "--as-of", AS_OF,
                               "--chunksize", "auto", "-q", "--log-json", "-j", "1",
                               "-o", str(tmp_path / "d.parquet")])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.strip().splitlines()[-1])["chunksize"] == auto
