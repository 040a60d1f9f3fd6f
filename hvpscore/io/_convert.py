"""Raw rows + profile -> canonical records and a list of problems (vectorised per column).

Nothing is silently fixed: every value that cannot be read as the record requires becomes a
:class:`~hvpscore.Problem` naming the row, the column, the value and the fix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from hvpscore._errors import Problem
from hvpscore.io._profile import FieldSpec, Profile
from hvpscore.ipc import normalize_ipc
from hvpscore.numbers import normalize_patent_numbers
from hvpscore.schema import COLUMNS, OUTCOME_PREFIX, Column

__all__ = ["convert_frame", "normalize_ipc"]

_TRUE = {"true", "t", "yes", "y", "1", "是", "有", "真"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无", "假"}
_JURIS = re.compile(r"^[A-Z]{2}$")
_NUM_CLEAN = re.compile(r"[,，\s]")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _load_jurisdictions() -> dict[str, str]:
    text = (resources.files("hvpscore") / "io" / "data" / "jurisdictions.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    names = {str(k): str(v) for k, v in data["names"].items()}
    names.update({c: c for c in data["codes"]})
    return names


_JURISDICTIONS = _load_jurisdictions()


def _all_text(s: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return True
    return s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")


def _as_text(s: pd.Series) -> pd.Series:
    """Object Series of stripped strings (None for missing); native non-strings kept."""
    if _all_text(s):
        out = s.astype(object).where(s.notna(), None)
        stripped = out.str.strip() if out.notna().any() else out
        return stripped.astype(object).where(out.notna(), None)
    out = s.astype(object)
    mask = out.map(lambda v: isinstance(v, str))
    if mask.any():
        out = out.where(~mask, out[mask].str.strip())
    return out.where(out.notna(), None)


def _nullify(s: pd.Series, nulls: set[str]) -> pd.Series:
    s = _as_text(s)
    null = s.isna() | s.isin(list(nulls))
    if s.dtype == object and not null.all():
        null |= s.map(lambda v: isinstance(v, float) and np.isnan(v))
    return s.where(~null, None)


class _Collector:
    def __init__(self, first_row: int, raw: pd.DataFrame):
        self.first_row = first_row
        self.raw = raw
        self.by_row: dict[int, list[Problem]] = defaultdict(list)

    def add(self, mask: np.ndarray, column: str, values: pd.Series, message: str) -> None:
        for pos in np.flatnonzero(mask):
            v = values.iat[pos]
            text = v if isinstance(v, str) else ("" if v is None else str(v))
            self.by_row[pos].append(Problem(self.first_row + pos, column, text, message))

    def add_each(self, positions, column: str, values, messages) -> None:
        for pos, v, msg in zip(positions, values, messages, strict=True):
            self.by_row[pos].append(Problem(self.first_row + pos, column, str(v), msg))


def _label(spec: FieldSpec) -> str:
    if spec.mode == "const":
        return spec.target
    src = "+".join(spec.sources)
    return spec.target if src == spec.target else f"{src} ({spec.target})"


def _map_values(s: pd.Series, values: dict) -> pd.Series:
    if not values:
        return s
    keys = s.map(lambda v: v if v is None else (v if isinstance(v, str) else _key(v)))
    mapped = keys.map(lambda v: values.get(v, _MISSING) if v is not None else _MISSING)
    return s.where(mapped.map(lambda v: v is _MISSING), mapped)


def _key(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


_MISSING = object()


def _split_list(s: pd.Series, seps: tuple[str, ...]) -> pd.Series:
    pattern = re.compile("|".join(re.escape(x) for x in seps)) if seps else None

    @lru_cache(maxsize=65536)
    def split_text(v: str) -> tuple[str, ...]:
        items = [x.strip() for x in pattern.split(v)] if pattern else [v.strip()]
        return tuple(x for x in items if x)

    def split(v: object):
        if isinstance(v, str):
            return list(split_text(v))
        if v is None:
            return None
        if isinstance(v, (list, tuple, np.ndarray)):
            items = [str(x).strip() for x in v if x is not None]
        elif isinstance(v, str):
            items = [x.strip() for x in pattern.split(v)] if pattern else [v.strip()]
        else:
            items = [str(v)]
        return [x for x in items if x]

    return s.map(split)


def _parse_numeric(s: pd.Series) -> pd.Series:
    if _all_text(s):
        text = s.astype(object).where(s.notna(), None)
        if text.notna().any():
            text = text.str.replace(_NUM_CLEAN, "", regex=True)
    else:
        text = s.map(lambda v: _NUM_CLEAN.sub("", v) if isinstance(v, str) else v)
    return pd.to_numeric(text, errors="coerce")


def _parse_dates(s: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if _all_text(s):
        is_str = s.notna().to_numpy()
    else:
        is_str = s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    native = s.notna().to_numpy() & ~is_str
    if native.any():
        vals = s[native].map(lambda v: _key(v) if isinstance(v, (int, float)) else v)
        nat_str = vals.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        parsed = pd.to_datetime(vals[~nat_str], errors="coerce")
        out[vals[~nat_str].index] = parsed
        is_str = is_str.copy()
        is_str[np.flatnonzero(native)[nat_str]] = True
        s = s.copy()
        s[vals[nat_str].index] = vals[nat_str]
    remaining = pd.Series(is_str, index=s.index)
    for fmt in formats:
        if not remaining.any():
            break
        parsed = pd.to_datetime(s[remaining], format=fmt, errors="coerce")
        ok = parsed.notna()
        out[parsed[ok].index] = parsed[ok]
        remaining[parsed[ok].index] = False
    return out


def _convert_field(col: Column, spec: FieldSpec, raw: pd.DataFrame, profile: Profile,
                   coll: _Collector, notes: list[str]) -> pd.Series:
    n = len(raw)
    nulls = set(profile.null_values) | set(spec.null_values)
    label = _label(spec)
    missing = [c for c in spec.sources if c not in raw.columns]
    if missing:
        notes.append(f"{col.name}: source column(s) {', '.join(missing)} not in the file")
    if spec.mode == "const":
        src = pd.Series([spec.const] * n, index=raw.index, dtype=object)
    elif spec.mode == "sum":
        total = pd.Series(0.0, index=raw.index)
        unknown = np.zeros(n, dtype=bool)
        for c in spec.sources:
            part = _nullify(raw[c], nulls) if c in raw.columns else pd.Series([None] * n,
                                                                               index=raw.index)
            num = _parse_numeric(part)
            bad = (part.notna() & num.isna()).to_numpy()
            if bad.any():
                coll.add(bad, f"{c} ({col.name})", part, "is not a number; give a whole number ≥ 0")
            unknown |= num.isna().to_numpy()
            total = total + num.fillna(0)
        src = total.astype(object).where(~unknown, None)
    elif spec.mode == "concat":
        parts = []
        for c in spec.sources:
            part = _nullify(raw[c], nulls) if c in raw.columns else pd.Series([None] * n,
                                                                               index=raw.index)
            parts.append(_split_list(part, profile.list_separators))

        def join(*lists):
            if all(x is None for x in lists):
                return None
            seen: list[str] = []
            for lst in lists:
                for x in lst or []:
                    if x not in seen:
                        seen.append(x)
            return seen

        src = pd.Series([join(*row) for row in zip(*parts, strict=True)], index=raw.index,
                        dtype=object)
    else:
        c = spec.sources[0]
        if c not in raw.columns:
            src = pd.Series([None] * n, index=raw.index, dtype=object)
        else:
            src = _nullify(raw[c], nulls)
    if spec.prefix:
        src = src.map(lambda v: v if v is None else f"{spec.prefix}{_key(v)}")
    return _typed(col, spec, src, profile, coll, label)


def _typed(col: Column, spec: FieldSpec, src: pd.Series, profile: Profile,
           coll: _Collector, label: str) -> pd.Series:
    kind = col.kind
    present = src.notna().to_numpy()
    if kind == "list":
        lists = src if spec.mode == "concat" else _split_list(src, profile.list_separators)
        return _typed_list(col, spec, lists, coll, label)
    src = _map_values(src, spec.values)
    if spec.op == "positive":
        num = _parse_numeric(src)
        bad = present & num.isna().to_numpy()
        coll.add(bad, label, src, "is not a number; give a count ≥ 0")
        return (num > 0).astype("boolean").where(num.notna(), pd.NA)
    if kind in ("str",):
        out = src.map(lambda v: v if v is None else (v if isinstance(v, str) else _key(v)))
        if col.name in ("patent_id", "publication_number", "divisional_of"):
            parsed = normalize_patent_numbers(out)
            bad = present & parsed["error"].notna().to_numpy()
            coll.add_each(np.flatnonzero(bad), label, out[bad], parsed["error"][bad])
            out = parsed["normalized"].where(~bad, None)
            out.attrs["patent_type"] = parsed["patent_type"]
        return out.astype(object)
    if kind == "category":
        text = src.map(lambda v: v if v is None else _key(v))
        ok = text.isin(col.allowed).to_numpy()
        bad = present & ~ok
        known = ", ".join(spec.values) if spec.values else ""
        hint = f"; or one of the source spellings {known}" if known else ""
        coll.add(bad, label, src, f"is not an allowed value; use one of {', '.join(col.allowed)}{hint}")
        return text.where(ok, None).astype(object)
    if kind == "bool":
        trues = _TRUE | {v.lower() for v in profile.true_values}
        falses = _FALSE | {v.lower() for v in profile.false_values}

        def to_bool(v):
            if v is None:
                return None
            if isinstance(v, (bool, np.bool_)):
                return bool(v)
            t = _key(v).lower()
            if t in trues:
                return True
            if t in falses:
                return False
            return _MISSING

        vals = src.map(to_bool)
        bad = vals.map(lambda v: v is _MISSING).to_numpy()
        coll.add(bad, label, src, "is not yes/no; use true/false, 1/0 or 是/否")
        return pd.array([None if (v is _MISSING or v is None) else v for v in vals],
                        dtype="boolean")
    if kind in ("int", "float"):
        num = _parse_numeric(src)
        if spec.scale is not None:
            num = num * spec.scale
        bad = present & num.isna().to_numpy()
        unit = "a whole number" if kind == "int" else "a number"
        coll.add(bad, label, src, f"is not {unit}; give {unit}"
                 + (f" ≥ {col.min_value:g}" if col.min_value is not None else ""))
        ok = num.notna().to_numpy().copy()
        if kind == "int":
            frac = ok & (np.mod(num.fillna(0).to_numpy(), 1) != 0)
            coll.add(frac, label, src, "is not a whole number; give a whole number")
            ok &= ~frac
        if col.min_value is not None:
            low = ok & (num.fillna(0).to_numpy() < col.min_value)
            coll.add(low, label, src, f"is below {col.min_value:g}; give a value ≥ {col.min_value:g}")
            ok &= ~low
        num = num.where(ok)
        return num.round().astype("Int64") if kind == "int" else num.astype("float64")
    if kind == "date":
        dates = _parse_dates(src, profile.date_formats)
        bad = present & dates.isna().to_numpy()
        fmts = ", ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
                         for f in profile.date_formats)
        coll.add(bad, label, src, f"is not a date; use YYYY-MM-DD (accepted here: {fmts})")
        years = dates.dt.year
        odd = (years < _MIN_YEAR) | (years > _MAX_YEAR)
        odd = odd.fillna(False).to_numpy(dtype=bool)
        coll.add(odd, label, src, f"is outside {_MIN_YEAR}–{_MAX_YEAR}; check the year")
        return dates.where(~odd)
    raise AssertionError(f"unknown kind {kind}")


def _typed_list(col: Column, spec: FieldSpec, lists: pd.Series, coll: _Collector,
                label: str) -> pd.Series:
    out: list[list[str] | None] = []
    bad_pos, bad_val, bad_msg = [], [], []
    memo: dict[tuple, tuple[list[str], list[tuple[str, str]]]] = {}
    for pos, items in enumerate(lists):
        if items is None:
            out.append(None)
            continue
        key = tuple(items)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = _clean_items(col, spec.values, key)
        clean, errors = hit
        out.append(list(clean))
        for item, msg in errors:
            bad_pos.append(pos)
            bad_val.append(item)
            bad_msg.append(msg)
    if bad_pos:
        coll.add_each(bad_pos, label, bad_val, bad_msg)
    return pd.Series(out, index=lists.index, dtype=object)


def _clean_items(col: Column, values: dict, items: tuple[str, ...]
                 ) -> tuple[list[str], list[tuple[str, str]]]:
    """Map, normalise and check the items of one list cell: (clean items, [(item, problem)])."""
    name = col.name
    clean: list[str] = []
    errors: list[tuple[str, str]] = []
    for item in items:
        v = str(values.get(item, item)) if values else item
        if name == "ipc":
            norm = normalize_ipc(v)
            if norm is None:
                errors.append((item, "is not an IPC code; write it like H04L27/26 or H04L"))
                continue
            v = norm
        elif name in ("family_countries", "overseas_granted"):
            v = _JURISDICTIONS.get(v, _JURISDICTIONS.get(v.upper(), v))
            if not _JURIS.match(v):
                errors.append((item, "is not a jurisdiction; use a two-letter code such as US, "
                                     "EP, JP, KR, HK or a Chinese name such as 美国"))
                continue
        elif col.allowed and v not in col.allowed:
            errors.append((item, f"is not an allowed value; use one of {', '.join(col.allowed)}"))
            continue
        if v not in clean:
            clean.append(v)
    return clean, errors


def convert_frame(raw: pd.DataFrame, profile: Profile, first_row: int = 1,
                  ) -> tuple[pd.DataFrame, dict[int, list[Problem]], list[str]]:
    """Convert raw rows; return (records, problems by row position, notes about the file)."""
    raw = raw.reset_index(drop=True)
    coll = _Collector(first_row, raw)
    notes: list[str] = []
    specs = {s.target: s for s in profile.fields}
    data: dict[str, pd.Series] = {}
    number_types = None
    for col in COLUMNS:
        spec = specs.get(col.name)
        if spec is None:
            data[col.name] = _empty(col, len(raw))
            continue
        data[col.name] = _convert_field(col, spec, raw, profile, coll, notes)
        if col.name == "patent_id":
            number_types = data[col.name].attrs.pop("patent_type", None)
    records = pd.DataFrame(data, index=raw.index)
    # outcomes and extras
    if profile.outcomes is None:
        for c in raw.columns:
            if str(c).startswith(OUTCOME_PREFIX):
                records[c] = _outcome(raw[c], str(c), coll, profile)
    else:
        for target, src in profile.outcomes.items():
            if src in raw.columns:
                records[target] = _outcome(raw[src], f"{src} ({target})", coll, profile)
            else:
                notes.append(f"{target}: source column {src} not in the file")
    for target, src in profile.extra.items():
        if src in raw.columns:
            records[target] = _as_text(raw[src]).map(lambda v: v if v is None else _key(v))
    _cross_checks(records, number_types, coll, raw, specs)
    return records, dict(coll.by_row), notes


def _outcome(s: pd.Series, label: str, coll: _Collector, profile: Profile) -> pd.Series:
    src = _nullify(s, set(profile.null_values))
    num = _parse_numeric(src)
    bad = (src.notna() & ~num.isin([0, 1])).to_numpy()
    coll.add(bad, label, src, "is not an outcome; use 1 (happened) or 0 (did not)")
    return num.where(~bad).astype("Int8")


def _empty(col: Column, n: int) -> pd.Series:
    kind = col.kind
    if kind == "int":
        return pd.Series(pd.array([pd.NA] * n, dtype="Int64"))
    if kind == "float":
        return pd.Series(np.full(n, np.nan))
    if kind == "bool":
        return pd.Series(pd.array([pd.NA] * n, dtype="boolean"))
    if kind == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    return pd.Series([None] * n, dtype=object)


def _cross_checks(rec: pd.DataFrame, number_types, coll: _Collector, raw: pd.DataFrame,
                  specs: dict[str, FieldSpec]) -> None:
    def lbl(name: str) -> str:
        return _label(specs[name]) if name in specs else name

    # The patent type: derive it from the number where the number says it; flag contradictions.
    if number_types is not None:
        given = rec["patent_type"]
        derived = pd.Series(number_types, index=rec.index)
        clash = (given.notna() & derived.notna() & (given != derived)).to_numpy()
        if clash.any():
            msgs = [f"contradicts the number {rec['patent_id'].iat[p]}, which says "
                    f"{derived.iat[p]}; fix the type or the number" for p in np.flatnonzero(clash)]
            coll.add_each(np.flatnonzero(clash), lbl("patent_type"), given[clash], msgs)
        rec["patent_type"] = given.where(given.notna(), derived)
    req = rec["patent_id"].isna().to_numpy()
    already = np.array([any(p.column.endswith(("patent_id", "patent_id)")) for p in
                        coll.by_row.get(i, [])) for i in range(len(rec))], dtype=bool)
    coll.add(req & ~already, lbl("patent_id"), pd.Series([""] * len(rec)),
             "is missing; every row needs a patent or application number")
    filing = rec["filing_date"]
    for name, what in (("grant_date", "grant"), ("publication_date", "publication"),
                       ("lapse_date", "lapse")):
        d = rec[name]
        early = (d.notna() & filing.notna() & (d < filing)).to_numpy()
        if early.any():
            msgs = [f"is before the filing date {filing.iat[p].date()}; a {what} date cannot "
                    "precede filing — check both dates" for p in np.flatnonzero(early)]
            coll.add_each(np.flatnonzero(early), lbl(name), d[early].dt.date, msgs)
    for ind, tot in (("independent_claims", "claims_count"),
                     ("independent_claims_filed", "claims_count_filed")):
        a, b = rec[ind], rec[tot]
        over = (a.notna() & b.notna() & (a > b)).fillna(False).to_numpy(dtype=bool)
        if over.any():
            msgs = [f"is more than {tot} = {b.iat[p]}; independent claims are part of all claims"
                    for p in np.flatnonzero(over)]
            coll.add_each(np.flatnonzero(over), lbl(ind), a[over], msgs)
