"""Raw rows + profile -> canonical records and a list of problems, a whole column at a time.

Nothing is silently fixed: every value that cannot be read as the record requires becomes a
:class:`~hvpscore.Problem` naming the row, the column, the value, the fix and a stable code.

How it is fast: a column is never walked value by value in Python. Scalar columns are reduced to
their distinct values (pyarrow ``dictionary_encode`` / ``pandas.factorize``); dates, numbers,
vocabularies and yes/no are read once per distinct value and spread back with a numpy ``take``.
Lists are split and flattened by pyarrow, their distinct items read once, de-duplicated within the
row with array keys, and only then turned into Python lists. Patent numbers (nearly all distinct)
are parsed over the whole column by :func:`hvpscore.numbers.parse_patent_number_array`. Python
formats a message only for the values that fail.

Reading rules (also in the README):

* text is stripped; the profile's ``null_values`` (and the field's) mean "unknown";
* dates, numbers, yes/no and vocabulary keys are read after Unicode NFKC normalisation, so
  full-width digits and punctuation (``２０２１－０５－０３``, ``１，２００``) read as their ASCII forms;
* a date may carry a time part (``2021-05-03 00:00:00``, ``2021/5/3 14:30``): the date is kept;
* in an Excel source a number in a date column is an Excel serial day (``44197`` = 2021-01-01),
  unless it reads as a date in one of the profile's formats (``20210101``);
* a value not in a field's ``values`` map is tried against its ordered ``rules``
  (``contains`` a substring -> a canonical value), e.g. ``未缴年费专利权终止`` -> ``lapsed``.
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hvpscore._errors import Problem
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.io._profile import FieldSpec, Profile
from hvpscore.ipc import normalize_ipc
from hvpscore.numbers import parse_patent_number_array
from hvpscore.schema import COLUMNS, OUTCOME_PREFIX, Column

__all__ = ["convert_frame", "normalize_ipc"]

_TRUE = {"true", "t", "yes", "y", "1", "是", "有", "真"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无", "假"}
_JURIS = re.compile(r"^[A-Z]{2}$")
_NUM_CLEAN = re.compile(r"[,，\s]")
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_INT_LIMIT = 2**53 - 1
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_UNIX_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_NUMBER_COLUMNS = ("patent_id", "publication_number", "divisional_of")
_CHECKED_LISTS = ("ipc", "family_countries", "overseas_granted")
_MISSING = object()


def _load_jurisdictions() -> dict[str, str]:
    text = (resources.files("hvpscore") / "io" / "data" / "jurisdictions.yaml").read_text("utf-8")
    data = _yaml_safe_load(text)
    names = {str(k): str(v) for k, v in data["names"].items()}
    names.update({c: c for c in data["codes"]})
    return names


_JURISDICTIONS = _load_jurisdictions()


def _key(v: object) -> str:
    """The text of a native value as a key: ``12.0`` -> ``'12'``."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _show(v: object) -> str:
    """The value as a problem shows it."""
    return v if isinstance(v, str) else ("" if v is None else str(v))


@lru_cache(maxsize=100_000)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _is_null_scalar(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and v != v:
        return True
    if isinstance(v, (np.floating,)) and np.isnan(v):
        return True
    return isinstance(v, np.datetime64) and np.isnat(v)


@contextmanager
def _no_gc():
    """Pause the cyclic garbage collector while building many small containers (they hold only
    strings, so they cannot form cycles); restore its previous state after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------- raw columns
class _Raw:
    """The raw frame of one chunk (a pyarrow Table or a pandas DataFrame), column by column."""

    def __init__(self, frame):
        self.frame = frame
        if isinstance(frame, pa.Table):
            self.n = frame.num_rows
            self.columns = list(frame.column_names)
        else:
            self.n = len(frame)
            self.columns = list(frame.columns)
        self._set = set(self.columns)

    def __contains__(self, name) -> bool:
        return name in self._set

    def get(self, name: str):
        if isinstance(self.frame, pa.Table):
            col = self.frame.column(name)
            return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        return self.frame[name]


def _is_arrow(values) -> bool:
    return isinstance(values, pa.Array)


def _factorize(values) -> tuple[np.ndarray, list]:
    """(codes with -1 for missing, distinct values as Python objects)."""
    if _is_arrow(values):
        t = values.type
        if pa.types.is_dictionary(t):
            enc = values
        elif pa.types.is_null(t):
            return np.full(len(values), -1, dtype=np.int64), []
        else:
            enc = values.dictionary_encode()
        codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        uniques = enc.dictionary.to_pylist()
        if pa.types.is_timestamp(enc.dictionary.type) or pa.types.is_date(enc.dictionary.type):
            uniques = [None if u is None else pd.Timestamp(u) for u in uniques]
        return codes, uniques
    s = values
    arr = s.to_numpy(dtype=object) if not isinstance(s, np.ndarray) else s
    try:
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists) in a scalar column: their text
        arr = np.array([v if not isinstance(v, (list, tuple, np.ndarray, dict)) else str(v)
                        for v in arr], dtype=object)
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


_WS_BYTES = np.zeros(256, dtype=bool)
_WS_BYTES[[9, 10, 11, 12, 13, 32]] = True


def _unicode_space(b: np.ndarray, start: np.ndarray, has: np.ndarray) -> np.ndarray:
    """Values that start with a non-ASCII white-space character (U+0085, U+00A0, U+1680,
    U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000) — what str.strip() would remove."""
    c0, c1, c2 = b[start], b[start + 1], b[start + 2]
    return has & _space_seq(c0, c1, c2)


def _unicode_space_end(b: np.ndarray, end: np.ndarray, has: np.ndarray) -> np.ndarray:
    two = _space_seq(b[end - 2], b[end - 1], np.zeros_like(b[end - 1]), two_only=True)
    three = _space_seq(b[end - 3], b[end - 2], b[end - 1], three_only=True)
    return has & (two | three)


def _space_seq(c0, c1, c2, two_only=False, three_only=False) -> np.ndarray:
    two = (c0 == 0xC2) & ((c1 == 0x85) | (c1 == 0xA0))
    three = (((c0 == 0xE1) & (c1 == 0x9A) & (c2 == 0x80)) |
             ((c0 == 0xE2) & (c1 == 0x80) & (((c2 >= 0x80) & (c2 <= 0x8A)) | (c2 == 0xA8) |
                                            (c2 == 0xA9) | (c2 == 0xAF))) |
             ((c0 == 0xE2) & (c1 == 0x81) & (c2 == 0x9F)) |
             ((c0 == 0xE3) & (c1 == 0x80) & (c2 == 0x80)))
    if two_only:
        return two
    if three_only:
        return three
    return two | three


def _trim_nulls(values, nulls: frozenset):
    """A string array stripped (only if some value has white space at an end), with the null
    spellings as nulls (checked only on values as short as the longest spelling)."""
    n = len(values)
    if n == 0:
        return values
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset:
                                                                 values.offset + n + 1]
    data = values.buffers()[2]
    lens = np.diff(offsets)
    if data is not None and len(data):
        b = np.concatenate([np.zeros(3, np.uint8), np.frombuffer(data, dtype=np.uint8),
                            np.zeros(3, np.uint8)])
        o0 = offsets[:-1].astype(np.int64) + 3
        o1 = offsets[1:].astype(np.int64) + 3
        has = lens > 0
        edge = has & (_WS_BYTES[b[o0]] | _WS_BYTES[b[o1 - 1]] |
                      _unicode_space(b, o0, has) | _unicode_space_end(b, o1, has))
        if edge.any():
            values = pc.utf8_trim_whitespace(values)
            offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset:
                                                                         values.offset + n + 1]
            lens = np.diff(offsets)
    longest = max((len(x.encode("utf-8")) for x in nulls), default=0)
    short = np.flatnonzero(values.is_valid().to_numpy(zero_copy_only=False) & (lens <= longest))
    if len(short):
        hit = pc.is_in(values.take(pa.array(short)), value_set=_null_array(nulls))
        dead = short[hit.to_numpy(zero_copy_only=False)]
        if len(dead):
            mask = np.zeros(n, dtype=bool)
            mask[dead] = True
            values = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), values)
    return values


@lru_cache(maxsize=64)
def _null_array(nulls: frozenset):
    return pa.array(sorted(nulls), pa.string())


def _clean_unique(v: object, nulls: frozenset) -> object:
    """Strip text, turn null spellings and NaN into None; natives stay natives."""
    if isinstance(v, str):
        s = v.strip()
        return None if s in nulls else s
    if _is_null_scalar(v):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


class _Scalar:
    """A scalar column as (codes, distinct values): per-value work happens on ``uniques``."""

    def __init__(self, codes: np.ndarray, uniques: list, arrow=None):
        self.codes = codes
        self.uniques = uniques
        self.arrow = arrow  # the distinct values as a pyarrow string array, when they are text

    @classmethod
    def of(cls, values, nulls: frozenset) -> _Scalar:
        if _is_arrow(values) and (pa.types.is_string(values.type) or
                                  pa.types.is_large_string(values.type)):
            enc = values.dictionary_encode()
            codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)
            codes = codes.astype(np.int64)
            d = pc.utf8_trim_whitespace(enc.dictionary)
            dead = pc.is_in(d, value_set=_null_array(nulls)).to_numpy(zero_copy_only=False)
            uniques = d.to_pylist()
            if dead.any():
                codes = np.where(codes >= 0, np.where(dead[np.maximum(codes, 0)], -1, codes), -1)
                for i in np.flatnonzero(dead):
                    uniques[i] = None
                d = pc.if_else(pa.array(dead), pa.nulls(len(d), pa.string()), d)
            return cls(codes, uniques, d)
        codes, uniques = _factorize(values)
        clean = [_clean_unique(u, nulls) for u in uniques]
        dead = np.array([c is None for c in clean], dtype=bool)
        if dead.any():
            codes = np.where(codes >= 0, np.where(dead[np.maximum(codes, 0)], -1, codes), -1)
        return cls(codes, clean)

    @classmethod
    def empty(cls, n: int) -> _Scalar:
        return cls(np.full(n, -1, dtype=np.int64), [])

    @property
    def present(self) -> np.ndarray:
        return self.codes >= 0

    def spread(self, per_unique: list, fill=None, dtype=object) -> np.ndarray:
        """Per-unique results -> per-row array."""
        table = np.empty(len(per_unique) + 1, dtype=dtype)
        table[: len(per_unique)] = per_unique
        table[-1] = fill
        return table[np.where(self.codes >= 0, self.codes, len(per_unique))]

    def map(self, fn) -> _Scalar:
        """A new column whose distinct values are ``fn(value)`` (None stays None)."""
        out = [None if u is None else fn(u) for u in self.uniques]
        dead = np.array([o is None for o in out], dtype=bool)
        codes = self.codes
        if dead.any():
            codes = np.where(codes >= 0, np.where(dead[np.maximum(codes, 0)], -1, codes), -1)
        return _Scalar(codes, out)

    def rows_of(self, unique_ids) -> np.ndarray:
        """Row positions whose value is one of ``unique_ids``, in row order."""
        if not len(unique_ids):
            return np.zeros(0, dtype=np.int64)
        mark = np.zeros(len(self.uniques) + 1, dtype=bool)
        mark[list(unique_ids)] = True
        return np.flatnonzero(mark[np.where(self.codes >= 0, self.codes, len(self.uniques))])


# --------------------------------------------------------------------------- problems
class _Collector:
    def __init__(self, first_row: int, n: int):
        self.first_row = first_row
        self.n = n
        self.by_row: dict[int, list[Problem]] = defaultdict(list)

    def add(self, positions, column: str, values, messages, code: str) -> None:
        """One problem per position; ``values``/``messages`` are per position or one for all."""
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):
            return
        if isinstance(messages, str):
            messages = [messages] * len(positions)
        for pos, v, msg in zip(positions.tolist(), values, messages, strict=True):
            self.by_row[pos].append(Problem(self.first_row + pos, column, _show(v), msg, code))

    def add_scalar(self, col: _Scalar, bad: dict[int, tuple[str, str]], column: str,
                   shown: list) -> None:
        """Problems for every row whose distinct value ``u`` is in ``bad`` (u -> (code, msg))."""
        if not bad:
            return
        rows = col.rows_of(list(bad))
        us = col.codes[rows]
        for pos, u in zip(rows.tolist(), us.tolist(), strict=True):
            code, msg = bad[u]
            self.by_row[pos].append(Problem(self.first_row + pos, column, _show(shown[u]), msg,
                                            code))


def _label(spec: FieldSpec) -> str:
    if spec.mode == "const":
        return spec.target
    src = "+".join(spec.sources)
    return spec.target if src == spec.target else f"{src} ({spec.target})"


# --------------------------------------------------------------------------- vocabularies
def _lookup(values: dict, rules: tuple, text: str) -> object:
    """The canonical value of ``text`` by the field's ``values`` map, then its ordered rules."""
    if values:
        hit = values.get(text, _MISSING)
        if hit is _MISSING:
            hit = values.get(_nfkc(text), _MISSING)
        if hit is not _MISSING:
            return hit
    if rules:
        norm = _nfkc(text)
        for needles, value in rules:
            if any(n in norm for n in needles):
                return value
    return _MISSING


def _mapped(col: _Scalar, spec: FieldSpec, allowed: tuple[str, ...] = ()) -> _Scalar:
    """Apply ``values`` and ``rules`` to the distinct values (allowed codes are left alone)."""
    if not spec.values and not spec.rules:
        return col
    allowed_set = set(allowed)

    def fn(u):
        key = u if isinstance(u, str) else _key(u)
        if key in allowed_set and key not in spec.values:
            return u
        hit = _lookup(spec.values, spec.rules, key)
        return u if hit is _MISSING else hit

    out = [None if u is None else fn(u) for u in col.uniques]
    return _Scalar(col.codes, out)


# --------------------------------------------------------------------------- numbers
def _numbers(uniques: list) -> np.ndarray:
    """Distinct values -> float64 (NaN where not a finite number)."""
    prepared = []
    for u in uniques:
        if isinstance(u, str):
            prepared.append(_NUM_CLEAN.sub("", _nfkc(u)))
        elif isinstance(u, bool) or u is None:
            prepared.append(None if u is None else float(u))
        else:
            prepared.append(u)
    if not prepared:
        return np.zeros(0, dtype=np.float64)
    num = pd.to_numeric(pd.Series(prepared, dtype=object), errors="coerce")
    out = np.array(num.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    out[~np.isfinite(out)] = np.nan
    return out


# --------------------------------------------------------------------------- dates
_TIME_PART = re.compile(r"^(.*?[\d日])(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                        r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?|[ T]+0{1,2}时?)$")
_DIRECTIVES = {
    "Y": r"(?P<Y>\d\d\d\d)",
    "y": r"(?P<y>\d\d)",
    "m": r"(?P<m>1[0-2]|0[1-9]|[1-9])",
    "d": r"(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])",
    "H": r"(?:2[0-3]|[0-1]\d|\d)",
    "M": r"(?:[0-5]\d|\d)",
    "S": r"(?:6[0-1]|[0-5]\d|\d)",
    "%": "%",
}


@lru_cache(maxsize=64)
def _format_regex(fmt: str) -> re.Pattern | None:
    """strptime format -> a regex with groups Y/y, m, d (None for directives not handled here:
    those values go through ``datetime.strptime``)."""
    out = []
    i = 0
    seen = set()
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            d = fmt[i + 1]
            if d not in _DIRECTIVES or (d in seen and d in "Yymd"):
                return None
            seen.add(d)
            out.append(_DIRECTIVES[d])
            i += 2
        elif ch.isspace():
            out.append(r"\s+")
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    if not ({"Y", "y"} & seen and "m" in seen and "d" in seen):
        return None
    return re.compile("".join(out))


@lru_cache(maxsize=200_000)
def _parse_date_text(text: str, formats: tuple[str, ...], strip_time: bool) -> _dt.date | None:
    if formats[0] == "%Y-%m-%d" and len(text) == 10 and text[4] == "-" and text[7] == "-" \
            and text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit():
        try:  # the common case, strictly: 2021-02-30 is not a date
            return _dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            pass
    s = _nfkc(text).strip()
    if strip_time:
        m = _TIME_PART.match(s)
        if m and m.group(1):
            s = m.group(1)
    for fmt in formats:
        rx = _format_regex(fmt)
        if rx is None:
            try:
                return _dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        m = rx.fullmatch(s)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["Y"]) if g.get("Y") else 2000 + int(g["y"]) if int(g["y"]) < 69 else \
            1900 + int(g["y"])
        try:
            return _dt.date(year, int(g["m"]), int(g["d"].strip()))
        except ValueError:
            continue
    return None


_TIME_PART_RE2 = (r"^(.*?[\d日])(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                  r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?|[ T]+0{1,2}时?)$")
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_NAT = np.iinfo(np.int64).min


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of (valid) proleptic Gregorian dates, vectorised."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _valid_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (y >= 1)
    dim = _DAYS_IN_MONTH[np.clip(m, 0, 12)] + ((m == 2) & leap)
    return ok & (d <= dim)


def _group_ints(struct, name: str) -> np.ndarray:
    col = pc.utf8_trim_whitespace(struct.field(name))
    col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    return pc.fill_null(col.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)


# zero-padded all-digit layouts read from the bytes when the profile tries them first
# (separator, width)
_FIXED_DATES = {"%Y-%m-%d": ("-", 10), "%Y/%m/%d": ("/", 10), "%Y.%m.%d": (".", 10),
                "%Y%m%d": ("", 8)}


def _fixed_dates(texts, layouts: list[tuple[str, int]], out: np.ndarray) -> np.ndarray:
    """Values of exactly one of the layouts (``2021-05-03``, ``20210503``: ASCII digits, a
    valid day) read straight from the array's bytes into ``out``; returns which were read (and
    the nulls). The others are left to the regular expressions (the same values: ASCII digits
    of a layout need no normalisation, and no format tried before it reads them)."""
    n = len(texts)
    valid = texts.is_valid().to_numpy(zero_copy_only=False)
    done = ~valid  # nulls: no date either way
    data = texts.buffers()[2]
    if data is None or not len(data):
        return done
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[texts.offset:texts.offset + n + 1]
    lens = np.diff(offsets)
    raw = np.frombuffer(data, dtype=np.uint8)
    for sep, width in layouts:
        cand = np.flatnonzero((lens == width) & ~done)
        if not len(cand):
            continue
        c = raw[offsets[cand].astype(np.int64)[:, None] + np.arange(width)]
        cols = [0, 1, 2, 3, 5, 6, 8, 9] if sep else list(range(8))
        d = c[:, cols].astype(np.int64) - 48
        ok = ((d >= 0) & (d <= 9)).all(axis=1)
        if sep:
            ok &= (c[:, 4] == ord(sep)) & (c[:, 7] == ord(sep))
        y = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
        m = d[:, 4] * 10 + d[:, 5]
        dd = d[:, 6] * 10 + d[:, 7]
        ok &= _valid_ymd(y, m, dd)
        rows = cand[ok]
        out[rows] = _days_from_civil(y[ok], m[ok], dd[ok])
        done[rows] = True
    return done


def _parse_dates_arrow(texts, formats: tuple[str, ...], strip_time: bool) -> np.ndarray:
    """Days since 1970 (``_NAT`` where no format reads it) for a pyarrow string array."""
    n = len(texts)
    out = np.full(n, _NAT, dtype=np.int64)
    if n == 0:
        return out
    # the fixed layouts the profile tries first, straight from the bytes: they read disjoint
    # values (another separator or width), so their order among themselves does not matter
    fixed = []
    for fmt in formats:
        if fmt not in _FIXED_DATES:
            break
        fixed.append(_FIXED_DATES[fmt])
    if fixed and pa.types.is_string(texts.type):
        done = _fixed_dates(texts, fixed, out)
        if done.all():
            return out
        if done.any():  # the rest through the regular expressions
            rest = np.flatnonzero(~done)
            out[rest] = _parse_dates_general(texts.take(pa.array(rest)), formats, strip_time)
            return out
    return _parse_dates_general(texts, formats, strip_time, out)


def _parse_dates_general(texts, formats: tuple[str, ...], strip_time: bool,
                         out: np.ndarray | None = None) -> np.ndarray:
    n = len(texts)
    if out is None:
        out = np.full(n, _NAT, dtype=np.int64)
    s = pc.utf8_trim_whitespace(pc.utf8_normalize(texts, "NFKC"))
    if strip_time:
        s = pc.replace_substring_regex(s, _TIME_PART_RE2, r"\1")
    todo = s.is_valid().to_numpy(zero_copy_only=False)
    for fmt in formats:
        if not todo.any():
            break
        rx = _format_regex(fmt)
        idx = np.flatnonzero(todo)
        if rx is None:  # a directive only strptime knows: those values one by one
            for i, text in zip(idx.tolist(), s.take(pa.array(idx)).to_pylist(), strict=True):
                try:
                    d = _dt.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
                out[i] = d.toordinal() - _UNIX_ORDINAL
                todo[i] = False
            continue
        sub = s.take(pa.array(idx))
        m = pc.extract_regex(sub, "^" + rx.pattern + "$")
        hit = m.is_valid().to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        names = set(rx.groupindex)
        if "Y" in names:
            y = _group_ints(m, "Y")
        else:
            yy = _group_ints(m, "y")
            y = np.where(yy < 69, 2000 + yy, 1900 + yy)
        mo, dd = _group_ints(m, "m"), _group_ints(m, "d")
        ok = hit & _valid_ymd(y, mo, dd)
        sel = idx[ok]
        out[sel] = _days_from_civil(y[ok], mo[ok], dd[ok])
        todo[sel] = False
    return out


def _is_zero_date(text: str) -> bool:
    digits = re.sub(r"\D", "", _nfkc(text))
    return len(digits) >= 6 and set(digits) == {"0"}


# --------------------------------------------------------------------------- lists
class _Flat:
    """List cells flattened: ``parent`` row of each item, ``items`` (a pyarrow string array), and
    ``null`` rows (unknown, as opposed to a known-empty list)."""

    def __init__(self, parent: np.ndarray, items: np.ndarray, null: np.ndarray):
        self.parent = parent
        self.items = items
        self.null = null


def _data_bytes(arr) -> bytes:
    """The UTF-8 bytes behind a pyarrow string array's values (for a fast substring test; a
    sliced array may show more bytes than its own, which only costs a needless replace)."""
    buf = arr.buffers()[2]
    return buf.to_pybytes() if buf is not None else b""


def _split_regex(seps: tuple[str, ...]) -> str | None:
    return "|".join(re.escape(x) for x in seps) if seps else None


def _flatten(values, n: int, nulls: frozenset, seps: tuple[str, ...]) -> _Flat:
    """Any raw list column (text to split, arrow lists, Python lists, mixed) -> :class:`_Flat`."""
    if values is None:
        return _Flat(np.zeros(0, np.int64), pa.array([], pa.string()), np.ones(n, dtype=bool))
    if _is_arrow(values) and (pa.types.is_string(values.type) or
                              pa.types.is_large_string(values.type)):
        trimmed = pc.utf8_trim_whitespace(values)
        null = pc.or_kleene(pc.is_null(trimmed), pc.is_in(trimmed, value_set=_null_array(nulls)))
        null = null.fill_null(True).to_numpy(zero_copy_only=False)
        if not seps:
            lists = pa.ListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int32)), trimmed)
        else:
            # every separator that occurs becomes the first one, then one plain split (much
            # faster than a regular-expression split)
            text = trimmed
            raw = _data_bytes(trimmed)
            for sep in seps[1:]:
                if sep.encode("utf-8") in raw:
                    text = pc.replace_substring(text, sep, seps[0])
            lists = pc.split_pattern(text, seps[0])
        return _from_arrow_lists(lists, null)
    if _is_arrow(values) and (pa.types.is_list(values.type) or
                              pa.types.is_large_list(values.type)):
        null = values.is_null().to_numpy(zero_copy_only=False)
        inner = values.type.value_type
        if not (pa.types.is_string(inner) or pa.types.is_large_string(inner)):
            flat = values.flatten()
            casted = pa.array([None if x is None else str(x) for x in flat.to_pylist()],
                              pa.string())
            offsets = values.offsets
            values = pa.ListArray.from_arrays(offsets, casted, mask=values.is_null())
        return _from_arrow_lists(values, null, strip=True)
    # Python objects (pandas Series / arrow of other types)
    arr = values.to_pylist() if _is_arrow(values) else values.to_numpy(dtype=object).tolist()
    rx = re.compile(_split_regex(seps)) if seps else None
    parent: list[int] = []
    items: list[str] = []
    null = np.zeros(n, dtype=bool)
    for i, v in enumerate(arr):
        if isinstance(v, str):
            s = v.strip()
            if s in nulls:
                null[i] = True
                continue
            parts = [x.strip() for x in rx.split(s)] if rx else [s]
        elif isinstance(v, (list, tuple, np.ndarray)):
            parts = [str(x).strip() for x in v if x is not None]
        elif _is_null_scalar(v):
            null[i] = True
            continue
        else:
            parts = [str(v)]
        for x in parts:
            if x:
                parent.append(i)
                items.append(x)
    return _Flat(np.asarray(parent, dtype=np.int64), pa.array(items, pa.string()), null)


def _from_arrow_lists(lists, null: np.ndarray, strip: bool = True) -> _Flat:
    parent = pc.list_parent_indices(lists)
    flat = pc.list_flatten(lists)
    if strip:
        flat = pc.utf8_trim_whitespace(flat)
    keep = pc.and_(pc.is_valid(flat), pc.greater(pc.utf8_length(flat.fill_null("")), 0))
    parent = parent.filter(keep).to_numpy(zero_copy_only=False).astype(np.int64)
    items = flat.filter(keep)
    if len(parent) and null.any():
        ok = ~null[parent]
        parent, items = parent[ok], items.filter(pa.array(ok))
    if items.type != pa.string():
        items = items.cast(pa.string())
    return _Flat(parent, items, null)


_SHIFTS = 8


def _dedupe(parent: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Mask keeping the first occurrence of each id within its row (rows sorted, order kept).

    No hashing: each item is compared with the up to 8 items before it in its row; rows of more
    than 9 items are checked one by one.
    """
    m = len(parent)
    keep = np.ones(m, dtype=bool)
    if m < 2:
        return keep
    first = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
    rank = np.arange(m) - np.repeat(first, np.diff(np.r_[first, m]))
    longest = int(rank.max())
    for j in range(1, min(longest, _SHIFTS) + 1):
        dup = (rank[j:] >= j) & (ids[j:] == ids[:-j])
        keep[j:] &= ~dup
    if longest > _SHIFTS:
        for r in np.unique(parent[rank > _SHIFTS]).tolist():
            lo, hi = np.searchsorted(parent, [r, r + 1])
            seen: set = set()
            for i in range(lo, hi):
                keep[i] = ids[i] not in seen
                seen.add(ids[i])
    return keep


def _encode(items) -> tuple[np.ndarray, object]:
    """(integer id per item, the distinct items as a pyarrow array)."""
    enc = items.dictionary_encode()
    return enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary


def _lists_from_flat(parent: np.ndarray, values: np.ndarray, null: np.ndarray,
                     n: int) -> np.ndarray:
    """Object array of Python lists (None for null rows)."""
    flat = values.tolist()
    off = np.searchsorted(parent, np.arange(n + 1)).tolist()
    out = np.empty(n, dtype=object)
    with _no_gc():  # a million small lists would otherwise trigger collection after collection
        out[:] = [flat[a:b] for a, b in zip(off[:-1], off[1:], strict=True)]
    if null.any():
        out[null] = None
    return out


def _check_item(name: str, allowed: tuple[str, ...], v: str) -> tuple[str | None, str | None,
                                                                      str | None]:
    """(clean value, code, message) for one list item after mapping."""
    if name == "ipc":
        norm = normalize_ipc(v)
        if norm is None:
            return None, "not_ipc", "is not an IPC code; write it like H04L27/26 or H04L"
        return norm, None, None
    if name in ("family_countries", "overseas_granted"):
        nv = _nfkc(v)
        code = _JURISDICTIONS.get(v, _JURISDICTIONS.get(nv, _JURISDICTIONS.get(nv.upper(), v)))
        if not _JURIS.match(code):
            return None, "not_a_jurisdiction", (
                "is not a jurisdiction; use a two-letter code such as US, EP, JP, KR, HK or a "
                "Chinese name such as 美国")
        return code, None, None
    if allowed and v not in allowed:
        return None, "unknown_value", f"is not an allowed value; use one of {', '.join(allowed)}"
    return v, None, None


# --------------------------------------------------------------------------- conversion
class _Converter:
    def __init__(self, raw: _Raw, profile: Profile, first_row: int, excel: bool):
        self.raw = raw
        self.n = raw.n
        self.profile = profile
        self.coll = _Collector(first_row, raw.n)
        self.notes: list[str] = []
        self.excel = excel
        self.bad_id = np.zeros(raw.n, dtype=bool)
        self.missing: list[str] = []
        self.number_types = None

    def nulls(self, spec: FieldSpec | None = None) -> frozenset:
        extra = spec.null_values if spec is not None else ()
        return frozenset(self.profile.null_values) | frozenset(extra)

    def source(self, name: str):
        return self.raw.get(name) if name in self.raw else None

    def scalar(self, name: str, nulls: frozenset) -> _Scalar:
        values = self.source(name)
        return _Scalar.empty(self.n) if values is None else _Scalar.of(values, nulls)

    # ------------------------------------------------------------------ one field
    def field(self, col: Column, spec: FieldSpec):
        label = _label(spec)
        nulls = self.nulls(spec)
        missing = [c for c in spec.sources if c not in self.raw]
        if missing:
            self.missing.append(col.name if missing == [col.name] else
                                f"{col.name} ({', '.join(missing)})")
        if col.kind == "list":
            return self.list_field(col, spec, label, nulls)
        if col.kind == "str" and spec.mode == "from" and spec.op is None:
            values = self.source(spec.sources[0])
            if values is not None and _is_arrow(values) and pa.types.is_string(values.type):
                return self.text_direct(col, spec, values, label, nulls)
        if spec.mode == "const":
            src = _Scalar(np.zeros(self.n, dtype=np.int64) if spec.const is not None else
                          np.full(self.n, -1, dtype=np.int64), [spec.const])
        elif spec.mode == "sum":
            src = self.sum_field(col, spec, nulls)
        elif spec.mode == "concat":  # concat into a scalar column: its items joined by ';'
            parent, ids, dictionary, null = self.concat_flat(spec, nulls)
            values = dictionary.to_numpy(zero_copy_only=False)[ids]
            lists = _lists_from_flat(parent, values, null, self.n)
            joined = pd.Series([None if v is None else ";".join(v) for v in lists], dtype=object)
            src = _Scalar.of(joined, nulls)
        else:
            src = self.scalar(spec.sources[0], nulls)
        if spec.prefix:
            src = src.map(lambda v: f"{spec.prefix}{_key(v)}")
        return self.typed(col, spec, src, label)

    def sum_field(self, col: Column, spec: FieldSpec, nulls: frozenset) -> _Scalar:
        total = np.zeros(self.n, dtype=np.float64)
        unknown = np.zeros(self.n, dtype=bool)
        for c in spec.sources:
            part = self.scalar(c, nulls)
            num_u = _numbers(part.uniques)
            bad = {u: ("not_a_number", "is not a number; give a whole number ≥ 0")
                   for u in np.flatnonzero(np.isnan(num_u)) if part.uniques[u] is not None}
            self.coll.add_scalar(part, bad, f"{c} ({col.name})", part.uniques)
            num = part.spread(list(num_u), fill=np.nan, dtype=np.float64)
            unknown |= np.isnan(num)
            total += np.nan_to_num(num)
        codes, uniques = pd.factorize(np.where(unknown, np.nan, total), use_na_sentinel=True)
        return _Scalar(codes.astype(np.int64), [float(u) for u in uniques])

    # ------------------------------------------------------------------ typed scalars
    def typed(self, col: Column, spec: FieldSpec, src: _Scalar, label: str):
        kind = col.kind
        if spec.op == "positive":
            src = _mapped(src, spec)
            num_u = _numbers(src.uniques)
            bad = {u: ("not_a_number", "is not a number; give a count ≥ 0")
                   for u in np.flatnonzero(np.isnan(num_u)) if src.uniques[u] is not None}
            self.coll.add_scalar(src, bad, label, src.uniques)
            num = src.spread(list(num_u), fill=np.nan, dtype=np.float64)
            out = pd.array(num > 0, dtype="boolean")
            out[np.isnan(num)] = pd.NA
            return out
        if kind == "str":
            return self.text_field(col, src, label)
        if kind == "category":
            return self.category(col, spec, src, label)
        if kind == "bool":
            return self.boolean(spec, src, label)
        if kind in ("int", "float"):
            return self.number(col, spec, src, label)
        if kind == "date":
            return self.date(spec, src, label)
        raise AssertionError(f"unknown kind {kind}")

    def text_field(self, col: Column, src: _Scalar, label: str):
        texts = [None if u is None else (u if isinstance(u, str) else _key(u))
                 for u in src.uniques]
        if col.name not in _NUMBER_COLUMNS:
            return src.spread(texts)
        arr = pa.array(texts, type=pa.string())
        norm_u, type_u, err_u = parse_patent_number_array(arr)
        bad = {}
        for u in np.flatnonzero(pd.notna(err_u)):
            msg = err_u[u]
            code = "bad_check_digit" if "check digit" in msg else "not_a_patent_number"
            bad[int(u)] = (code, msg)
        self.coll.add_scalar(src, bad, label, texts)
        if col.name == "patent_id":
            self.number_types = src.spread(list(type_u))
            self.bad_id = src.rows_of(list(bad))
        norm_u = np.where(pd.notna(err_u), None, norm_u)
        return src.spread(list(norm_u))

    def text_direct(self, col: Column, spec: FieldSpec, values, label: str, nulls: frozenset):
        """A text column read straight from a pyarrow string array (no distinct-value step:
        titles, ids and numbers are nearly all distinct)."""
        text = _trim_nulls(values, nulls)
        if spec.prefix:
            text = pc.binary_join_element_wise(spec.prefix, text, "")
        if col.name not in _NUMBER_COLUMNS:
            return text.to_numpy(zero_copy_only=False)
        norm, types, err = parse_patent_number_array(text)
        bad = np.flatnonzero(pd.notna(err))
        if len(bad):
            shown = text.take(pa.array(bad)).to_pylist()
            for pos, v in zip(bad.tolist(), shown, strict=True):
                msg = err[pos]
                code = "bad_check_digit" if "check digit" in msg else "not_a_patent_number"
                self.coll.add([pos], label, [v], [msg], code)
            norm[bad] = None
        if col.name == "patent_id":
            self.number_types = types
            self.bad_id = bad
        return norm

    def category(self, col: Column, spec: FieldSpec, src: _Scalar, label: str):
        mapped = _mapped(src, spec, col.allowed)
        texts = [None if u is None else _key(u) for u in mapped.uniques]
        allowed = set(col.allowed)
        known = ", ".join(spec.values) if spec.values else ""
        hint = f"; or one of the source spellings {known}" if known else ""
        rules = "; or a text the profile's rules map" if spec.rules else ""
        msg = f"is not an allowed value; use one of {', '.join(col.allowed)}{hint}{rules}"
        bad = {u: ("unknown_value", msg) for u, t in enumerate(texts)
               if t is not None and t not in allowed}
        self.coll.add_scalar(mapped, bad, label, mapped.uniques)
        clean = [None if (t is None or u in bad) else t for u, t in enumerate(texts)]
        return mapped.spread(clean)

    def boolean(self, spec: FieldSpec, src: _Scalar, label: str):
        mapped = _mapped(src, spec)
        trues = _TRUE | {v.lower() for v in self.profile.true_values}
        falses = _FALSE | {v.lower() for v in self.profile.false_values}

        def to_bool(v):
            if isinstance(v, (bool, np.bool_)):
                return bool(v)
            t = _nfkc(_key(v)).lower()
            if t in trues:
                return True
            if t in falses:
                return False
            return _MISSING

        vals = [None if u is None else to_bool(u) for u in mapped.uniques]
        bad = {u: ("not_yes_no", "is not yes/no; use true/false, 1/0 or 是/否")
               for u, v in enumerate(vals) if v is _MISSING}
        self.coll.add_scalar(mapped, bad, label, mapped.uniques)
        t = np.array([v is True for v in vals] + [False], dtype=bool)
        known = np.array([v is True or v is False for v in vals] + [False], dtype=bool)
        idx = np.where(mapped.codes >= 0, mapped.codes, len(vals))
        out = pd.array(t[idx], dtype="boolean")
        out[~known[idx]] = pd.NA
        return out

    def number(self, col: Column, spec: FieldSpec, src: _Scalar, label: str):
        mapped = _mapped(src, spec)
        num = _numbers(mapped.uniques)
        if spec.scale is not None:
            num = num * spec.scale
        kind = col.kind
        unit = "a whole number" if kind == "int" else "a number"
        ge = f" ≥ {col.min_value:g}" if col.min_value is not None else ""
        bad: dict[int, tuple[str, str]] = {}
        for u in np.flatnonzero(np.isnan(num)):
            if mapped.uniques[u] is not None:
                bad[int(u)] = ("not_a_number", f"is not {unit}; give {unit}{ge}")
        ok = ~np.isnan(num)
        if kind == "int":
            big = ok & (np.abs(np.nan_to_num(num)) > _INT_LIMIT)
            for u in np.flatnonzero(big):
                bad[int(u)] = ("too_large", f"is too large for a count (more than {_INT_LIMIT:,});"
                               " check the value")
            ok &= ~big
            frac = ok & (np.mod(np.nan_to_num(num), 1) != 0)
            for u in np.flatnonzero(frac):
                bad[int(u)] = ("not_whole", "is not a whole number; give a whole number")
            ok &= ~frac
        if col.min_value is not None:
            low = ok & (np.nan_to_num(num) < col.min_value)
            for u in np.flatnonzero(low):
                bad[int(u)] = ("below_min", f"is below {col.min_value:g}; give a value "
                               f"≥ {col.min_value:g}")
            ok &= ~low
        self.coll.add_scalar(mapped, {u: bad[u] for u in sorted(bad)}, label, mapped.uniques)
        good = np.where(ok, num, np.nan)
        values = mapped.spread(list(good), fill=np.nan, dtype=np.float64)
        if kind == "float":
            return values.astype("float64")
        mask = np.isnan(values)
        return pd.arrays.IntegerArray(np.round(np.nan_to_num(values)).astype(np.int64), mask)

    def date(self, spec: FieldSpec, src: _Scalar, label: str):
        formats = self.profile.date_formats
        strip_time = not any("%H" in f for f in formats)
        fmts = ", ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
                         for f in formats)
        not_date = f"is not a date; use YYYY-MM-DD (accepted here: {fmts})"
        uniques = src.uniques
        if src.arrow is not None:
            texts = src.arrow
            natives: list[int] = []
        else:
            texts = pa.array([u if isinstance(u, str) else None for u in uniques], pa.string())
            natives = [i for i, u in enumerate(uniques) if u is not None and
                       not isinstance(u, str)]
        days = _parse_dates_arrow(texts, formats, strip_time)
        for u in natives:
            v = uniques[u]
            d = None
            if isinstance(v, (pd.Timestamp, _dt.datetime)):
                d = v.date()
            elif isinstance(v, _dt.date):
                d = v
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                d = _parse_date_text(_key(v), formats, strip_time)
                if d is None and self.excel and 1 <= v < 2958466:
                    d = _EXCEL_EPOCH + _dt.timedelta(days=int(v))
            else:
                d = _parse_date_text(str(v), formats, strip_time)
            if d is not None:
                days[u] = d.toordinal() - _UNIX_ORDINAL
        present = np.array([u is not None for u in uniques], dtype=bool)
        lo = _dt.date(_MIN_YEAR, 1, 1).toordinal() - _UNIX_ORDINAL
        hi = _dt.date(_MAX_YEAR, 12, 31).toordinal() - _UNIX_ORDINAL
        failed = present & (days == _NAT)
        outside = present & (days != _NAT) & ((days < lo) | (days > hi))
        bad: dict[int, tuple[str, str]] = {}
        for u in np.flatnonzero(failed | outside).tolist():
            text = _show(uniques[u])
            if failed[u]:
                if isinstance(uniques[u], str) and _is_zero_date(text):
                    bad[u] = ("not_a_date", "is a database's empty-date placeholder, not a date; "
                              "leave the cell empty, or list it under null_values in the profile")
                else:
                    bad[u] = ("not_a_date", not_date)
            else:
                year = (np.datetime64(int(days[u]), "D").astype("datetime64[Y]").astype(int)
                        + 1970)
                hint = (" (9999-12-31 is often a database's 'no end date': leave the cell empty "
                        "or list it under null_values in the profile)" if year >= 9000 else "")
                bad[u] = ("date_out_of_range",
                          f"is outside {_MIN_YEAR}–{_MAX_YEAR}; check the year{hint}")
            days[u] = _NAT
        self.coll.add_scalar(src, bad, label, uniques)
        table = np.append(days, _NAT)
        ns = np.where(table == _NAT, _NAT, table * 86_400_000_000_000)
        return ns[np.where(src.codes >= 0, src.codes, len(days))].view("datetime64[ns]")

    # ------------------------------------------------------------------ lists
    def concat_flat(self, spec: FieldSpec, nulls: frozenset):
        """Several list columns as one: (parent, ids, distinct items, null rows); duplicates
        across the sources are dropped (as written, before any mapping)."""
        parts = [_flatten(self.source(c), self.n, nulls, self.profile.list_separators)
                 for c in spec.sources]
        null = np.logical_and.reduce([p.null for p in parts])
        parent = np.concatenate([p.parent for p in parts])
        items = pa.concat_arrays([p.items for p in parts]) if len(parts) > 1 else parts[0].items
        ids, dictionary = _encode(items)
        if len(parts) > 1:
            order = np.argsort(parent, kind="stable")
            parent, ids = parent[order], ids[order]
            keep = _dedupe(parent, ids)
            parent, ids = parent[keep], ids[keep]
        return parent, ids, dictionary, null

    def list_field(self, col: Column, spec: FieldSpec, label: str, nulls: frozenset):
        checked = bool(spec.values or spec.rules or col.allowed or col.name in _CHECKED_LISTS)
        if spec.mode == "from":
            values = self.source(spec.sources[0])
            if values is not None and _is_arrow(values) and pa.types.is_string(values.type):
                enc = values.dictionary_encode()
                if len(enc.dictionary) <= max(64, self.n // 8):
                    return self.list_by_cell(col, spec, label, nulls, enc)
        if spec.mode == "concat":
            parent, ids, dictionary, null = self.concat_flat(spec, nulls)
        else:
            if spec.mode == "const":
                values = pd.Series([spec.const] * self.n, dtype=object)
            else:
                values = self.source(spec.sources[0])
            flat = _flatten(values, self.n, nulls, self.profile.list_separators)
            parent, null = flat.parent, flat.null
            ids, dictionary = _encode(flat.items)
        if not len(ids):
            return _lists_from_flat(parent, np.zeros(0, object), null, self.n)
        if not checked:
            # free text items (applicants, inventors, family members): only duplicates go; the
            # same name in many rows is one Python string
            keep = _dedupe(parent, ids)
            values = dictionary.to_numpy(zero_copy_only=False)[ids[keep]]
            return _lists_from_flat(parent[keep], values, null, self.n)
        uniq = dictionary.to_pylist()
        clean_u = np.empty(len(uniq), dtype=object)
        bad_code = np.full(len(uniq), None, dtype=object)
        bad_msg = np.full(len(uniq), None, dtype=object)
        for u, item in enumerate(uniq):
            v = item
            if spec.values or spec.rules:
                hit = _lookup(spec.values, spec.rules, item)
                if hit is not _MISSING:
                    v = str(hit)
            clean_u[u], bad_code[u], bad_msg[u] = _check_item(col.name, col.allowed, v)
        is_bad = np.array([c is not None for c in bad_code], dtype=bool)
        if is_bad.any():
            for r in np.flatnonzero(is_bad[ids]).tolist():
                u = ids[r]
                self.coll.add([parent[r]], label, [uniq[u]], [bad_msg[u]], bad_code[u])
            keep = ~is_bad[ids]
            parent, ids = parent[keep], ids[keep]
        if not len(ids):
            return _lists_from_flat(parent, np.zeros(0, object), null, self.n)
        # distinct clean values (two spellings may give one code: H04L 27/26 and H04L27/26)
        cid_of_u, cuniq = pd.factorize(np.where(is_bad, "", clean_u).astype(object))
        cid = cid_of_u.astype(np.int64)[ids]
        keep = _dedupe(parent, cid)
        values = np.asarray(cuniq, dtype=object)[cid[keep]]
        return _lists_from_flat(parent[keep], values, null, self.n)

    def list_by_cell(self, col: Column, spec: FieldSpec, label: str, nulls: frozenset, enc):
        """A list column with few distinct cells (tags, countries, awards): each distinct cell
        is split and checked once; rows get their own copy of its list."""
        cells = enc.dictionary.to_pylist()
        codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        seps = self.profile.list_separators
        rx = re.compile(_split_regex(seps)) if seps else None
        checked = bool(spec.values or spec.rules or col.allowed or col.name in _CHECKED_LISTS)
        lists: list = []
        errors: list = []
        for cell in cells:
            s = cell.strip() if cell is not None else None
            if s is None or s in nulls:
                lists.append(None)
                errors.append(())
                continue
            raw_items = [x.strip() for x in rx.split(s)] if rx else [s]
            clean: list[str] = []
            errs = []
            for item in raw_items:
                if not item:
                    continue
                v = item
                if checked:
                    if spec.values or spec.rules:
                        hit = _lookup(spec.values, spec.rules, item)
                        if hit is not _MISSING:
                            v = str(hit)
                    v, code, msg = _check_item(col.name, col.allowed, v)
                    if code is not None:
                        errs.append((item, code, msg))
                        continue
                if v not in clean:
                    clean.append(v)
            lists.append(clean)
            errors.append(tuple(errs))
        bad_cells = [i for i, e in enumerate(errors) if e]
        if bad_cells:
            for r in _Scalar(codes, cells).rows_of(bad_cells).tolist():
                for item, code, msg in errors[codes[r]]:
                    self.coll.add([r], label, [item], [msg], code)
        out = np.empty(self.n, dtype=object)
        with _no_gc():
            table = lists + [None]
            pick = np.where(codes >= 0, codes, len(lists)).tolist()
            out[:] = [None if (x := table[c]) is None else x.copy() for c in pick]
        return out

    # ------------------------------------------------------------------ the rest
    def outcome(self, values, label: str) -> pd.api.extensions.ExtensionArray:
        src = _Scalar.of(values, self.nulls())
        num = _numbers(src.uniques)
        bad = {u: ("not_an_outcome", "is not an outcome; use 1 (happened) or 0 (did not)")
               for u, x in enumerate(num) if src.uniques[u] is not None and x not in (0.0, 1.0)}
        self.coll.add_scalar(src, bad, label, src.uniques)
        good = [np.nan if (u in bad) else x for u, x in enumerate(num)]
        vals = src.spread(good, fill=np.nan, dtype=np.float64)
        mask = np.isnan(vals)
        return pd.arrays.IntegerArray(np.nan_to_num(vals).astype(np.int8), mask)

    def extra(self, values) -> np.ndarray:
        src = _Scalar.of(values, frozenset())
        return src.spread([None if u is None else (u if isinstance(u, str) else _key(u))
                           for u in src.uniques])


def _empty(col: Column, n: int):
    kind = col.kind
    if kind == "int":
        return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool))
    if kind == "float":
        return np.full(n, np.nan)
    if kind == "bool":
        return pd.array([pd.NA] * n, dtype="boolean")
    if kind == "date":
        return np.full(n, np.iinfo(np.int64).min, dtype=np.int64).view("datetime64[ns]")
    return np.full(n, None, dtype=object)


def convert_frame(raw, profile: Profile, first_row: int = 1, *, excel: bool = False,
                  ) -> tuple[pd.DataFrame, dict[int, list[Problem]], list[str]]:
    """Convert raw rows (a pandas DataFrame or a pyarrow Table of the source's columns).

    Returns (records, problems by row position, notes about the file). ``excel``: numbers in
    date columns are Excel serial days. The cyclic garbage collector is paused meanwhile (the
    records are hundreds of thousands of small lists, which cannot form cycles).
    """
    with _no_gc():
        return _convert_frame(raw, profile, first_row, excel)


def _convert_frame(raw, profile: Profile, first_row: int, excel: bool):
    if isinstance(raw, pd.DataFrame):
        raw = raw.reset_index(drop=True)
    src = _Raw(raw)
    cv = _Converter(src, profile, first_row, excel)
    specs = {s.target: s for s in profile.fields}
    data: dict[str, object] = {}
    for col in COLUMNS:
        spec = specs.get(col.name)
        data[col.name] = _empty(col, src.n) if spec is None else cv.field(col, spec)
    if profile.outcomes is None:
        for c in src.columns:
            if str(c).startswith(OUTCOME_PREFIX):
                data[c] = cv.outcome(src.get(c), str(c))
    else:
        for target, name in profile.outcomes.items():
            if name in src:
                data[target] = cv.outcome(src.get(name), f"{name} ({target})")
            else:
                cv.notes.append(f"{target}: source column {name} not in the file")
    for target, name in profile.extra.items():
        if name in src:
            data[target] = cv.extra(src.get(name))
    if cv.missing:
        shown = ", ".join(cv.missing[:8]) + (f" … and {len(cv.missing) - 8} more"
                                             if len(cv.missing) > 8 else "")
        cv.notes.insert(0, f"{len(cv.missing)} column(s) of the profile are not in the file and "
                           f"stay empty: {shown}")
    records = pd.DataFrame({k: (pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and
                                v.dtype == object else v) for k, v in data.items()})
    records.index = pd.RangeIndex(src.n)
    _cross_checks(records, cv, specs)
    return records, dict(cv.coll.by_row), cv.notes


def _cross_checks(rec: pd.DataFrame, cv: _Converter, specs: dict[str, FieldSpec]) -> None:
    coll = cv.coll

    def lbl(name: str) -> str:
        return _label(specs[name]) if name in specs else name

    number_types = cv.number_types
    if number_types is not None:
        given = rec["patent_type"].to_numpy(dtype=object)
        derived = np.asarray(number_types, dtype=object)
        g_ok = pd.notna(given)
        d_ok = pd.notna(derived)
        clash = np.flatnonzero(g_ok & d_ok & (given != derived))
        if len(clash):
            ids = rec["patent_id"].to_numpy(dtype=object)
            msgs = [f"contradicts the number {ids[p]}, which says {derived[p]}; fix the type or "
                    "the number" for p in clash]
            coll.add(clash, lbl("patent_type"), given[clash], msgs, "type_contradicts_number")
        filled = np.where(g_ok, given, derived)
        rec["patent_type"] = pd.Series(filled, index=rec.index, dtype=object)
    req = rec["patent_id"].isna().to_numpy()
    already = np.zeros(len(rec), dtype=bool)
    if len(cv.bad_id):
        already[cv.bad_id] = True
    missing = np.flatnonzero(req & ~already)
    coll.add(missing, lbl("patent_id"), [""] * len(missing),
             "is missing; every row needs a patent or application number", "missing_required")
    filing = rec["filing_date"]
    for name, what in (("grant_date", "grant"), ("publication_date", "publication"),
                       ("lapse_date", "lapse")):
        d = rec[name]
        early = np.flatnonzero((d.notna() & filing.notna() & (d < filing)).to_numpy())
        if len(early):
            msgs = [f"is before the filing date {filing.iat[p].date()}; a {what} date cannot "
                    "precede filing — check both dates" for p in early]
            coll.add(early, lbl(name), [d.iat[p].date() for p in early], msgs,
                     "date_before_filing")
    for ind, tot in (("independent_claims", "claims_count"),
                     ("independent_claims_filed", "claims_count_filed")):
        a, b = rec[ind], rec[tot]
        over = np.flatnonzero((a.notna() & b.notna() & (a > b)).fillna(False).to_numpy(
            dtype=bool))
        if len(over):
            msgs = [f"is more than {tot} = {b.iat[p]}; independent claims are part of all claims"
                    for p in over]
            coll.add(over, lbl(ind), [a.iat[p] for p in over], msgs, "independent_exceeds_total")
