"""Patent and application numbers: normalise, verify the CN check digit, derive the patent type.

CN application numbers (申请号)
    Since 2003-10-01: ``YYYY T NNNNNNN . C`` — 4-digit year, 1 type digit, 7-digit serial and a check
    digit. Before: ``YY T NNNNN . C``. Type digit: 1 invention, 2 utility model, 3 design, 8 PCT
    invention entering the national phase, 9 PCT utility model. The check digit is
    ``sum(digit_i * w_i) mod 11`` with weights 2,3,4,5,6,7,8,9,2,3,4,5 (10 is written ``X``).
    Accepted spellings: ``ZL201910561574.9``, ``CN201910561574.9``, ``201910561574.9``,
    ``2019105615749``, ``ZL 2019 1 0561574.9``, ``CN98123456.7``. The normal form is
    ``CN201910561574.9`` (``CN98123456.7`` for 8-digit numbers).
Publication numbers
    ``CC`` + number + optional kind code, e.g. ``CN110266631B``, ``US7000000B2``, ``EP1234567A1``,
    ``WO2020123456A1`` (``WO/2020/123456`` accepted), ``JP2020123456A``, ``KR1020200012345A``.
    Spaces, slashes, dashes and commas inside the number are removed; letters are upper-cased.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ParsedNumber",
    "cn_check_digit",
    "normalize_patent_number",
    "cn_check_digits",
    "normalize_patent_numbers",
    "parse_patent_number",
    "parse_patent_number_array",
]

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_CN_APP_TYPES = {
    "1": "invention",
    "8": "invention",
    "2": "utility_model",
    "9": "utility_model",
    "3": "design",
}
# Kind codes that tell the type of a CN publication.
_CN_KIND_TYPES = {
    "A": "invention",
    "B": "invention",
    "C": "invention",
    "U": "utility_model",
    "Y": "utility_model",
    "S": "design",
    "D": "design",
}
_OFFICES = ("CN", "US", "EP", "WO", "JP", "KR", "DE", "GB", "FR", "TW", "HK", "AU", "CA", "RU", "IN")

_CLEAN = re.compile(r"[\s/\-,_]")
_CN_APP = re.compile(r"^(?:ZL|CN)?(\d{12}|\d{8})(?:\.?([0-9X]))?$")
_PUB = re.compile(r"^([A-Z]{2})(\d{4,13})([A-Z]\d?)?$")
_US_PLAIN = re.compile(r"^(?:US)?(RE|PP|D|H|T)?(\d{5,8})([A-Z]\d?)?$")


@dataclass(frozen=True)
class ParsedNumber:
    """Result of :func:`parse_patent_number`.

    ``error`` is ``None`` when the number is usable, else a message saying what is wrong and
    what is expected.
    """

    raw: str
    normalized: str | None
    kind: str | None  # "cn_application" | "publication"
    office: str | None
    patent_type: str | None
    error: str | None = None


def cn_check_digit(digits: str) -> str:
    """Check digit of a CN application number given its 8 or 12 leading digits."""
    if not re.fullmatch(r"\d{8}|\d{12}", digits):
        raise ValueError(f"{digits!r}: expected 8 or 12 digits of a CN application number")
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False))
    rem = total % 11
    return "X" if rem == 10 else str(rem)


def _cn_app_type(digits: str) -> str | None:
    return _CN_APP_TYPES.get(digits[4] if len(digits) == 12 else digits[2])


def parse_patent_number(value: object) -> ParsedNumber:
    """Normalise one patent or application number and say what it is (see module doc)."""
    raw = "" if value is None else str(value)
    # NFKC: full-width letters, digits and ．; the ideographic full stop 。 is not folded by NFKC
    s = unicodedata.normalize("NFKC", raw).strip().upper().replace("。", ".")
    s = _CLEAN.sub("", s)
    if not s:
        return ParsedNumber(raw, None, None, None, None, "is empty; give a patent or application number")
    m = _CN_APP.match(s)
    if m and (s.startswith(("ZL", "CN")) or "." in s or len(m.group(1)) == 12 or m.group(2)):
        digits, check = m.group(1), m.group(2)
        # An 8-digit CN number without a dot and check digit is ambiguous with a publication number.
        expected = cn_check_digit(digits)
        norm = f"CN{digits}.{expected}"
        ptype = _cn_app_type(digits)
        if check is None:
            if len(digits) == 12:
                return ParsedNumber(raw, norm, "cn_application", "CN", ptype)
        elif check != expected:
            return ParsedNumber(
                raw, None, "cn_application", "CN", ptype,
                f"has check digit {check} but the digits {digits} give {expected}; "
                f"check the number (expected {norm[2:]})",
            )
        else:
            return ParsedNumber(raw, norm, "cn_application", "CN", ptype)
    m = _PUB.match(s)
    if m and m.group(1) in _OFFICES:
        office, num, kind = m.groups()
        ptype = None
        if office == "CN" and kind:
            ptype = _CN_KIND_TYPES.get(kind[0])
        elif office == "US" and kind and kind[0] in "AB":
            ptype = "invention"
        return ParsedNumber(raw, f"{office}{num}{kind or ''}", "publication", office, ptype)
    m = _US_PLAIN.match(s)
    if m and s.startswith("US"):
        series, num, kind = m.groups()
        ptype = "design" if series == "D" else "invention"
        if series == "PP":
            ptype = None
        return ParsedNumber(raw, f"US{series or ''}{num}{kind or ''}", "publication", "US", ptype)
    return ParsedNumber(
        raw, None, None, None, None,
        "is not a recognised patent number; use a CN application number like "
        "201910561574.9 / ZL201910561574.9 or a publication number like CN110266631B, US7000000B2",
    )


def normalize_patent_number(value: object) -> str:
    """Normal form of one number; :class:`ValueError` with the reason when it is not usable."""
    p = parse_patent_number(value)
    if p.error:
        raise ValueError(f"{value!r} {p.error}")
    assert p.normalized is not None
    return p.normalized


def normalize_patent_numbers(values: pd.Series) -> pd.DataFrame:
    """Vectorised :func:`parse_patent_number` over a Series.

    Returns a DataFrame with the same index and columns ``normalized``, ``patent_type``, ``error``
    (the same values :func:`parse_patent_number` gives one by one). The usual spellings — CN
    application numbers with their check digit, publication numbers — are read over the whole
    column at once (pyarrow string kernels, the check digit as one matrix product); only the rest
    goes through :func:`parse_patent_number`.
    """
    norm, ptype, err = parse_patent_number_array(values.to_numpy(dtype=object))
    out = pd.DataFrame(index=values.index)
    for name, arr in (("normalized", norm), ("patent_type", ptype), ("error", err)):
        out[name] = pd.Series(arr, index=values.index, dtype=object)
    return out


_W12 = np.array(_WEIGHTS, dtype=np.int64)
_CHECK_CHARS = np.array(list("0123456789X"), dtype=object)
_APP_TYPE_BY_DIGIT = np.array([None, "invention", "utility_model", "design", None, None, None,
                               None, "invention", "utility_model"], dtype=object)
_RE2_CN_APP = r"^(?:ZL|CN)?(?P<d>\d{12}|\d{8})(?:\.?(?P<c>[0-9X]))?$"
_OFFICE_SET = None  # pyarrow array of _OFFICES, built on first use
_RE2_PUB = r"^(?P<o>[A-Z]{2})(?P<n>\d{4,13})(?P<k>[A-Z]\d?)?$"


def _digit_matrix(strings: np.ndarray, width: int) -> np.ndarray:
    """Equal-length ASCII digit strings -> (n, width) int matrix."""
    buf = "".join(strings.tolist()).encode("ascii")
    return (np.frombuffer(buf, dtype=np.uint8).reshape(len(strings), width) - 48).astype(np.int64)


def _arrow_digits(arr) -> tuple[np.ndarray, np.ndarray]:
    """A pyarrow string array of 8- or 12-digit strings -> ((n, 12) digit matrix padded with
    zeros, lengths), read straight from the array's buffers."""
    import pyarrow as pa

    arr = arr.cast(pa.string()) if arr.type != pa.string() else arr
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset: arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if n else np.zeros(0, np.uint8)
    lens = np.diff(offsets).astype(np.int64)
    idx = offsets[:-1, None].astype(np.int64) + np.arange(12)
    valid = np.arange(12) < lens[:, None]
    m = np.where(valid, data[np.minimum(idx, max(len(data) - 1, 0))].astype(np.int64) - 48, 0)
    return m, lens


def _check_from_matrix(m: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Check-digit codes 0–10 from a digit matrix whose 8-digit rows are padded with zeros."""
    return (m.astype(np.int32) @ _W12.astype(np.int32)) % 11


def cn_check_digits(digits: np.ndarray) -> np.ndarray:
    """Vectorised :func:`cn_check_digit` over an array of 8- or 12-digit strings."""
    import pyarrow as pa

    digits = np.asarray(digits, dtype=object)
    lens = np.fromiter(map(len, digits), dtype=np.int64, count=len(digits))
    if ((lens != 12) & (lens != 8)).any():
        bad = digits[(lens != 12) & (lens != 8)][0]
        raise ValueError(f"{bad!r}: expected 8 or 12 digits of a CN application number")
    m, lens = _arrow_digits(pa.array(digits, type=pa.string()))
    return _CHECK_CHARS[_check_from_matrix(m, lens)]


_CLEAN_LUT = np.zeros(256, dtype=bool)
_CLEAN_LUT[np.frombuffer(b" \t\n\r\f\v/-,_", dtype=np.uint8)] = True


def _clean_numbers(arr):
    """NFKC, strip, upper case, 。 -> ., and spaces / - , _ removed (as parse_patent_number)."""
    import pyarrow.compute as pc

    ascii_only = pc.all(pc.string_is_ascii(arr)).as_py() is not False
    if ascii_only:
        s = pc.ascii_upper(pc.ascii_trim_whitespace(arr))
    else:
        s = pc.utf8_upper(pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC")))
        s = pc.replace_substring(s, "。", ".")
    data = s.buffers()[2]
    if data is not None and len(data):
        offsets = np.frombuffer(s.buffers()[1], dtype=np.int32)[s.offset: s.offset + len(s) + 1]
        used = np.frombuffer(data, dtype=np.uint8)[offsets[0]: offsets[-1]]
        if not ascii_only or _CLEAN_LUT[used].any():
            s = pc.replace_substring_regex(s, r"[\s/\-,_]", "")
    return s


def _cn_app_matrix(s):
    """Positions of the CN application numbers in a cleaned string array, as the scalar regex
    ``^(?:ZL|CN)?(\\d{12}|\\d{8})(?:\\.?([0-9X]))?$`` reads them (12 digits, or 8 digits with a
    check character), their digits as an (n, 12) matrix, the digit count and the given check
    character (0 when absent)."""
    n = len(s)
    empty = (np.zeros(0, np.int64), np.zeros((0, 12), np.int64), np.zeros(0, np.int64),
             np.zeros(0, np.uint8))
    if n == 0 or s.buffers()[2] is None:
        return empty
    offsets = np.frombuffer(s.buffers()[1], dtype=np.int32)[s.offset: s.offset + n + 1]
    offsets = offsets.astype(np.int64)
    data = np.frombuffer(s.buffers()[2], dtype=np.uint8)
    lens = np.diff(offsets)
    valid = s.is_valid().to_numpy(zero_copy_only=False)
    cand = np.flatnonzero(valid & (lens >= 9) & (lens <= 16))
    if not len(cand):
        return empty
    pad = np.concatenate([data, np.zeros(16, dtype=np.uint8)])
    o = offsets[cand]
    b0, b1 = pad[o], pad[o + 1]
    pre = ((b0 == ord("Z")) & (b1 == ord("L"))) | ((b0 == ord("C")) & (b1 == ord("N")))
    p = np.where(pre, 2, 0)
    body = pad[(o + p)[:, None] + np.arange(14)]
    blen = lens[cand] - p
    body = np.where(np.arange(14) < blen[:, None], body, 0)
    isdig = (body >= 48) & (body <= 57)
    chk = lambda c: ((c >= 48) & (c <= 57)) | (c == ord("X"))  # noqa: E731
    d12 = isdig[:, :12].all(axis=1)
    d8 = isdig[:, :8].all(axis=1)
    k12 = d12 & (((blen == 12)) | ((blen == 13) & chk(body[:, 12])) |
                 ((blen == 14) & (body[:, 12] == ord(".")) & chk(body[:, 13])))
    k8 = d8 & (((blen == 9) & chk(body[:, 8])) |
               ((blen == 10) & (body[:, 8] == ord(".")) & chk(body[:, 9])))
    take = k12 | k8
    if not take.any():
        return empty
    body, blen, k12 = body[take], blen[take], k12[take]
    digits = np.where(np.arange(12) < np.where(k12, 12, 8)[:, None],
                      body[:, :12].astype(np.int32) - 48, 0)
    last = np.take_along_axis(body, (blen - 1)[:, None], axis=1)[:, 0]
    given = np.where(k12 & (blen == 12), 0, last).astype(np.uint8)
    return cand[take], digits, np.where(k12, 12, 8), given


def _cn_texts(digits: np.ndarray, lens: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``CN`` + digits + ``.`` + check character, as an object array of str."""
    import pyarrow as pa

    out = np.empty(len(lens), dtype=object)
    chars = np.frombuffer(b"0123456789X", dtype=np.uint8)
    for width in (12, 8):
        sel = np.flatnonzero(lens == width)
        if not len(sel):
            continue
        b = np.empty((len(sel), width + 4), dtype=np.uint8)
        b[:, 0], b[:, 1] = ord("C"), ord("N")
        b[:, 2: 2 + width] = digits[sel, :width] + 48
        b[:, 2 + width] = ord(".")
        b[:, 3 + width] = chars[codes[sel]]
        w = width + 4
        offs = pa.py_buffer(np.arange(0, len(sel) * w + 1, w, dtype=np.int32).tobytes())
        texts = pa.StringArray.from_buffers(len(sel), offs, pa.py_buffer(b.tobytes()))
        out[sel] = texts.to_numpy(zero_copy_only=False)
    return out


def _repeat_str(n: int):
    from itertools import repeat

    return repeat(str, n)


def parse_patent_number_array(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(normalized, patent_type, error) object arrays for raw numbers (an object array or a
    pyarrow string array).

    Missing values (None/NaN/null) give (None, None, None), as in :func:`normalize_patent_numbers`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    global _OFFICE_SET
    if _OFFICE_SET is None:
        _OFFICE_SET = pa.array(_OFFICES)
    if isinstance(values, (pa.Array, pa.ChunkedArray)) and pa.types.is_string(values.type):
        arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        n = len(arr)
        fast = arr.is_valid().to_numpy(zero_copy_only=False)
        pos = np.flatnonzero(fast)
        if len(pos) < n:
            arr = arr.filter(arr.is_valid())
        slow = np.zeros(n, dtype=bool)
        values = None
    else:
        values = np.asarray(values, dtype=object)
        n = len(values)
        present = pd.notna(values)
        is_str = np.fromiter(map(isinstance, values, _repeat_str(n)), dtype=bool, count=n)
        fast = present & is_str
        slow = present & ~is_str  # numbers and other objects: their text, one by one
        pos = np.flatnonzero(fast)
        arr = pa.array(values[pos], type=pa.string())
    norm = np.full(n, None, dtype=object)
    ptype = np.full(n, None, dtype=object)
    err = np.full(n, None, dtype=object)
    raw_fast = arr
    if len(pos):
        s = _clean_numbers(arr)
        done = np.zeros(len(pos), dtype=bool)
        # CN application numbers, read from the bytes (see _cn_app_matrix)
        t, digits_m, lens, given = _cn_app_matrix(s)
        if len(t):
            codes = _check_from_matrix(digits_m, lens)
            expected = _CHECK_CHARS[codes]
            has_c = given != 0
            given_ch = np.where(has_c, given, 32).astype(np.uint8).view("S1").astype(str)
            good = ~has_c | (given_ch == expected)
            types = _APP_TYPE_BY_DIGIT[np.where(lens == 12, digits_m[:, 4], digits_m[:, 2])]
            norm_text = _cn_texts(digits_m, lens, codes)
            tgt = pos[t]
            norm[tgt[good]] = norm_text[good]
            ptype[tgt] = types
            for i in np.flatnonzero(~good).tolist():
                body = norm_text[i][2:]
                err[tgt[i]] = (f"has check digit {given_ch[i]} but the digits {body[:-2]} give "
                               f"{expected[i]}; check the number (expected {body})")
            done[t] = True
        # publication numbers
        rest = np.flatnonzero(~done)
        if len(rest):
            pub = pc.extract_regex(s.take(pa.array(rest)), _RE2_PUB)
            ok = pub.is_valid()
            ok = pc.and_(ok, pc.is_in(pub.field("o"), value_set=_OFFICE_SET)).fill_null(False)
            ok = ok.to_numpy(zero_copy_only=False)
            if ok.any():
                sel = np.flatnonzero(ok)
                keep = pa.array(sel)
                o = pub.field("o").take(keep)
                k = pc.fill_null(pub.field("k"), "").take(keep)
                first = pc.utf8_slice_codeunits(k, 0, 1).to_numpy(zero_copy_only=False)
                is_cn = pc.equal(o, "CN").to_numpy(zero_copy_only=False)
                is_us = pc.equal(o, "US").to_numpy(zero_copy_only=False)
                pt = np.full(len(sel), None, dtype=object)
                for letter, kind_type in _CN_KIND_TYPES.items():
                    pt[is_cn & (first == letter)] = kind_type
                pt[is_us & ((first == "A") | (first == "B"))] = "invention"
                tgt = pos[rest[sel]]
                joined = pc.binary_join_element_wise(o, pub.field("n").take(keep), k, "")
                norm[tgt] = joined.to_numpy(zero_copy_only=False)
                ptype[tgt] = pt
                done[rest[sel]] = True
        slow_fast = np.flatnonzero(~done)
        if len(slow_fast):
            texts = raw_fast.take(pa.array(slow_fast)).to_pylist()
            for i, text in zip(pos[slow_fast], texts, strict=True):
                p = parse_patent_number(text)
                norm[i], ptype[i], err[i] = p.normalized, p.patent_type, p.error
    for i in np.flatnonzero(slow):
        p = parse_patent_number(values[i])
        norm[i], ptype[i], err[i] = p.normalized, p.patent_type, p.error
    return norm, ptype, err
