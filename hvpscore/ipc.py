"""IPC codes (International Patent Classification) as CNIPA and the patent databases print them.

One module for the reader (``hvpscore.io``) and the rules (``hvpscore.rules``): both read a code
through :func:`normalize_ipc`, so a code the reader accepts is a code the concordance can match.

The canonical text is ``H04L27/26``: section letter, two class digits, subclass letter, main group
(1–4 digits, no leading zeros), ``/``, subgroup (the digits as written, at least two: ``/00`` for a
main group). A subclass alone stays a subclass (``H04L``); a main group without its subgroup
becomes ``/00`` (``A61B8`` → ``A61B8/00``).

Accepted spellings (combinable):

==============================  ==================================================================
``H04L 27/26``                  spaces anywhere (also the ideographic space U+3000)
``H04L 27/26(2006.01)``         an edition in round, square or full-width brackets, optionally
``H04L27/26 [2006.01] I``       followed by the WIPO level letter I/N (inventive/additional)
``Ｈ０４Ｌ２７／２６``          full-width letters, digits and slash (NFKC)
``H04L27/26；`` ``H04L27/26,``  leading or trailing separators ``; ； , ， 、 . 。 :``
``h04l27/26``                   lower case
``H04L0027260000``              the 14-character fixed-width form of EPO/WIPO databases
``H04L0027/26``                 leading zeros in the main group
==============================  ==================================================================
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["IPC_LEVELS", "IpcParts", "ipc_level", "ipc_parts", "normalize_ipc"]

IPC_LEVELS = ("section", "class", "subclass", "main_group", "subgroup")

_CANON = re.compile(r"^[A-H]\d{2}[A-Z](?:[1-9]\d{0,3}/\d{2,6})?$")
_CODE = re.compile(r"^([A-H])(\d{2})([A-Z])(?:(\d{1,4})(?:/(\d{1,6}))?)?$")
_FIXED14 = re.compile(r"^([A-H]\d{2}[A-Z])(\d{4})(\d{6})$")
# an edition "(2006.01)" / "[2006.01]" (after NFKC full-width brackets are ASCII), an optional
# WIPO level letter I/N right after it
_EDITION = re.compile(r"[(\[]\s*\d{4}\s*\.\s*\d{1,2}\s*[)\]]\s*[IN]?", re.IGNORECASE)
_EDGE = ";,、.。:"
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def _normalize_text(text: str) -> str | None:
    if _CANON.match(text):
        return text
    s = unicodedata.normalize("NFKC", text)
    s = _EDITION.sub("", s)
    s = _SPACE.sub("", s).upper().strip(_EDGE)
    m = _FIXED14.match(s)
    if m:
        sub = m.group(3).rstrip("0")
        s = f"{m.group(1)}{int(m.group(2))}/{sub.ljust(2, '0')}"
    m = _CODE.match(s)
    if not m:
        return None
    sec, cls, sc, main, sub = m.groups()
    if main is None:
        return f"{sec}{cls}{sc}"
    group = int(main)
    if group == 0:
        return None
    return f"{sec}{cls}{sc}{group}/{sub if sub is not None else '00'}"


def normalize_ipc(code: object) -> str | None:
    """Canonical text of one IPC code, or None when it is not one.

    >>> normalize_ipc("H04L 27/26(2006.01)"), normalize_ipc("H04L0027260000")
    ('H04L27/26', 'H04L27/26')
    >>> normalize_ipc("Ｈ０４Ｌ２７／２６；"), normalize_ipc("a61b8"), normalize_ipc("H04")
    ('H04L27/26', 'A61B8/00', None)
    """
    if code is None:
        return None
    if not isinstance(code, str):
        code = str(code)  # NaN, pd.NA, numbers: their text is never an IPC code
    return _normalize_text(code)


@dataclass(frozen=True)
class IpcParts:
    """The levels of one canonical IPC code (``None`` below the level the code names).

    ``IpcParts('H', '04', 'L', 27, '26')`` for ``H04L27/26``; :attr:`main_group_code` and
    :attr:`subclass_code` give the prefixes a concordance matches on.
    """

    section: str
    class_: str
    subclass: str
    main_group: int | None = None
    subgroup: str | None = None

    @property
    def subclass_code(self) -> str:
        """``H04L``."""
        return f"{self.section}{self.class_}{self.subclass}"

    @property
    def class_code(self) -> str:
        """``H04``."""
        return f"{self.section}{self.class_}"

    @property
    def main_group_code(self) -> str | None:
        """``H04L27`` (None for a subclass)."""
        return None if self.main_group is None else f"{self.subclass_code}{self.main_group}"

    @property
    def level(self) -> str:
        """``subclass``, ``main_group`` (subgroup ``00``) or ``subgroup``."""
        if self.main_group is None:
            return "subclass"
        return "main_group" if self.subgroup is not None and self.subgroup.strip("0") == "" \
            else "subgroup"

    @property
    def code(self) -> str:
        """The canonical text again: ``H04L27/26``."""
        if self.main_group is None:
            return self.subclass_code
        return f"{self.subclass_code}{self.main_group}/{self.subgroup}"


def ipc_parts(code: object) -> IpcParts | None:
    """Split a code (any accepted spelling) into its levels; None when it is not an IPC code.

    >>> p = ipc_parts("H04L 27/26 (2006.01)")
    >>> p.section, p.class_code, p.subclass_code, p.main_group_code, p.subgroup, p.level
    ('H', 'H04', 'H04L', 'H04L27', '26', 'subgroup')
    """
    norm = normalize_ipc(code)
    if norm is None:
        return None
    sec, cls, sc = norm[0], norm[1:3], norm[3]
    if len(norm) == 4:
        return IpcParts(sec, cls, sc)
    main, _, sub = norm[4:].partition("/")
    return IpcParts(sec, cls, sc, int(main), sub)


def ipc_level(code: object) -> str | None:
    """The level a code names: ``subclass`` (``H04L``), ``main_group`` (``H04L27/00``) or
    ``subgroup`` (``H04L27/26``); None when it is not an IPC code.

    >>> ipc_level("H04L"), ipc_level("H04L27"), ipc_level("H04L27/26"), ipc_level("x")
    ('subclass', 'main_group', 'subgroup', None)
    """
    parts = ipc_parts(code)
    return None if parts is None else parts.level
