"""Parts of a CSV file that separate processes read on their own (``hvpscore score --jobs``).

The planner reads the header once (as :class:`~hvpscore.io._csv.CsvReader` does) and cuts the
rest of the file into byte ranges of about ``chunksize`` records. A cut is a line start outside
quotes: claims texts hold quoted line breaks, so the parity of the quotes (``"``) from the header
on decides which line ends end a record (a doubled quote inside a value counts twice and keeps
the parity). One pass of ``bytes.count`` over the file, lazily, while the parts are read.

Each part is then read like the whole file (same scan, same recovery, same problems), with its
rows numbered from 1; the caller shifts them by the rows of the parts before it, which it knows
once those are read. A part whose last record runs past its end (a cut that the parity
misjudged: a broken quote in the part, after which the reader reads the quotes the other way)
is read on to the next clean record end and says where it ended (``CsvReader.end_at``); the
caller then plans the rest of the file again from there.

Files the planner does not cut (UTF-16/32, CR-only line ends, no data, or a single part) are read
by the one-piece reader.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hvpscore.io._csv import CsvPart

__all__ = ["CsvPlan", "plan_csv"]

_SCAN = 16 << 20  # bytes read at a time while cutting
_SAMPLE = 4 << 20  # bytes sampled for the average record size
MIN_PART_BYTES = 64 << 10
_TAPER = 3


@dataclass
class CsvPlan:
    """What the planner learnt of the file, and its parts (a generator: cut while reading)."""

    path: Path
    encoding: str
    explicit: bool
    delimiter: str
    header: tuple[str, ...]
    header_line: int
    size: int
    data_start: int
    data_line: int
    part_bytes: int
    notes: list[str] = field(default_factory=list)

    def parts(self, start: int | None = None, line: int | None = None) -> Iterator[CsvPart]:
        """The byte ranges, in file order, each starting at a record: from the first data
        line, or from ``start`` (a record start on physical line ``line``)."""
        first = start is None or start == self.data_start
        if start is None:
            start, line = self.data_start, self.data_line
        base, base_line = start, line
        for cut, cut_line in _cuts(self.path, base, self.size, self.part_bytes,
                                   ord(self.delimiter), len(self.header)):
            yield CsvPart(start, cut, line, self.header, self.header_line, first)
            start, line, first = cut, base_line + cut_line, False
        if start < self.size:
            yield CsvPart(start, self.size, line, self.header, self.header_line, first)


def plan_csv(path, encoding: str | None, chunksize: int) -> CsvPlan | None:
    """Plan the parts of a CSV/TSV file, or None when it is read in one piece."""
    from hvpscore.io._csv import CsvReader
    from hvpscore.io._read import detect_encoding

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt") or not path.is_file():
        return None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            return None  # the one-piece reader says what is wrong
    enc = encoding or detect_encoding(path)
    reader = CsvReader(path, encoding=enc, explicit=encoding is not None,
                       delimiter="\t" if suffix == ".tsv" else ",", sniff=True)
    try:
        if reader._wide or reader._cr_only:
            return None
        header, header_line = tuple(reader.header), reader.header_line
        delimiter, notes = reader.delimiter, list(reader.notes)
        is_utf8 = reader._decoder.is_utf8
    finally:
        reader.close()
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(3)
        base = 3 if head.startswith(codecs.BOM_UTF8) and is_utf8 else 0
        fh.seek(base)
        found = _header_end(fh)
        if found is None:
            return None
        end, lines_before = found
        data_start = base + end
        fh.seek(data_start)
        sample = fh.read(_SAMPLE)
    # the header the reader found starts on the line after the blank lines the scan skipped
    if header_line != 1 + lines_before or data_start >= size:
        return None
    data_line = 1 + _count_lf(path, data_start)
    per_record = _bytes_per_record(sample)
    part_bytes = max(MIN_PART_BYTES, int(chunksize * per_record))
    if size - data_start <= part_bytes:
        return None
    return CsvPlan(path, enc, encoding is not None, delimiter, header, header_line, size,
                   data_start, data_line, part_bytes, notes)


def _count_lf(path: Path, upto: int) -> int:
    with open(path, "rb") as fh:
        return fh.read(upto).count(b"\n")


def _header_end(fh) -> tuple[int, int] | None:
    """Byte offset (from the handle's start position) just after the header record's line end,
    and the number of (blank) lines before the header; None when the file has no line end
    after the header."""
    from hvpscore.io._csv import _first_record_end

    buf = b""
    pos = 0  # offset of buf[0] from the start position
    lines = 0
    while True:
        end = _first_record_end(buf)
        if end is not None and not buf[:end].strip():
            lines += buf[: end + 1].count(b"\n")
            pos += end + 1
            buf = buf[end + 1:]
            continue
        if end is not None:
            return pos + end + 1, lines
        more = fh.read(1 << 20)
        if not more or len(buf) > (64 << 20):
            return None
        buf += more


def _bytes_per_record(sample: bytes) -> float:
    """Average bytes per record in ``sample`` (line ends outside quotes)."""
    a = np.frombuffer(sample, dtype=np.uint8)
    nl = np.flatnonzero(a == 10)
    if not len(nl):
        return float(max(len(sample), 1))
    parity = np.cumsum(a == 34)[nl] % 2
    ends = nl[parity == 0]
    if not len(ends):
        return float(len(sample))
    return float(ends[-1] + 1) / len(ends)


def _leading_records(buf: bytes, inside: int, delim: int, width: int) -> int:
    """How many records of ``width`` fields open ``buf`` before the first one of another width,
    reading it as starting outside quotes (``inside`` 0) or inside a quoted value (1). Blank
    lines are skipped; the record the window cuts off is not counted."""
    a = np.frombuffer(buf, dtype=np.uint8)
    out = (np.cumsum(a == 34) + inside) % 2 == 0  # outside quotes after each byte
    ends = np.flatnonzero((a == 10) & out)
    if not len(ends):
        return 0
    delims = np.flatnonzero((a == delim) & out)
    fields = np.diff(np.searchsorted(delims, ends), prepend=0) + 1
    starts = np.concatenate([[0], ends[:-1] + 1])
    size = ends - starts
    if inside:  # the first "record" is the rest of a value: its field count is meaningless
        fields, size = fields[1:], size[1:]
    fields = fields[size > 1]  # blank lines (and a lone CR)
    bad = np.flatnonzero(fields != width)
    return int(bad[0]) if len(bad) else len(fields)


def _cuts(path: Path, start: int, size: int, part_bytes: int, delim: int = 44,
          width: int = 0) -> Iterator[tuple[int, int]]:
    """Cut positions (a line start outside quotes, about every ``part_bytes``) after ``start``,
    each with the number of line ends between ``start`` and it.

    The parity of the quotes counted from ``start`` is checked at each cut against the records
    that follow it (with ``width`` fields; 0: not checked): a stray quote before it flips the
    parity (the reader rejects its row and reads on the other way), and every cut after it would
    fall inside a quoted value, to be found only when the part before it runs past its end
    (the parts after it are then scored in vain and planned again). When more well-formed records
    follow the cut read the other way, the count is flipped and the cut moves to the next line
    end outside quotes in that reading. (A misjudged cut stays harmless: the part before it is
    read on, as without the check.)"""
    def step(at: int) -> int:
        # the last parts smaller: when less than _TAPER parts' worth is left, a part is that
        # share of the rest (no less than a quarter of a part), so the processes finish
        # together instead of one idling while the other scores a whole last part
        return max(min(part_bytes, (size - at) // _TAPER), part_bytes // 4, MIN_PART_BYTES)

    target = start + step(start)
    flip = 0
    with open(path, "rb") as fh, open(path, "rb") as peek:
        fh.seek(start)
        pos = start  # file offset of block[0]
        quotes = 0  # quotes in [start, pos)
        lfs = 0  # line ends in [start, pos)
        while target < size:
            block = fh.read(_SCAN)
            if not block:
                return
            at = 0  # quotes and line ends are counted in block[:at]
            q, n = quotes, lfs
            while target < pos + len(block):
                nl = block.find(b"\n", max(target - pos, at))
                if nl < 0:
                    break
                q += block.count(b'"', at, nl)
                n += block.count(b"\n", at, nl)
                at = nl
                if (q + flip) % 2 == 0:
                    cut = pos + nl + 1
                    if cut >= size:
                        return
                    if width and _misread(peek, cut, delim, width):
                        flip ^= 1
                    else:
                        yield cut, n + 1
                        target = cut + step(cut)
                # a line end inside quotes: try the next one
                target = max(target, pos + nl + 1)
            quotes += block.count(b'"')
            lfs += block.count(b"\n")
            pos += len(block)


_PEEK = 256 << 10  # bytes after a cut read to check its parity


def _misread(fh, cut: int, delim: int, width: int) -> bool:
    """Whether the records after ``cut`` read better as if it were inside quotes."""
    fh.seek(cut)
    buf = fh.read(_PEEK)
    return _leading_records(buf, 1, delim, width) > _leading_records(buf, 0, delim, width)
