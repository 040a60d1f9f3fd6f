"""hvpscore.ipc: one reading of IPC codes for the reader and the rules."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import hvpscore.io
import hvpscore.rules
from hvpscore.ipc import IpcParts, ipc_level, ipc_parts, normalize_ipc


@pytest.mark.parametrize("raw, norm", [
    ("H04L27/26", "H04L27/26"),
    ("H04L 27/26", "H04L27/26"),
    ("H04L 27/26(2006.01)", "H04L27/26"),
    ("H04L 27/26 (2006.01)", "H04L27/26"),
    ("H04L27/26[2006.01]", "H04L27/26"),
    ("H04L 27/26（2006.01）", "H04L27/26"),
    ("H04L 27/26(2006.01)I", "H04L27/26"),
    ("H04L 27/26 [2006.01] N", "H04L27/26"),
    ("H04L0027260000", "H04L27/26"),
    ("A61K0039395000", "A61K39/395"),
    ("H04L0027000000", "H04L27/00"),
    ("H04L0027/26", "H04L27/26"),
    ("Ｈ０４Ｌ２７／２６", "H04L27/26"),
    ("Ｈ０４Ｌ　２７／２６；", "H04L27/26"),
    ("H04L27/26；", "H04L27/26"),
    ("H04L27/26;", "H04L27/26"),
    ("H04L27/26,", "H04L27/26"),
    ("H04L27/26，", "H04L27/26"),
    ("H04L27/26、", "H04L27/26"),
    ("H04L27/26。", "H04L27/26"),
    (" h04l27/26 ", "H04L27/26"),
    ("h04l 27 / 26", "H04L27/26"),
    ("H04L\u00a027/26", "H04L27/26"),
    ("A61B8", "A61B8/00"),
    ("A61B", "A61B"),
    ("a61b", "A61B"),
    ("G06F16/3344", "G06F16/3344"),
    ("B60L53/10", "B60L53/10"),
])
def test_normalize_ipc_reads_printed_forms(raw, norm):
    assert normalize_ipc(raw) == norm


@pytest.mark.parametrize("raw", [
    None, float("nan"), pd.NA, 12, "", "not a code", "H04", "H", "I04L27/26", "H4L27/26",
    "H04L27/26/1", "H04L0/00", "H04L27/1234567", "H04L;27/26", "XYZ",
])
def test_not_ipc_is_none(raw):
    assert normalize_ipc(raw) is None


def test_same_function_everywhere():
    assert hvpscore.io.normalize_ipc is normalize_ipc
    assert hvpscore.rules.normalize_ipc is normalize_ipc


def test_parts_and_level():
    p = ipc_parts("h04l 27/26 (2006.01)")
    assert p == IpcParts("H", "04", "L", 27, "26")
    assert (p.class_code, p.subclass_code, p.main_group_code, p.code) == (
        "H04", "H04L", "H04L27", "H04L27/26")
    assert p.level == "subgroup"
    assert ipc_parts("A61B8").level == "main_group"
    assert ipc_parts("A61B").main_group_code is None
    assert ipc_parts("A61B").code == "A61B"
    assert ipc_parts("nope") is None
    assert [ipc_level(c) for c in ("H04L", "H04L27/00", "H04L 27/26", "x", None)] == [
        "subclass", "main_group", "subgroup", None, None]


def test_canonical_is_a_fixed_point():
    for raw in ("H04L 27/26(2006.01)", "Ｈ０４Ｌ２７／２６；", "A61K0039395000", "A61B8", "A61B"):
        norm = normalize_ipc(raw)
        assert normalize_ipc(norm) == norm
        assert ipc_parts(norm).code == norm


def test_nan_float_does_not_raise():
    assert normalize_ipc(math.nan) is None
