"""A corpus of malformed and unusual input files, written by code so that each case reads plainly.

Each :class:`Case` writes one file into a directory and says what reading it must give: either a
file-level error (``error``: a regular expression the one-line message must match) or counts
(``read``/``accepted``/``rejected``), the problem codes expected among the rejects and snippets the
rejects' reasons or the summary's notes must contain. ``rows`` is the number of data rows the file
really holds (what a careful reader would count), so "nothing lost" can be checked by a tool that
knows nothing of hvpscore: ``read == rows`` and ``read == accepted + rejected``.

Run ``python tests/io/io_corpus.py DIR`` to write the whole corpus into DIR (used by
``benchmarks/corpus_outcomes.py`` to compare hvpscore versions on the same files).
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hvpscore.numbers import cn_check_digit

__all__ = ["CASES", "Case", "app_no", "write_corpus"]


def app_no(i: int, year: int = 2016, kind: int = 1) -> str:
    """A valid CN application number (with check digit), distinct for each ``i``."""
    digits = f"{year}{kind}{i:07d}"
    return f"{digits}.{cn_check_digit(digits)}"


CANON = ["patent_id", "title", "filing_date", "claims_count", "ipc", "legal_status"]


def canon_row(i: int) -> list[str]:
    return [app_no(i), f"一种电池管理方法{i}", f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}",
            str(5 + i % 20), "H01M10/44;H02J7/00", "in_force"]


def csv_text(rows: list[list[str]], header: list[str] | None = None, nl: str = "\n") -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=nl)
    w.writerow(header or CANON)
    w.writerows(rows)
    return buf.getvalue()


def good_rows(n: int, start: int = 1) -> list[list[str]]:
    return [canon_row(i) for i in range(start, start + n)]


@dataclass
class Case:
    """One corpus file and what reading it must give."""

    name: str
    write: Callable[[Path], Path]
    rows: int = 0
    profile: str = "canonical"
    encoding: str | None = None
    error: str | None = None
    read: int | None = None
    accepted: int | None = None
    rejected: int | None = None
    codes: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kind: str = ""

    def __post_init__(self):
        if self.error is None and self.read is None:
            self.read = self.rows


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        p = d / name
        p.write_bytes(text.encode(encoding))
        return p
    return write


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        p = d / name
        p.write_bytes(data)
        return p
    return write


def _lines(name: str, head: list[list[str]], bad_line: str, tail: list[list[str]],
           nl: str = "\n") -> Callable[[Path], Path]:
    """A CSV whose good rows surround one raw (malformed) line."""
    text = csv_text(head, nl=nl) + bad_line + nl + csv_text(tail, nl=nl).split(nl, 1)[1]
    return _text(name, text)


# ------------------------------------------------------------------------------------ CSV layout
def _claims_rows(n: int) -> list[list[str]]:
    return [canon_row(i)[:5] + ["in_force", f"1. 一种电池，包括正极。\n2. 根据权利要求1所述的电池，"
                                             f"其中……{i}"] for i in range(1, n + 1)]


CLAIMS_HEADER = CANON + ["claims_text"]


def _unbalanced_among_multiline(d: Path) -> Path:
    """50 real rows, each with a quoted multi-line claims text; row 20's title opens a quote that
    is never closed (the export dropped it). A quote-unaware reader gets phantom or lost rows."""
    rows = _claims_rows(50)
    text = csv_text(rows, CLAIMS_HEADER)
    lines = text.split("\n")
    # physical lines: header, then 3 lines per row (claims text has one line break)
    k = 1 + 19 * 2
    assert lines[k].startswith(app_no(20))
    lines[k] = lines[k].replace("一种电池管理方法20", '"一种电池管理方法20')
    p = d / "unbalanced-quote-multiline.csv"
    p.write_text("\n".join(lines), "utf-8")
    return p


def _big_with_gbk_lines(d: Path) -> Path:
    """A UTF-8 file of ~2 MiB with three GBK-encoded lines, one of them after the first MiB."""
    rows = good_rows(20000)
    text = csv_text(rows)
    lines = text.encode("utf-8").split(b"\n")
    for k in (5, 10000, 19000):
        lines[k] = lines[k].decode("utf-8").encode("gbk")
    p = d / "utf8-with-gbk-lines.csv"
    p.write_bytes(b"\n".join(lines))
    assert p.stat().st_size > (1 << 20)
    return p


def _garbage_line(d: Path) -> Path:
    text = csv_text(good_rows(5)).encode("utf-8").split(b"\n")
    text[3] = text[3][:20] + b"\xff\xfe\xfa" + text[3][20:]
    p = d / "garbage-bytes-line.csv"
    p.write_bytes(b"\n".join(text))
    return p


def _utf16(d: Path) -> Path:
    text = csv_text(good_rows(4)).replace(",", "\t")
    p = d / "excel-unicode-text.tsv"
    p.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return p


def _xlsx_as_csv(d: Path) -> Path:
    import pandas as pd

    p = d / "workbook-renamed.csv"
    buf = io.BytesIO()
    pd.DataFrame([canon_row(1)], columns=CANON).to_excel(buf, index=False)
    p.write_bytes(buf.getvalue())
    return p


# ------------------------------------------------------------------------------------ cn-export
CN_HEADER = ["申请号", "名称", "申请日", "授权公告日", "专利类型", "IPC主分类号", "IPC分类号",
             "权利要求数量", "法律状态", "质押金额（万元）"]


def cn_row(i: int, over: dict | None = None, **kw) -> list[str]:
    row = {"申请号": "ZL" + app_no(i), "名称": f"一种传感器{i}", "申请日": "2016-03-02",
           "授权公告日": "2018-06-05", "专利类型": "发明", "IPC主分类号": "G01N 27/26",
           "IPC分类号": "G01N27/26;G01N33/00", "权利要求数量": "10", "法律状态": "有效",
           "质押金额（万元）": ""}
    row.update(over or {})
    row.update(kw)
    return [row[h] for h in CN_HEADER]


def _cn(name: str, rows: list[list[str]], encoding: str = "utf-8") -> Callable[[Path], Path]:
    return _text(name, csv_text(rows, CN_HEADER), encoding)


# ------------------------------------------------------------------------------------ JSONL
def _jsonl(name: str, lines: list[bytes]) -> Callable[[Path], Path]:
    return _bytes(name, b"\n".join(lines) + b"\n")


def _obj(i: int, **over) -> bytes:
    rec = {"patent_id": app_no(i), "title": f"一种方法{i}", "filing_date": "2016-01-05",
           "ipc": ["H04L27/26"], "claims_count": 3}
    rec.update(over)
    return json.dumps(rec, ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------------------------ Excel
def _xlsx(name: str, sheets: list[tuple[str, list[list]]]) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        p = d / name
        wb.save(p)
        return p
    return write


def _xlsx_rows(start: int, n: int) -> list[list]:
    return [CANON] + [canon_row(i) for i in range(start, start + n)]


def _xlsx_native(d: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["patent_id", "filing_date", "grant_date", "claims_count", "family_id"])
    ws.append([2019105615749, dt.datetime(2019, 6, 21, 0, 0), 44197, 12, 58285468])
    ws.append([app_no(7), dt.datetime(2016, 1, 5, 14, 30), dt.date(2018, 5, 6), 3.0,
               "58285469"])
    p = d / "excel-native-cells.xlsx"
    wb.save(p)
    return p


def _profile_scale_wan(d: Path) -> Path:
    (d / "wan.yaml").write_text("id: wan\nfields:\n  patent_id: 申请号\n"
                                "  pledge_amount_cny: {from: 质押金额, scale: 万}\n", "utf-8")
    p = d / "for-wan-profile.csv"
    p.write_text("申请号,质押金额\n" + app_no(1) + ",5\n", "utf-8")
    return p


# ------------------------------------------------------------------------------------ the cases
CASES: list[Case] = [
    # --- CSV structure
    Case("extra fields", _lines("extra-fields.csv", good_rows(3),
                                f"{app_no(90)},一种方法,含逗号,2016-01-01,5,H01M10/44,in_force",
                                good_rows(3, 4)),
         rows=7, accepted=6, rejected=1, codes={"extra_fields"}, reasons=["unquoted separator"],
         kind="csv"),
    Case("missing trailing fields", _lines("missing-fields.csv", good_rows(3),
                                           f"{app_no(90)},一种方法,2016-01-01", good_rows(3, 4)),
         rows=7, accepted=6, rejected=1, codes={"missing_fields"}, reasons=["the last 3 are missing"],
         kind="csv"),
    Case("bare quote inside a value", _lines(
        "bare-quote.csv", good_rows(3), f'{app_no(90)},一种"智能"电池,2016-01-01,5,H01M10/44,in_force',
        good_rows(3, 4)), rows=7, accepted=6, rejected=1, codes={"malformed_line"},
        reasons=["inside an unquoted value"], kind="csv"),
    Case("text after a closing quote", _lines(
        "text-after-quote.csv", good_rows(3), f'{app_no(90)},"一种"电池,2016-01-01,5,H01M10/44,in_force',
        good_rows(3, 4)), rows=7, accepted=6, rejected=1, codes={"malformed_line"},
        reasons=["right after its closing quote"], kind="csv"),
    Case("unterminated quote, rows after it", _lines(
        "unterminated-quote.csv", good_rows(3), f'{app_no(90)},"一种电池,2016-01-01,5,H01M10/44,in_force',
        good_rows(46, 4)), rows=50, accepted=49, rejected=1, codes={"malformed_line"},
        reasons=["never closed"], kind="csv"),
    Case("unbalanced quote among multi-line values", _unbalanced_among_multiline, rows=50,
         accepted=49, rejected=1, codes={"malformed_line"}, reasons=["belong to this row"],
         kind="csv"),
    Case("unterminated quote on the last line", _text(
        "unterminated-last.csv", csv_text(good_rows(4)) + f'{app_no(90)},"一种电池,2016-01-01\n'),
         rows=5, accepted=4, rejected=1, codes={"malformed_line"}, reasons=["never closed"],
         kind="csv"),
    Case("quoted multi-line claims text", _text("multiline-claims.csv",
                                                csv_text(_claims_rows(5), CLAIMS_HEADER)),
         rows=5, accepted=5, rejected=0, kind="csv"),
    Case("CRLF line ends", _text("crlf.csv", csv_text(good_rows(5), nl="\r\n")), rows=5,
         accepted=5, rejected=0, kind="csv"),
    Case("CR-only line ends (old Mac)", _text("cr-only.csv", csv_text(good_rows(5), nl="\r")),
         rows=5, accepted=5, rejected=0, notes=["CR only"], kind="csv"),
    Case("blank lines between rows", _text("blank-lines.csv", csv_text(good_rows(2))
                                           + "\n   \n" + csv_text(good_rows(2, 3)).split("\n", 1)[1]),
         rows=4, accepted=4, rejected=0, kind="csv"),
    Case("tab-separated with a .csv name", _text("tabs.csv",
                                                 csv_text(good_rows(3)).replace(",", "\t")),
         rows=3, accepted=3, rejected=0, notes=["separated by tabs"], kind="csv"),
    Case("duplicate header names", _text("dup-header.csv", "patent_id,title,title\n"
                                         f"{app_no(1)},a,b\n"),
         error=r"columns 2 and 3 of the header are both named 'title'", kind="csv"),
    Case("header only", _text("header-only.csv", ",".join(CANON) + "\n"), rows=0, accepted=0,
         rejected=0, notes=["no data rows"], kind="csv"),
    Case("empty file", _bytes("empty.csv", b""), error=r"empty \(0 bytes\)", kind="csv"),
    Case("BOM only", _bytes("bom-only.csv", codecs.BOM_UTF8), error=r"only a byte-order mark",
         kind="csv"),
    Case("newlines only", _bytes("newlines-only.csv", b"\n\n\r\n\n"), error=r"only empty lines",
         kind="csv"),
    Case("no patent_id column", _text("no-id-column.csv", "foo,bar\n1,2\n"),
         error=r"column 'patent_id' \(patent_id\) is not in the file", kind="csv"),
    # --- encodings
    Case("GBK file", _cn("gbk.csv", [cn_row(i) for i in range(1, 6)], "gbk"), rows=5,
         profile="cn-export", accepted=5, rejected=0, kind="encoding"),
    Case("UTF-8 with BOM", _text("utf8-bom.csv", csv_text(good_rows(3)), "utf-8-sig"), rows=3,
         accepted=3, rejected=0, kind="encoding"),
    Case("GBK lines inside UTF-8, also after 1 MiB", _big_with_gbk_lines, rows=20000,
         accepted=20000, rejected=0, notes=["read as gb18030"], kind="encoding"),
    Case("bytes valid in no encoding", _garbage_line, rows=5, accepted=4, rejected=1,
         codes={"undecodable"}, reasons=["not valid utf-8 nor gb18030"], kind="encoding"),
    Case("UTF-16 (Excel 'Unicode text')", _utf16, rows=4, accepted=4, rejected=0,
         kind="encoding"),
    Case("explicit wrong encoding", _cn("gbk-read-as-utf8.csv", [cn_row(1)], "gbk"),
         profile="cn-export", encoding="utf-8", error=r"not readable as utf-8.*--encoding",
         kind="encoding"),
    Case("an Excel workbook named .csv", _xlsx_as_csv, error=r"zip archive.*\.xlsx",
         kind="encoding"),
    Case("binary file named .csv", _bytes("binary.csv", bytes(range(256)) * 8),
         error=r"NUL bytes", kind="encoding"),
    # --- values
    Case("dates 0000-00-00 and 9999-12-31", _text("placeholder-dates.csv", csv_text(
        good_rows(2) + [[app_no(91), "x", "0000-00-00", "5", "H01M", "in_force"],
                        [app_no(92), "x", "9999-12-31", "5", "H01M", "in_force"]])),
         rows=4, accepted=2, rejected=2, codes={"not_a_date", "date_out_of_range"},
         reasons=["empty-date placeholder", "no end date"], kind="values"),
    Case("dates with a time part", _text("date-time.csv", csv_text(
        [[app_no(1), "x", "2016-01-05 00:00:00", "5", "H01M", "in_force"],
         [app_no(2), "x", "2016/1/5 14:30", "5", "H01M", "in_force"],
         [app_no(3), "x", "2016-01-05T08:00:00Z", "5", "H01M", "in_force"]])),
         rows=3, accepted=3, rejected=0, kind="values"),
    Case("full-width digits in dates and numbers", _cn("full-width.csv", [
        cn_row(1, 申请日="２０１６－０３－０２", 权利要求数量="１２"),
        cn_row(2, {"申请日": "２０１６年３月２日", "质押金额（万元）": "１，２００"}),
        cn_row(3, 申请号="ＺＬ" + app_no(3))]), rows=3, profile="cn-export", accepted=3,
         rejected=0, kind="values"),
    Case("number 1e21 in a count", _text("huge-number.csv", csv_text(
        good_rows(2) + [[app_no(91), "x", "2016-01-01", "1e21", "H01M", "in_force"]])),
         rows=3, accepted=2, rejected=1, codes={"too_large"}, reasons=["too large"],
         kind="values"),
    Case("IPC codes as CNIPA prints them", _cn("ipc-printed.csv", [
        cn_row(1, IPC主分类号="H04L 27/26(2006.01)", IPC分类号="H04L 27/26(2006.01)；H04W 72/04(2009.01)"),
        cn_row(2, IPC主分类号="Ｈ０４Ｌ２７／２６", IPC分类号="H04L0027260000"),
        cn_row(3, IPC分类号="H04L27/26；")]), rows=3, profile="cn-export", accepted=3,
         rejected=0, kind="values"),
    Case("legal-status long forms and event texts", _cn("legal-status-texts.csv", [
        cn_row(1, 法律状态="未缴年费专利权终止，等恢复"), cn_row(2, 法律状态="期限届满终止"),
        cn_row(3, 法律状态="部分无效"), cn_row(4, 法律状态="发明专利申请公布后的视为撤回"),
        cn_row(5, 法律状态="专利权的转移")]), rows=5, profile="cn-export", accepted=4, rejected=1,
         codes={"unknown_value"}, reasons=["'专利权的转移' is not an allowed value"],
         kind="values"),
    Case("wrong check digit, duplicate id, missing id", _text("ids.csv", csv_text(
        good_rows(3) + [[app_no(1)[:-1] + str((int(app_no(1)[-1]) + 1) % 10), "x", "2016-01-01",
                         "5", "H01M", "in_force"],
                        canon_row(2), ["", "x", "2016-01-01", "5", "H01M", "in_force"]])),
         rows=6, accepted=3, rejected=3,
         codes={"bad_check_digit", "duplicate_id", "missing_required"}, kind="values"),
    Case("scale: 万 in a profile", _profile_scale_wan, profile="wan.yaml",
         error=r"fields\.pledge_amount_cny\.scale is '万', not a number.*scale: 10000",
         kind="profile"),
    # --- JSONL
    Case("invalid UTF-8 in JSONL", _jsonl("bad-utf8.jsonl", [
        _obj(1), _obj(2)[:30] + b"\xff\xfe" + _obj(2)[30:], _obj(3)]), rows=3, accepted=2,
         rejected=1, codes={"undecodable"}, kind="jsonl"),
    Case("a line that is not JSON", _jsonl("not-json.jsonl", [_obj(1), b"{not json", _obj(3),
                                                                b"[1, 2]"]),
         rows=4, accepted=2, rejected=2, codes={"not_json_object"},
         reasons=["not a JSON object"], kind="jsonl"),
    Case("a JSON array, not JSON Lines", _bytes("array.jsonl", b"[\n" + b",\n".join(
        [b"  " + _obj(i) for i in range(1, 60)]) + b"\n]\n"), error=r"not JSON Lines",
         kind="jsonl"),
    Case("empty JSONL", _bytes("empty.jsonl", b""), error=r"empty \(0 bytes\)", kind="jsonl"),
    # --- Excel
    Case("two data sheets", _xlsx("two-sheets.xlsx", [("2016", _xlsx_rows(1, 20)),
                                                        ("2017", _xlsx_rows(21, 20))]),
         rows=40, accepted=40, rejected=0, kind="excel"),
    Case("a notes sheet first", _xlsx("notes-first.xlsx", [
        ("说明", [["本表由数据库导出"], ["字段说明见附件"]]), ("data", _xlsx_rows(1, 5))]),
         rows=5, accepted=5, rejected=0, notes=["sheet '说明' has no column patent_id; skipped"],
         kind="excel"),
    Case("title rows above the header", _xlsx("title-rows.xlsx", [
        ("data", [["专利检索结果"], [], *_xlsx_rows(1, 5)])]), rows=5, accepted=5, rejected=0,
         notes=["the header is on row 3"], kind="excel"),
    Case("date cells, Excel serials, numeric ids", _xlsx_native, rows=2, accepted=2, rejected=0,
         kind="excel"),
    Case("duplicate header in a sheet", _xlsx("dup-header.xlsx", [
        ("data", [["patent_id", "title", "title"], [app_no(1), "a", "b"]])]),
         error=r"columns 2 and 3 of the header \(row 1\) are both named 'title'", kind="excel"),
    Case("a value in a column without header", _xlsx("no-header-column.xlsx", [
        ("data", [CANON, canon_row(1), canon_row(2) + ["stray"], canon_row(3)])]), rows=3,
         accepted=2, rejected=1, codes={"extra_fields"}, reasons=["which has no header"],
         kind="excel"),
    Case("a CSV named .xlsx", _text("fake.xlsx", csv_text(good_rows(2))),
         error=r"not an Excel \.xlsx workbook.*give it the \.csv suffix", kind="excel"),
    Case("old .xls", _bytes("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
         error=r"\.xls\) is not read; save the workbook as \.xlsx", kind="excel"),
    # --- Parquet
    Case("not a Parquet file", _text("fake.parquet", "patent_id\n1\n"),
         error=r"not a readable Parquet file", kind="parquet"),
]


def write_corpus(directory: Path) -> list[tuple[Case, Path]]:
    """Write every case's file into ``directory``; return (case, path) pairs."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [(case, case.write(directory)) for case in CASES]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for case, path in write_corpus(out):
        print(f"{path.name}\t{case.name}")
