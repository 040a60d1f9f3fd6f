"""Reading a draft application: .docx, .txt/.md, a JSON record, a dict or a pasted text.

Everything becomes a :class:`Draft`: four sections (``title``, ``abstract``, ``claims``,
``description``), each one text whose lines are the paragraphs of the source, plus the draft-stage
record fields (IPC, applicants, planned route …). Offsets of findings are offsets into these
section texts, so a page can highlight them.

Sections are found by their headings (权利要求书, 说明书, 说明书摘要, 摘要, 发明名称 …, English
CLAIMS / ABSTRACT / DESCRIPTION …; ``data/lexicon.yaml``), written as lines of their own, with
or without numbering, brackets, spaces between the characters, Markdown ``#`` or a trailing colon;
``名称：…`` on one line gives the title. In a .docx, heading styles, bold lines, tables (one line per
row), page headers that name a section and automatically numbered claims are understood.
"""

from __future__ import annotations

import io
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hvpscore._errors import InputError
from hvpscore.claims import detect_lang
from hvpscore.prefiling._data import lexicon, thresholds

__all__ = ["DRAFT_FIELDS", "Draft", "Part", "Section", "SECTIONS", "read_draft"]

SECTIONS = ("title", "abstract", "claims", "description")

# draft-stage canonical fields a JSON record may carry (besides the four section texts)
DRAFT_FIELDS = {
    "patent_id": "str",
    "patent_type": "str",
    "ipc": "list",
    "applicants": "list",
    "applicant_type": "str",
    "applicant_region": "str",
    "inventors": "list",
    "enterprise_tags": "list",
    "planned_route": "list",
    "planned_countries": "list",
    "priority_date": "date",
    "filing_date": "date",
    "lang": "str",
}
_TEXT_FIELDS = {"title": "title", "abstract": "abstract", "claims_text": "claims",
                "claims": "claims", "description": "description"}
_ROUTES = ("pct", "paris", "pph", "none")
_PATENT_TYPES = {"invention": "invention", "发明": "invention", "utility_model": "utility_model",
                 "实用新型": "utility_model", "design": "design", "外观设计": "design"}


@dataclass(frozen=True)
class Part:
    """One headed part of the description (技术领域 …): ``start`` is the heading line's offset,
    ``end`` the start of the next part (or the end of the text)."""

    id: str
    heading: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "heading": self.heading, "start": self.start, "end": self.end}


@dataclass
class Section:
    """One section of the draft: its text (lines = paragraphs), the heading that opened it,
    paragraph spans ``(number, start, end)`` and, for the description, its parts."""

    name: str
    text: str = ""
    heading: str | None = None
    paragraphs: list[tuple[int, int, int]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    numbered: bool = False  # paragraphs carry their own numbers (【0001】)

    @property
    def found(self) -> bool:
        return bool(self.text.strip())

    def paragraph_at(self, offset: int) -> int | None:
        """The number of the paragraph holding character ``offset`` (None outside any)."""
        starts = [p[1] for p in self.paragraphs]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset <= self.paragraphs[i][2]:
            return self.paragraphs[i][0]
        return None

    def part_at(self, offset: int) -> str | None:
        for p in self.parts:
            if p.start <= offset < p.end:
                return p.id
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "heading": self.heading,
            "text": self.text,
            "chars": len(self.text),
            "paragraphs": [{"number": n, "start": s, "end": e} for n, s, e in self.paragraphs],
            "numbered": self.numbered,
            "parts": [p.to_dict() for p in self.parts],
        }


@dataclass
class Draft:
    """A draft application: sections, draft-stage record fields, where it came from."""

    sections: dict[str, Section]
    fields: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"
    has_drawings: bool = False
    notes: list[dict[str, str]] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.sections[name].text

    def record(self) -> dict[str, Any]:
        """The draft as one canonical record (for the draft-stage model and the criteria)."""
        f = self.fields
        rec: dict[str, Any] = {
            "patent_id": f.get("patent_id") or "DRAFT",
            "patent_type": f.get("patent_type") or "invention",
            "title": self.text("title") or None,
            "abstract": self.text("abstract") or None,
            "claims_text": self.text("claims") or None,
        }
        for k in ("ipc", "applicants", "inventors", "enterprise_tags"):
            rec[k] = list(f.get(k) or [])
        for k in ("applicant_type", "applicant_region"):
            rec[k] = f.get(k)
        return rec


# ----------------------------------------------------------------------------- entry point
def read_draft(source: Any, *, name: str | None = None, fmt: str | None = None) -> Draft:
    """Read a draft from a path (.docx, .txt, .md, .json), a dict (canonical fields), bytes or a
    file object (``fmt`` = ``docx`` | ``txt`` | ``md`` | ``json``, else guessed from ``name``), or a
    pasted text (a ``str`` that is not a path).

    Raises
    ------
    InputError
        The file is missing or unreadable, the format is unknown, a JSON field is unknown or
        malformed, or no section (claims, description …) can be found; the message says the fix.
    """
    if isinstance(source, Draft):
        return source
    if isinstance(source, dict):
        return _from_record(source, name or "record")
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        return _from_path(Path(source))
    if isinstance(source, str):
        return _from_text(source, {"kind": "text", "name": name or "text"})
    if isinstance(source, (bytes, bytearray)) or hasattr(source, "read"):
        data = bytes(source) if isinstance(source, (bytes, bytearray)) else source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        kind = (fmt or _suffix_kind(name or "") or _sniff(data)).lower()
        return _from_bytes(data, kind, name or "upload")
    raise InputError(
        f"draft: expected a path, a dict of fields, bytes or a text, got {type(source).__name__}; "
        "pass e.g. 'application.docx' or {'claims_text': '1. 一种…'}."
    )


def _looks_like_path(s: str) -> bool:
    if "\n" in s or len(s) > 1024:
        return False
    if Path(s).suffix.lower() in (".docx", ".txt", ".md", ".json", ".doc", ".pdf", ".markdown"):
        return True
    try:
        return Path(s).is_file()
    except OSError:
        return False


def _suffix_kind(name: str) -> str | None:
    suf = Path(name).suffix.lower()
    return {".docx": "docx", ".txt": "txt", ".md": "md", ".markdown": "md",
            ".json": "json", ".doc": "doc", ".pdf": "pdf"}.get(suf)


def _sniff(data: bytes) -> str:
    if data[:2] == b"PK":
        return "docx"
    if data.lstrip()[:1] == b"{":
        return "json"
    return "txt"


def _from_path(p: Path) -> Draft:
    kind = _suffix_kind(p.name) or "txt"
    if not p.is_file():
        raise InputError(f"draft: {str(p)!r} is not a readable file; give the path of a .docx, "
                         ".txt, .md or .json draft.")
    limit = int(thresholds()["input"]["max_docx_bytes"])
    if p.stat().st_size > limit:
        raise InputError(f"draft: {str(p)!r} is {p.stat().st_size:,} bytes, more than the "
                         f"{limit:,} a draft may have; remove embedded images or split the file.")
    return _from_bytes(p.read_bytes(), kind, str(p))


def _from_bytes(data: bytes, kind: str, name: str) -> Draft:
    if kind == "doc":
        raise InputError(f"draft: {name!r} is a legacy Word .doc file; save it as .docx "
                         "(Word: File > Save As > Word Document).")
    if kind == "pdf":
        raise InputError(f"draft: {name!r} is a PDF; export the application as .docx or .txt.")
    if kind == "docx":
        return _from_docx(data, name)
    text = _decode(data, name)
    if kind == "json":
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"draft: {name!r} is not valid JSON (line {exc.lineno}, column "
                             f"{exc.colno}: {exc.msg}); give one JSON object of draft fields."
                             ) from None
        if not isinstance(rec, dict):
            raise InputError(f"draft: {name!r} holds a JSON {type(rec).__name__}, not an object; "
                             "give one object such as {\"claims_text\": \"1. …\"}.")
        return _from_record(rec, name)
    if kind not in ("txt", "md"):
        raise InputError(f"draft: format {kind!r} is not known; use docx, txt, md or json.")
    return _from_text(text, {"kind": "markdown" if kind == "md" else "text", "name": name})


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"draft: {name!r} is neither UTF-8 nor GB18030 text; save it as UTF-8.")


# ------------------------------------------------------------------------------ headings
_NUMBERING = re.compile(
    r"^(?:#{1,6}\s*)?(?:\*\*|__)?\s*"
    r"(?:第[一二三四五六七八九十\d]+(?:部分|章|节)\s*|[一二三四五六七八九十]+\s*[、.．]\s*|"
    r"[(（][一二三四五六七八九十\d]+[)）]\s*|\d{1,2}(?:\.\d{1,2})*\s*[、.．)]?\s+|"
    r"\d{1,2}\s*[、.．]\s*|[A-Z]\s*[.)]\s+|[IVX]+\s*[.)]\s+)?"
)
_BRACKETS = re.compile(r"^[\[【〔(（<《]\s*(.*?)\s*[\]】〕)）>》]$")
_TRAIL = re.compile(r"[\s:：.。*_]+$")
_PAGE = re.compile(r"\s*(?:第?\s*\d+\s*/\s*\d+\s*页|\d+\s*/\s*\d+|第\s*\d+\s*页.*|page\s+\d+.*)$",
                   re.IGNORECASE)


def heading_key(line: str) -> str:
    """A line reduced to what a heading says: no numbering, brackets, decoration, spaces."""
    s = line.strip()
    if len(s) > 60:
        return ""
    s = _NUMBERING.sub("", s, count=1)
    s = _TRAIL.sub("", s.strip())
    s = s.strip("*_# ").strip()
    m = _BRACKETS.match(s)
    if m:
        s = m.group(1)
    s = _PAGE.sub("", s)
    s = _TRAIL.sub("", s)
    return re.sub(r"\s+", "" if _CJK.search(s) else " ", s).strip().lower()


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _alias_map() -> dict[str, str]:
    out: dict[str, str] = {}
    lex = lexicon()
    for sec, langs in lex["sections"].items():
        for words in langs.values():
            for w in words:
                out[w.lower()] = sec
    for words in lex["skip_sections"].values():
        for w in words:
            out.setdefault(w.lower(), "skip")
    return out


_ALIASES: dict[str, str] | None = None


def _aliases() -> dict[str, str]:
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _alias_map()
    return _ALIASES


_INLINE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(发明名称|实用新型名称|名称|专利名称|说明书摘要|摘要|Title(?: of the Invention)?|"
    r"Abstract)\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(?P<v>\S.*)$",
    re.IGNORECASE,
)


def section_of(line: str) -> tuple[str | None, str | None]:
    """(section name or "skip", inline value) when ``line`` is a section heading."""
    key = heading_key(line)
    if key:
        sec = _aliases().get(key)
        if sec is not None:
            return sec, None
    m = _INLINE.match(line)
    if m:
        word = m.group(1).lower()
        sec = "title" if ("名称" in word or word.startswith("title")) else "abstract"
        return sec, m.group("v").strip()
    return None, None


# ------------------------------------------------------------------------- the assembler
@dataclass
class _Block:
    text: str
    heading_hint: bool = False


def _assemble(blocks: list[_Block], source: dict[str, Any]) -> Draft:
    lines: dict[str, list[str]] = {s: [] for s in SECTIONS}
    headings: dict[str, str | None] = dict.fromkeys(SECTIONS)
    current: str | None = None
    preamble: list[str] = []
    any_heading = False
    for b in blocks:
        text = b.text.replace("\r", "")
        for line in text.split("\n") if "\n" in text else (text,):
            sec, inline = section_of(line)
            if sec is not None:
                any_heading = True
                current = sec
                if sec != "skip" and headings[sec] is None:
                    headings[sec] = line.strip()
                if inline and sec != "skip":
                    lines[sec].append(inline)
                continue
            if current is None:
                preamble.append(line)
            elif current != "skip":
                lines[current].append(line)
    if not any_heading:
        whole = "\n".join(preamble)
        if not whole.strip():
            raise InputError(f"draft {source.get('name')!r}: the draft is empty; give an "
                             "application with 权利要求书 / 说明书 / 说明书摘要 (or claims only).")
        if _CLAIMS_START.search(whole):
            lines["claims"] = preamble
        else:
            raise InputError(
                f"draft {source.get('name')!r}: no section headings found (权利要求书, 说明书, "
                "说明书摘要, 发明名称 / CLAIMS, DESCRIPTION, ABSTRACT, TITLE) and the text does not "
                "start like numbered claims; put each section under its heading on a line of its "
                "own, or pass the claims only.")
    sections = {s: _section(s, lines[s], headings[s]) for s in SECTIONS}
    draft = Draft(sections=sections, source=source)
    _title_from_description(draft)
    _finish(draft)
    return draft


_CLAIMS_START = re.compile(r"^\s*(?:1\s*[.、．)]|\[1\]|【1】)\s*\S", re.MULTILINE)
_PARA_MARK = re.compile(r"^\s*(?:\[|【)(\d{3,5})(?:\]|】)\s*")


def _section(name: str, raw_lines: list[str], heading: str | None) -> Section:
    # trim blank lines at both ends; keep inner blank lines out (a paragraph is a non-empty line)
    kept = [ln.rstrip() for ln in raw_lines]
    kept = [ln for ln in kept if ln.strip()]
    text = "\n".join(kept)
    sec = Section(name=name, text=text, heading=heading)
    pos = 0
    ordinal = 0
    for ln in kept:
        start, end = pos, pos + len(ln)
        pos = end + 1
        ordinal += 1
        m = _PARA_MARK.match(ln)
        number = int(m.group(1)) if m else ordinal
        sec.numbered = sec.numbered or m is not None
        sec.paragraphs.append((number, start, end, m is not None))
    if sec.numbered:
        # headings and other unnumbered lines take the number of the paragraph before them
        last = 0
        fixed = []
        for number, start, end, marked in sec.paragraphs:
            last = number if marked else last
            fixed.append((last, start, end))
        sec.paragraphs = fixed
    else:
        sec.paragraphs = [(n, s, e) for n, s, e, _m in sec.paragraphs]
    return sec


def _title_from_description(draft: Draft) -> None:
    """CN practice: the first line of 说明书 is the title. Take it when no title was given."""
    desc = draft.sections["description"]
    if draft.sections["title"].found or not desc.found:
        return
    first, _, rest = desc.text.partition("\n")
    line = first.strip()
    if (0 < len(line) <= 80 and not line.endswith(("。", ".", "；", ";"))
            and _part_of(line) is None and not _PARA_MARK.match(line) and rest.strip()):
        draft.sections["title"] = _section("title", [line], "(说明书首行)")
        draft.sections["description"] = _section("description", rest.split("\n"), desc.heading)


def _part_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in lexicon()["description_parts"]:
        for lang in ("zh", "en"):
            for w in p[lang]:
                out[w.lower()] = p["id"]
    return out


_PARTS: dict[str, str] | None = None


def _part_of(line: str) -> str | None:
    global _PARTS
    if _PARTS is None:
        _PARTS = _part_aliases()
    key = heading_key(line)
    return _PARTS.get(key) if key else None


def _finish(draft: Draft) -> None:
    desc = draft.sections["description"]
    found: list[tuple[str, str, int]] = []
    for _n, s, e in desc.paragraphs:
        pid = _part_of(desc.text[s:e])
        if pid is not None and not any(f[0] == pid for f in found):
            found.append((pid, desc.text[s:e].strip(), s))
    desc.parts = [Part(pid, head, s, found[i + 1][2] if i + 1 < len(found) else len(desc.text))
                  for i, (pid, head, s) in enumerate(found)]
    sample = draft.text("claims") or draft.text("description") or draft.text("abstract") \
        or draft.text("title")
    draft.lang = draft.fields.get("lang") or detect_lang(sample[:2000] if sample else "")
    pat = lexicon()["drawings_pattern"]["zh" if draft.lang == "zh" else "en"]
    draft.has_drawings = bool(re.search(pat, desc.text, re.IGNORECASE)) or any(
        p.id == "drawings" for p in desc.parts)
    total = sum(len(s.text) for s in draft.sections.values())
    limit = int(thresholds()["input"]["max_chars"])
    if total > limit:
        raise InputError(f"draft {draft.source.get('name')!r}: {total:,} characters, more than "
                         f"the {limit:,} one application may have; check one application at a time.")


def _from_text(text: str, source: dict[str, Any]) -> Draft:
    if not text.strip():
        raise InputError("draft: the text is empty; paste the application (权利要求书, 说明书, "
                         "说明书摘要) or at least the claims.")
    return _assemble([_Block(ln) for ln in text.split("\n")], source)


# ---------------------------------------------------------------------------------- docx
def _from_docx(data: bytes, name: str) -> Draft:
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - the extra is part of dev
        raise InputError("draft: reading .docx needs python-docx: pip install "
                         "'hvpscore[check]' (or save the draft as .txt)") from None
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"draft: {name!r} is not a readable .docx file ({exc.__class__.__name__}"
                         "); open it in Word and save it again as .docx, or save it as .txt."
                         ) from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: a damaged file
        raise InputError(f"draft: {name!r} is not a readable .docx file ({exc}); open it in "
                         "Word and save it again as .docx, or save it as .txt.") from None
    blocks = _docx_blocks(doc)
    draft = _assemble(blocks, {"kind": "docx", "name": name})
    return draft


def _docx_blocks(doc) -> list[_Block]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    sections = list(doc.sections)
    header_names = []
    for s in sections:
        name = None
        try:
            for p in s.header.paragraphs:
                sec, _ = section_of(p.text)
                if sec is not None and sec != "skip":
                    name = p.text.strip()
                    break
        except Exception:  # a header part python-docx cannot read: ignore it
            name = None
        header_names.append(name)
    out: list[_Block] = []
    sec_idx = 0
    pending_header = header_names[0] if header_names else None
    claim_no = 0
    in_claims = False
    p_tag, t_tag = qn("w:p"), qn("w:tbl")
    for child in doc.element.body.iterchildren():
        if pending_header is not None:
            out.append(_Block(pending_header, heading_hint=True))
            sec, _ = section_of(pending_header)
            in_claims = sec == "claims"
            pending_header = None
        if child.tag == p_tag:
            para = Paragraph(child, doc)
            text = para.text
            sec, _ = section_of(text) if text.strip() else (None, None)
            if sec is not None:
                in_claims = sec == "claims"
                claim_no = 0
            elif in_claims and text.strip() and _numbered(child) and not _CLAIMS_START.match(text):
                claim_no += 1  # an automatically numbered claim: write its number
                text = f"{claim_no}. {text.lstrip()}"
            out.append(_Block(text, heading_hint=_is_heading_style(child)))
            ppr = child.pPr
            if ppr is not None and ppr.sectPr is not None:
                sec_idx += 1
                if sec_idx < len(header_names):
                    nxt = header_names[sec_idx]
                    if nxt is not None and nxt != header_names[sec_idx - 1]:
                        pending_header = nxt
        elif child.tag == t_tag:
            table = Table(child, doc)
            for row in table.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    t = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if t:
                        cells.append(t)
                if cells:
                    out.append(_Block(" ".join(cells)))
    return out


def _numbered(p_el) -> bool:
    ppr = p_el.pPr
    return ppr is not None and ppr.numPr is not None


def _is_heading_style(p_el) -> bool:
    """A heading or title paragraph style, read from the style id (no style-table lookup)."""
    ppr = p_el.pPr
    sid = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else ""
    return str(sid).lower().startswith(("heading", "title", "标题"))


# ---------------------------------------------------------------------------------- JSON
def _from_record(rec: dict[str, Any], name: str) -> Draft:
    unknown = [k for k in rec if k not in _TEXT_FIELDS and k not in DRAFT_FIELDS]
    if unknown:
        from hvpscore.schema import column

        later = []
        for k in unknown:
            try:
                later.append(f"{k} (stage {column(k).stage})")
            except KeyError:
                continue
        if later and len(later) == len(unknown):
            raise InputError(
                f"draft {name!r}: {', '.join(later)} are not known at the draft stage; the "
                "pre-filing review reads only draft fields: "
                f"{', '.join(sorted([*_TEXT_FIELDS, *DRAFT_FIELDS]))}.")
        raise InputError(
            f"draft {name!r}: unknown field(s) {', '.join(map(repr, unknown))}; use "
            f"{', '.join(sorted([*_TEXT_FIELDS, *DRAFT_FIELDS]))}.")
    texts: dict[str, str] = {}
    for key, sec in _TEXT_FIELDS.items():
        v = rec.get(key)
        if v is None:
            continue
        if not isinstance(v, str):
            raise InputError(f"draft {name!r}: {key} must be a text, got "
                             f"{type(v).__name__} ({v!r:.40}).")
        if sec in texts and v.strip() and texts[sec].strip() and v != texts[sec]:
            raise InputError(f"draft {name!r}: both claims and claims_text are given and differ; "
                             "give one of them.")
        texts[sec] = v
    if not any(v.strip() for v in texts.values()):
        raise InputError(f"draft {name!r}: no text given; a draft needs at least claims_text "
                         "(and may have title, abstract, description).")
    sections = {}
    for s in SECTIONS:
        raw = texts.get(s, "")
        if s == "description" and raw:
            # a description may carry its own headings (技术领域 …): kept as its lines
            sections[s] = _section(s, raw.replace("\r", "").split("\n"), None)
        else:
            sections[s] = _section(s, raw.replace("\r", "").split("\n") if raw else [], None)
    draft = Draft(sections=sections, fields=_fields(rec, name),
                  source={"kind": "json", "name": name})
    _finish(draft)
    return draft


def _as_list(v: Any, key: str, name: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [p.strip() for p in re.split(r"[;；,，、|]", v) if p.strip()]
    if isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v):
        return [x.strip() for x in v if x.strip()]
    raise InputError(f"draft {name!r}: {key} must be a list of texts or a ';'-separated text, "
                     f"got {v!r:.60}.")


def _fields(rec: dict[str, Any], name: str) -> dict[str, Any]:
    import datetime as _dt

    out: dict[str, Any] = {}
    for key, kind in DRAFT_FIELDS.items():
        if key not in rec or rec[key] is None or rec[key] == "":
            continue
        v = rec[key]
        if kind == "list":
            out[key] = _as_list(v, key, name)
        elif kind == "date":
            try:
                out[key] = _dt.date.fromisoformat(str(v)[:10]).isoformat()
            except ValueError:
                raise InputError(f"draft {name!r}: {key} {v!r} is not a date; use YYYY-MM-DD."
                                 ) from None
        else:
            if not isinstance(v, str):
                raise InputError(f"draft {name!r}: {key} must be a text, got {v!r:.40}.")
            out[key] = v.strip()
    if "patent_type" in out:
        t = _PATENT_TYPES.get(out["patent_type"].lower())
        if t is None:
            raise InputError(f"draft {name!r}: patent_type {out['patent_type']!r} is not one of "
                             "invention, utility_model, design (发明/实用新型/外观设计).")
        out["patent_type"] = t
    if "applicant_type" in out:
        from hvpscore.schema import column

        allowed = column("applicant_type").allowed
        if allowed and out["applicant_type"] not in allowed:
            raise InputError(f"draft {name!r}: applicant_type {out['applicant_type']!r} is not "
                             f"one of {', '.join(allowed)}.")
    if "planned_route" in out:
        routes = [r.lower() for r in out["planned_route"]]
        bad = [r for r in routes if r not in _ROUTES]
        if bad:
            raise InputError(f"draft {name!r}: planned_route {bad[0]!r} is not one of "
                             f"{', '.join(_ROUTES)}.")
        out["planned_route"] = routes
    if "lang" in out and out["lang"] not in ("zh", "en"):
        raise InputError(f"draft {name!r}: lang {out['lang']!r} is not zh or en.")
    return out
