"""Name normalisation and aliases for the top-100 lists (rules: ``data/names.yaml``)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from hvpscore._errors import InputError
from hvpscore.indicators._data import package_yaml

__all__ = ["Aliases", "load_aliases", "name_key"]

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f()"
_SPACE_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
_SPACES = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+(?=[,.)])|(?<=\()\s+")


def _rules() -> dict:
    return package_yaml("names.yaml")


@lru_cache(maxsize=1)
def _brackets_table() -> dict[int, str]:
    return {ord(k): v for k, v in _rules()["brackets"].items()}


def name_key(name) -> str:
    """The merge key of a holder or inventor name (documented in ``data/names.yaml``).

    >>> name_key("重庆 长安汽车（集团）有限责任公司") == name_key("重庆长安汽车(集团)有限公司")
    True
    >>> name_key("重庆某某股份有限公司") == name_key("重庆某某有限公司")
    False
    """
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    return _key(str(name))


@lru_cache(maxsize=200_000)
def _key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).translate(_brackets_table())
    s = _SPACE_CJK.sub("", s.strip())
    s = _SPACE_PUNCT.sub("", _SPACES.sub(" ", s))
    for variant, canonical in _rules()["suffix_equivalents"].items():
        if s.endswith(variant) and not s.endswith(canonical):
            s = s[: -len(variant)] + canonical
            break
    return s.casefold()


class Aliases:
    """Renames and other spellings: name key → canonical display name.

    Built by :func:`load_aliases`; ``resolve(key)`` follows chains (a → b → c).
    """

    def __init__(self, *, mapping: dict[str, tuple[str, str]] | None = None) -> None:
        self.mapping = mapping or {}

    def resolve(self, key: str) -> tuple[str, str | None]:
        """(final key, canonical display name or None when no alias applies)."""
        seen = []
        display = None
        while key in self.mapping:
            if key in seen:
                raise InputError(f"alias file: the names {' → '.join(seen + [key])} form a cycle; "
                                 "each name may point to one canonical name only")
            seen.append(key)
            key, display = self.mapping[key]
        return key, display

    def __len__(self) -> int:
        return len(self.mapping)


def load_aliases(source=None, *, kind: str | None = None) -> Aliases:
    """Aliases from a CSV/XLSX file or DataFrame with columns ``alias`` and ``canonical``
    (optional ``kind`` = holder/inventor/any, ``valid_from``, ``source``, ``note``).

    ``None`` gives no aliases. ``kind="holder"`` (or ``"inventor"``) keeps the rows of that kind
    and those with an empty kind or ``any``. Both sides are normalised with :func:`name_key`; a row with an empty
    side, or an alias given two different canonical names, is an error naming the row.
    """
    if source is None:
        return Aliases()
    if isinstance(source, Aliases):
        return source
    if isinstance(source, pd.DataFrame):
        df = source.copy()
        where = "aliases"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"alias file {path} does not exist; give a CSV with columns "
                             "alias,canonical")
        where = str(path)
        if path.suffix.lower() in (".xlsx", ".xls"):
            df = pd.read_excel(path, dtype=str, engine="openpyxl")
        else:
            df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    missing = [c for c in ("alias", "canonical") if c not in df.columns]
    if missing:
        raise InputError(f"{where}: missing column(s) {', '.join(missing)}; an alias file has "
                         "columns alias,canonical[,kind,valid_from,source,note]")
    kinds = df["kind"].fillna("").astype(str).str.strip() if "kind" in df.columns else pd.Series(
        [""] * len(df), index=df.index)
    bad = ~kinds.isin(["", "any", "holder", "inventor"])
    if bad.any():
        raise InputError(f"{where}: kind {kinds[bad].iloc[0]!r} is not one of holder, inventor, any")
    mapping: dict[str, tuple[str, str]] = {}
    for i, (a, c, k) in enumerate(zip(df["alias"], df["canonical"], kinds, strict=True), start=2):
        if kind is not None and k not in ("", "any", kind):
            continue
        ka, kc = name_key(a), name_key(c)
        if not ka or not kc:
            raise InputError(f"{where}, line {i}: alias {a!r} → canonical {c!r}: both names are "
                             "required")
        if ka == kc:
            continue
        if ka in mapping and mapping[ka][0] != kc:
            raise InputError(f"{where}, line {i}: alias {a!r} already points to "
                             f"{mapping[ka][1]!r}; give one canonical name per alias")
        mapping[ka] = (kc, str(c).strip())
    out = Aliases(mapping=mapping)
    for k in list(mapping):
        out.resolve(k)  # raises on cycles
    return out
