"""Source profiles: how a source's columns, vocabularies, dates and lists map onto the record.

A profile is YAML (shipped in ``hvpscore/profiles/`` or a user's file). Keys:

``id``, ``description``
``encoding``           ``auto`` (UTF-8, UTF-8 with BOM or GB18030/GBK detected) or a codec name
``list_separators``    characters that separate list items in text cells
``date_formats``       strptime formats tried in order
``true_values`` / ``false_values``   extra spellings of yes/no
``fields``             ``identity`` (canonical names) or a mapping canonical column -> spec, where a
                       spec is a source column name or a mapping with exactly one of
                       ``from`` (a column), ``concat`` (list of columns -> one list), ``sum`` (list of
                       numeric columns), ``const`` (a constant) and optional ``values`` (vocabulary
                       map), ``rules`` (ordered ``{contains: [text, …], value: code}``: a value
                       that is not in ``values`` and contains one of the texts reads as ``code``;
                       the first rule that matches wins), ``prefix``, ``scale`` (a number),
                       ``op: positive`` (number > 0 -> true), ``null_values`` (source spellings
                       of "unknown")
``outcomes``           ``passthrough`` (keep ``outcome_*`` columns) or mapping outcome column -> source
``extra``              mapping extra output column -> source column, kept as text beside the record
"""

from __future__ import annotations

import codecs
import datetime as _dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hvpscore._errors import InputError
from hvpscore.schema import COLUMNS, OUTCOME_PREFIX, column

__all__ = ["FieldSpec", "Profile", "list_profiles", "load_profile"]

_SPEC_SOURCES = ("from", "concat", "sum", "const")
_SPEC_KEYS = set(_SPEC_SOURCES) | {"values", "rules", "prefix", "scale", "op", "null_values"}
_PROFILE_KEYS = {
    "id", "description", "encoding", "list_separators", "date_formats", "true_values",
    "false_values", "fields", "outcomes", "extra", "null_values",
}
DEFAULT_SEPARATORS = (";", "；", "|")
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
DEFAULT_NULLS = ("", "-", "--", "—", "N/A", "n/a", "NA", "null", "NULL", "None", "nan", "NaN", "无数据")


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical column is taken from the source."""

    target: str
    sources: tuple[str, ...] = ()
    mode: str = "from"  # from | concat | sum | const
    const: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""
    scale: float | None = None
    op: str | None = None
    null_values: tuple[str, ...] = ()
    rules: tuple[tuple[tuple[str, ...], str], ...] = ()


@dataclass(frozen=True)
class Profile:
    id: str
    description: str
    encoding: str
    list_separators: tuple[str, ...]
    date_formats: tuple[str, ...]
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    null_values: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    outcomes: dict[str, str] | None  # None = pass outcome_* columns through
    extra: dict[str, str]
    source: str = "<shipped>"

    def source_columns(self) -> set[str]:
        cols = {c for f in self.fields for c in f.sources}
        cols |= set((self.outcomes or {}).values()) | set(self.extra.values())
        return cols


def list_profiles() -> list[str]:
    """Ids of the profiles shipped with hvpscore."""
    pkg = resources.files("hvpscore") / "profiles"
    return sorted(p.name[:-5] for p in pkg.iterdir() if p.name.endswith(".yaml"))


def load_profile(profile: str | Path | Profile = "canonical") -> Profile:
    """Load a shipped profile by id or a user's profile from a YAML file."""
    if isinstance(profile, Profile):
        return profile
    name = str(profile)
    if name in list_profiles():
        text = (resources.files("hvpscore") / "profiles" / f"{name}.yaml").read_text("utf-8")
        where = f"profile {name!r}"
    else:
        path = Path(name)
        if not path.is_file():
            raise InputError(
                f"profile {name!r} is neither a shipped profile ({', '.join(list_profiles())}) "
                "nor an existing YAML file; pass one of those ids or a path to your own profile"
            )
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise InputError(f"profile file {str(path)!r} is neither UTF-8 nor GB18030 "
                                 "text; save it as UTF-8") from None
        where = f"profile file {str(path)!r}"
    try:
        # BaseLoader: every scalar stays text, so a column called No or 1 is not read as false or 1.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        raise InputError(f"{where} is not valid YAML: {exc}") from None
    return _build(data, where)


def _strs(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(str(v) for v in value)


def _reject_unknown(mapping: dict, allowed: set[str], where: str) -> None:
    unknown = set(mapping) - allowed
    if unknown:
        raise InputError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: "
            f"{', '.join(sorted(allowed))}"
        )


def _build(data: Any, where: str) -> Profile:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping with keys id, fields, …")
    _reject_unknown(data, _PROFILE_KEYS, where)
    if "id" not in data or "fields" not in data:
        raise InputError(f"{where}: 'id' and 'fields' are required")
    fields_raw = data["fields"]
    specs: list[FieldSpec] = []
    if fields_raw == "identity":
        specs = [FieldSpec(c.name, (c.name,)) for c in COLUMNS]
    elif isinstance(fields_raw, dict):
        for target, spec in fields_raw.items():
            specs.append(_field(str(target), spec, where))
    else:
        raise InputError(f"{where}: fields must be 'identity' or a mapping of canonical columns")
    if "patent_id" not in {s.target for s in specs}:
        raise InputError(f"{where}: fields must map patent_id (the only required column)")
    outcomes_raw = data.get("outcomes", "passthrough")
    if outcomes_raw == "passthrough":
        outcomes = None
    elif isinstance(outcomes_raw, dict):
        outcomes = {}
        for k, v in outcomes_raw.items():
            if not str(k).startswith(OUTCOME_PREFIX):
                raise InputError(
                    f"{where}: outcome column {k!r} must start with {OUTCOME_PREFIX!r}"
                )
            outcomes[str(k)] = str(v)
    else:
        raise InputError(f"{where}: outcomes must be 'passthrough' or a mapping")
    extra = {str(k): str(v) for k, v in (data.get("extra") or {}).items()}
    encoding = str(data.get("encoding", "auto"))
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{where}: encoding {encoding!r} is not a known codec; use auto, "
                             "utf-8, gb18030 or another Python codec name") from None
    formats = _strs(data.get("date_formats"), "date_formats", where)
    for fmt in formats:
        try:
            _dt.date(2001, 2, 3).strftime(fmt)
            ok = "%" in fmt
        except ValueError:
            ok = False
        if not ok:
            raise InputError(f"{where}: date_formats entry {fmt!r} is not a strptime format; "
                             "write it like %Y-%m-%d or %Y年%m月%d日")
    seps = _strs(data.get("list_separators"), "list_separators", where)
    if any(not x for x in seps):
        raise InputError(f"{where}: list_separators holds an empty string; give characters "
                         "such as ';' or '；'")
    return Profile(
        id=str(data["id"]),
        description=str(data.get("description", "")),
        encoding=encoding,
        list_separators=seps or DEFAULT_SEPARATORS,
        date_formats=formats or DEFAULT_DATE_FORMATS,
        true_values=_strs(data.get("true_values"), "true_values", where),
        false_values=_strs(data.get("false_values"), "false_values", where),
        null_values=_strs(data.get("null_values"), "null_values", where) or DEFAULT_NULLS,
        fields=tuple(specs),
        outcomes=outcomes,
        extra=extra,
        source=where,
    )


def _field(target: str, spec: Any, where: str) -> FieldSpec:
    try:
        column(target)
    except KeyError as exc:
        raise InputError(f"{where}: fields.{target}: {exc.args[0]}") from None
    if isinstance(spec, str):
        return FieldSpec(target, (spec,))
    if not isinstance(spec, dict):
        raise InputError(f"{where}: fields.{target} must be a column name or a mapping")
    _reject_unknown(spec, _SPEC_KEYS, f"{where}: fields.{target}")
    modes = [k for k in _SPEC_SOURCES if k in spec]
    if len(modes) != 1:
        raise InputError(
            f"{where}: fields.{target} needs exactly one of {', '.join(_SPEC_SOURCES)}"
        )
    mode = modes[0]
    if mode == "from":
        sources: tuple[str, ...] = (str(spec["from"]),)
    elif mode in ("concat", "sum"):
        if not isinstance(spec[mode], list) or not spec[mode]:
            raise InputError(f"{where}: fields.{target}.{mode} must be a list of columns")
        sources = tuple(str(s) for s in spec[mode])
    else:
        sources = ()
    op = spec.get("op")
    if op not in (None, "positive"):
        raise InputError(f"{where}: fields.{target}.op is {op!r}; allowed: positive")
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        raise InputError(f"{where}: fields.{target}.values must be a mapping")
    scale = None
    if "scale" in spec:
        try:
            scale = float(spec["scale"])
        except (TypeError, ValueError):
            raise InputError(
                f"{where}: fields.{target}.scale is {spec['scale']!r}, not a number; write the "
                "factor as digits, e.g. scale: 10000 for 万元 -> 元") from None
    return FieldSpec(
        target=target,
        sources=sources,
        mode=mode,
        const=spec.get("const"),
        values={str(k): v for k, v in values.items()},
        prefix=str(spec.get("prefix", "")),
        scale=scale,
        op=op,
        null_values=_strs(spec.get("null_values"), f"fields.{target}.null_values", where),
        rules=_rules(spec.get("rules"), f"{where}: fields.{target}.rules"),
    )


def _rules(raw: Any, where: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InputError(f"{where} must be a list of {{contains: [...], value: code}}")
    out = []
    for i, rule in enumerate(raw, start=1):
        if not isinstance(rule, dict) or set(rule) != {"contains", "value"}:
            raise InputError(f"{where}[{i}] is {rule!r}; write it as "
                             "{contains: [text, …], value: code}")
        needles = rule["contains"]
        needles = [needles] if isinstance(needles, str) else needles
        if not isinstance(needles, list) or not needles or not all(
                isinstance(x, str) and x for x in needles):
            raise InputError(f"{where}[{i}].contains must be a text or a list of texts")
        if not isinstance(rule["value"], str):
            raise InputError(f"{where}[{i}].value must be a canonical code")
        out.append((tuple(needles), rule["value"]))
    return tuple(out)
