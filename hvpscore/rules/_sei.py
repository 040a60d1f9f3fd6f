"""Strategic emerging industries (战略性新兴产业) and the IPC concordance.

The shipped concordance (``sei/concordance.csv``) is CNIPA's
《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》 (国知办函规字〔2021〕121号) at the
table's own granularity: one line per IPC entry of a table row, with the row's exclusions (不含),
its second-level field of 《战略性新兴产业分类（2018）》 (``sei/industries.csv``), and, for an entry
that only partly belongs to the field, the row's keyword text and the search terms derived from it
(``sei/README.md`` says how the file was built and checked). :func:`load_concordance` also reads a
user's copy of the official table (xlsx/csv), which then replaces the shipped one.

Matching (:func:`assign_sei`): an IPC code matches the entries whose pattern covers it and whose
exclusions do not; of those, only the most specific ones count (a subgroup entry over a main-group
entry over a subclass entry). An unconditional entry puts the record in its field; a partial entry
(the row has keywords) only when the record's title, abstract or claims contain one of its terms;
without such text the entry is reported as *near* with its terms, not counted.

IPC pattern syntax (both tables):

==================  =======================================================================
``H04W`` ``H04W*``  the whole subclass
``H04*``            the whole class
``H04L27*``         the whole main group 27 (also ``H04L27``, ``H04L27/*``, ``H04L27/00*``)
``H01L21/02*``      subgroup 21/02 and every subgroup whose number starts with 02
``H04L27/26``       exactly that subgroup (the official table lists sub-subgroups one by one)
==================  =======================================================================
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._errors import PolicyError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.ipc import normalize_ipc

__all__ = [
    "Concordance",
    "assign_sei",
    "explain_sei",
    "format_sei_explanation",
    "format_sei_suggestions",
    "load_concordance",
    "load_industries",
    "normalize_ipc",
    "shipped_concordance",
    "suggest_sei",
]

_PAT_RE = re.compile(
    r"^([A-H])(?:(\d{2})(?:([A-Z])(?:(\d{1,4})(?:/(\d{1,6}|\*))?)?)?)?(\*)?$"
)
_SPACE_IN_CODE = re.compile(r"([A-H]\d{2}[A-Z])\s+(\d)")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class _Pattern:
    text: str
    level: str  # section | class | subclass | main | prefix | exact
    key: str
    sub: str = ""

    def matches(self, code: str) -> bool:
        return _match(self, code)


def _parse_pattern(text: str) -> _Pattern:
    raw = text
    s = re.sub(r"\s+", "", _SPACE_IN_CODE.sub(r"\1\2", _nfkc(str(text)))).upper()
    m = _PAT_RE.match(s)
    if not m:
        raise ValueError(f"{raw!r} is not an IPC pattern (e.g. H04W, H04L27/*, H01L21/02*, "
                         "A61B8/00)")
    sec, cls, sc, main, sub, star = m.groups()
    if cls is None:
        if not star:
            raise ValueError(f"{raw!r}: a section alone needs a star, e.g. 'H*'")
        return _Pattern(s, "section", sec)
    if sc is None:
        return _Pattern(s, "class", f"{sec}{cls}")
    if main is None:
        return _Pattern(s, "subclass", f"{sec}{cls}{sc}")
    key = f"{sec}{cls}{sc}{int(main)}"
    if sub is None or sub == "*":
        return _Pattern(s, "main", key)
    if star:
        if sub.strip("0") == "":
            return _Pattern(s, "main", key)
        return _Pattern(s, "prefix", key, sub)
    return _Pattern(s, "exact", f"{key}/{sub}")


_SPECIFICITY = {"section": 0, "class": 1, "subclass": 2, "main": 3, "prefix": 4, "exact": 5}


def _match(p: _Pattern, code: str) -> bool:
    if p.level == "section":
        return code[:1] == p.key
    if p.level == "class":
        return code[:3] == p.key
    if p.level == "subclass":
        return code[:4] == p.key
    main, _, sub = code.partition("/")
    if p.level == "main":
        return main == p.key
    if p.level == "prefix":
        return main == p.key and sub.startswith(p.sub)
    return code == p.key


# --------------------------------------------------------------------------- industries
@lru_cache(maxsize=1)
def load_industries() -> pd.DataFrame:
    """The 9 first-level industries and 40 second-level fields of 《战略性新兴产业分类（2018）》.

    Columns ``code, level, parent, name_zh, name_en`` (codes as text: ``'1'``, ``'1.1'``).
    """
    with resources.files("hvpscore.rules").joinpath("sei/industries.csv").open(
        encoding="utf-8"
    ) as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["level"] = df["level"].astype(int)
    return df


# --------------------------------------------------------------------------- concordance
@dataclass
class Concordance:
    """An IPC -> strategic-emerging-industry table, ready to match.

    ``rules`` has one row per include pattern: ``field_code, ipc, exclude`` (tuple of patterns),
    ``keywords`` (tuple of search terms), ``partial`` (bool: the entry needs one of its terms in
    the text; default: it has terms), ``row`` (the table row), ``keywords_text`` (the row's text),
    ``name_zh, name_en, note, source_row``. ``most_specific``: of the entries matching one code,
    keep only the most specific (subgroup > main group > subclass > class).
    """

    rules: pd.DataFrame
    source: str = "shipped"
    most_specific: bool = True
    _compiled: list = field(default_factory=list, repr=False)
    _index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        problems = []
        compiled = []
        for i, r in enumerate(self.rules.itertuples(index=False)):
            try:
                inc = _parse_pattern(r.ipc)
                exc = tuple(_parse_pattern(e) for e in r.exclude)
            except ValueError as exc_:
                problems.append(f"row {r.source_row}: {exc_}")
                continue
            compiled.append((inc, exc))
            self._index.setdefault((inc.level if inc.level != "prefix" else "main", inc.key),
                                   []).append(i)
        if problems:
            raise PolicyError(f"concordance {self.source}: " + "; ".join(problems[:10])
                              + ("; …" if len(problems) > 10 else ""))
        self._compiled = compiled
        self._kw = [tuple(k.lower() for k in kws) for kws in self.rules["keywords"]]
        if "partial" in self.rules.columns:
            self._partial = self.rules["partial"].astype(bool).to_numpy()
        else:
            self._partial = np.array([bool(k) for k in self._kw], dtype=bool)
        self._spec = np.array([_SPECIFICITY[inc.level] for inc, _ in compiled], dtype=np.int64)
        self._match_cache: dict[str, tuple[int, ...]] = {}
        self._main_cache: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def __len__(self) -> int:
        return len(self.rules)

    def match_code(self, code: str) -> tuple[int, ...]:
        """Indices of rules whose pattern matches the normalised ``code`` and no exclusion does."""
        hit = self._match_cache.get(code)
        if hit is not None:
            return hit
        main = code.partition("/")[0] if "/" in code else None
        if main is None:  # a bare subclass: only subclass-or-wider rules can match
            cand = [i for key in (("section", code[:1]), ("class", code[:3]),
                                  ("subclass", code[:4])) for i in self._index.get(key, ())]
            out = [i for i in sorted(cand) if self._compiled[i][0].matches(code)
                   and not any(e.matches(code) for e in self._compiled[i][1])]
        else:
            entry = self._main_cache.get(main)
            if entry is None:
                entry = self._main_cache[main] = self._resolve_main(code, main)
            const, var = entry
            out = list(const)
            for i in var:
                inc, exc = self._compiled[i]
                if inc.matches(code) and not any(e.matches(code) for e in exc):
                    out.append(i)
            for i in self._index.get(("exact", code), ()):
                if not any(e.matches(code) for e in self._compiled[i][1]):
                    out.append(i)
            if var or len(out) != len(const):
                out.sort()
        if self.most_specific and len(out) > 1:
            top = max(self._spec[i] for i in out)
            out = [i for i in out if self._spec[i] == top]
        hit = tuple(out)
        if len(self._match_cache) < 500_000:
            self._match_cache[code] = hit
        return hit

    def _resolve_main(self, code: str, main: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Rules of main group ``main`` split into always-matching and subgroup-dependent ones."""
        const: list[int] = []
        var: list[int] = []
        for key in (("section", code[:1]), ("class", code[:3]), ("subclass", code[:4]),
                    ("main", main)):
            for i in self._index.get(key, ()):
                inc, exc = self._compiled[i]
                whole = [e for e in exc if e.level in ("section", "class", "subclass", "main")
                         and _match(e, f"{main}/00")]
                if whole:
                    continue  # an exclusion removes the whole main group
                partial = [e for e in exc if e.level in ("prefix", "exact")
                           and e.key.partition("/")[0] == main]
                if inc.level == "prefix" or partial:
                    var.append(i)
                else:
                    const.append(i)
        return tuple(sorted(const)), tuple(sorted(var))

    def candidates(self, code: str) -> list[int]:
        """Every rule whose pattern covers ``code`` and no exclusion stops it (any specificity)."""
        out = []
        for i, (inc, exc) in enumerate(self._compiled):
            if inc.matches(code) and not any(e.matches(code) for e in exc):
                out.append(i)
        return out

    def excluded_by(self, code: str) -> list[tuple[str, str]]:
        """(rule pattern, exclusion pattern) pairs that stopped ``code`` (for explanations)."""
        out = []
        for inc, exc in self._compiled:
            if inc.matches(code):
                out.extend((inc.text, e.text) for e in exc if e.matches(code))
        return out

    def label(self, code: str, lang: str = "en") -> str:
        names = _names(self)
        return names.get((code, lang)) or names.get((code, "zh")) or code

    def coverage(self) -> pd.DataFrame:
        """Rules per field with names: ``field_code, name_zh, name_en, rules, keyword_rules``."""
        g = self.rules.assign(kw=self._partial).groupby(
            "field_code", sort=False)
        out = pd.DataFrame({"rules": g.size(), "keyword_rules": g["kw"].sum()}).reset_index()
        out.insert(1, "name_zh", out["field_code"].map(lambda c: self.label(c, "zh")))
        out.insert(2, "name_en", out["field_code"].map(lambda c: self.label(c, "en")))
        return out


def _names(conc: Concordance) -> dict:
    cached = getattr(conc, "_names_cache", None)
    if cached is not None:
        return cached
    names: dict = {}
    ind = load_industries()
    for r in ind.itertuples(index=False):
        names[(r.code, "zh")] = r.name_zh
        names[(r.code, "en")] = r.name_en
    for r in conc.rules.itertuples(index=False):
        for lang in ("zh", "en"):
            v = getattr(r, f"name_{lang}")
            if isinstance(v, str) and v and (r.field_code, lang) not in names:
                names[(r.field_code, lang)] = v
    conc._names_cache = names  # type: ignore[attr-defined]
    return names


def _split_list(text: object, seps: str = r"[;；、,，|\n]") -> tuple[str, ...]:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    parts = re.split(seps, _nfkc(str(text)))
    return tuple(p.strip() for p in parts if p and p.strip())


@lru_cache(maxsize=1)
def shipped_concordance() -> Concordance:
    """The shipped CNIPA 2021 concordance (``hvpscore/rules/sei/concordance.csv``)."""
    with resources.files("hvpscore.rules").joinpath("sei/concordance.csv").open(
        encoding="utf-8"
    ) as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return _from_native(raw, "shipped:hvpscore/rules/sei/concordance.csv")


_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否", ""}


def _from_native(raw: pd.DataFrame, source: str) -> Concordance:
    """Rules from the native layout: ``field_code, ipc`` and optionally ``exclude``, ``keywords``
    (or ``terms``: ``;``-separated), ``partial`` (0/1), ``row``, ``keywords_text``, ``note``."""
    missing = {"field_code", "ipc"} - set(raw.columns)
    if missing:
        raise PolicyError(f"concordance {source}: columns {sorted(missing)} are missing; the "
                          "native layout is field_code, ipc, exclude, keywords, note")
    ind = load_industries().set_index("code")
    rows = []
    problems = []
    for i, r in enumerate(raw.to_dict("records"), start=2):
        code = str(r["field_code"]).strip()
        if "terms" in r:
            kws = tuple(t.strip() for t in _nfkc(str(r["terms"] or "")).split(";") if t.strip())
        else:
            kws = _split_list(r.get("keywords", ""))
        flag = str(r.get("partial", "") or "").strip().lower()
        if flag not in _TRUE | _FALSE:
            problems.append(f"row {i}: partial {r.get('partial')!r} is not 0 or 1")
        partial = flag in _TRUE if "partial" in r and flag else bool(kws)
        rows.append({
            "field_code": code,
            "ipc": str(r["ipc"]).strip(),
            "exclude": _split_list(r.get("exclude", "")),
            "keywords": kws,
            "partial": partial,
            "row": str(r.get("row", "") or ""),
            "keywords_text": str(r.get("keywords_text", "") or ""),
            "name_zh": ind["name_zh"].get(code, ""),
            "name_en": ind["name_en"].get(code, ""),
            "note": str(r.get("note", "") or ""),
            "source_row": i,
        })
    if problems:
        raise PolicyError(f"concordance {source}: " + "; ".join(problems[:10])
                          + "; write 1 for an entry that needs keywords, 0 otherwise")
    return Concordance(pd.DataFrame(rows), source=source)


# ----------------------------------------------------------------- official table loader
_HEAD_CODE = ("战略性新兴产业分类代码", "战略性新兴产业代码", "产业分类代码", "分类代码", "产业代码",
              "分类编码", "编码", "代码", "industry_code", "industry code", "code", "区分")
_HEAD_NAME = ("战略性新兴产业分类名称", "战略性新兴产业名称", "产业分类名称", "产业名称", "分类名称",
              "名称", "industry_name", "industry name", "name", "技术")
_HEAD_IPC = ("国际专利分类号", "国际专利分类", "IPC分类号", "IPC", "ipc")
_HEAD_KW = ("关键词", "keywords", "keyword", "キーワード")
_HEAD_EXC = ("不含", "排除", "除外", "exclude", "excluding")
_EXC_MARK = re.compile(r"不含|不包括|除外|除去|排除|除|excluding|except|exclude", re.I)
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])([-!－]?)([A-H]\d{2}[A-Z](?:\d{1,4}(?:/(?:\d{1,6}|\*))?)?\*?|[A-H]\d{2}\*)"
    r"(?![A-Za-z0-9/])"
)
_CLOSE = re.compile(r"[)）\]】;；]")
_OFFICIAL_CODE = re.compile(r"^[1-9](?:\.\d+)*$")


def _find_col(header: list[str], names: Sequence[str], exclude: Sequence[str] = ()) -> int | None:
    norm = [_nfkc(h).strip().lower() for h in header]
    for name in names:
        n = name.lower()
        for i, h in enumerate(norm):
            if h == n:
                return i
    for name in names:
        n = name.lower()
        for i, h in enumerate(norm):
            if n in h and not any(x.lower() in h for x in exclude):
                return i
    return None


def parse_ipc_cell(text: object) -> tuple[list[str], list[str]]:
    """Split an official IPC cell into (include patterns, exclusion patterns).

    Codes are separated by 、，,;；/whitespace/newlines; ``H04L 27/26`` (space after the subclass) is
    one code. Codes after 不含/不包括/除/排除/excluding up to the closing bracket or semicolon, and
    codes written ``-H04L9/*`` or ``!H04L9/*``, are exclusions.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return [], []
    s = _SPACE_IN_CODE.sub(r"\1\2", _nfkc(str(text)))
    s = re.sub(r"(?<=\d)\s+/\s*(?=\d)", "/", s)
    inc: list[str] = []
    exc: list[str] = []
    # mark exclusion spans
    spans = []
    for m in _EXC_MARK.finditer(s):
        end = _CLOSE.search(s, m.end())
        spans.append((m.end(), end.start() if end else len(s)))
    for m in _TOKEN.finditer(s):
        neg, code = m.group(1), m.group(2)
        in_exc = bool(neg) or any(a <= m.start() < b for a, b in spans)
        (exc if in_exc else inc).append(code)
    return inc, exc


def _read_table(path: Path, sheet: str | int | None) -> list[tuple[str, pd.DataFrame]]:
    """(where, raw cells) per sheet: every sheet of a workbook unless ``sheet`` names one."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            got = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str,
                                engine=None if suffix == ".xls" else "openpyxl")
        except ImportError as exc:
            raise PolicyError(f"concordance {path}: cannot read {suffix} ({exc}); save the "
                              "table as .xlsx or .csv") from None
        except (ValueError, KeyError) as exc:
            raise PolicyError(f"concordance {path}: cannot read sheet {sheet!r}: {exc}") from None
        if isinstance(got, dict):
            return [(f"sheet {name!r} ", df) for name, df in got.items()]
        return [(f"sheet {sheet!r} ", got)]
    if suffix in (".csv", ".txt", ".tsv"):
        sep = "\t" if suffix == ".tsv" else ","
        for enc in ("utf-8-sig", "gb18030"):
            try:
                return [("", pd.read_csv(path, header=None, dtype=str, sep=sep, encoding=enc,
                                         keep_default_na=False))]
            except UnicodeDecodeError:
                continue
        raise PolicyError(f"concordance {path}: not UTF-8 or GB18030 text; save it as UTF-8 CSV")
    raise PolicyError(f"concordance {path}: unsupported file type {suffix!r}; use .xlsx or .csv")


def _parse_sheet(raw: pd.DataFrame, where: str, rows: list[dict], problems: list[str]
                 ) -> bool | Concordance:
    """Append the rules of one sheet to ``rows``; False when it has no header row."""
    # header row: the first row naming both an IPC column and a code column
    header_at = None
    for i in range(min(len(raw), 30)):
        cells = list(raw.iloc[i])
        if [c.strip() for c in cells[:2]] == ["field_code", "ipc"] or (
            "field_code" in cells and "ipc" in cells
        ):
            native = raw.iloc[i + 1:].copy()
            native.columns = [c.strip() for c in cells]
            return _from_native(native.reset_index(drop=True), where or "native table")
        if _find_col(cells, _HEAD_IPC, exclude=("名称",)) is not None and _find_col(
            cells, _HEAD_CODE
        ) is not None:
            header_at = i
            break
    if header_at is None:
        return False
    header = list(raw.iloc[header_at])
    c_ipc = _find_col(header, _HEAD_IPC, exclude=("名称", "name"))
    c_code = _find_col(header, _HEAD_CODE, exclude=("名称",))
    c_name = _find_col(header, _HEAD_NAME, exclude=("国际专利分类", "ipc", "代码", "编码"))
    c_kw = _find_col(header, _HEAD_KW)
    c_exc = _find_col(header, _HEAD_EXC)
    body = raw.iloc[header_at + 1:]
    code = name = ""
    ind = load_industries().set_index("code")
    for i, rec in zip(range(header_at + 2, header_at + 2 + len(body)), body.itertuples(
            index=False), strict=True):
        cells = list(rec)
        c = _nfkc(cells[c_code]).strip() if c_code is not None else ""
        n = cells[c_name].strip() if c_name is not None else ""
        if c:
            if c != code:
                name = ""
            code = c.rstrip(".")
        if n:
            name = n
        inc, exc = parse_ipc_cell(cells[c_ipc])
        if c_exc is not None:
            more_inc, more_exc = parse_ipc_cell(cells[c_exc])
            exc.extend(more_inc + more_exc)
        if not inc:
            if cells[c_ipc].strip() and not exc:
                problems.append(f"{where}row {i}: no IPC code in {cells[c_ipc].strip()[:40]!r}")
            continue
        if not _OFFICIAL_CODE.match(code):
            problems.append(f"{where}row {i}: industry code {code!r} is not like 1.1 or 4.2.1")
            continue
        kws: tuple[str, ...] = ()
        if c_kw is not None:
            kw_text = re.sub(r"^\s*(关键词|keywords?)\s*[:：]", "", cells[c_kw].strip(), flags=re.I)
            kws = _split_list(kw_text, r"[;；、,，|/\n]|或者|或")
        f2 = ".".join(code.split(".")[:2])
        for p in inc:
            rows.append({"field_code": code, "ipc": p, "exclude": tuple(exc), "keywords": kws,
                         "partial": bool(kws), "row": f"{where}row {i}",
                         "keywords_text": cells[c_kw].strip() if c_kw is not None else "",
                         "name_zh": name or ind["name_zh"].get(f2, ""),
                         "name_en": ind["name_en"].get(code, ind["name_en"].get(f2, "")),
                         "note": name, "source_row": i})
    return True


def load_concordance(path: str | Path, *, sheet: str | int | None = None) -> Concordance:
    """Read a concordance table from a user's file.

    Accepts (xlsx or csv, UTF-8 or GB18030):

    * the official CNIPA 《战略性新兴产业分类与国际专利分类参照关系表（2021）》 layout: a header row
      (title rows above it are skipped) with the industry code (…代码/编码), the industry name
      (…名称), the IPC list (国际专利分类/IPC) and optionally keywords (关键词) and exclusions
      (不含/排除) columns. Blank code/name cells (merged cells) inherit from the row above. The
      IPC cell holds several codes (``、，,;；`` or new lines), ``*`` wildcards and exclusions
      written ``不含…`` / ``除…外`` / ``-H04L9/*``; a non-empty keyword cell (terms separated by
      ``、，,;；|`` or ``或``) makes the row apply only when the title/abstract/claims contain a term;
    * the shipped native layout (``field_code, ipc, exclude, keywords, note``).

    A workbook is read sheet by sheet (sheets without a header row, e.g. notes, are skipped);
    ``sheet`` reads one named sheet only. Problems are collected and reported together with their
    sheet and row.
    """
    path = Path(path)
    if not path.is_file():
        raise PolicyError(f"concordance file {str(path)!r} does not exist; give the path of the "
                          "official table (xlsx/csv)")
    rows: list[dict] = []
    problems: list[str] = []
    found = False
    for where, raw in _read_table(path, sheet):
        got = _parse_sheet(raw.fillna("").astype(str), where, rows, problems)
        if isinstance(got, Concordance):
            return Concordance(got.rules, source=str(path))
        found = found or got
    if not found:
        raise PolicyError(
            f"concordance {path}: no header row found in the first 30 rows; the official layout "
            "needs columns for the industry code (战略性新兴产业分类代码), name (…名称) and IPC "
            "(国际专利分类), optionally 关键词"
        )
    if problems:
        raise PolicyError(f"concordance {path}: " + "; ".join(problems[:10])
                          + (f"; … {len(problems) - 10} more" if len(problems) > 10 else "")
                          + "; fix these rows")
    if not rows:
        raise PolicyError(f"concordance {path}: no rows with IPC codes under the header row; "
                          "fill the IPC column (国际专利分类)")
    return Concordance(pd.DataFrame(rows), source=str(path))


# --------------------------------------------------------------------------- assignment
def _as_list(v) -> list:
    if isinstance(v, list | tuple | np.ndarray):
        return list(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    if isinstance(v, str):
        return [p for p in re.split(r"[;；,，|]", v) if p.strip()]
    return [v]


def assign_sei(
    ipc_lists: Iterable | pd.Series,
    texts: Iterable | pd.Series | None = None,
    concordance: Concordance | str | Path | None = None,
    *,
    scope: str = "all",
    text_sep: str = " ",
) -> pd.DataFrame:
    """Assign strategic-emerging-industry fields from IPC codes.

    ``ipc_lists``: per record a list of IPC codes (main first) or a ``;``-separated string.
    ``texts``: per record the text searched by keyword-conditional rules (title + abstract +
    claims), or None. ``concordance``: a :class:`Concordance`, a path to a table file
    (:func:`load_concordance`), or None for the shipped table. ``scope``: ``all`` codes or the
    ``main`` (first) code only. ``text_sep`` joins the columns of a DataFrame of ``texts``
    (only the rows a keyword rule needs are joined).

    Returns a DataFrame on the same index with ``sei`` (bool), ``sei_codes`` (matched field
    codes, ``;``-joined, sorted), ``sei_rule`` (``<field> <pattern> <- <code>`` per match, with
    ``[kw: term]`` when a keyword decided), ``sei_near`` (keyword rules whose IPC matched but no
    keyword was found) and ``sei_near_keywords``.
    """
    if concordance is None:
        conc = shipped_concordance()
    elif isinstance(concordance, Concordance):
        conc = concordance
    else:
        conc = load_concordance(concordance)
    if scope not in ("all", "main"):
        raise PolicyError(f"scope {scope!r} is not one of all, main")
    s = ipc_lists if isinstance(ipc_lists, pd.Series) else pd.Series(list(ipc_lists))
    index = s.index
    n = len(s)
    vals = s.to_numpy(dtype=object)
    lists = [v if isinstance(v, list) else _as_list(v) for v in vals]
    if scope == "main":
        lists = [lst[:1] for lst in lists]
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(lists))
    pos = np.repeat(np.arange(n, dtype=np.int64), lens)
    codes_out = np.full(n, "", dtype=object)
    rule_out = np.full(n, "", dtype=object)
    near_out = np.full(n, "", dtype=object)
    near_kw = np.full(n, "", dtype=object)
    match_out = np.full(n, "", dtype=object)
    result = pd.DataFrame({"sei": np.zeros(n, bool), "sei_codes": codes_out,
                           "sei_rule": rule_out, "sei_match": match_out, "sei_near": near_out,
                           "sei_near_keywords": near_kw}, index=index)
    if not flat:
        return result
    code_idx, uniques = pd.factorize(np.asarray(flat, dtype=object))
    norm = [normalize_ipc(u) for u in uniques]
    rule_lists = [conc.match_code(c) if c is not None else () for c in norm]
    cnt = np.fromiter(map(len, rule_lists), dtype=np.int64, count=len(rule_lists))
    rules_flat = np.fromiter(chain.from_iterable(rule_lists), dtype=np.int64, count=int(cnt.sum()))
    offsets = np.concatenate([[0], np.cumsum(cnt)])
    keep = code_idx >= 0
    c_per = np.where(keep, cnt[np.maximum(code_idx, 0)], 0)
    total = int(c_per.sum())
    if total == 0:
        return result
    p_pos = np.repeat(pos, c_per)
    p_code = np.repeat(code_idx, c_per)
    first = np.repeat(np.cumsum(c_per) - c_per, c_per)
    p_rule = rules_flat[np.repeat(offsets[np.maximum(code_idx, 0)], c_per)
                        + np.arange(total) - first]
    fcode = conc.rules["field_code"].tolist()
    fpat = conc.rules["ipc"].tolist()
    kw_lists = conc._kw
    kw_orig = conc.rules["keywords"].tolist()
    is_kw = conc._partial[p_rule]
    ok = ~is_kw
    hit_word: dict[int, str] = {}
    if is_kw.any():
        tx = None
        if isinstance(texts, pd.DataFrame):
            tx = texts.reset_index(drop=True)
        elif texts is not None:
            tx = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
            tx = tx.reset_index(drop=True)
        kw_j = np.flatnonzero(is_kw)
        if tx is not None:
            need = np.unique(p_pos[kw_j])
            tx_need = np.asarray(_text_rows(tx, need, text_sep), dtype=object)
            tpos = np.searchsorted(need, p_pos[kw_j])
            rules_kw = p_rule[kw_j]
            for r in np.unique(rules_kw).tolist():
                if not kw_lists[r]:
                    continue  # a partial entry without usable terms is only ever near
                sel = np.flatnonzero(rules_kw == r)
                # the first term found, leftmost (as str.extract of the alternation finds it,
                # without a pandas Series per rule and per chunk)
                search = _terms_regex(kw_lists[r]).search
                found = [search(t) for t in tx_need[tpos[sel]].tolist()]
                got = [i for i, f in enumerate(found) if f is not None]
                if got:
                    j = kw_j[sel[got]]
                    ok[j] = True
                    hit_word.update(zip(j.tolist(), [found[i].group() for i in got],
                                        strict=True))
    # field codes per record (sorted), vectorised through a bitmask when the table is small
    order = sorted(set(fcode), key=_code_key)
    fid_of = {f: i for i, f in enumerate(order)}
    rule_fid = np.array([fid_of[f] for f in fcode], dtype=np.int64)
    rec_masks = None
    m_pos = p_pos[ok]
    m_rule = p_rule[ok]
    m_code = p_code[ok]
    m_j = np.flatnonzero(ok)
    if len(m_pos):
        starts = np.flatnonzero(np.r_[True, m_pos[1:] != m_pos[:-1]])
        rec = m_pos[starts]
        ends = np.r_[starts[1:], len(m_pos)]
        fids = rule_fid[m_rule]
        if len(order) <= 62:
            masks = np.bitwise_or.reduceat(np.left_shift(np.int64(1), fids), starts)
            rec_masks = np.zeros(n, dtype=np.int64)
            rec_masks[rec] = masks
            uniq_m, inv = np.unique(masks, return_inverse=True)
            txt = np.array([";".join(order[b] for b in range(len(order)) if (int(u) >> b) & 1)
                            for u in uniq_m], dtype=object)
            codes_out[rec] = txt[inv]
        else:
            fl = fids.tolist()
            codes_out[rec] = [";".join(order[f] for f in sorted(set(fl[a:b])))
                              for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        pre = np.array([f"{fcode[r]} {fpat[r]} <- " for r in range(len(fcode))], dtype=object)
        mid = np.array([f" ∈ {fpat[r]}" for r in range(len(fcode))], dtype=object)
        norm_arr = np.array(norm, dtype=object)
        codes_m = norm_arr[m_code]
        labels = pre[m_rule] + codes_m
        pairs = codes_m + mid[m_rule]
        if hit_word:
            where = {j: k for k, j in enumerate(m_j.tolist()) if j in hit_word}
            for j, k in where.items():
                labels[k] = f"{labels[k]} [kw: {hit_word[j]}]"
                pairs[k] = f"{pairs[k]} +{hit_word[j]}"
        single = (ends - starts) == 1
        rule_out[rec[single]] = labels[starts[single]]
        match_out[rec[single]] = pairs[starts[single]]
        lab_l = labels.tolist()
        pair_l = pairs.tolist()
        for ps, a, b in zip(rec[~single].tolist(), starts[~single].tolist(),
                            ends[~single].tolist(), strict=True):
            rule_out[ps] = ";".join(dict.fromkeys(lab_l[a:b]))
            match_out[ps] = ", ".join(dict.fromkeys(pair_l[a:b]))
    miss = np.flatnonzero(is_kw & ~ok)
    if len(miss):
        mp, mr, mc = p_pos[miss], p_rule[miss], p_code[miss]
        if rec_masks is not None:  # drop keyword rows whose field matched through another row
            keep = ((rec_masks[mp] >> rule_fid[mr]) & 1) == 0
        else:
            keep = np.array([fcode[r] not in codes_out[q].split(";")
                             for q, r in zip(mp.tolist(), mr.tolist(), strict=True)], dtype=bool)
        mp, mr, mc = mp[keep], mr[keep], mc[keep]
    if len(miss) and len(mp):
        pre = np.array([f"{fcode[r]} {fpat[r]} <- " for r in range(len(fcode))], dtype=object)
        kw_text = conc.rules["keywords_text"].tolist() if "keywords_text" in conc.rules else [
            ""] * len(kw_orig)
        kwt = np.array([", ".join(k[:3]) or str(t)[:30] for k, t in zip(kw_orig, kw_text,
                                                                          strict=True)],
                       dtype=object)
        labs = pre[mr] + np.array(norm, dtype=object)[mc]
        kws = kwt[mr]
        st = np.flatnonzero(np.r_[True, mp[1:] != mp[:-1]])
        en = np.r_[st[1:], len(mp)]
        recs = mp[st]
        single = (en - st) == 1
        near_out[recs[single]] = labs[st[single]]
        near_kw[recs[single]] = kws[st[single]]
        lab_l, kw_l = labs.tolist(), kws.tolist()
        for q, x, y in zip(recs[~single].tolist(), st[~single].tolist(), en[~single].tolist(),
                           strict=True):
            near_out[q] = ";".join(dict.fromkeys(lab_l[x:y]))
            near_kw[q] = ", ".join(dict.fromkeys(", ".join(kw_l[x:y]).split(", ")))
    return pd.DataFrame({
        "sei": codes_out != "",
        "sei_codes": pd.Series(codes_out, index=index, dtype=object),
        "sei_rule": pd.Series(rule_out, index=index, dtype=object),
        "sei_match": pd.Series(match_out, index=index, dtype=object),
        "sei_near": pd.Series(near_out, index=index, dtype=object),
        "sei_near_keywords": pd.Series(near_kw, index=index, dtype=object),
    }, index=index)


@lru_cache(maxsize=4096)
def _terms_regex(terms: tuple[str, ...]) -> re.Pattern:
    """One alternation of a rule's (lower-cased) search terms, in the table's order."""
    return re.compile("|".join(re.escape(w) for w in terms))


def _text_rows(tx: pd.Series | pd.DataFrame, rows: np.ndarray, sep: str = " ") -> list[str]:
    """Lower-cased text of the given positional rows (DataFrame columns joined by ``sep``).

    Column by column in Python: no copy of the texts into another string type and back.
    """
    if isinstance(tx, pd.DataFrame):
        cols = [_cell_texts(tx.iloc[rows, j]) for j in range(tx.shape[1])]
        if not cols:
            return [""] * len(rows)
        if len(cols) == 1:
            return [t.lower() for t in cols[0]]
        return [sep.join(parts).lower() for parts in zip(*cols, strict=True)]
    return [t.lower() for t in _cell_texts(tx.iloc[rows])]


def _cell_texts(col: pd.Series) -> list[str]:
    """The cells as strings, '' for missing ones (as ``astype(str)`` after ``where(notna, '')``)."""
    vals = col.to_numpy(dtype=object)
    miss = pd.isna(vals)
    return ["" if m else (v if type(v) is str else str(v))
            for v, m in zip(vals.tolist(), miss.tolist(), strict=True)]


# ----- one assignment per chunk: the criteria and the model's SEI feature share it ----------
_MEMO: contextvars.ContextVar[dict | None] = contextvars.ContextVar("hvpscore_sei_memo",
                                                                    default=None)


@contextlib.contextmanager
def sei_memo():
    """Within the block, :func:`assign_sei_records` computes each assignment once per records
    frame, text columns, concordance and scope (how :func:`hvpscore.scoring.score_records` lets
    the criteria and the model's ``sei`` feature share one pass over the chunk). The records
    must not change inside the block."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _has_space_terms(conc: Concordance) -> bool:
    v = getattr(conc, "_space_terms", None)
    if v is None:
        v = any(ch.isspace() for kws in conc._kw for k in kws for ch in k)
        conc._space_terms = v  # type: ignore[attr-defined]
    return v


def assign_sei_records(records: pd.DataFrame, text_cols: Sequence[str],
                       concordance: Concordance | None = None, *, scope: str = "all",
                       text_sep: str = " ") -> pd.DataFrame:
    """:func:`assign_sei` of ``records["ipc"]`` with the text of ``text_cols`` (those present),
    memoised inside :func:`sei_memo`. When no search term holds white space the separator
    cannot change a match, so assignments that differ only by ``text_sep`` are shared."""
    conc = shipped_concordance() if concordance is None else concordance
    cols = tuple(c for c in text_cols if c in records.columns)
    memo = _MEMO.get()
    key = None
    if memo is not None:
        sep = None if not _has_space_terms(conc) else text_sep
        key = (id(records), cols, id(conc), scope, sep)
        hit = memo.get(key)
        if hit is not None and hit[0] is records and hit[1] is conc:
            return hit[2]
    ipc = records["ipc"] if "ipc" in records.columns else [None] * len(records)
    res = assign_sei(ipc, texts=records[list(cols)] if cols else None, concordance=conc,
                     scope=scope, text_sep=text_sep)
    if key is not None:
        memo[key] = (records, conc, res)
    return res


def _code_key(code: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in code.split("."))


# ------------------------------------------------------------------ explanations and suggestions
def _resolve(concordance: Concordance | str | Path | None) -> Concordance:
    if concordance is None:
        return shipped_concordance()
    if isinstance(concordance, Concordance):
        return concordance
    return load_concordance(concordance)


def _found_terms(terms: Sequence[str], text: str) -> list[str]:
    low = text.lower()
    return [t for t in terms if t.lower() in low]


def explain_sei(
    codes: Iterable[object],
    text: str | None = None,
    concordance: Concordance | str | Path | None = None,
) -> list[dict]:
    """Why each IPC code does or does not put a record in a strategic emerging industry.

    One dict per code: ``code`` (as given), ``normalized`` (or None), ``matches`` — the entries
    that decide (the most specific ones), each with ``field_code, name_zh, name_en, row, ipc,
    partial, terms, keywords_text, note`` and ``status`` (``counted``: unconditional or a term
    was found in ``text``; ``near``: partial and no term found, or no text given), ``found``
    (the terms found) — ``overridden`` (matching entries dropped because a more specific one
    matched) and ``excluded`` (``(pattern, exclusion)`` pairs whose 不含 stopped the code).
    """
    conc = _resolve(concordance)
    out = []
    r = conc.rules
    for code in codes:
        norm = normalize_ipc(code)
        item: dict = {"code": code, "normalized": norm, "matches": [], "overridden": [],
                      "excluded": []}
        if norm is not None:
            chosen = conc.match_code(norm)
            for i in conc.candidates(norm):
                kws = list(r["keywords"].iat[i])
                partial = bool(conc._partial[i])
                found = _found_terms(kws, text) if (partial and text) else []
                entry = {
                    "field_code": r["field_code"].iat[i],
                    "name_zh": conc.label(r["field_code"].iat[i], "zh"),
                    "name_en": conc.label(r["field_code"].iat[i], "en"),
                    "row": r["row"].iat[i] if "row" in r else str(r["source_row"].iat[i]),
                    "ipc": r["ipc"].iat[i], "partial": partial, "terms": kws,
                    "keywords_text": r["keywords_text"].iat[i] if "keywords_text" in r else "",
                    "note": r["note"].iat[i],
                    "status": "counted" if (not partial or found) else "near",
                    "found": found,
                    "text_given": bool(text),
                }
                (item["matches"] if i in chosen else item["overridden"]).append(entry)
            item["excluded"] = conc.excluded_by(norm)
        out.append(item)
    return out


def suggest_sei(
    text: str,
    ipc: Iterable[object] | str | None = None,
    concordance: Concordance | str | Path | None = None,
    *,
    limit: int = 10,
) -> pd.DataFrame:
    """Candidate strategic-emerging-industry fields for a draft, from its text (and IPC codes).

    The search terms of the concordance's partial rows are looked up in ``text`` (title,
    abstract, claims: case-insensitive substrings). With ``ipc`` (a list or a ``;``-separated
    string), the fields those codes reach are reported too, and a partial row reached by a code
    is ``counted`` when one of its terms is in the text.

    Returns one row per field, best first: ``field_code, name_zh, name_en, status``
    (``counted`` — the IPC codes and text put the record in the field; ``ipc_near`` — a code
    reaches the field but no term of its row is in the text; ``text_only`` — only terms matched,
    no given code reaches the field), ``terms`` (the matched terms, ``;``-joined), ``rows`` (the
    table rows whose terms matched or whose entries the codes reached), ``ipc`` (the codes that
    reach the field) and ``score`` (number of distinct matched terms).
    """
    conc = _resolve(concordance)
    r = conc.rules
    rows_col = r["row"] if "row" in r else r["source_row"].astype(str)
    text = _nfkc(text or "")
    low = text.lower()
    fields: dict[str, dict] = {}

    def slot(f: str) -> dict:
        return fields.setdefault(f, {"terms": {}, "rows": set(), "ipc": set(), "counted": False,
                                     "reached": False})

    for i, kws in enumerate(conc._kw):
        if not conc._partial[i] or not kws:
            continue
        hit = [w for w in kws if w in low]
        if hit:
            s = slot(r["field_code"].iat[i])
            for w, orig in zip(kws, r["keywords"].iat[i], strict=True):
                if w in hit:
                    s["terms"][orig] = True
            s["rows"].add(rows_col.iat[i])
    codes = _as_list(ipc) if not isinstance(ipc, list | tuple) else list(ipc)
    for code in codes:
        norm = normalize_ipc(code)
        if norm is None:
            continue
        for i in conc.match_code(norm):
            s = slot(r["field_code"].iat[i])
            s["reached"] = True
            s["ipc"].add(norm)
            s["rows"].add(rows_col.iat[i])
            if not conc._partial[i] or any(w in low for w in conc._kw[i]):
                s["counted"] = True
    recs = []
    for f, s in fields.items():
        status = "counted" if s["counted"] else ("ipc_near" if s["reached"] else "text_only")
        recs.append({"field_code": f, "name_zh": conc.label(f, "zh"),
                     "name_en": conc.label(f, "en"), "status": status,
                     "terms": ";".join(s["terms"]), "rows": ";".join(sorted(s["rows"])),
                     "ipc": ";".join(sorted(s["ipc"])), "score": len(s["terms"])})
    order = {"counted": 0, "ipc_near": 1, "text_only": 2}
    recs.sort(key=lambda d: (order[d["status"]], -d["score"], _code_key(d["field_code"])))
    cols = ["field_code", "name_zh", "name_en", "status", "terms", "rows", "ipc", "score"]
    return pd.DataFrame(recs[:limit] if limit else recs, columns=cols)


@lru_cache(maxsize=1)
def _texts() -> dict:

    return _yaml_safe_load(resources.files("hvpscore.rules").joinpath("sei/texts.yaml").read_text(
        encoding="utf-8"))


def format_sei_explanation(items: list[dict], lang: str = "zh") -> str:
    """The result of :func:`explain_sei` as text lines in ``zh`` or ``en`` (``sei/texts.yaml``)."""
    if lang not in ("zh", "en"):
        raise PolicyError(f"lang {lang!r} is not one of zh, en")
    t = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in _texts().items()}
    sep = "、" if lang == "zh" else ", "
    lines = []
    for it in items:
        if it["normalized"] is None:
            lines.append(t["not_ipc"].format(code=it["code"]))
            continue
        lines.append(t["code"].format(code=it["normalized"]))
        if not it["matches"]:
            lines.append(t["none"])
        for m in it["matches"]:
            name = m["name_zh"] if lang == "zh" else m["name_en"]
            if m["status"] == "counted":
                if m["found"]:
                    why = t["why_found"].format(found=sep.join(m["found"]))
                elif m["note"]:
                    why = t["why_note"].format(note=m["note"])
                else:
                    why = t["why_unconditional"]
                lines.append(t["counted"].format(field=m["field_code"], name=name, row=m["row"],
                                                 ipc=m["ipc"], why=why))
            elif not m["terms"]:
                lines.append(t["near"].format(field=m["field_code"], name=name, row=m["row"],
                                              ipc=m["ipc"], terms=m["keywords_text"],
                                              found=t["no_terms"].format(
                                                  text=m["keywords_text"])))
            else:
                terms = sep.join(m["terms"][:6]) + ("…" if len(m["terms"]) > 6 else "")
                found = t["no_text"] if m.get("text_given") is False else t["not_found"]
                lines.append(t["near"].format(field=m["field_code"], name=name, row=m["row"],
                                              ipc=m["ipc"], terms=terms, found=found))
        if it["overridden"]:
            lines.append(t["overridden"].format(entries=sep.join(
                f"{o['field_code']} {o['ipc']}" for o in it["overridden"])))
        if it["excluded"]:
            lines.append(t["excluded"].format(pairs=sep.join(
                f"{a} 不含 {b}" if lang == "zh" else f"{a} excluding {b}"
                for a, b in it["excluded"])))
    return "\n".join(lines)


def format_sei_suggestions(table: pd.DataFrame, lang: str = "zh", ipc: str = "") -> str:
    """The result of :func:`suggest_sei` as text lines in ``zh`` or ``en``."""
    if lang not in ("zh", "en"):
        raise PolicyError(f"lang {lang!r} is not one of zh, en")
    raw = _texts()
    t = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in raw.items()}
    lines = [t["suggest_head"].format(ipc=t["suggest_ipc"].format(codes=ipc) if ipc else "")]
    if table.empty:
        lines.append(t["suggest_none"])
    for r in table.itertuples(index=False):
        lines.append(t["suggest_row"].format(
            field=r.field_code, name=r.name_zh if lang == "zh" else r.name_en,
            status=raw["status"][r.status][lang], terms=r.terms or "-", rows=r.rows or "-"))
    return "\n".join(lines)
