"""The screen's data file: thresholds with their reasoning and the clauses of CNIPA's 2023
《规范申请专利行为的规定》 Art. 3 (``hvpscore/screening/data/screen.yaml``)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from hvpscore._errors import InputError
from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["clause", "config"]

_PATH = Path(__file__).parent / "data" / "screen.yaml"


@cache
def _shipped() -> dict:
    return _yaml_safe_load(_PATH.read_text(encoding="utf-8"))


def config(overrides: dict | None = None) -> dict:
    """The shipped configuration, with ``overrides`` ({section: {key: value}}) applied."""
    cfg = copy.deepcopy(_shipped())
    for section, values in (overrides or {}).items():
        if section not in cfg or not isinstance(cfg[section], dict):
            raise InputError(f"screen config: unknown section {section!r}; use one of "
                             f"minhash, pair_rules, bulk_rules / 未知配置节")
        for k, v in (values or {}).items():
            if k not in cfg[section]:
                raise InputError(f"screen config: {section}.{k} is not a setting; use one of "
                                 f"{', '.join(cfg[section])} / 未知配置项")
            if isinstance(cfg[section][k], dict) and isinstance(v, dict):
                cfg[section][k].update(v)
            else:
                cfg[section][k] = v
    return cfg


def clause(key: str) -> dict:
    """``{"id", "zh", "en"}`` of an Art. 3 item (e.g. ``art3_1``)."""
    c = _shipped()["clauses"][key]
    return {"id": key, "zh": c["zh"], "en": c["en"]}
