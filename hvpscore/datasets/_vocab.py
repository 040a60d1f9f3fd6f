"""Vocabularies of the synthetic stock, read once from ``hvpscore/datasets/data/*.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from hvpscore._yaml import safe_load as _yaml_safe_load

__all__ = ["claims_vocab", "fields", "names", "sei_ipc_codes", "non_sei_ipc_codes"]


def _load(name: str) -> Any:
    text = (resources.files("hvpscore.datasets") / "data" / name).read_text("utf-8")
    return _yaml_safe_load(text)


@cache
def _fields_raw() -> dict:
    return _load("fields.yaml")


def fields() -> dict:
    """``{"sei": [field, ...], "non_sei": [...], "design_products": [...], "design_views": [...]}``."""
    raw = _fields_raw()
    out = {
        "sei": [dict(f, sei=True) for f in raw["sei_fields"]],
        "non_sei": [dict(f, sei=False) for f in raw["non_sei_fields"]],
        "design_products": list(raw["design_products"]),
        "design_views": list(raw["design_views"]),
    }
    return out


@cache
def names() -> dict:
    return _load("names.yaml")


@cache
def claims_vocab() -> dict:
    return _load("claims_zh.yaml")


def _codes(side: str) -> list[str]:
    codes: list[str] = []
    for f in fields()[side]:
        codes += list(f["ipc"]) + list(f.get("extra_ipc") or [])
    return codes


def sei_ipc_codes() -> list[str]:
    """Every IPC code the generator may put on a record of a strategic-emerging-industry field."""
    return _codes("sei")


def non_sei_ipc_codes() -> list[str]:
    """Every IPC code the generator may put on a record outside the strategic emerging industries."""
    return _codes("non_sei")
