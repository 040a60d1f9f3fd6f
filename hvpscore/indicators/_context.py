"""Context files: denominators by region and year (population, GDP, R&D, enterprise counts …)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.indicators._data import package_yaml

__all__ = ["CONTEXT_FIELDS", "Context", "ContextValue", "load_context"]


def _fields() -> dict:
    return package_yaml("context_fields.yaml")["fields"]


CONTEXT_FIELDS: tuple[str, ...] = tuple(_fields())


@dataclass(frozen=True)
class ContextValue:
    """One figure of a context: its value, the year it is for, and where it comes from."""

    value: float
    year: int
    source: str


@dataclass
class Context:
    """Denominators by region and year, each with its source.

    ``figures[region][year][field] = ContextValue``. ``synthetic`` marks an illustrative context
    (its figures are not published statistics); ``note`` says how it was made.
    """

    id: str = "context"
    synthetic: bool = False
    note: str = ""
    figures: dict[str, dict[int, dict[str, ContextValue]]] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        """Region names in file order."""
        return list(self.figures)

    def get(self, region: str, field_name: str, year: int) -> ContextValue | None:
        """The figure for ``year``, else the latest earlier year that has it, else None."""
        years = self.figures.get(region, {})
        best = None
        for y, vals in years.items():
            if y <= year and field_name in vals and (best is None or y > best):
                best = y
        return None if best is None else years[best][field_name]

    def to_frame(self) -> pd.DataFrame:
        """Long table: region, year, field, value, source."""
        rows = [{"region": r, "year": y, "field": f, "value": v.value, "source": v.source}
                for r, ys in self.figures.items() for y, fs in ys.items() for f, v in fs.items()]
        return pd.DataFrame(rows, columns=["region", "year", "field", "value", "source"])


def _number(v, where: str) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {v!r} is not a number; give a plain number such as 3213.34 "
                         "(units in hvpscore/indicators/data/context_fields.yaml)") from None
    if math.isnan(x) or x < 0:
        raise InputError(f"{where}: {v!r} must be a non-negative number")
    return x


def _check_field(name: str, where: str) -> None:
    if name not in CONTEXT_FIELDS:
        raise InputError(f"{where}: unknown field {name!r}; allowed: {', '.join(CONTEXT_FIELDS)}")


def _year(y, where: str) -> int:
    try:
        yi = int(str(y).strip())
    except ValueError:
        raise InputError(f"{where}: year {y!r} is not a year; use e.g. 2024") from None
    if not 1900 <= yi <= 2200:
        raise InputError(f"{where}: year {y!r} is out of range")
    return yi


def _from_mapping(data: dict, where: str) -> Context:
    if not isinstance(data, dict) or not isinstance(data.get("regions"), dict):
        raise InputError(f"{where}: a context file needs a 'regions:' mapping "
                         "(region → year → field: value); see data/sample/context.yaml")
    unknown = set(data) - {"id", "synthetic", "note", "sources", "regions"}
    if unknown:
        raise InputError(f"{where}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                         "allowed: id, synthetic, note, sources, regions")
    sources = data.get("sources") or {}
    note = data.get("note") or ""
    if isinstance(note, dict):
        note = note.get("zh") or note.get("en") or ""
    ctx = Context(id=str(data.get("id", "context")), synthetic=bool(data.get("synthetic", False)),
                  note=str(note).strip())
    for region, years in data["regions"].items():
        if not isinstance(years, dict):
            raise InputError(f"{where}: region {region!r} needs year → field: value entries")
        ry = ctx.figures.setdefault(str(region).strip(), {})
        for y, vals in years.items():
            yi = _year(y, f"{where}, {region}")
            if not isinstance(vals, dict):
                raise InputError(f"{where}, {region} {y}: give field: value entries")
            default_src = str(sources.get(vals.get("source"), vals.get("source", "")) or "")
            out = ry.setdefault(yi, {})
            for f, v in vals.items():
                if f == "source":
                    continue
                w = f"{where}, {region} {yi}, {f}"
                _check_field(f, w)
                src = default_src
                if isinstance(v, dict):
                    if "value" not in v:
                        raise InputError(f"{w}: give value: NUMBER (and optionally source: TEXT)")
                    s = v.get("source")
                    src = str(sources.get(s, s) if s is not None else default_src)
                    v = v["value"]
                if v is None:
                    continue
                out[f] = ContextValue(_number(v, w), yi, src)
    return ctx


def _from_frame(df: pd.DataFrame, where: str) -> Context:
    cols = [str(c).strip() for c in df.columns]
    df = df.set_axis(cols, axis=1)
    if not {"region", "year"} <= set(cols):
        raise InputError(f"{where}: a context table needs columns region, year and either "
                         "field,value[,source] (long) or one column per field (wide)")
    ctx = Context(id=Path(where).stem)
    long = "field" in cols and "value" in cols
    for i, row in enumerate(df.to_dict(orient="records"), start=2):
        region = str(row["region"]).strip()
        w = f"{where}, line {i}"
        yi = _year(row["year"], w)
        src = "" if pd.isna(row.get("source")) else str(row.get("source", ""))
        out = ctx.figures.setdefault(region, {}).setdefault(yi, {})
        items = [(str(row["field"]).strip(), row["value"])] if long else [
            (c, row[c]) for c in cols if c not in ("region", "year", "source")]
        for f, v in items:
            if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
                continue
            _check_field(f, f"{w}, {f}")
            out[f] = ContextValue(_number(v, f"{w}, {f}"), yi, src)
    return ctx


def load_context(source) -> Context:
    """A :class:`Context` from a YAML file, a CSV/XLSX table, a mapping or a DataFrame.

    YAML (see ``data/sample/context.yaml``)::

        id: my-city
        synthetic: false
        sources: {tjgb2024: "重庆市2024年国民经济和社会发展统计公报"}
        regions:
          重庆市:
            2024:
              source: tjgb2024          # default source of this year's figures
              population_10k: 3190.47   # 万人
              gdp_100m_cny: {value: 32193.15, source: tjgb2024}

    Tables: columns ``region, year, field, value[, source]`` (long) or ``region, year`` plus one
    column per field (wide). Fields and units: ``hvpscore/indicators/data/context_fields.yaml``.
    """
    if source is None:
        return Context()
    if isinstance(source, Context):
        return source
    if isinstance(source, dict):
        return _from_mapping(source, "context")
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, "context")
    path = Path(source)
    if not path.is_file():
        raise InputError(f"context file {path} does not exist; see data/sample/context.yaml")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            data = _yaml_safe_load(path.read_text("utf-8"))
        except yaml.YAMLError as e:
            raise InputError(f"{path}: not valid YAML ({e})") from None
        return _from_mapping(data, str(path))
    if suffix == ".csv":
        return _from_frame(pd.read_csv(path, dtype=str, encoding="utf-8-sig"), str(path))
    if suffix in (".xlsx", ".xls"):
        return _from_frame(pd.read_excel(path, dtype=str, engine="openpyxl"), str(path))
    raise InputError(f"{path}: a context file is .yaml, .csv or .xlsx")
