"""Reading a small text file a user hands over (claims, a draft): UTF-8 or GB18030, or stdin."""

from __future__ import annotations

import sys
from pathlib import Path

from hvpscore._errors import InputError

__all__ = ["read_text_file"]


def read_text_file(path: str) -> str:
    """Read a claims text file ("-" = stdin): UTF-8 (with or without BOM), else GB18030."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(
                f"FILE: {path!r} is not a readable file; give the path of a text file."
            )
        data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"FILE: {path!r} is neither UTF-8 nor GB18030 text; save it as UTF-8.")
