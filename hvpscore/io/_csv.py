"""CSV/TSV reading that never loses a row: every record ends as a parsed row or as a bad line.

How a file is read
------------------
1. **Bytes in blocks** (8 MiB, cut at a line end). Each block is decoded with the file's encoding;
   when a block does not decode, it is decoded line by line: a line that fails is tried in the
   fallback encoding (GB18030 for a UTF-8 file, UTF-8 for a GB18030 one), and a line that fails
   both becomes a rejected row (``undecodable``). The decoded block is UTF-8.
2. **Structure by arrays** (numpy over the block's bytes): quotes, line ends and separators are
   located once; a quote's role (opening or closing) follows from how many quotes precede it.
   A record is well formed (RFC 4180) when every opening quote starts a field, every closing quote
   ends one (or doubles a quote), and it has as many fields as the header. Both readings of the
   block (starting outside or inside quotes) are computed at once, so that recovering from a bad
   quote costs no rescan.
3. **Recovery**: a bad one-line record is rejected as it is (``malformed_line``, ``extra_fields``,
   ``missing_fields``). A record that runs over several lines because a quote opened and did not
   close properly is not allowed to swallow the rows after it: only its first line is rejected
   and reading resumes on the next line (with the other reading of the quotes). A multi-line
   record whose quotes are all proper but whose field count is wrong is one rejected row.
4. **Parsing** of the well-formed records is left to pyarrow's CSV reader (C++), every column as
   text; the row and line numbers of each record are kept.

Blank lines (nothing but spaces) are skipped, as every CSV reader does; they are not rows.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hvpscore._errors import InputError

__all__ = ["BadLine", "CsvBlock", "CsvPart", "CsvReader"]

BLOCK_BYTES = 8 << 20
MAX_RECORD_BYTES = 4 << 20
_RAW_SHOWN = 2000  # characters of a rejected line kept in the rejects
_QUOTE, _LF, _CR = 34, 10, 13


@dataclass
class BadLine:
    """A record that could not be read: its first physical line, raw text, code and message."""

    line: int
    raw: str
    code: str
    message: str
    row: int = 0


@dataclass
class CsvBlock:
    """The outcome of one block: parsed rows (pyarrow Table), their lines, the bad lines, in order.

    ``order`` interleaves them: for each record in file order, ``True`` for the next table row,
    ``False`` for the next bad line.
    """

    table: object
    lines: np.ndarray
    bad: list[BadLine]
    order: np.ndarray
    bytes_done: int = 0
    notes: list[str] = field(default_factory=list)


def _fallback_for(encoding: str) -> str | None:
    enc = codecs.lookup(encoding).name
    if enc in ("utf-8", "utf-8-sig"):
        return "gb18030"
    if enc.startswith(("utf-16", "utf-32")):
        return None
    return "utf-8"


def _is_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is valid UTF-8, checked by pyarrow (no Python string is built)."""
    import pyarrow as pa

    if raw.isascii():
        return True
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int32).tobytes())
    arr = pa.StringArray.from_buffers(1, offsets, pa.py_buffer(raw))
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


class _Decoder:
    """Raw bytes -> UTF-8 bytes, block by block, falling back line by line.

    ``bad_lines`` collects the lines that decode in neither encoding (line number -> message),
    ``fallback_lines`` the lines read in the fallback encoding.
    """

    def __init__(self, encoding: str, explicit: bool):
        self.encoding = codecs.lookup(encoding).name
        self.fallback = None if explicit else _fallback_for(self.encoding)
        self.is_utf8 = self.encoding in ("utf-8", "utf-8-sig")
        self.fallback_lines: list[int] = []
        self.bad_lines: dict[int, str] = {}

    def decode(self, raw: bytes, first_line: int) -> bytes:
        if self.is_utf8:
            if _is_utf8(raw):
                return raw
        else:
            try:
                return raw.decode(self.encoding).encode("utf-8")
            except UnicodeDecodeError:
                pass
        return b"\n".join(self._line(line, first_line + i)
                          for i, line in enumerate(raw.split(b"\n")))

    def _line(self, line: bytes, number: int) -> bytes:
        if self.fallback == "utf-8" and not line.isascii():
            # a GB18030 (or other) file: a line that is valid UTF-8 and not ASCII is UTF-8
            try:
                line.decode("utf-8")
                self.fallback_lines.append(number)
                return line
            except UnicodeDecodeError:
                pass
        try:
            text = line.decode(self.encoding)
            return line if self.is_utf8 else text.encode("utf-8")
        except UnicodeDecodeError as exc:
            first_exc = exc
        if self.fallback and self.fallback != "utf-8":
            try:
                text = line.decode(self.fallback)
                self.fallback_lines.append(number)
                return text.encode("utf-8")
            except UnicodeDecodeError:
                pass
        shown = line[first_exc.start: first_exc.start + 4].hex(" ")
        also = f" nor {self.fallback}" if self.fallback else ""
        self.bad_lines[number] = (
            f"is not valid {self.encoding}{also} (bytes {shown} at byte {first_exc.start + 1} "
            "of the line); re-save the file as UTF-8, or pass --encoding")
        return line.decode(self.encoding, errors="replace").encode("utf-8")

    def describe(self) -> str:
        return self.encoding + (f" (lines that fail: {self.fallback})" if self.fallback else "")


@dataclass(frozen=True)
class CsvPart:
    """One byte range of a CSV file, cut at a record start (see :mod:`hvpscore.io._parts`):
    ``start``..``end`` (exclusive), the physical line number of its first line, the file's
    header (read once by the planner) and whether it is the first part after the header."""

    start: int
    end: int
    first_line: int
    header: tuple[str, ...]
    header_line: int = 1
    first: bool = False


class CsvReader:
    """Stream a delimited text file as :class:`CsvBlock` s (see the module doc).

    The header is read (and checked) when the reader is made: :attr:`header`, :attr:`delimiter`.
    """

    def __init__(self, path: Path, *, encoding: str, explicit: bool, delimiter: str,
                 sniff: bool = True, block_bytes: int = BLOCK_BYTES,
                 max_record_bytes: int = MAX_RECORD_BYTES, part: CsvPart | None = None):
        self.path = Path(path)
        self.where = str(path)
        self.delimiter = delimiter
        self.block_bytes = block_bytes
        self.max_record_bytes = max_record_bytes
        self.notes: list[str] = []
        self.size = self.path.stat().st_size
        self.bytes_done = 0
        enc = codecs.lookup(encoding).name
        self.encoding = enc
        self._wide = enc.startswith(("utf-16", "utf-32"))
        self._decoder = _Decoder(encoding, explicit)
        self._explicit = explicit
        self._text_decoder = codecs.getincrementaldecoder(encoding)() if self._wide else None
        self._pending = b""  # raw bytes after the last line end, not decoded yet
        self._pending_text = ""  # the same for UTF-16/32 (decoded text)
        self._carry = b""  # decoded UTF-8 bytes of an incomplete record
        self._carry_line = 1  # physical line number of the first line in _carry
        self._next_line = 1  # physical line number of the next raw line to decode
        self._counting = True
        self._eof = False
        self._cr_only = False
        self._first_block = True
        self._fh = open(self.path, "rb")  # noqa: SIM115 - closed by blocks() or close()
        self._end = None  # a part: read up to this byte (exclusive)
        # a part whose last record runs past its end (a cut inside quotes) is read on to the
        # next record end: ``end_at`` / ``end_line`` say where the part really ended
        self.end_at: int | None = None
        self.end_line: int | None = None
        if part is not None:  # one byte range of the file, header known (see CsvPart)
            self._fh.seek(part.start)
            self.bytes_done = part.start
            self._end = self.end_at = part.end
            self._step = min(self.block_bytes, max(64 << 10, part.end - part.start))
            self._carry_line = self._next_line = part.first_line
            self._first_block = part.first
            self.header = list(part.header)
            self.header_line = part.header_line
            self.width = len(self.header)
            return
        try:
            self.header = self._read_header(sniff)
        except BaseException:
            self._fh.close()
            raise
        self.width = len(self.header)

    @property
    def fallback_lines(self) -> list[int]:
        """Line numbers decoded with the fallback encoding so far."""
        return self._decoder.fallback_lines

    # ------------------------------------------------------------------ bytes -> UTF-8 blocks
    def _read_block(self) -> bytes | None:
        """The next decoded block: UTF-8 bytes ending at a line end (or at the end of file)."""
        while not self._eof:
            want = self.block_bytes
            if self._end is not None:
                want = max(0, min(want, self._end - self._fh.tell()))
            chunk = self._fh.read(want) if want else b""
            self.bytes_done += len(chunk)
            if not chunk:
                self._eof = True
                if self._end is not None and self._end < self.size:
                    return None  # a part's end: the bytes after its last line end wait
                if self._wide:
                    text = self._pending_text + self._wide_decode(b"", final=True)
                    self._pending_text = ""
                    return text.encode("utf-8") if text else None
                raw, self._pending = self._pending, b""
                return self._decode(raw) if raw else None
            if self._wide:
                text = self._pending_text + self._wide_decode(chunk)
                if self._cr_only:
                    text = text.replace("\r", "\n")
                cut = text.rfind("\n")
                if cut < 0:
                    self._pending_text = text
                    continue
                self._pending_text = text[cut + 1:]
                return text[: cut + 1].encode("utf-8")
            data = self._pending + chunk
            if self._cr_only:
                data = data.replace(b"\r", b"\n")
            cut = data.rfind(b"\n")
            if cut < 0:
                self._pending = data
                continue
            self._pending = data[cut + 1:]
            return self._decode(data[: cut + 1])
        return None

    def _wide_decode(self, chunk: bytes, final: bool = False) -> str:
        try:
            return self._text_decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.where}: not readable as {self.encoding} ({exc.reason}); "
                             "pass --encoding utf-8 or gb18030") from None

    def _decode(self, raw: bytes) -> bytes:
        first = self._next_line
        if self._counting:  # while the header is read; afterwards blocks() keeps the count
            self._next_line += raw.count(b"\n")
        return self._decoder.decode(raw, first)

    # ------------------------------------------------------------------ header
    def _read_header(self, sniff: bool) -> list[str]:
        head = self._fh.read(4)
        if not head:
            raise InputError(f"{self.where}: the file is empty (0 bytes); nothing to read")
        if head.startswith(b"PK\x03\x04"):
            raise InputError(f"{self.where}: this is a zip archive (an Excel .xlsx workbook?), "
                             "not a CSV text file; give it the .xlsx suffix or export it as CSV")
        bom = head.startswith(codecs.BOM_UTF8) and self._decoder.is_utf8
        self._fh.seek(3 if bom else 0)
        sample = self._fh.read(1 << 16)
        self._fh.seek(3 if bom else 0)
        self.bytes_done = 3 if bom else 0  # the mark is read too: progress ends at the size
        if not self._wide and b"\x00" in sample:
            raise InputError(f"{self.where}: the file holds NUL bytes, so it is not a CSV text "
                             "file (a binary file, or UTF-16 without a byte-order mark?); export "
                             "it as CSV (UTF-8) or pass --encoding utf-16")
        if not self._wide and b"\r" in sample and b"\n" not in sample:
            self._cr_only = True
            self.notes.append("lines end with CR only (old Mac style); read as line ends")
        while True:
            end = _first_record_end(self._carry)
            if end is not None and not self._carry[:end].strip():  # blank lines before it
                self._carry_line += self._carry[: end + 1].count(b"\n")
                self._carry = self._carry[end + 1:]
                continue
            if end is not None:
                break
            if len(self._carry) > self.max_record_bytes:
                raise InputError(f"{self.where}: the header (line {self._carry_line}) opens a "
                                 "quote that never closes; fix the quotes in the header")
            block = self._read_block()
            if block is None:
                if self._carry.strip():
                    end = len(self._carry)
                    break
                what = ("only a byte-order mark" if bom and self.size <= 3 else
                        "only empty lines")
                raise InputError(f"{self.where}: the file has no header line ({what}); "
                                 "nothing to read")
            self._carry += block
        raw = self._carry[:end]
        header_line = self._carry_line
        self._carry = self._carry[end + 1:]
        self._carry_line += raw.count(b"\n") + 1
        if header_line in self._decoder.bad_lines:
            also = f" nor {self._decoder.fallback}" if self._decoder.fallback else ""
            raise InputError(
                f"{self.where}: not readable as {self._decoder.encoding}{also} (the header, "
                f"line {header_line}, does not decode); pass --encoding gb18030 or utf-8")
        text = raw.decode("utf-8").rstrip("\r")
        if sniff:
            self.delimiter = self._sniff(text)
        try:
            names = next(csv.reader([text], delimiter=self.delimiter, strict=True))
        except csv.Error as exc:
            raise InputError(f"{self.where}: the header (line {header_line}) is not well-formed "
                             f"CSV ({exc}); fix its quotes") from None
        names = [n.strip().lstrip("\ufeff").strip() for n in names]
        names = [n if n else f"Unnamed: {i}" for i, n in enumerate(names)]
        seen: dict[str, int] = {}
        for i, n in enumerate(names):
            if n in seen:
                raise InputError(
                    f"{self.where}: columns {seen[n] + 1} and {i + 1} of the header are both "
                    f"named {n!r}; rename one of them (otherwise one would silently win)")
            seen[n] = i
        self.header_line = header_line
        return names

    def _sniff(self, text: str) -> str:
        if self.delimiter in text:
            return self.delimiter
        for cand, name in (("\t", "tabs"), (";", "';'"), ("|", "'|'"), (",", "','")):
            if cand != self.delimiter and cand in text:
                self.notes.append(f"the header has no {self.delimiter!r}; its fields are "
                                  f"separated by {name}, so the file is read that way")
                return cand
        return self.delimiter

    # ------------------------------------------------------------------ records
    def blocks(self) -> Iterator[CsvBlock]:
        """Yield the file's records block by block (see :class:`CsvBlock`)."""
        self._counting = False
        try:
            extended = False
            while True:
                block = self._read_block()
                if block is None and (self._carry or self._pending) and \
                        self._end is not None and self._end < self.size:
                    # a record open at the part's end: the cut was inside quotes (a stray
                    # quote before it); read on until the records end cleanly again
                    self._end = min(self.size, self._end + self._step)
                    self._eof = False
                    extended = True
                    continue
                final = block is None
                buf = self._carry if final else self._carry + block
                self._carry = b""
                if not buf:
                    return
                first_line = self._carry_line
                result, consumed, consumed_lines = self._scan(buf, first_line, final)
                # the next raw block starts on the line after this buffer (the scan counted them)
                self._next_line = first_line + self._last_newlines
                self._carry = buf[consumed:]
                self._carry_line = first_line + consumed_lines
                result.bytes_done = min(self.bytes_done, self.size)
                yield result
                if final:
                    if self._end is not None:
                        self.end_at, self.end_line = self._end, self._carry_line
                    return
                if extended and not self._carry:  # between two records again: stop here
                    self.end_at = self._fh.tell() - len(self._pending)
                    self.end_line = self._carry_line
                    return
        finally:
            self._fh.close()

    def close(self) -> None:
        """Close the file (:meth:`blocks` does it when it ends)."""
        self._fh.close()

    def _scan(self, buf: bytes, first_line: int, final: bool) -> tuple[CsvBlock, int, int]:
        scan = _Scan(buf, ord(self.delimiter), self.width, final, self.max_record_bytes)
        self._last_newlines = scan.newlines
        bad_lines = self._decoder.bad_lines
        mine = [ln for ln in bad_lines if first_line <= ln < first_line + scan.n_lines]
        undecodable = {ln - first_line: f"line {ln} " + bad_lines[ln] for ln in mine}
        # most of the first lines undecodable: the file is in another encoding (half of them
        # is not enough: in a two-row file one bad row would refuse the whole file)
        if self._first_block and scan.n_lines >= 2 and len(undecodable) * 2 > scan.n_lines:
            also = f" nor {self._decoder.fallback}" if self._decoder.fallback else ""
            raise InputError(
                f"{self.where}: not readable as {self._decoder.encoding}{also} "
                f"({len(undecodable)} of the first {scan.n_lines} lines do not decode); "
                "pass --encoding gb18030 or utf-8")
        self._first_block = False
        kinds, starts, ends, codes, msgs, consumed_line = scan.walk(undecodable)
        for ln in mine:  # forget the lines read here; the carried tail is scanned again
            if ln < first_line + consumed_line:
                del bad_lines[ln]
        good = kinds == 1
        table = _parse(buf, starts[good], ends[good], self.header, self.delimiter)
        if table.num_rows != int(good.sum()):  # pragma: no cover - the scan and pyarrow differ
            table = _parse_python(buf, starts[good], ends[good], self.header, self.delimiter)
        bad = []
        for st, en, code, msg in zip(starts[~good], ends[~good], codes[~good], msgs[~good],
                                     strict=True):
            text = buf[int(st):int(en)].decode("utf-8", errors="replace").rstrip("\r\n")
            line = first_line + scan.line_of_byte(int(st))
            bad.append([line, line + text.count("\n"), text, str(code), str(msg)])
        bad, good = _merge_continuations(bad, good, self.delimiter, self.width)
        bad = [BadLine(b[0], b[2][:_RAW_SHOWN], b[3], b[4]) for b in bad]
        lines = first_line + scan.line_index(starts[kinds == 1])
        consumed = scan.line_start_byte(consumed_line)
        return CsvBlock(table, lines, bad, good), consumed, consumed_line


def _merge_continuations(bad: list, order: np.ndarray, delimiter: str, width: int):
    """Join a rejected line that ends by opening a quoted value with the rejected lines after it
    that continue that value (up to the line that closes it), so that one broken record is one
    rejected row, not one per physical line. Only the report changes: parsing has already
    resumed on the right line. ``bad`` items: [line, last_line, text, code, message]."""
    if len(bad) < 2:
        return bad, order
    groups = []
    i = 0
    while i < len(bad):
        k = i
        if bad[i][3] == "malformed_line" and _opens_value(bad[i][2].rsplit("\n", 1)[-1],
                                                          delimiter):
            j = i + 1
            while j < len(bad) and bad[j][0] == bad[j - 1][1] + 1 and '"' not in bad[j][2]:
                j += 1
            if (j < len(bad) and bad[j][0] == bad[j - 1][1] + 1 and
                    _closes_value(bad[j][2].split("\n", 1)[0], delimiter)):
                k = j
        groups.append((i, k))
        i = k + 1
    if len(groups) == len(bad):
        return bad, order
    out = []
    bad_slots = np.flatnonzero(~order)
    keep = np.ones(len(order), dtype=bool)
    for i, k in groups:
        if i == k:
            out.append(bad[i])
            continue
        parts = bad[i: k + 1]
        more = parts[-1][1] - parts[0][0]
        text = "\n".join(p[2] for p in parts)
        code, msg = parts[0][3], parts[0][4] + (f" (the {more} line(s) after it continue that "
                                                "quoted value and belong to this row)")
        try:  # quotes fine once the lines are together: then the field count is the problem
            fields = next(csv.reader([text], delimiter=delimiter, strict=True))
            if len(fields) != width:
                code, msg = _count_message(len(fields), width)
                msg += f" (a row of {more + 1} lines: a quoted value holds line breaks)"
        except csv.Error:
            pass
        out.append([parts[0][0], parts[-1][1], text, code, msg])
        keep[bad_slots[i + 1: k + 1]] = False
    return out, order[keep]


def _count_message(fields: int, w: int) -> tuple[str, str]:
    if fields > w:
        return ("extra_fields",
                f"has {fields} fields but the header has {w}: a value probably holds an "
                "unquoted separator; put that value in double quotes")
    return ("missing_fields",
            f"has {fields} fields but the header has {w}: the last {w - fields} are missing "
            "(the line looks cut short); complete the line or add the empty fields")


def _opens_value(line: str, delimiter: str) -> bool:
    """The line's last quote starts a field (a quoted value that goes on past the line end)."""
    k = line.rfind('"')
    return k >= 0 and (k == 0 or line[k - 1] == delimiter)


def _closes_value(line: str, delimiter: str) -> bool:
    """The line's first quote closes a value: a delimiter or the line end follows it."""
    k = line.find('"')
    while 0 <= k < len(line) - 1 and line[k + 1] == '"':  # a doubled quote inside the value
        k = line.find('"', k + 2)
    return k >= 0 and (k == len(line) - 1 or line[k + 1] in (delimiter, "\r"))


def _first_record_end(buf: bytes) -> int | None:
    """Index of the first line end outside quotes (None if there is none yet)."""
    q = 0
    pos = 0
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return None
        q += buf.count(b'"', pos, nl)
        if q % 2 == 0:
            return nl
        pos = nl + 1


class _Scan:
    """The array work of one block: lines, quotes, separators and both quote readings."""

    def __init__(self, buf: bytes, delim: int, width: int, final: bool, max_record: int):
        self.buf = buf
        a = np.frombuffer(buf, dtype=np.uint8)
        self.a = a
        self.n = n = len(a)
        self.width = width
        self.final = final
        self.max_record = max_record
        # one pass for every structural byte, then split by kind (on far fewer positions)
        hits = np.flatnonzero((a == _LF) | (a == _QUOTE) | (a == delim) | (a == _CR))
        kind = a[hits]
        nl = hits[kind == _LF]
        self.newlines = len(nl)
        ends = nl
        if n and (len(nl) == 0 or nl[-1] != n - 1):
            ends = np.append(nl, n)  # a last line without a line end (only when final)
        self.line_end = ends.astype(np.int64)  # index of '\n' (or n)
        self.line_start = np.concatenate([[0], self.line_end[:-1] + 1]).astype(np.int64)
        self.n_lines = len(self.line_end)
        q = hits[kind == _QUOTE].astype(np.int64)
        self.q = q
        d = hits[kind == delim]
        # separators per line (search the line bounds in the separators, not the reverse)
        d_line = np.searchsorted(d, self.line_end) - np.searchsorted(d, self.line_start)
        qb_line = np.searchsorted(q, self.line_start)
        qe_line = np.searchsorted(q, self.line_end)
        self.q_in_line = qe_line - qb_line
        self.par0_line = qb_line % 2  # parity at each line start, reading 0
        # separators inside quoted spans: the span from quote k to quote k + 1 is quoted in
        # reading r when (k + r) is even; its separators are booked on the line of quote k
        d_at_q = np.searchsorted(d, q)
        inside_span = np.append(np.diff(d_at_q), len(d) - d_at_q[-1] if len(q) else [])
        q_line0 = np.searchsorted(self.line_end, q)
        k_all = np.arange(len(q))
        self.d_out = []
        for r in (0, 1):
            sel = (k_all + r) % 2 == 0
            inside = np.bincount(q_line0[sel], weights=inside_span[sel],
                                 minlength=self.n_lines).astype(np.int64)
            self.d_out.append(d_line - inside)
        # quote validity in each reading: quote k opens in reading r when (k + r) is even
        prev = np.where(q > 0, a[np.maximum(q - 1, 0)], _LF)
        nxt = np.where(q < n - 1, a[np.minimum(q + 1, n - 1)], _LF)
        prev_ok = (prev == delim) | (prev == _LF) | (prev == _QUOTE) | (q == 0)
        nxt_ok = (nxt == delim) | (nxt == _LF) | (nxt == _CR) | (nxt == _QUOTE) | (q == n - 1)
        k = np.arange(len(q))
        q_line = np.searchsorted(self.line_end, q)
        self.q_line = q_line
        self.bad_q = []
        for r in (0, 1):
            opens = (k + r) % 2 == 0
            bad = np.where(opens, ~prev_ok, ~nxt_ok)
            self.bad_q.append(np.bincount(q_line[bad], minlength=self.n_lines))
        self.bad_q_pos = [np.where((k + r) % 2 == 0, ~prev_ok, ~nxt_ok) for r in (0, 1)]
        # a carriage return not followed by a line feed, outside quotes, would split a row
        cr = hits[kind == _CR]
        if len(cr):
            # (a CR as the very last byte of the file is a line end)
            lone = cr[(cr < n - 1) & (a[np.minimum(cr + 1, n - 1)] != _LF)]
            lp = np.searchsorted(q, lone) % 2
            ll = np.searchsorted(self.line_end, lone)
            self.lone_cr = [np.bincount(ll[lp == 0], minlength=self.n_lines),
                            np.bincount(ll[lp == 1], minlength=self.n_lines)]
        else:
            z = np.zeros(self.n_lines, dtype=np.int64)
            self.lone_cr = [z, z]
        # blank lines: nothing but spaces, tabs and CR (only lines that start with one of those
        # can be blank; those few are checked one by one)
        if self.n_lines:
            length = self.line_end - self.line_start
            first = a[np.minimum(self.line_start, max(n - 1, 0))] if n else np.zeros(0, np.uint8)
            cand = np.flatnonzero((length == 0) | (first == 32) | (first == 9) | (first == _CR))
            self.blank = np.zeros(self.n_lines, dtype=bool)
            for i in cand.tolist():
                self.blank[i] = not buf[int(self.line_start[i]):int(self.line_end[i])].strip()
        else:
            self.blank = np.zeros(0, dtype=bool)

    # helpers
    def line_index(self, byte_pos: np.ndarray) -> np.ndarray:
        """0-based line index of byte positions."""
        return np.searchsorted(self.line_start, byte_pos, side="right") - 1

    def line_of_byte(self, pos: int) -> int:
        return int(np.searchsorted(self.line_start, pos, side="right") - 1)

    def line_start_byte(self, line: int) -> int:
        return self.n if line >= self.n_lines else int(self.line_start[line])

    def _records(self, r: int):
        """Record start lines in reading r, and for each its last line."""
        par = self.par0_line if r == 0 else 1 - self.par0_line
        starts = np.flatnonzero(par == 0)
        last = np.append(starts[1:] - 1, self.n_lines - 1) if len(starts) else starts
        return starts, last

    def walk(self, undecodable: dict[int, str]):
        """Classify every record of the block (see the module doc).

        Returns per record, in file order, blanks dropped: kind (1 parsed, 0 bad), start byte,
        end byte (exclusive, the line end included for good records), code and message; plus the
        line index where the unconsumed tail starts (the incomplete last record).
        """
        nl = self.n_lines
        par_end = (self.par0_line + self.q_in_line) % 2  # parity after each line, reading 0
        info = []
        for r in (0, 1):
            starts, last = self._records(r)
            cum_d = np.concatenate([[0], np.cumsum(self.d_out[r])])
            cum_bq = np.concatenate([[0], np.cumsum(self.bad_q[r])])
            cum_cr = np.concatenate([[0], np.cumsum(self.lone_cr[r])])
            fields = cum_d[last + 1] - cum_d[starts] + 1
            badq = cum_bq[last + 1] - cum_bq[starts]
            lone = cum_cr[last + 1] - cum_cr[starts]
            multi = last > starts
            end_par = (par_end[last] if r == 0 else 1 - par_end[last]) if len(starts) else \
                np.zeros(0, dtype=np.int64)
            open_ = end_par == 1  # ends inside quotes: runs to the end of the block
            size = self.line_end[last] - self.line_start[starts] if len(starts) else starts
            blank = self.blank[starts] & ~multi if len(starts) else np.zeros(0, dtype=bool)
            # events: multi-line records that fail (bad quotes, wrong field count: an opening
            # quote may have swallowed the rows after it), or that never close
            event = (multi & ((badq > 0) | (fields != self.width) | (lone > 0))) | \
                (open_ & (self.final | (size > self.max_record)))
            tail = open_ & ~self.final & (size <= self.max_record)
            info.append(dict(starts=starts, last=last, fields=fields, badq=badq, lone=lone,
                             multi=multi, open=open_, blank=blank, event=event, tail=tail,
                             ev_idx=np.flatnonzero(event | tail)))
        kinds, s_out, e_out, codes, msgs = [], [], [], [], []
        r = 0
        line = 0
        consumed = nl
        bad_lines_set = np.zeros(nl, dtype=bool)
        if undecodable:
            bad_lines_set[[k for k in undecodable if 0 <= k < nl]] = True
        cum_undec = np.concatenate([[0], np.cumsum(bad_lines_set)])
        while line < nl:
            inf = info[r]
            starts = inf["starts"]
            i0 = int(np.searchsorted(starts, line))
            evs = inf["ev_idx"]
            j = int(np.searchsorted(evs, i0))
            stop = int(evs[j]) if j < len(evs) else len(starts)
            self._emit_run(inf, r, i0, stop, cum_undec, undecodable,
                           (kinds, s_out, e_out, codes, msgs))
            if stop >= len(starts):
                break
            rec_line = int(starts[stop])
            if inf["tail"][stop]:
                consumed = rec_line
                break
            # reject the first line of the failed record only; read on from the next line in
            # the other reading of the quotes
            if bad_lines_set[rec_line]:
                code, msg = "undecodable", undecodable[rec_line]
            else:
                code, msg = self._quote_message(rec_line, rec_line, r)
            kinds.append(np.zeros(1, np.int8))
            s_out.append(np.array([self.line_start[rec_line]], dtype=np.int64))
            e_out.append(np.array([self.line_end[rec_line]], dtype=np.int64))
            codes.append(np.array([code], dtype=object))
            msgs.append(np.array([msg], dtype=object))
            line = rec_line + 1
            r = 1 - r
        if not kinds:
            z = np.zeros(0, np.int64)
            return (np.zeros(0, np.int8), z, z, np.zeros(0, object), np.zeros(0, object),
                    consumed)
        return (np.concatenate(kinds), np.concatenate(s_out), np.concatenate(e_out),
                np.concatenate(codes), np.concatenate(msgs), consumed)

    def _emit_run(self, inf, r, i0, i1, cum_undec, undecodable, out):
        if i1 <= i0:
            return
        kinds, s_out, e_out, codes, msgs = out
        sl = slice(i0, i1)
        keep = ~inf["blank"][sl]
        starts, last = inf["starts"][sl][keep], inf["last"][sl][keep]
        fields = inf["fields"][sl][keep]
        badq = inf["badq"][sl][keep]
        lone = inf["lone"][sl][keep]
        undec = cum_undec[last + 1] - cum_undec[starts]
        ok = (fields == self.width) & (badq == 0) & (lone == 0) & (undec == 0)
        b = self.line_start[starts]
        e = np.minimum(self.line_end[last] + 1, self.n)
        c = np.full(len(ok), None, dtype=object)
        m = np.full(len(ok), None, dtype=object)
        for i in np.flatnonzero(~ok):
            ln, lst = int(starts[i]), int(last[i])
            if undec[i]:
                k = next(x for x in range(ln, lst + 1) if x in undecodable)
                c[i], m[i] = "undecodable", undecodable[k]
            elif badq[i]:
                c[i], m[i] = self._quote_message(ln, lst, r)
            elif lone[i]:
                c[i], m[i] = ("malformed_line", "holds a carriage return (\\r) outside quotes, "
                              "which splits the row; remove it or quote the value")
            else:
                c[i], m[i] = self._count_message(int(fields[i]))
            e[i] = int(self.line_end[lst])
        kinds.append(ok.astype(np.int8))
        s_out.append(b)
        e_out.append(e)
        codes.append(c)
        msgs.append(m)

    def _count_message(self, fields: int) -> tuple[str, str]:
        return _count_message(fields, self.width)

    def _quote_message(self, line: int, last: int, r: int) -> tuple[str, str]:
        """Code and message for a record (lines ``line``..``last``) whose quotes are wrong."""
        lo = int(np.searchsorted(self.q, int(self.line_start[line])))
        hi = int(np.searchsorted(self.q, int(self.line_end[last])))
        bad = self.bad_q_pos[r][lo:hi]
        if bad.any():
            k = lo + int(np.flatnonzero(bad)[0])
            pos = int(self.q[k])
            ln = int(np.searchsorted(self.line_start, pos, side="right") - 1)
            col = len(self.buf[int(self.line_start[ln]):pos].decode("utf-8", "replace")) + 1
            where = f"at character {col}" + (f" of the line after it (+{ln - line})"
                                              if ln != line else "")
            if (k + r) % 2 == 0:
                return ("malformed_line",
                        f"has a quote (\") inside an unquoted value {where}; put the whole "
                        "value in double quotes and double the quote inside it (\"\")")
            opened = int(self.q[k - 1]) if k > 0 else pos
            ln0 = int(np.searchsorted(self.line_start, opened, side="right") - 1)
            col0 = len(self.buf[int(self.line_start[ln0]):opened].decode("utf-8", "replace")) + 1
            return ("malformed_line",
                    f"has a quoted value (from character {col0}) followed by text right after "
                    f"its closing quote {where}; put the whole value in double quotes and double "
                    "any quote inside it (\"\")")
        # one message whether the quote closes somewhere on a later line or never: which of
        # the two a reader sees depends on how far it has read (its block, a part's end), and
        # the rejects must not depend on the chunks or processes
        return ("malformed_line",
                "opens a quote that is never closed within the row (read on, the lines after it "
                "would be one value); close the quote, or double it (\"\") if it is part of the "
                "value")


def _parse(buf: bytes, starts: np.ndarray, ends: np.ndarray, header: list[str], delimiter: str):
    """Parse well-formed records (byte ranges of ``buf``) with pyarrow, every column as text."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if len(starts) == 0:
        return pa.table({h: pa.array([], pa.string()) for h in header})
    # merge adjacent ranges into runs, so that the common case is one zero-copy slice
    brk = np.flatnonzero(starts[1:] != ends[:-1]) + 1
    run_s = np.concatenate([[0], brk])
    run_e = np.concatenate([brk, [len(starts)]])
    mv = memoryview(buf)
    pieces = [mv[int(starts[a]):int(ends[b - 1])] for a, b in zip(run_s, run_e, strict=True)]
    data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    if len(data) and bytes(data[-1:]) != b"\n":
        data = bytes(data) + b"\n"
    longest = int((ends - starts).max()) if len(starts) else 0
    # one thread, 1 MiB blocks: the fastest per core here (threads only add contention; the
    # blocks must hold the longest record)
    read = pacsv.ReadOptions(column_names=header, block_size=max(1 << 20, 2 * longest + 1024),
                             use_threads=False)
    parse = pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                               escape_char=False, newlines_in_values=True, ignore_empty_lines=True)
    conv = pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                strings_can_be_null=False, quoted_strings_can_be_null=False,
                                null_values=[], check_utf8=False)
    return pacsv.read_csv(pa.py_buffer(data), read_options=read, parse_options=parse,
                          convert_options=conv)


def _parse_python(buf, starts, ends, header, delimiter):  # pragma: no cover - safety net
    import pyarrow as pa

    rows = []
    for s, e in zip(starts, ends, strict=True):
        text = buf[int(s):int(e)].decode("utf-8")
        rows.append(next(csv.reader(io.StringIO(text), delimiter=delimiter)))
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in header]
    return pa.table({h: pa.array(list(c), pa.string()) for h, c in zip(header, cols,
                                                                          strict=True)})
