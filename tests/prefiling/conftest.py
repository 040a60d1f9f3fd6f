"""Helpers for the pre-filing review tests: build .docx drafts with python-docx."""

from __future__ import annotations

import io

import pytest


def make_docx(blocks, *, header: dict[int, str] | None = None) -> bytes:
    """A .docx from ``blocks``: ("h", text) heading style, ("b", text) bold line, ("p", text)
    plain paragraph, ("n", text) automatically numbered paragraph, ("t", rows) a table,
    ("break", None) a page break, ("section", None) a new document section."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    for kind, value in blocks:
        if kind == "h":
            doc.add_heading(value, level=1)
        elif kind == "b":
            p = doc.add_paragraph()
            p.add_run(value).bold = True
        elif kind == "p":
            doc.add_paragraph(value)
        elif kind == "n":
            p = doc.add_paragraph(value)
            ppr = p._p.get_or_add_pPr()
            num = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), "0")
            nid = OxmlElement("w:numId")
            nid.set(qn("w:val"), "1")
            num.append(ilvl)
            num.append(nid)
            ppr.append(num)
        elif kind == "t":
            t = doc.add_table(rows=len(value), cols=len(value[0]))
            for i, row in enumerate(value):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = cell
        elif kind == "break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "section":
            doc.add_section()
    for idx, text in (header or {}).items():
        sec = doc.sections[idx]
        sec.header.is_linked_to_previous = False
        sec.header.paragraphs[0].text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture
def docx_bytes():
    return make_docx
