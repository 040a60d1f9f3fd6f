"""Raw readers: a file (CSV, TSV, JSONL, Parquet, Excel) or a DataFrame -> chunks of raw rows.

Text files are decoded with the requested encoding, or detected: a UTF-8 byte-order mark, then strict
UTF-8, then GB18030 (a superset of GBK and GB2312, what Chinese Windows exports use), then
charset-normalizer's best guess. The encoding is decided for the file, but decoding falls back line
by line (see :mod:`hvpscore.io._csv`), so a few lines in another encoding cost only those lines.
Cells are read as text, never guessed into numbers, so that ``201910561574.9`` or ``00123``
survive unchanged; validation converts them.

Every physical record ends up either as a row of a chunk's ``frame`` or as one of its
``bad_rows`` (a line that could not be read: its number, raw text, code and reason). Rows are
numbered 1, 2, … over the whole source in file order, bad rows included.
"""

from __future__ import annotations

import codecs
import json
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._errors import InputError

__all__ = ["BadRow", "RawChunk", "SUPPORTED_SUFFIXES", "detect_encoding", "iter_raw"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet", ".pq", ".xlsx", ".xlsm")
_SAMPLE = 1 << 20
_DEFAULT_CHUNK = 100_000
_HEADER_SEARCH_ROWS = 20  # Excel: the header may sit below a few title rows


@dataclass
class BadRow:
    """A source row that could not be read at all."""

    row: int
    line: int | None
    raw: str
    code: str
    message: str


@dataclass
class RawChunk:
    """A block of raw rows in source order.

    ``frame`` (a pyarrow Table for CSV, Parquet and Excel chunks of text cells only, a pandas
    DataFrame otherwise) holds the rows that could be read; ``rows`` their 1-based row numbers,
    ``lines`` their physical line (text files) or sheet row (Excel). ``bad_rows`` are the rows that could not be read. ``first_row``
    is the number of the chunk's first row; the chunk covers ``n_rows`` consecutive numbers.
    """

    frame: object
    first_row: int
    rows: np.ndarray
    lines: np.ndarray | None = None
    bad_rows: list[BadRow] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    excel: bool = False
    notes: list[str] = field(default_factory=list)
    bytes_done: int | None = None
    bytes_total: int | None = None

    @property
    def n_rows(self) -> int:
        return len(self.rows) + len(self.bad_rows)

    @property
    def columns(self) -> list[str]:
        f = self.frame
        return list(f.column_names) if hasattr(f, "column_names") else list(f.columns)


def detect_encoding(path: str | Path) -> str:
    """Guess the text encoding of a file: utf-8-sig, utf-8, gb18030 or charset-normalizer's guess."""
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE)
        more = bool(fh.read(1))
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    body = _cut_line(sample, more)
    gb_like: bool | None = None  # _reads_as_gb(body), computed at most once (a 1 MiB scan)

    def plausible(enc: str) -> bool:
        nonlocal gb_like
        if enc == "utf-8":
            return True
        if gb_like is None:
            gb_like = _reads_as_gb(body)
        return gb_like

    for enc in ("utf-8", "gb18030"):
        try:
            body.decode(enc)
        except UnicodeDecodeError:
            continue
        if plausible(enc):
            return enc
    # a few bad lines do not make a file Latin-1: if nearly every line is UTF-8 (or GB18030),
    # that is the file's encoding and the other lines are read (or rejected) one by one
    lines = [x for x in body.split(b"\n") if x and not x.isascii()]
    if lines:
        for enc in ("utf-8", "gb18030"):
            ok = sum(1 for x in lines if _decodes(x, enc))
            if (ok >= 0.5 * len(lines) or len(lines) - ok <= 3) and plausible(enc):
                return enc
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    matches = from_bytes(sample)
    best = matches.best()
    if best is not None:
        # code pages that read the sample equally well: take Windows' Western one (cp1252, what
        # US and European exports use) over charset-normalizer's first pick (often cp1250)
        tie = [m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos
               and m.coherence >= best.coherence]
        best = tie[0] if tie else best
    if best is None or not _reads_as_words(body, best.encoding):
        # mostly UTF-8 with a few bad lines is still UTF-8 (lines that fail are read one by one,
        # and those no encoding reads are rejected with the fix)
        return "utf-8"
    return best.encoding


# a GB18030 character: a lead byte, then a trail byte (group 1 when it is ASCII) or a 4-byte tail
_GB_CHAR = re.compile(rb"[\x81-\xfe](?:([\x40-\x7e])|[\x80-\xfe]|[\x30-\x39][\x81-\xfe][\x30-\x39])")


def _reads_as_gb(body: bytes) -> bool:
    """Whether bytes that decode as GB18030 look like Chinese text rather than a Western code page.

    Common Chinese characters (GB2312) have both bytes >= 0xA1; a Latin-1 or cp1252 text read as
    GB18030 pairs each accented letter with the ASCII letter after it (``è`` + ``m``). If most
    two-byte characters end in an ASCII byte, the file is not GB18030.
    """
    trails = _GB_CHAR.findall(body)
    return not trails or sum(1 for t in trails if t) < 0.5 * len(trails)


def _single_byte(encoding: str) -> bool:
    try:
        return len(bytes(range(0x80, 0x100)).decode(encoding, errors="replace")) == 0x80
    except LookupError:
        return False


def _reads_as_words(body: bytes, encoding: str) -> bool:
    """Whether a single-byte guess turns the non-ASCII bytes into letters inside words.

    A single-byte code page decodes any bytes at all, so charset-normalizer's guess alone would
    read bytes no supported encoding reads (``\\xff\\xfe\\xfd``) as mojibake and accept the rows.
    Text really written in Latin-1 or cp1252 has its non-ASCII characters as accented letters
    next to other letters (``Müller``, ``système``); at least 90 % of them must be. Multi-byte
    guesses (Big5, Shift-JIS, ...) are taken as they are.
    """
    if not _single_byte(encoding):
        return True
    text = body.decode(encoding, errors="replace")
    total = ok = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        total += 1
        near = text[i - 1: i] + text[i + 1: i + 2]
        if ch.isalpha() and any(c.isalpha() for c in near):
            ok += 1
    return total == 0 or ok >= 0.9 * total


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _cut_line(sample: bytes, more: bool) -> bytes:
    """The sample up to its last line end (a multi-byte character may be cut at the end)."""
    if not more:
        return sample
    cut = sample.rfind(b"\n")
    return sample[: cut + 1] if cut > 0 else sample


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(f"{path}: the old Excel 97-2003 format (.xls) is not read; save the "
                         "workbook as .xlsx (or export CSV)")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return suffix


def iter_raw(
    source: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    chunksize: int | None = None,
    header_columns: tuple[str, ...] = (),
) -> Iterator[RawChunk]:
    """Yield the raw rows of ``source`` in chunks of at most ``chunksize`` rows.

    ``header_columns``: columns that identify a data sheet in an Excel workbook (the profile's
    patent_id source); sheets without them are skipped with a note.
    """
    step = chunksize or _DEFAULT_CHUNK
    if isinstance(source, pd.DataFrame):
        yield from _iter_frame(source, step)
        return
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = _suffix(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"encoding {encoding!r} is not a known codec; use utf-8, gb18030, "
                             "gbk, utf-16 …") from None
    if suffix in (".csv", ".tsv", ".txt"):
        yield from _iter_csv(path, encoding, step, "\t" if suffix == ".tsv" else ",")
    elif suffix in (".jsonl", ".ndjson"):
        yield from _iter_jsonl(path, encoding, step)
    elif suffix in (".parquet", ".pq"):
        yield from _iter_parquet(path, step)
    else:
        yield from _iter_excel(path, step, header_columns)


# --------------------------------------------------------------------------- DataFrame
def _iter_frame(frame: pd.DataFrame, step: int) -> Iterator[RawChunk]:
    cols = [str(c) for c in frame.columns]
    dup = next((c for c in cols if cols.count(c) > 1), None)
    if dup is not None:
        i = cols.index(dup)
        j = cols.index(dup, i + 1)
        raise InputError(f"<DataFrame>: columns {i + 1} and {j + 1} are both named {dup!r}; "
                         "rename one of them")
    frame = frame.reset_index(drop=True)
    n = len(frame)
    for start in range(0, max(n, 1), step):
        part = frame.iloc[start: start + step]
        yield RawChunk(part, start + 1, np.arange(start + 1, start + 1 + len(part)))


# --------------------------------------------------------------------------- CSV
class _Rows:
    """Assembles records from CSV blocks into chunks of ``step`` rows, numbering them."""

    def __init__(self, step: int, first_row: int = 1):
        self.step = step
        self.parts: list = []  # [table, lines, bad(list), order]
        self.count = 0
        self.next_row = first_row

    def add(self, table, lines, bad, order) -> None:
        if len(order):
            self.parts.append([table, lines, list(bad), order])
            self.count += len(order)

    def pop(self, k: int):
        import pyarrow as pa

        tables, lines, bads, orders = [], [], [], []
        need = k
        while need and self.parts:
            table, ln, bad, order = self.parts[0]
            if len(order) <= need:
                self.parts.pop(0)
                take_order = order
            else:
                take_order = order[:need]
                g = int(take_order.sum())
                b = len(take_order) - g
                self.parts[0] = [table.slice(g), ln[g:], bad[b:], order[need:]]
                table, ln, bad = table.slice(0, g), ln[:g], bad[:b]
            tables.append(table)
            lines.append(ln)
            bads.extend(bad)
            orders.append(take_order)
            need -= len(take_order)
        order = np.concatenate(orders) if orders else np.zeros(0, dtype=bool)
        self.count -= len(order)
        numbers = self.next_row + np.arange(len(order))
        self.next_row += len(order)
        good = order.astype(bool)
        for b, r in zip(bads, numbers[~good], strict=True):
            b.row = int(r)
        table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        return (table, numbers[good], np.concatenate(lines) if lines else np.zeros(0, np.int64),
                [BadRow(b.row, b.line, b.raw, b.code, b.message) for b in bads],
                int(numbers[0]) if len(numbers) else self.next_row)


def _iter_csv(path: Path, encoding: str | None, step: int, delimiter: str, *, part=None,
              explicit: bool | None = None, first_row: int = 1,
              readers: list | None = None) -> Iterator[RawChunk]:
    """The CSV's raw rows in chunks. ``part`` (a :class:`hvpscore.io._csv.CsvPart`): only that
    byte range, rows numbered from ``first_row``, with ``encoding`` and ``explicit`` as the
    planner decided them for the whole file; ``readers`` receives the reader (its
    ``end_at`` tells where the part ended: past its end when its last record ran on)."""
    import pyarrow as pa

    from hvpscore.io._csv import CsvReader

    enc = encoding or detect_encoding(path)
    if explicit is None:
        explicit = encoding is not None
    reader = CsvReader(path, encoding=enc, explicit=explicit, delimiter=delimiter,
                       sniff=part is None, part=part)
    if readers is not None:
        readers.append(reader)
    rows = _Rows(step, first_row)
    emitted = False
    notes = list(reader.notes)
    fallback_seen = 0

    def chunk(k: int) -> RawChunk:
        nonlocal emitted, notes, fallback_seen
        table, numbers, lines, bad, first = rows.pop(k)
        emitted = True
        fb = reader.fallback_lines[fallback_seen:]
        fallback_seen = len(reader.fallback_lines)
        extra = list(notes)
        notes = []
        if fb:
            shown = ", ".join(map(str, fb[:10])) + (" …" if len(fb) > 10 else "")
            other = reader._decoder.fallback
            extra.append(f"{len(fb)} line(s) were not {reader.encoding} and were read as "
                         f"{other} (lines {shown})")
        return RawChunk(table, first, numbers, lines, bad, enc, notes=extra,
                        bytes_done=reader.bytes_done, bytes_total=reader.size)

    for block in reader.blocks():
        rows.add(block.table, block.lines, block.bad, block.order)
        while rows.count >= step:
            yield chunk(step)
    if rows.count:
        yield chunk(rows.count)
    if not emitted and part is None:
        empty = pa.table({h: pa.array([], pa.string()) for h in reader.header})
        yield RawChunk(empty, 1, np.zeros(0, np.int64), np.zeros(0, np.int64), [], enc,
                       notes=notes + [f"{path.name} has a header but no data rows"],
                       bytes_done=reader.size, bytes_total=reader.size)


# --------------------------------------------------------------------------- JSONL
def _iter_jsonl(path: Path, encoding: str | None, step: int) -> Iterator[RawChunk]:
    from hvpscore.io._csv import _Decoder

    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes); nothing to read")
    primary = encoding or "utf-8"
    decoder = _Decoder(primary, explicit=encoding is not None)
    records: list[dict] = []
    numbers: list[int] = []
    lines: list[int] = []
    bad: list[BadRow] = []
    row = 0
    first = 1
    failed_head = 0
    good_seen = False
    done = 0
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            done += len(raw)
            if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            body = raw.rstrip(b"\r\n")
            if not body.strip():
                continue
            row += 1
            text_bytes = decoder.decode(body, line_no)
            if line_no in decoder.bad_lines:
                msg = f"line {line_no} " + decoder.bad_lines.pop(line_no)
                bad.append(BadRow(row, line_no, text_bytes.decode("utf-8", "replace")[:2000],
                                  "undecodable", msg))
                failed_head += not good_seen
            else:
                text = text_bytes.decode("utf-8")
                try:
                    obj = json.loads(text)
                    if not isinstance(obj, dict):
                        raise ValueError(f"found a JSON {type(obj).__name__}; a JSON object "
                                         "per line is expected")
                    records.append(obj)
                    numbers.append(row)
                    lines.append(line_no)
                    good_seen = True
                except ValueError as exc:
                    bad.append(BadRow(row, line_no, text.strip()[:2000], "not_json_object",
                                      f"line is not a JSON object ({exc})"))
                    failed_head += not good_seen
            if not good_seen and failed_head >= 50:
                raise InputError(f"{path}: none of the first {failed_head} lines is a JSON "
                                 "object, so this is not JSON Lines (one object per line); if it "
                                 "is one JSON array, write one object per line")
            if len(numbers) + len(bad) >= step:
                yield _jsonl_chunk(records, numbers, lines, bad, first, primary, decoder,
                                   done, size)
                first = row + 1
                records, numbers, lines, bad = [], [], [], []
    if row == 0:
        raise InputError(f"{path}: the file has no records (only empty lines); nothing to read")
    if numbers or bad:
        yield _jsonl_chunk(records, numbers, lines, bad, first, primary, decoder, size, size)


def _jsonl_chunk(records, numbers, lines, bad, first, enc, decoder, done, size) -> RawChunk:
    notes = []
    if decoder.fallback_lines:
        fb = decoder.fallback_lines
        shown = ", ".join(map(str, fb[:10])) + (" …" if len(fb) > 10 else "")
        notes.append(f"{len(fb)} line(s) were not {decoder.encoding} and were read as "
                     f"{decoder.fallback} (lines {shown})")
        decoder.fallback_lines = []
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    return RawChunk(frame, first, np.asarray(numbers, dtype=np.int64),
                    np.asarray(lines, dtype=np.int64), list(bad), enc, notes=notes,
                    bytes_done=done, bytes_total=size)


# --------------------------------------------------------------------------- Parquet
def _iter_parquet(path: Path, step: int) -> Iterator[RawChunk]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}); check the file or "
                         "export it again") from None
    names = pf.schema_arrow.names
    dup = next((c for c in names if names.count(c) > 1), None)
    if dup is not None:
        raise InputError(f"{path}: two columns are named {dup!r}; rename one of them")
    row = 1
    size = path.stat().st_size
    total = max(pf.metadata.num_rows, 1)
    try:
        for batch in pf.iter_batches(batch_size=step):
            table = pa.Table.from_batches([batch])
            n = table.num_rows
            yield RawChunk(table, row, np.arange(row, row + n), None, [], None,
                           bytes_done=int(size * min(row - 1 + n, total) / total),
                           bytes_total=size)
            row += n
    except pa.ArrowInvalid as exc:
        raise InputError(f"{path}: cannot read row group after row {row - 1} ({exc})") from None
    if pf.metadata.num_rows == 0:
        yield RawChunk(pf.schema_arrow.empty_table(), 1, np.zeros(0, np.int64), None, [], None,
                       notes=[f"{path.name} has no rows"], bytes_done=size, bytes_total=size)


# --------------------------------------------------------------------------- Excel
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref="([^"]*)"')
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_HEAD_BYTES = 1 << 16
_OPENING = threading.Lock()


@contextmanager
def _dimension_from_the_head():
    """openpyxl's read-only worksheet looks for the sheet's ``<dimension>`` record when the
    workbook is opened, with an XML parse that, when the record is missing (workbooks written
    by openpyxl's own write-only mode and other streaming writers), runs through the whole
    sheet before it gives up: every such workbook was parsed twice. The record can only stand
    before ``<sheetData>``: while opening, the first 64 KiB of each sheet are searched instead
    (the same dimensions, or none); a sheet whose data does not start there is left to
    openpyxl."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    full = ReadOnlyWorksheet._get_size

    def from_head(self):
        with self._get_source() as src:
            head = src.read(_HEAD_BYTES)
        data = _SHEET_DATA.search(head)
        if data is None:
            return full(self)
        dim = _DIMENSION.search(head, 0, data.start())
        if dim is None:
            return None  # no dimensions: as openpyxl finds after reading the sheet
        try:
            bounds = range_boundaries(dim.group(1).decode("ascii"))
        except (ValueError, UnicodeDecodeError, TypeError):
            return full(self)
        if None in bounds:
            return full(self)
        self._min_column, self._min_row, self._max_column, self._max_row = bounds
        return None

    with _OPENING:  # one workbook opened at a time (the service reads uploads in threads)
        ReadOnlyWorksheet._get_size = from_head
        try:
            yield
        finally:
            ReadOnlyWorksheet._get_size = full


def _open_workbook(path: Path):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings(), _dimension_from_the_head():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        head = path.read_bytes()[:2048]
        looks_text = head and b"\x00" not in head
        hint = (" — it looks like a text file: if it is CSV, give it the .csv suffix"
                if looks_text else "")
        raise InputError(f"{path}: not an Excel .xlsx workbook ({type(exc).__name__}: "
                         f"{exc}){hint}") from None


def _header_of(cells: tuple) -> list[str]:
    names = ["" if c is None else str(c).strip() for c in cells]
    while names and names[-1] == "":
        names.pop()
    return names


def _excel_sheets(path: Path):
    """``([(title, rows factory), …], close)``: calamine where it gives openpyxl's rows
    (:mod:`hvpscore.io._xlsx_fast`, ~10 times faster), else openpyxl's read-only streaming."""
    from hvpscore.io._xlsx_fast import calamine_sheets

    fast = calamine_sheets(path)
    if fast is not None:
        return fast
    wb = _open_workbook(path)
    return ([(ws.title, (lambda ws=ws: ws.iter_rows(values_only=True)))
             for ws in wb.worksheets], wb.close)


def _iter_excel(path: Path, step: int, header_columns: tuple[str, ...]) -> Iterator[RawChunk]:
    sheets, close = _excel_sheets(path)
    size = path.stat().st_size
    row = 1
    notes: list[str] = []
    used = 0
    first_seen: list[str] | None = None
    try:
        for si, (title, rows_of) in enumerate(sheets):
            rows_iter = iter(rows_of())
            header = None
            header_at = 0
            for i, cells in enumerate(rows_iter, start=1):
                names = _header_of(cells)
                if not any(names):
                    if i >= _HEADER_SEARCH_ROWS:
                        break
                    continue
                if first_seen is None:
                    first_seen = names
                if not header_columns or all(c in names for c in header_columns):
                    header, header_at = names, i
                    break
                if i >= _HEADER_SEARCH_ROWS:
                    break
            if header is None:
                if header_columns:
                    notes.append(f"sheet {title!r} has no column "
                                 f"{', '.join(header_columns)}; skipped")
                else:
                    notes.append(f"sheet {title!r} is empty; skipped")
                continue
            names = [n if n else f"Unnamed: {i}" for i, n in enumerate(header)]
            seen: dict[str, int] = {}
            for i, n in enumerate(names):
                if n in seen:
                    raise InputError(
                        f"{path}: sheet {title!r}: columns {seen[n] + 1} and {i + 1} of the "
                        f"header (row {header_at}) are both named {n!r}; rename one of them")
                seen[n] = i
            used += 1
            if header_at > 1:
                notes.append(f"sheet {title!r}: the header is on row {header_at}; the rows "
                             "above it are titles, not data")
            width = len(names)
            buf: list[tuple] = []
            buf_lines: list[int] = []
            buf_rows: list[int] = []
            bad: list[BadRow] = []
            first = row
            for r_i, cells in enumerate(rows_iter, start=header_at + 1):
                if cells is None or all(c is None or (isinstance(c, str) and not c.strip())
                                        for c in cells):
                    continue
                cells = tuple(cells)
                if len(cells) > width and any(c is not None and str(c).strip() != ""
                                              for c in cells[width:]):
                    from openpyxl.utils import get_column_letter

                    extra = next(j for j in range(width, len(cells)) if cells[j] is not None
                                 and str(cells[j]).strip() != "")
                    raw = "\t".join("" if c is None else str(c) for c in cells)
                    bad.append(BadRow(row, r_i, raw[:2000], "extra_fields",
                                      f"sheet {title!r} row {r_i} has a value in column "
                                      f"{get_column_letter(extra + 1)}, which has no header; "
                                      "give that column a header or clear it"))
                else:
                    cells = cells[:width] + (None,) * (width - len(cells))
                    buf.append(cells)
                    buf_lines.append(r_i)
                    buf_rows.append(row)
                row += 1
                if len(buf) + len(bad) >= step:
                    yield _excel_chunk(buf, names, buf_rows, buf_lines, bad, first, title,
                                       notes, size, si, len(sheets))
                    notes = []
                    buf, buf_lines, buf_rows, bad = [], [], [], []
                    first = row
            if buf or bad:
                yield _excel_chunk(buf, names, buf_rows, buf_lines, bad, first, title, notes,
                                   size, si + 1, len(sheets))
                notes = []
            elif row == first:
                notes.append(f"sheet {title!r} has a header but no data rows")
    finally:
        close()
    if not used:
        have = ", ".join(map(str, (first_seen or [])[:15]))
        what = (f"no sheet has the column {', '.join(header_columns)}"
                if header_columns else "no sheet has a header row")
        raise InputError(f"{path}: {what} (the first sheet's columns: {have or 'none'}); choose "
                         "the profile that fits this file (--profile) or write your own")
    if row == 1 or notes:
        import pyarrow as pa  # noqa: F401 - keep the import cost where it is needed

        yield RawChunk(pd.DataFrame(columns=names), row, np.zeros(0, np.int64),
                       np.zeros(0, np.int64), [], None, excel=True, notes=notes,
                       bytes_done=size, bytes_total=size)


def _excel_chunk(buf, names, rows, lines, bad, first, sheet, notes, size, done_sheets,
                 n_sheets) -> RawChunk:
    frame = _text_table(buf, names)
    if frame is None:
        frame = (pd.DataFrame.from_records(buf, columns=names) if buf
                 else pd.DataFrame(columns=names))
        frame = frame.astype(object)
    return RawChunk(frame, first, np.asarray(rows, dtype=np.int64),
                    np.asarray(lines, dtype=np.int64), list(bad), None, sheet=sheet, excel=True,
                    notes=list(notes), bytes_done=int(size * done_sheets / max(n_sheets, 1)),
                    bytes_total=size)


def _text_table(buf: list[tuple], names: list[str]):
    """The rows as a pyarrow Table of strings when every cell is text or empty (an export
    written as text, the common case): validated column-wise as a CSV is, instead of cell by
    cell. None when some cell holds a number, date or other native value."""
    if not buf:
        return None
    import pyarrow as pa

    cols = list(zip(*buf, strict=True))
    arrays = []
    for col in cols:
        try:
            arrays.append(pa.array(col, type=pa.string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
    return pa.table(arrays, names=names)


def read_text_sample(path: str | Path, encoding: str | None = None) -> str:
    """Decode a text file with the given or detected encoding (used by tests and tools)."""
    enc = encoding or detect_encoding(path)
    with open(path, encoding=enc) as fh:
        return fh.read()
