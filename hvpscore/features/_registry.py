"""The feature registry: every feature's family, stage, source columns and zh/en label templates.

Read from ``hvpscore/features/data/features.yaml`` (data, not code).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from hvpscore.schema import STAGES, column, stage_rank

__all__ = ["FAMILIES", "FeatureSpec", "feature_spec", "feature_specs", "format_value"]

FAMILIES: tuple[str, ...] = (
    "claims",
    "citations",
    "family",
    "prosecution",
    "owner",
    "ipc",
    "time",
    "history",
)


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    family: str
    stage: str
    sources: tuple[str, ...]
    fmt: str
    zh: str
    en: str
    cohort: bool = False
    codes: tuple[str, ...] = ()
    codes_zh: tuple[str, ...] = ()  # zh labels of ``codes``, same order

    def label(self, value: float, lang: str = "en") -> str:
        """The readable text of this feature at ``value`` (zh or en)."""
        template = self.zh if lang == "zh" else self.en
        return template.format(v=format_value(self, value, lang))


_FLAG = {"zh": ("否", "是"), "en": ("no", "yes")}
_UNKNOWN = {"zh": "未知", "en": "unknown"}


def format_value(spec: FeatureSpec, value: float, lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _UNKNOWN["zh" if lang == "zh" else "en"]
    fmt = spec.fmt
    if fmt == "int":
        return f"{value:.0f}"
    if fmt == "year":  # a fractional year (2022.3) reads as the calendar year it falls in
        return f"{math.floor(value)}"
    if fmt == "float1":
        return f"{value:.1f}"
    if fmt == "float2":
        return f"{value:.2f}"
    if fmt == "flag":
        return _FLAG["zh" if lang == "zh" else "en"][int(value > 0.5)]
    if fmt == "code":
        i = int(round(value))
        labels = spec.codes_zh if lang == "zh" and spec.codes_zh else spec.codes
        return labels[i] if 0 <= i < len(labels) else str(value)
    if fmt == "ipc_class":
        i = int(round(value))
        return f"{'ABCDEFGH'[i // 100]}{i % 100:02d}" if 0 <= i < 800 else str(value)
    return str(value)


@cache
def feature_specs() -> tuple[FeatureSpec, ...]:
    """All features, in registry order."""
    text = resources.files("hvpscore.features").joinpath("data/features.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["features"]
    out = []
    seen = set()
    for item in raw:
        spec = FeatureSpec(
            name=item["name"],
            family=item["family"],
            stage=item["stage"],
            sources=tuple(item["sources"]),
            fmt=item["fmt"],
            zh=item["zh"],
            en=item["en"],
            cohort=bool(item.get("cohort", False)),
            codes=tuple(item.get("codes", ())),
            codes_zh=tuple(item.get("codes_zh", ())),
        )
        # the registry is checked when loaded: a bad entry is a bug in the package data
        if spec.name in seen:
            raise ValueError(f"features.yaml: feature {spec.name!r} is listed twice")
        seen.add(spec.name)
        if spec.family not in FAMILIES:
            raise ValueError(f"features.yaml: {spec.name}: family {spec.family!r} not in {FAMILIES}")
        if spec.stage not in STAGES:
            raise ValueError(f"features.yaml: {spec.name}: stage {spec.stage!r} not in {STAGES}")
        for src in spec.sources:
            col = column(src)  # KeyError for an unknown column
            if stage_rank(col.stage) > stage_rank(spec.stage) and src not in _LATER_OK:
                raise ValueError(
                    f"features.yaml: {spec.name} (stage {spec.stage}) reads {src} "
                    f"(stage {col.stage}): a feature cannot use a later-stage column"
                )
        out.append(spec)
    return tuple(out)


# Columns that may feed an earlier-stage feature because the feature only reads what was known
# then: none. (Kept as an explicit, empty allow-list so the check above stays strict.)
_LATER_OK: frozenset[str] = frozenset()


def feature_spec(name: str) -> FeatureSpec:
    for spec in feature_specs():
        if spec.name == name:
            return spec
    raise KeyError(f"{name!r} is not a known feature; see hvpscore/features/data/features.yaml")
