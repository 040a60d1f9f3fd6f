"""Workers that read their own part of a CSV file (``score_file(jobs=2)``): the parts are cut at
record starts, and the table, the rejects file and the counts are those of one process reading
the file in one piece: row numbers, duplicates across parts, broken quotes, --strict."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from hvpscore import InputError
from hvpscore.io._parts import plan_csv
from hvpscore.scoring import score_file

AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def clean(repo_dir, tmp_path_factory):
    """The shipped sample (cn-export CSV: claims texts with quoted line breaks) with problems
    spread over the file: a bad date, duplicates of an earlier row in a later part and in the
    same part, a row whose id comes again much later."""
    src = pd.read_csv(repo_dir / "data/sample/patents.csv", dtype=str, keep_default_na=False)
    src.loc[1700, "申请日"] = "2020-02-30"
    src.loc[2500] = src.loc[10]  # same id as row 11: a duplicate across parts
    src.loc[2501] = src.loc[2500]  # and again, right after
    src.loc[300] = src.loc[2900]  # row 2901 repeats row 301
    path = tmp_path_factory.mktemp("stock") / "patents.csv"
    src.to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def stock(clean):
    """The same with a quote opened in an unquoted value of a row, which makes that row and
    the lines after it up to the next quote one bad row: the quote parity after it is the other
    way round, so the planner's later cuts fall inside quoted values."""
    lines = clean.read_bytes().split(b"\n")
    k = next(i for i in range(5000, len(lines)) if lines[i].startswith(b"ZL"))
    lines[k] = lines[k].replace(b",", b',"broken', 1)
    path = clean.with_name("broken.csv")
    path.write_bytes(b"\n".join(lines))
    return path


def _run(path, tmp_path, name, **kw):
    out = tmp_path / f"{name}.parquet"
    run = score_file(path, out, profile="cn-export", as_of=AS_OF, **kw)
    rejects = run.rejects_path.read_bytes() if run.rejects_path else b""
    return run, pd.read_parquet(out), rejects


@pytest.fixture(scope="module")
def one_piece(stock, tmp_path_factory):
    return _run(stock, tmp_path_factory.mktemp("one"), "one", chunksize=100_000, jobs=1)


def test_plan_cuts_at_record_starts(clean):
    plan = plan_csv(clean, None, 400)
    parts = list(plan.parts())
    assert len(parts) >= 5
    data = clean.read_bytes()
    assert parts[0].start == plan.data_start and parts[-1].end == len(data)
    whole = list(csv.reader(io.StringIO(data[plan.data_start:].decode("utf-8"))))
    pieces = []
    for a, b in zip(parts, parts[1:], strict=False):
        assert a.end == b.start
    for p in parts:
        assert data[:p.start].count(b"\n") + 1 == p.first_line  # the line it starts on
        assert p.start == plan.data_start or data[p.start - 1:p.start] == b"\n"
        pieces += list(csv.reader(io.StringIO(data[p.start:p.end].decode("utf-8"))))
    assert pieces == whole  # no record cut in two


@pytest.mark.slow
@pytest.mark.parametrize("chunksize", [400, 1000])
def test_parts_in_two_processes_equal_one_piece(stock, one_piece, tmp_path, chunksize):
    run1, table1, rejects1 = one_piece
    run, table, rejects = _run(stock, tmp_path, f"p{chunksize}", chunksize=chunksize, jobs=2)
    assert run.extra["parts"] >= 3  # read by the workers, part by part
    pd.testing.assert_frame_equal(table, table1)
    assert rejects == rejects1  # same rows, row numbers, lines, reasons, same bytes
    got = pd.read_csv(run.rejects_path)
    dup = got[got["codes"] == "duplicate_id"]
    assert dup["row"].tolist() == [2501, 2502, 2901]
    assert dup["reasons"].str.contains("duplicates row 11;").sum() == 2
    assert dup["reasons"].str.contains("duplicates row 301;").sum() == 1
    assert (run.read, run.rejected, run.rows_out) == (run1.read, run1.rejected, run1.rows_out)
    a, b = run.summary.to_dict(), run1.summary.to_dict()
    for k in ("read", "accepted", "rejected", "duplicates", "problems_by_column",
              "problems_by_code", "notes", "encoding", "bytes_read", "bytes_total"):
        assert a[k] == b[k], k


@pytest.mark.slow
@pytest.mark.parametrize("peek", ["checked", "unchecked"])
def test_stray_quote_cuts_are_checked_or_read_on(stock, one_piece, tmp_path, monkeypatch,
                                                 peek):
    """A quote in an unquoted value early on flips the quote parity the planner counts, so its
    later cuts would fall inside quoted values. The planner checks each cut against the records
    after it and flips its count (no part planned again); without that check (``_PEEK`` 0) the
    part that runs past its end is read on to a clean record end and the rest planned again
    from there. Either way nothing differs from one process reading the file in one piece."""
    import hvpscore.io._parts as parts

    lines = stock.read_bytes().split(b"\n")
    k = next(i for i in range(50, len(lines)) if lines[i].startswith(b"ZL")
             and lines[i].count(b'"') == 0)
    lines[k] = lines[k].replace(b",", b',ab"c', 1)
    path = tmp_path / "stray.csv"
    path.write_bytes(b"\n".join(lines))
    _, table1, rejects1 = _run(path, tmp_path, "one", chunksize=100_000, jobs=1)
    if peek == "unchecked":
        monkeypatch.setattr(parts, "_PEEK", 0)
    run, table, rejects = _run(path, tmp_path, "two", chunksize=400, jobs=2)
    if peek == "checked":
        assert run.extra["replans"] == 0 and run.extra["parts"] >= 5
    else:
        assert run.extra["replans"] >= 1
    pd.testing.assert_frame_equal(table, table1)
    assert rejects == rejects1
    assert b"ab\"\"c" in rejects or b'ab"c' in rejects  # the stray quote's row is rejected


def test_planner_flips_its_quote_count_after_a_stray_quote(stock):
    """Every cut of the file with a broken quote (fixture ``stock``) is a record start as the
    reader, which reads the quotes the other way after the broken row, sees it: well-formed
    records follow it read from outside quotes, not from inside."""
    from hvpscore.io._parts import _leading_records

    plan = plan_csv(stock, None, 400)
    data = stock.read_bytes()
    width = len(plan.header)
    cuts = [p.start for p in plan.parts()][1:]
    assert len(cuts) >= 5
    for c in cuts:
        window = data[c:c + (256 << 10)]
        good = _leading_records(window, 0, 44, width)
        bad = _leading_records(window, 1, 44, width)
        if c + len(window) == len(data) and good < 20:  # a cut near the end (the last parts
            assert good > bad  # are smaller): fewer than 20 records follow it
            continue
        assert good >= 20
        assert bad < 20


def test_leading_records_reads_both_ways():
    rows = b'a,"x\ny",c\n' * 3 + b"d,e,f\n"
    assert _leading(rows, 0) == 4
    # from inside the first quoted value: its tail, then "c" ... read the wrong way
    tail = rows[rows.index(b"\n") + 1:]
    assert _leading(tail, 1) == 3 and _leading(tail, 0) == 0
    assert _leading(b"a,b,c\n\n" + b"d,e,f\n", 0) == 2  # blank lines skipped
    assert _leading(b"a,b,c\nd,e", 0) == 1  # the record the window cuts off not counted
    assert _leading(b"a,b\na,b,c\n", 0) == 0


def _leading(buf, inside):
    from hvpscore.io._parts import _leading_records

    return _leading_records(buf, inside, 44, 3)


@pytest.mark.slow
def test_strict_names_the_row_of_the_whole_file(stock, tmp_path):
    with pytest.raises(InputError) as e1:
        score_file(stock, tmp_path / "a.parquet", profile="cn-export", as_of=AS_OF,
                   strict=True, chunksize=1000, jobs=1)
    with pytest.raises(InputError) as e2:
        score_file(stock, tmp_path / "b.parquet", profile="cn-export", as_of=AS_OF,
                   strict=True, chunksize=1000, jobs=2)
    # the first problem of the file, with its row number in the whole file
    first1, first2 = str(e1.value).splitlines()[1], str(e2.value).splitlines()[1]
    assert first1 == first2 and first1.strip().startswith("row 12") and "<line>" in first1
    assert list(tmp_path.iterdir()) == []


def _burn(seconds):  # a process that keeps one core busy
    import time

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_auto_jobs_counts_only_idle_cores():
    """``jobs="auto"``: with every core kept busy by other processes, one process (two would
    only compete); never more than the cores."""
    import multiprocessing as mp

    from hvpscore._scorefile import auto_jobs, available_cores

    cores = available_cores()
    assert 1 <= auto_jobs() <= cores
    burners = [mp.get_context("spawn").Process(target=_burn, args=(6.0,)) for _ in range(cores)]
    for p in burners:
        p.start()
    try:
        import time

        time.sleep(1.5)  # the burners are up
        assert auto_jobs() == 1
    finally:
        for p in burners:
            p.terminate()
            p.join()


def test_auto_jobs_while_planning_does_not_count_its_own_work(monkeypatch):
    """The idle cores are counted while this process plans the parts: its own CPU time in the
    window is not another job's. /proc/stat and the process times are replaced by fixed
    readings (2 cores, 100 ticks a second each, 0.2 s of wall time)."""
    from hvpscore import _scorefile

    monkeypatch.setattr(_scorefile, "available_cores", lambda: 2)
    monkeypatch.setattr(_scorefile.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(_scorefile, "_TICKS", 100)

    def case(idle_ticks, own_seconds):
        ticks = iter([(0, 0), (idle_ticks, 40)])  # 40 ticks: 2 cores over 0.2 s
        own = iter([0.0, own_seconds])
        monkeypatch.setattr(_scorefile, "_cpu_ticks", lambda: next(ticks))
        monkeypatch.setattr(_scorefile, "_own_seconds", lambda: next(own))
        return _scorefile.auto_jobs_while(lambda: "plan")

    assert case(20, 0.2) == (2, "plan")  # one core busy planning, the other idle: 2
    assert case(0, 0.2) == (1, "plan")  # the other core busy with another job: 1
    assert case(40, 0.0) == (2, "plan")  # nothing running: 2
    assert case(10, 0.1) == (1, "plan")  # half a core of another job: 1


@pytest.mark.slow
def test_auto_jobs_one_process_below_eight_parts_else_parts(stock, one_piece, tmp_path,
                                                            monkeypatch):
    """``jobs="auto"`` reads a file of fewer than 8 parts in one process; with more parts and
    idle cores the parts are read by several processes; the same table and rejects either way."""
    from hvpscore import _scorefile

    run1, table1, rejects1 = one_piece
    run, table, rejects = _run(stock, tmp_path, "auto-few", chunksize=1000, jobs="auto")
    assert run.extra["jobs"] == 1 and "parts" not in run.extra  # 3,000 rows: 3 parts
    pd.testing.assert_frame_equal(table, table1)
    assert rejects == rejects1
    monkeypatch.setattr(_scorefile, "auto_jobs_while",
                        lambda work: (2, work()))  # as on an idle machine
    run, table, rejects = _run(stock, tmp_path, "auto-many", chunksize=300, jobs="auto")
    assert run.extra["jobs"] == 2 and run.extra["parts"] >= 8
    pd.testing.assert_frame_equal(table, table1)
    assert rejects == rejects1


@pytest.fixture(scope="module")
def other_formats(clean, tmp_path_factory):
    """The sample with its problems (a bad date, duplicates across and within chunks) as
    Parquet, JSON Lines (and three lines that are no records: cut, undecodable, an array) and
    Excel files (Excel: the first 900 rows, a duplicate among them)."""
    d = tmp_path_factory.mktemp("formats")
    src = pd.read_csv(clean, dtype=str, keep_default_na=False)
    src.to_parquet(d / "stock.parquet", row_group_size=1000)
    src.to_json(d / "stock.jsonl", orient="records", lines=True, force_ascii=False)
    lines = (d / "stock.jsonl").read_bytes().split(b"\n")  # lines that are no records
    lines[700] = b'{"broken": '
    lines[1500] = lines[1500][:50] + b"\xff\xfe" + lines[1500][50:]
    lines.insert(2000, b"[1, 2]")
    (d / "stock.jsonl").write_bytes(b"\n".join(lines))
    head = src.iloc[:900].copy()
    head.loc[800] = head.loc[20]
    head.to_excel(d / "stock.xlsx", index=False)
    return d


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".xlsx"])
def test_other_formats_in_parts_equal_one_piece(other_formats, tmp_path, suffix):
    """Parquet, JSON Lines and Excel files are read here and their raw chunks validated and
    scored by two processes: the same table, the same rejects file (byte for byte: row numbers,
    duplicates across chunks naming the first row) and counts as one process in one piece."""
    path = other_formats / f"stock{suffix}"
    run1, table1, rejects1 = _run(path, tmp_path, "one", chunksize=100_000, jobs=1)
    run, table, rejects = _run(path, tmp_path, "two", chunksize=250, jobs=2)
    assert run.extra["jobs"] == 2 and run.extra["parts"] >= 4
    pd.testing.assert_frame_equal(table, table1)
    assert rejects == rejects1 and b"duplicates row" in rejects
    assert (run.read, run.rejected, run.rows_out) == (run1.read, run1.rejected, run1.rows_out)
    a, b = run.summary.to_dict(), run1.summary.to_dict()
    for k in ("read", "accepted", "rejected", "duplicates", "problems_by_column",
              "problems_by_code", "notes", "bytes_read", "bytes_total"):
        assert a[k] == b[k], k


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_auto_runs_a_large_parquet_or_jsonl_file_in_parts(other_formats, tmp_path, monkeypatch,
                                                          suffix):
    """--jobs auto: a Parquet file (rows from its metadata) or a JSON Lines file (rows
    estimated from its size and first lines) of 8 chunks or more in parts, fewer in one
    process; the same table either way."""
    import hvpscore._scorefile as sf

    monkeypatch.setattr(sf, "auto_jobs", lambda: 2)
    path = other_formats / f"stock{suffix}"
    assert sf.raw_part_count(path, 300) in range(10, 12)  # 3,003 rows (JSON Lines: estimated)
    run, table, _ = _run(path, tmp_path, "auto", chunksize=1000, jobs="auto")
    assert run.extra["jobs"] == 1 and "parts" not in run.extra  # 3 chunks
    run2, table2, _ = _run(path, tmp_path, "auto2", chunksize=300, jobs="auto")
    assert run2.extra["jobs"] == 2 and run2.extra["parts"] >= 8
    pd.testing.assert_frame_equal(table2, table)
