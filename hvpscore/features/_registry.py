"""The feature registry: every feature's family, stage, source columns and zh/en label templates.

Read from ``hvpscore/features/data/features.yaml`` (data, not code).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.schema import STAGES, column, stage_rank

__all__ = ["DIMENSIONS", "FAMILIES", "FeatureSpec", "feature_spec", "feature_specs",
           "format_value"]

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

# value dimensions (GB/T 42748-2023 专利评估指引, first-level indicators): our grouping of features
DIMENSIONS: tuple[str, ...] = ("legal", "technical", "economic")
DIMENSION_LABELS = {"legal": ("法律价值", "legal value"),
                    "technical": ("技术价值", "technical value"),
                    "economic": ("经济价值", "economic value")}


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
    monotone: int = 0  # +1 / -1: direction known a priori (LightGBM monotone constraint)
    dimension: str = "legal"  # legal / technical / economic value (see DIMENSIONS)
    actionable: bool = False  # the applicant can change it while drafting

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
    raw = _yaml_safe_load(text)["features"]
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
            monotone=int(item.get("monotone", 0)),
            dimension=item["dimension"],
            actionable=bool(item.get("actionable", False)),
        )
        # the registry is checked when loaded: a bad entry is a bug in the package data
        if spec.name in seen:
            raise ValueError(f"features.yaml: feature {spec.name!r} is listed twice")
        seen.add(spec.name)
        if spec.family not in FAMILIES:
            raise ValueError(f"features.yaml: {spec.name}: family {spec.family!r} not in {FAMILIES}")
        if spec.dimension not in DIMENSIONS:
            raise ValueError(f"features.yaml: {spec.name}: dimension {spec.dimension!r} not in "
                             f"{DIMENSIONS}")
        if spec.actionable and spec.stage != "draft":
            raise ValueError(f"features.yaml: {spec.name}: actionable at the draft stage, but "
                             f"known only at stage {spec.stage}")
        if spec.monotone not in (-1, 0, 1):
            raise ValueError(f"features.yaml: {spec.name}: monotone must be -1, 0 or 1")
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
