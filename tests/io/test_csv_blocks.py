"""The CSV scanner gives the same rows, line numbers, rejects and fallback lines whatever the
block size (records and GBK lines straddling block ends, quoted newlines, bad quotes)."""

from __future__ import annotations

import pytest

from hvpscore.io._csv import CsvReader


def _write(path):
    lines = [b"a,b,c"]
    for i in range(1, 1500):
        if i % 97 == 5:
            line = f'{i},"bad,{i}'  # unterminated quote
        elif i % 89 == 3:
            line = f"{i},x,y,z"  # an extra field
        elif i % 53 == 7:
            line = f'{i},"multi\nline",q'  # a quoted line end
        else:
            line = f"{i},v{i},w"
        lines.append(f"{i},中文{i},w".encode("gbk") if i % 211 == 100 else line.encode())
    path.write_bytes(b"\n".join(lines) + b"\n")


def _read(path, block_bytes, max_record_bytes=4 << 20):
    reader = CsvReader(path, encoding="utf-8", explicit=False, delimiter=",",
                       block_bytes=block_bytes, max_record_bytes=max_record_bytes)
    ids, lines, bad = [], [], []
    for block in reader.blocks():
        ids += block.table.column(0).to_pylist()
        lines += [int(x) for x in block.lines]
        bad += [(b.line, b.code, b.raw, b.message) for b in block.bad]
    return ids, lines, bad, list(reader.fallback_lines)


@pytest.mark.parametrize("block_bytes", [64, 333, 4096])
def test_same_outcome_whatever_the_block_size(tmp_path, block_bytes):
    path = tmp_path / "x.csv"
    _write(path)
    ref = _read(path, 1 << 24)
    ids, lines, bad, fallback = ref
    assert len(ids) + len(bad) == 1499
    # physical line numbers: a quoted line end takes two lines
    first_gbk = next(i for i in range(1, 1500) if i % 211 == 100)
    assert fallback[0] == lines[ids.index(str(first_gbk))]
    assert _read(path, block_bytes) == ref


@pytest.mark.parametrize(("block_bytes", "max_record"), [(4096, 1 << 20), (1 << 24, 2048),
                                                         (700, 2048), (333, 1500)])
def test_same_reasons_for_quotes_that_close_far_away_or_never(tmp_path, block_bytes,
                                                              max_record):
    """Quotes opened in unquoted values of a file without other quotes: each runs on to the next
    one (or to the end of the file). Whether a reader sees it close depends on how far it has
    read (its block, the longest record it reads on for, a part's end); the rejected lines and
    their reasons must not."""
    path = tmp_path / "q.csv"
    lines = [b"a,b,c"] + [f'{i},"open{i},w'.encode() if i in (40, 90, 400, 1450) else
                          f"{i},v{i},w".encode() for i in range(1, 1500)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    ref = _read(path, 1 << 24)
    bad = ref[2]
    assert [b[0] for b in bad] == [41, 91, 401, 1451]
    assert len({b[3] for b in bad}) == 1 and "never closed" in bad[0][3]
    assert _read(path, block_bytes, max_record) == ref
