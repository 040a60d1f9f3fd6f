"""Excel rows through calamine (Rust, python-calamine) instead of openpyxl, where that gives the
same rows.

openpyxl's read-only mode builds Python objects per XML event: about 2,100 rows a second end to
end for a 38-column export, against ~20,000 rows a second of calamine's reading. calamine reads a
whole sheet into memory, so it is used only for workbooks whose sheet and shared-string XML
together stay under :data:`MAX_XML_BYTES` uncompressed (peak memory about 1.5 times that); a
larger workbook is streamed by openpyxl in bounded memory, as before.

The rows are made to be what ``openpyxl``'s ``iter_rows(values_only=True)`` yields for the same
sheet: from cell A1 (empty rows and columns before the data included), cut at the sheet's
``<dimension>`` record when it has one (openpyxl reads no further), empty cells as None, whole
numbers as ``int`` (openpyxl parses ``<v>12</v>`` as 12), date cells as ``datetime``. Where
calamine would not give the same values the workbook is left to openpyxl:

* a cell holding an error (``#N/A``, ``#VALUE!``): calamine gives an empty string, openpyxl the
  error's text, which validation reports;
* shared strings with phonetic runs (``<rPh>``), which the two read differently;
* a sheet whose data does not start in its first 64 KiB (its dimensions would need a full
  parse), a dialog or macro sheet, or anything calamine or the package layout cannot read
  (openpyxl then gives the error the user sees).

``HVPSCORE_EXCEL_ENGINE=openpyxl`` makes every workbook go through openpyxl (``auto``, the
default: as above).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["ENGINE_ENV", "MAX_XML_BYTES", "calamine_sheets"]

ENGINE_ENV = "HVPSCORE_EXCEL_ENGINE"
MAX_XML_BYTES = 512 << 20
_HEAD = 1 << 16
_BLOCK = 1 << 24
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref="([^"]*)"')
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_ERROR_VALUE = (b'"e"', b"'e'")  # t="e": an error cell (#N/A, #VALUE! ...)
_ERROR_ATTR = re.compile(rb"\st\s*=\s*$")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")
_INT_LIMIT = 2.0 ** 53
_WORKSHEET = "/worksheet"


def engine() -> str:
    v = os.environ.get(ENGINE_ENV, "auto").strip().lower() or "auto"
    return "openpyxl" if v == "openpyxl" else "auto"


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _bounds(ref: str) -> tuple[int | None, int | None] | None:
    """(last row, last column) of a dimension ref such as ``A1:AL50001``; None if unreadable."""
    last = ref.split(":")[-1].strip()
    m = _CELL_REF.match(last)
    if m is None or m.group(1) is None or m.group(2) is None:
        return None
    return int(m.group(2)), _col_number(m.group(1))


def _layout(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str, str]], str | None]:
    """(name, part path, relationship type) of every sheet, in the workbook's order, and the
    shared-strings part, found as openpyxl finds them (its package and workbook parsers: the
    same sheets, the same names)."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import ARC_CONTENT_TYPES, _find_workbook_part
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    package = Manifest.from_tree(fromstring(zf.read(ARC_CONTENT_TYPES)))
    parser = WorkbookParser(zf, _find_workbook_part(package).PartName[1:])
    parser.parse()
    strings = package.find(SHARED_STRINGS)
    return ([(sheet.name, rel.target, rel.Type) for sheet, rel in parser.find_sheets()],
            strings.PartName[1:] if strings is not None else None)


def _scan(zf: zipfile.ZipFile, name: str, literals: tuple[bytes, ...],
          before: re.Pattern | None = None) -> bool:
    """Whether one of ``literals`` occurs in the part ``name`` (with ``before`` matching the
    bytes just before it, when given). A byte search, not a regular expression: ~0.1 s for
    the 110 MB sheet of a 50,000-row export."""
    tail = b""
    keep = 32
    with zf.open(name) as fh:
        while True:
            block = fh.read(_BLOCK)
            if not block:
                return False
            buf = tail + block
            for lit in literals:
                at = buf.find(lit)
                while at >= 0:
                    if before is None or before.search(buf, max(0, at - keep), at):
                        return True
                    at = buf.find(lit, at + 1)
            tail = buf[-keep:]


def _cell(v):
    t = type(v)
    if t is str:
        return v if v else None
    if t is float:
        return int(v) if v.is_integer() and -_INT_LIMIT < v < _INT_LIMIT else v
    if t is _dt.date:
        return _dt.datetime(v.year, v.month, v.day)
    return v


def _rows(book, name: str, last_row: int | None, last_col: int | None) -> Iterator[tuple]:
    sheet = book.get_sheet_by_name(name)
    start = sheet.start
    if start is None or sheet.height == 0:
        return
    # iter_rows yields every row from the sheet's first (empty ones before the data
    # included), each from the range's first column: the columns before it are put back
    lead = (None,) * start[1]
    width = last_col
    r = 0
    for row in sheet.iter_rows():
        r += 1
        if last_row is not None and r > last_row:
            return
        # text cells (nearly all of an export) without a call each
        cells = lead + tuple([(v or None) if type(v) is str else _cell(v) for v in row])
        if width is not None:
            cells = cells[:width] + (None,) * (width - len(cells))
        yield cells


def calamine_sheets(path: Path) -> tuple[list[tuple[str, Callable[[], Iterator[tuple]]]],
                                         Callable[[], None]] | None:
    """``([(sheet title, rows factory), …], close)`` for reading ``path`` through calamine, or
    None when openpyxl must read it (see the module's notes)."""
    if engine() == "openpyxl":
        return None
    try:
        import python_calamine
    except ImportError:
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            parts, strings = _layout(zf)
            if not parts:
                return None
            names = set(zf.namelist())
            sheets: list[tuple[str, int | None, int | None]] = []
            total = 0
            xml = []
            for title, target, typ in parts:
                if target not in names:
                    continue  # openpyxl skips a sheet whose part is missing
                if "chartsheet" in typ:
                    continue  # openpyxl's worksheets leave chart sheets out too
                if not typ.endswith(_WORKSHEET):
                    return None
                part = target
                with zf.open(part) as fh:
                    head = fh.read(_HEAD)
                data = _SHEET_DATA.search(head)
                if data is None:
                    return None
                dim = _DIMENSION.search(head, 0, data.start())
                last_row = last_col = None
                if dim is not None:
                    b = _bounds(dim.group(1).decode("ascii", "replace"))
                    if b is None:
                        return None
                    last_row, last_col = b
                sheets.append((title, last_row, last_col))
                total += zf.getinfo(part).file_size
                xml.append(part)
            if strings is not None and strings not in names:
                return None
            if strings is not None:
                total += zf.getinfo(strings).file_size
            if total > MAX_XML_BYTES:
                return None
            if strings is not None and _scan(zf, strings, (b"rPh>", b"rPh ")):
                return None
            if any(_scan(zf, part, _ERROR_VALUE, _ERROR_ATTR) for part in xml):
                return None
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        known = {m.name for m in book.sheets_metadata}
        if any(title not in known for title, _, _ in sheets):
            book.close()
            return None
    except Exception:  # noqa: BLE001 - anything unusual: openpyxl reads it (and reports errors)
        return None
    out = [(title, (lambda t=title, lr=lr, lc=lc: _rows(book, t, lr, lc)))
           for title, lr, lc in sheets]
    return out, book.close
