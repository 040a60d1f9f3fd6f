"""Excel through calamine gives what openpyxl gives: the same records, rejects, problems and
notes, for every workbook of the corpus and for workbooks built to differ (cells of every kind,
data away from A1, a dimension record shorter than the data, no dimension record, errors, chart
sheets); and it falls back to openpyxl where the values would differ."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest
from io_corpus import CANON, CASES, app_no, canon_row

from hvpscore import InputError
from hvpscore.io import _xlsx_fast as fast
from hvpscore.io import iter_records, read_records
from hvpscore.io._read import iter_raw


def _read(path: Path, profile: str, engine: str, monkeypatch):
    monkeypatch.setenv(fast.ENGINE_ENV, engine)
    r = read_records(path, profile)
    raws = [(c.frame.to_pandas() if hasattr(c.frame, "to_pandas") else c.frame)
            .astype(object).where(lambda f: f.notna(), None).to_dict("records")
            for c in iter_raw(path, chunksize=7)]
    return r, raws


def _same(path: Path, monkeypatch, profile: str = "canonical", *, fast_expected: bool = True):
    assert (fast.calamine_sheets(path) is not None) is fast_expected
    a, raw_a = _read(path, profile, "openpyxl", monkeypatch)
    b, raw_b = _read(path, profile, "auto", monkeypatch)
    pd.testing.assert_frame_equal(a.records, b.records)
    pd.testing.assert_frame_equal(a.rejects, b.rejects)
    assert asdict(a.summary) == asdict(b.summary)
    # the raw cells too (up to text/number spelling: a text-only chunk reaches validation as
    # an Arrow table of strings, as a CSV does)
    assert [[{k: (None if v is None else str(v)) for k, v in row.items()} for row in chunk]
            for chunk in raw_a] == [
           [{k: (None if v is None else str(v)) for k, v in row.items()} for row in chunk]
            for chunk in raw_b]
    return b


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "excel"], ids=lambda c: c.name)
def test_corpus_workbooks_read_the_same(case, tmp_path, monkeypatch):
    path = case.write(tmp_path)
    if case.error:  # the same one-line refusal
        msgs = []
        for eng in ("openpyxl", "auto"):
            monkeypatch.setenv(fast.ENGINE_ENV, eng)
            with pytest.raises(InputError) as err:
                read_records(path, case.profile)
            msgs.append(str(err.value))
        assert msgs[0] == msgs[1]
        return
    _same(path, monkeypatch, case.profile)


def _book(path: Path, fill) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    fill(wb)
    wb.save(path)
    return path


@pytest.mark.parametrize("title", [True, False], ids=["title in A1", "nothing before C3"])
def test_cells_of_every_kind_and_data_away_from_a1(title, tmp_path, monkeypatch):
    def fill(wb):
        ws = wb.active
        ws.title = "data"
        header = ["patent_id", "title", "filing_date", "grant_date", "claims_count",
                  "family_id", "pct_application", "ipc"]
        for j, h in enumerate(header):
            ws.cell(row=3, column=3 + j, value=h)
        rows = [
            [2019105615749, "一种方法", dt.datetime(2019, 6, 21), 44197, 12, 58285468, True,
             "H04L27/26"],
            [app_no(7), "  带空格的标题  ", dt.date(2016, 1, 5), dt.datetime(2018, 5, 6, 14, 30),
             3.0, "58285469", False, "H04L27/26;G06F"],
            [app_no(8), 12.5, "2016/01/05", "not a date", "x", 1e20, "是", None],
            [app_no(9), "", dt.time(1, 2), dt.timedelta(hours=30), -0.0, "", None, ""],
        ]
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                ws.cell(row=5 + i, column=3 + j, value=v)  # a blank row 4 inside the data
        if title:
            ws.cell(row=1, column=1, value="专利清单")  # a title above the header
    path = _book(tmp_path / "kinds.xlsx", fill)
    r = _same(path, monkeypatch)
    assert len(r.records) + len(r.rejects) == 4


def test_dimension_shorter_than_the_data_cuts_as_openpyxl(tmp_path, monkeypatch):
    import re
    import zipfile

    src = _book(tmp_path / "src.xlsx", lambda wb: [wb.active.append(r) for r in
                                                   [CANON] + [canon_row(i) for i in range(1, 9)]])
    out = tmp_path / "short-dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E5"', data)
            zout.writestr(item, data)
    r = _same(out, monkeypatch)
    assert len(r.records) + len(r.rejects) == 4  # rows 2-5 only: openpyxl reads no further


def test_write_only_workbook_without_dimension(tmp_path, monkeypatch):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(CANON)
    for i in range(1, 30):
        ws.append(canon_row(i))
    path = tmp_path / "write-only.xlsx"
    wb.save(path)
    r = _same(path, monkeypatch)
    assert len(r.records) == 29


def test_hidden_and_chart_sheets(tmp_path, monkeypatch):
    from openpyxl.chart import BarChart, Reference

    def fill(wb):
        ws = wb.active
        ws.title = "data"
        ws.append(CANON)
        for i in range(1, 6):
            ws.append(canon_row(i))
        hidden = wb.create_sheet("more")
        hidden.sheet_state = "hidden"
        hidden.append(CANON)
        hidden.append(canon_row(20))
        cs = wb.create_chartsheet("chart")
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=4, min_row=1, max_row=6), titles_from_data=True)
        cs.add_chart(chart)
    path = _book(tmp_path / "charts.xlsx", fill)
    r = _same(path, monkeypatch)
    assert len(r.records) == 6


def test_error_cells_are_left_to_openpyxl(tmp_path, monkeypatch):
    def fill(wb):
        ws = wb.active
        ws.append(CANON)
        ws.append(canon_row(1))
        ws.append(canon_row(2))
        ws.cell(row=3, column=4, value="#N/A").data_type = "e"
    path = _book(tmp_path / "errors.xlsx", fill)
    r = _same(path, monkeypatch, fast_expected=False)
    assert "#N/A" in " ".join(r.rejects["reasons"])


def test_large_workbooks_are_streamed_by_openpyxl(tmp_path, monkeypatch):
    path = _book(tmp_path / "big.xlsx", lambda wb: [wb.active.append(r) for r in
                                                   [CANON] + [canon_row(i) for i in range(1, 50)]])
    assert fast.calamine_sheets(path) is not None
    monkeypatch.setattr(fast, "MAX_XML_BYTES", 1000)
    assert fast.calamine_sheets(path) is None
    monkeypatch.setenv(fast.ENGINE_ENV, "openpyxl")
    monkeypatch.setattr(fast, "MAX_XML_BYTES", 1 << 30)
    assert fast.calamine_sheets(path) is None


def test_chunks_of_a_workbook_are_the_same_whatever_the_engine(tmp_path, monkeypatch):
    path = _book(tmp_path / "chunks.xlsx", lambda wb: [wb.active.append(r) for r in
                                                      [CANON] + [canon_row(i) for i in range(1, 40)]])
    got = {}
    for eng in ("openpyxl", "auto"):
        monkeypatch.setenv(fast.ENGINE_ENV, eng)
        got[eng] = [(len(c.records), c.summary.read) for c in iter_records(path, chunksize=7)]
    assert got["openpyxl"] == got["auto"]


def _shared_strings_book(path: Path, rows: list[list[str]], phonetic: bool = False) -> Path:
    """A workbook as Excel writes it: text in the shared-strings table (openpyxl writes inline
    strings), with a phonetic run in one string if asked."""
    import zipfile
    from xml.sax.saxutils import escape

    strings: list[str] = []
    index: dict[str, int] = {}
    cells = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
                continue
            if v not in index:
                index[v] = len(strings)
                strings.append(v)
            out.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
        cells.append(f'<row r="{r}">{"".join(out)}</row>')
    width = max(len(r) for r in rows)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sst = []
    for i, s in enumerate(strings):
        extra = ('<rPh sb="0" eb="1"><t>ふりがな</t></rPh>' if phonetic and i == len(strings) - 1
                 else "")
        sst.append(f'<si><t xml:space="preserve">{escape(s)}</t>{extra}</si>')
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
            '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            f'"{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="专利" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            f'"{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><dimension ref="A1:'
            f'{chr(64 + width)}{len(rows)}"/><sheetData>{"".join(cells)}</sheetData></worksheet>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{"".join(sst)}</sst>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_shared_strings_as_excel_writes_them(tmp_path, monkeypatch):
    rows = [CANON] + [canon_row(i) for i in range(1, 12)] + [canon_row(3)]  # a duplicate id
    rows[2][1] = "  含空格  "
    rows[4][3] = 7  # a number cell among text
    path = _shared_strings_book(tmp_path / "sst.xlsx", rows)
    r = _same(path, monkeypatch)
    assert len(r.records) == 11 and len(r.rejects) == 1


def test_phonetic_runs_are_left_to_openpyxl(tmp_path, monkeypatch):
    rows = [CANON] + [canon_row(i) for i in range(1, 4)]
    path = _shared_strings_book(tmp_path / "rph.xlsx", rows, phonetic=True)
    r = _same(path, monkeypatch, fast_expected=False)
    assert len(r.records) == 3
