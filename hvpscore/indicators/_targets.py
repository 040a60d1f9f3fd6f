"""Target files: the plan's targets per indicator, each with the passage it comes from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.indicators._data import package_yaml

__all__ = ["DEFAULT_TARGETS", "OPS", "Target", "Targets", "load_targets", "shipped_targets"]

DEFAULT_TARGETS = "chongqing-2022-2024"
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@dataclass(frozen=True)
class Target:
    """One target: ``value op target`` is met. ``passage`` quotes the plan."""

    indicator: str
    op: str
    value: float
    passage: str = ""
    note_zh: str = ""
    note_en: str = ""

    def met(self, value: float) -> bool:
        """Whether ``value`` meets the target."""
        return {">=": value >= self.value, ">": value > self.value, "<=": value <= self.value,
                "<": value < self.value, "==": value == self.value}[self.op]


@dataclass
class Targets:
    """A target file: id, title, document, region, target date, and targets by indicator id."""

    id: str = "none"
    title_zh: str = ""
    title_en: str = ""
    document: str = ""
    region: str | None = None
    target_date: pd.Timestamp | None = None
    targets: dict[str, Target] = field(default_factory=dict)


def shipped_targets() -> list[str]:
    """Ids of the target files shipped with hvpscore."""
    d = resources.files("hvpscore.indicators").joinpath("data/targets")
    return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".yaml"))


def load_targets(source=DEFAULT_TARGETS) -> Targets:
    """A :class:`Targets` from a shipped id (default ``chongqing-2022-2024``), a YAML path or a
    mapping; ``None`` gives no targets (every indicator then shows status ``no_target``).

    Each target: ``indicator_id: {op: ">=" | ">" | "<=" | "<", value: NUMBER, passage: TEXT}``;
    indicator ids are those of ``hvpscore/indicators/data/indicators.yaml``.
    """
    if source is None:
        return Targets()
    if isinstance(source, Targets):
        return source
    where = "targets"
    if isinstance(source, dict):
        data = source
    else:
        s = str(source)
        if s in shipped_targets():
            where = f"shipped targets {s}"
            text = resources.files("hvpscore.indicators").joinpath(
                f"data/targets/{s}.yaml").read_text("utf-8")
        else:
            path = Path(s)
            if not path.is_file():
                raise InputError(f"targets {s!r} is neither a shipped target file "
                                 f"({', '.join(shipped_targets())}) nor an existing YAML file")
            where = str(path)
            text = path.read_text("utf-8")
        try:
            data = _yaml_safe_load(text)
        except yaml.YAMLError as e:
            raise InputError(f"{where}: not valid YAML ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
        raise InputError(f"{where}: a target file needs a 'targets:' mapping of indicator id → "
                         "{op, value, passage}")
    known = package_yaml("indicators.yaml")["indicators"]
    title = data.get("title") or {}
    if isinstance(title, str):
        title = {"zh": title, "en": title}
    td = data.get("target_date")
    out = Targets(id=str(data.get("id", "targets")), title_zh=str(title.get("zh", "")),
                  title_en=str(title.get("en", "")), document=str(data.get("document", "")),
                  region=data.get("region"),
                  target_date=pd.Timestamp(str(td)) if td is not None else None)
    for ind, t in data["targets"].items():
        w = f"{where}, target {ind}"
        if ind not in known:
            raise InputError(f"{w}: unknown indicator; known: {', '.join(known)}")
        if not isinstance(t, dict) or "value" not in t:
            raise InputError(f"{w}: give op and value, e.g. {{op: '>=', value: 10}}")
        op = str(t.get("op", ">="))
        if op not in OPS:
            raise InputError(f"{w}: op {op!r} is not one of {', '.join(OPS)}")
        try:
            v = float(t["value"])
        except (TypeError, ValueError):
            raise InputError(f"{w}: value {t['value']!r} is not a number") from None
        if math.isnan(v):
            raise InputError(f"{w}: value is NaN")
        note = t.get("note") or {}
        if isinstance(note, str):
            note = {"zh": note, "en": note}
        out.targets[ind] = Target(ind, op, v, str(t.get("passage", "")).strip(),
                                  str(note.get("zh", "")), str(note.get("en", "")))
    return out
