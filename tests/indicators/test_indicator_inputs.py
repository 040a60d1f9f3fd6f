"""Context and target files: formats, sources, and errors that name the fix."""

from __future__ import annotations

import pandas as pd
import pytest

import hvpscore
from hvpscore.indicators import load_context, load_targets, read_scores, shipped_targets


def test_shipped_targets_quote_the_plan(repo_dir):
    tg = load_targets()
    assert tg.id == "chongqing-2022-2024" and "chongqing-2022-2024" in shipped_targets()
    assert tg.document == "渝府办发〔2022〕41号"
    assert tg.target_date == pd.Timestamp("2024-12-31")
    assert tg.targets["hv_per_10k_pop"].value == 10
    assert tg.targets["hv_per_listed_key"].op == ">"           # 突破 = exceed
    assert tg.targets["sei_share"].value == 0.5
    assert tg.targets["rd_intensity"].value == pytest.approx(0.0249)
    assert all(t.passage for t in tg.targets.values())
    # every passage is a passage of the plan (the seed copy lists each sentence at least once)
    seed = repo_dir.parent / "shared" / "mission" / "seed-chongqing-plan-2022-2024.zh.txt"
    if seed.is_file():
        text = seed.read_text("utf-8").replace("\n", "")
        for t in tg.targets.values():
            for part in t.passage.split("……"):
                assert part.removeprefix("——") in text, t.indicator


def test_target_errors():
    with pytest.raises(hvpscore.InputError, match="unknown indicator"):
        load_targets({"targets": {"nope": {"op": ">=", "value": 1}}})
    with pytest.raises(hvpscore.InputError, match="op '=>' is not one of"):
        load_targets({"targets": {"hv_count": {"op": "=>", "value": 1}}})
    with pytest.raises(hvpscore.InputError, match="is not a number"):
        load_targets({"targets": {"hv_count": {"op": ">=", "value": "many"}}})
    with pytest.raises(hvpscore.InputError, match="neither a shipped target file"):
        load_targets("no-such-plan")


def test_context_yaml_csv_long_and_wide(tmp_path):
    y = tmp_path / "c.yaml"
    y.write_text("id: x\nsources: {s1: 统计公报}\nregions:\n  重庆市:\n    2024:\n      source: s1\n"
                 "      population_10k: 3190.47\n      gdp_100m_cny: {value: 32193.15}\n", "utf-8")
    c = load_context(y)
    v = c.get("重庆市", "population_10k", 2025)
    assert (v.value, v.year, v.source) == (3190.47, 2024, "统计公报")
    assert c.get("重庆市", "population_10k", 2023) is None
    long = tmp_path / "long.csv"
    long.write_text("region,year,field,value,source\n重庆市,2024,population_10k,3190.47,公报\n",
                    "utf-8")
    assert load_context(long).get("重庆市", "population_10k", 2024).value == 3190.47
    wide = tmp_path / "wide.csv"
    wide.write_text("region,year,population_10k,gdp_100m_cny\n重庆市,2024,3190.47,32193.15\n",
                    "utf-8")
    w = load_context(wide)
    assert w.get("重庆市", "gdp_100m_cny", 2024).value == 32193.15
    assert list(w.to_frame()["field"]) == ["population_10k", "gdp_100m_cny"]


def test_context_errors(tmp_path):
    with pytest.raises(hvpscore.InputError, match="unknown field 'people'; allowed: population_10k"):
        load_context({"regions": {"重庆市": {2024: {"people": 1}}}})
    with pytest.raises(hvpscore.InputError, match=r"重庆市 2024, gdp_100m_cny: 'lots' is not a "
                                                  "number"):
        load_context({"regions": {"重庆市": {2024: {"gdp_100m_cny": "lots"}}}})
    with pytest.raises(hvpscore.InputError, match="year 'x' is not a year"):
        load_context({"regions": {"重庆市": {"x": {"gdp_100m_cny": 1}}}})
    with pytest.raises(hvpscore.InputError, match="needs a 'regions:' mapping"):
        load_context({"region": {}})
    with pytest.raises(hvpscore.InputError, match="does not exist"):
        load_context(tmp_path / "none.yaml")


def test_sample_context_is_labelled_synthetic(repo_dir):
    c = load_context(repo_dir / "data" / "sample" / "context.yaml")
    assert c.synthetic is True
    assert "合成" in c.note
    assert all("synthetic" in v.source for ys in c.figures.values() for fs in ys.values()
               for v in fs.values())


def test_read_scores_round_trip(tmp_path, scores):
    hvpscore.write_table(scores, tmp_path / "s.csv")
    back = read_scores(tmp_path / "s.csv")
    assert back["is_high_value"].dtype == bool
    assert back["is_high_value"].tolist() == scores["is_high_value"].tolist()
    bad = scores.astype({"hv_sei": object})
    bad.loc[2, "hv_sei"] = "maybe"
    hvpscore.write_table(bad, tmp_path / "bad.csv")
    with pytest.raises(hvpscore.InputError, match="row 3, hv_sei: 'maybe' is not true/false"):
        read_scores(tmp_path / "bad.csv")
    with pytest.raises(hvpscore.InputError, match="does not exist"):
        read_scores(tmp_path / "nope.parquet")
