"""Text normalisation and language detection for claims texts.

Normalisation maps one character to one character (full-width digits, letters, brackets, dots and
dashes to their ASCII forms, odd spaces to a space, CR to LF), so positions in the normalised text
are positions in the original.
"""

from __future__ import annotations

import re

__all__ = ["normalise", "detect_lang"]


def _table() -> dict[int, str]:
    t: dict[int, str] = {}
    for i in range(0xFF01, 0xFF5F):  # full-width ASCII block
        t[i] = chr(i - 0xFEE0)
    # keep the Chinese comma, colon, semicolon, ! and ? as they are: they carry no ambiguity
    for ch in "，：；！？":
        t.pop(ord(ch), None)
    t.update(
        {
            ord("\u3000"): " ",
            ord("\u00a0"): " ",
            ord("\u2002"): " ",
            ord("\u2003"): " ",
            ord("\u2009"): " ",
            ord("\u200b"): " ",
            ord("\ufeff"): " ",
            ord("\t"): " ",
            ord("\r"): "\n",
            ord("\u2028"): "\n",
            ord("\u2029"): "\n",
            ord("\x0b"): "\n",
            ord("\x0c"): "\n",
            ord("\x85"): "\n",
            ord("【"): "[",
            ord("】"): "]",
            ord("〔"): "[",
            ord("〕"): "]",
            ord("–"): "-",
            ord("‑"): "-",
            ord("−"): "-",
            ord("～"): "~",
            ord("∼"): "~",
            ord("〜"): "~",
        }
    )
    return t


_TABLE = _table()


_NEEDS = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_TABLE)) + "]")


# the mapped ASCII characters (tab, CR, VT, FF): all an ASCII text can need
_ASCII_MAP = {k: v for k, v in _TABLE.items() if k < 0x80}


def normalise(text: str) -> str:
    """Normalise ``text`` character by character (the length is unchanged)."""
    if text.isascii():  # English: a few one-byte searches instead of the character class
        for ch in "\t\r\x0b\x0c":
            if ch in text:
                return text.translate(_ASCII_MAP)
        return text
    found = _NEEDS.findall(text)  # one scan: most texts need a few characters mapped
    if not found:
        return text
    for ch in set(found):
        text = text.replace(ch, _TABLE[ord(ch)])
    return text


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


_CJK_MANY = re.compile(r"(?:[^\u3400-\u4dbf\u4e00-\u9fff]*[\u3400-\u4dbf\u4e00-\u9fff]){20}")


def detect_lang(text: str) -> str:
    """``"zh"`` when Chinese characters carry the text, else ``"en"``.

    Looks at the first 400 characters: 20 Chinese characters there make it Chinese; otherwise
    Chinese characters must be at least a third as many as Latin letters.
    """
    sample = text[:400]
    if _CJK_MANY.match(sample) is not None:
        return "zh"
    if _CJK.search(sample) is None:
        return "en"
    n_cjk = len(_CJK.findall(sample))
    n_lat = len(_LATIN.findall(sample))
    return "zh" if n_cjk * 3 >= n_lat else "en"
