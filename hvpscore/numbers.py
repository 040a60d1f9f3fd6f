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
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "ParsedNumber",
    "cn_check_digit",
    "normalize_patent_number",
    "normalize_patent_numbers",
    "parse_patent_number",
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
    s = _CLEAN.sub("", raw.strip().upper().replace("．", ".").replace("。", "."))
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
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

    Returns a DataFrame with the same index and columns ``normalized``, ``patent_type``, ``error``.
    Numbers are parsed once per distinct value.
    """
    arr = values.to_numpy(dtype=object)
    present = pd.notna(arr)
    parsed = {u: parse_patent_number(u) for u in pd.unique(arr[present])}
    empty = ParsedNumber("", None, None, None, None, None)
    rows = [parsed[v] if ok else empty for v, ok in zip(arr, present, strict=True)]
    out = pd.DataFrame(index=values.index)
    norm = [p.normalized for p in rows]
    ptype = [p.patent_type for p in rows]
    err = [p.error for p in rows]
    for name, arr in (("normalized", norm), ("patent_type", ptype), ("error", err)):
        out[name] = pd.Series(arr, index=values.index, dtype=object)
    return out
