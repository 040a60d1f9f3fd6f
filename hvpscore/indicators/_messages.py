"""Bilingual notes (templates in ``data/messages.yaml``)."""

from __future__ import annotations

from hvpscore.indicators._data import package_yaml

__all__ = ["note", "note_text"]


def note(key: str, **fields) -> dict[str, str]:
    """A note ``{"zh": …, "en": …}`` from its template and fields."""
    t = package_yaml("messages.yaml")[key]
    return {lang: t[lang].format(**fields) for lang in ("zh", "en")}


def note_text(n, lang: str = "zh") -> str:
    """The text of a note in ``lang`` (plain strings pass through)."""
    return n.get(lang) or n.get("en", "") if isinstance(n, dict) else str(n)
