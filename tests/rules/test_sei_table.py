"""The shipped CNIPA 2021 concordance: coverage, regeneration, specific-over-general matching,
partial rows with and without text, explanations and suggestions."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import pandas as pd
import pytest

from hvpscore.rules import (
    assign_sei,
    explain_sei,
    load_concordance,
    load_industries,
    shipped_concordance,
    suggest_sei,
)

ROOT = Path(__file__).resolve().parents[2]
SEI_DIR = ROOT / "hvpscore" / "rules" / "sei"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_sei_concordance", ROOT / "training" / "build_sei_concordance.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(SEI_DIR / "concordance.csv", dtype=str, keep_default_na=False)


# ------------------------------------------------------------------ data
def test_every_field_of_the_2018_classification_has_rows(table):
    ind = load_industries()
    second = set(ind.loc[ind["level"] == 2, "code"])
    assert len(second) == 40
    assert set(table["field_code"]) == second
    per_field = table.groupby("field_code")["row"].nunique()
    assert (per_field >= 1).all()
    assert set(table["field_code"].str.split(".").str[0]) == {str(i) for i in range(1, 10)}


def test_table_shape_and_columns(table):
    assert table.columns.tolist() == ["entry", "row", "field_code", "ipc", "level", "exclude",
                                      "partial", "terms", "keywords_text", "note"]
    assert len(table) == 1689 and table["row"].nunique() == 312
    assert table["entry"].is_unique
    assert set(table["partial"]) == {"0", "1"}
    assert set(table["level"]) <= {"class", "subclass", "main_group", "subgroup"}
    # a partial entry carries its row's keyword text; a non-partial one only a note, if anything
    part = table["partial"] == "1"
    assert (table.loc[part, "keywords_text"] != "").all()
    assert (table.loc[~part & (table["keywords_text"] != ""), "note"] != "").all()
    conc = shipped_concordance()
    assert len(conc) == len(table)


def test_exclusions_only_apply_inside_their_entry(table):
    e = table.set_index("entry")
    assert e.loc["E0001", "ipc"] == "G06F11*"
    assert e.loc["E0001", "exclude"] == "G06F11/14;G06F11/36"
    assert e.loc["E0002", "exclude"] == "G06F21/60;G06F21/62"
    assert e.loc["E0003", "exclude"] == ""        # H04L1*: none of the row's exclusions is inside


def test_shipped_files_regenerate_byte_identically():
    mod = _builder()
    out = mod.build()
    for path, text in out.items():
        assert path.read_text(encoding="utf-8") == text, path
    assert mod.main(["--check"]) == 0


def test_checksums_match_the_files():
    for line in (SEI_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((SEI_DIR / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.skipif(not os.environ.get("HVPSCORE_SEI_UPSTREAM"),
                    reason="set HVPSCORE_SEI_UPSTREAM to a folder holding pr-re's zhanlue_*.js")
def test_rows_regenerate_from_the_upstream_transcription():
    mod = _builder()
    out = mod.build(Path(os.environ["HVPSCORE_SEI_UPSTREAM"]))
    for path, text in out.items():
        assert path.read_text(encoding="utf-8") == text, path


def test_term_derivation_rules():
    mod = _builder()
    import yaml

    cfg = yaml.safe_load((SEI_DIR / "source" / "terms.yaml").read_text(encoding="utf-8"))
    assert mod.derive_terms("", cfg) == (False, [], "")
    assert mod.derive_terms("不包含非机动车", cfg) == (False, [], "不包含非机动车")
    assert mod.derive_terms("稀土相关关键词", cfg) == (True, ["稀土"], "")
    assert mod.derive_terms("产品相关关键词", cfg) == (True, [], "")
    assert mod.derive_terms("集成电路制造；生产专用光刻机、刻蚀机等半导体器件专用设备制造", cfg) == (
        True, ["集成电路", "生产专用光刻机", "刻蚀机", "半导体器件"], "")
    assert mod.derive_terms("药用辅料及包装材料制造；不饱和聚酯", cfg)[1] == [
        "药用辅料", "包装材料", "不饱和聚酯"]


# ------------------------------------------------------------------ matching
def test_most_specific_entry_wins_in_the_shipped_table():
    out = assign_sei([["G01N33/483"], ["G01N33/30"]])
    # G01N33/483 is an exact entry of 4.2 (unconditional) and inside G01N33* of 4.4 (partial)
    assert out["sei_codes"].tolist() == ["4.2", ""]
    assert out["sei_near"].iat[1].startswith("4.4 G01N33* <- G01N33/30")
    why = explain_sei(["G01N33/483"])[0]
    assert [m["field_code"] for m in why["matches"]] == ["4.2"]
    assert [(o["field_code"], o["ipc"]) for o in why["overridden"]] == [("4.4", "G01N33*")]


def test_specific_over_general_on_a_user_table(tmp_path):
    path = tmp_path / "native.csv"
    pd.DataFrame({"field_code": ["1.1", "1.4", "2.1", "1.5"],
                  "ipc": ["H04W*", "H04W4/02", "G05B*", "G05B19*"],
                  "exclude": ["", "", "", ""], "keywords": ["", "", "", ""]}).to_csv(
        path, index=False)
    conc = load_concordance(path)
    out = assign_sei([["H04W4/02"], ["H04W4/80"], ["G05B19/418"], ["G05B13/02"]],
                     concordance=conc)
    assert out["sei_codes"].tolist() == ["1.4", "1.1", "1.5", "2.1"]
    every = type(conc)(conc.rules, source="every", most_specific=False)
    out = assign_sei([["H04W4/02"]], concordance=every)
    assert out["sei_codes"].iat[0] == "1.1;1.4"


def test_partial_rows_with_and_without_text():
    ipc = [["H04L9/32"]] * 4
    texts = ["一种基于区块链的身份认证方法", "一种身份认证方法", None, "一种中继链跨链方法"]
    out = assign_sei(ipc, texts=texts)
    assert out["sei"].tolist() == [True, False, False, True]
    assert out["sei_rule"].iat[0] == "1.3 H04L9* <- H04L9/32 [kw: 区块链]"
    assert out["sei_near"].tolist()[1:3] == ["1.3 H04L9* <- H04L9/32"] * 2
    assert out["sei_near_keywords"].iat[2] == "平行链, 中继链, 以太币"
    no_text = assign_sei(ipc)
    assert not no_text["sei"].any() and (no_text["sei_near"] != "").all()


def test_partial_row_without_usable_terms_is_always_near():
    # B29C64 (additive manufacturing): the table's text is only "产品相关关键词"
    out = assign_sei([["B29C64/118"]], texts=["一种3D打印产品的增材制造方法"])
    assert not out["sei"].iat[0]
    assert out["sei_near"].iat[0] == "2.1 B29C64* <- B29C64/118"
    assert out["sei_near_keywords"].iat[0] == "产品相关关键词"


def test_a_row_that_only_states_an_exclusion_counts_and_shows_its_note():
    why = explain_sei(["B60L53/10"])[0]
    (m,) = why["matches"]
    assert m["field_code"] == "5.3" and not m["partial"] and m["status"] == "counted"
    assert m["note"] == "不包含非机动车"


def test_ipc_scope_main_only_looks_at_the_first_code():
    out = assign_sei([["F16H57/02", "H04W72/04"]], scope="main")
    assert not out["sei"].iat[0]
    assert assign_sei([["F16H57/02", "H04W72/04"]])["sei_codes"].iat[0] == "1.1"


# ------------------------------------------------------------------ explain / suggest
def test_explain_sei_reports_exclusions_and_statuses():
    items = explain_sei(["H04W4/02", "not a code", "H04L27/26"], text="一种高端路由器")
    assert items[0]["normalized"] == "H04W4/02"
    assert ("H04W4*", "H04W4/02") in items[0]["excluded"]
    assert items[0]["matches"][0]["status"] == "near"
    assert items[1]["normalized"] is None and items[1]["matches"] == []
    (m,) = items[2]["matches"]
    assert m["status"] == "counted" and m["found"] == ["高端路由器"]
    assert m["row"].startswith("T") and m["name_zh"] == "下一代信息网络产业"


def test_suggest_sei_from_text_and_ipc():
    text = "一种基于区块链的数据存证方法，所述方法用于锂离子电池单体的溯源"
    got = suggest_sei(text)
    assert set(got["status"]) == {"text_only"}
    by = got.set_index("field_code")
    assert "区块链" in by.loc["1.3", "terms"]
    assert "锂离子电池单体" in by.loc["1.2", "terms"]
    with_ipc = suggest_sei(text, ipc="H04L9/32;F16H57/02")
    assert with_ipc["field_code"].iat[0] == "1.3" and with_ipc["status"].iat[0] == "counted"
    assert with_ipc["ipc"].iat[0] == "H04L9/32"
    near = suggest_sei("一种加密方法", ipc=["H04L9/32"])
    assert near[["field_code", "status"]].values.tolist() == [["1.3", "ipc_near"]]
    assert suggest_sei("一种火锅底料").empty
    assert list(suggest_sei("x").columns) == ["field_code", "name_zh", "name_en", "status",
                                               "terms", "rows", "ipc", "score"]
