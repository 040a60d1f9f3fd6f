"""Top-100 lists: name normalisation, aliases, co-ownership credit, competition ranking."""

from __future__ import annotations

import pandas as pd
import pytest

import hvpscore
from hvpscore.indicators import load_aliases, name_key, top_holders, top_inventors


@pytest.mark.parametrize("a, b", [
    ("重庆长安汽车（集团）有限责任公司", "重庆长安汽车(集团)有限公司"),   # brackets, company form
    ("重庆 长安　汽车有限公司", "重庆长安汽车有限公司"),                 # half / full-width spaces
    ("重庆某某股份公司", "重庆某某股份有限公司"),                         # 股份公司 ≡ 股份有限公司
    ("ＡＢＣ科技有限公司", "ABC科技有限公司"),                           # full-width letters
    ("【重庆】甲有限公司", "(重庆)甲有限公司"),
    ("Huawei Technologies Co. , Ltd.", "HUAWEI  TECHNOLOGIES CO., LTD."),
])
def test_same_name(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [
    ("重庆某某有限公司", "重庆某某股份有限公司"),        # different legal forms
    ("重庆某某有限公司", "重庆某某有限公司重庆分公司"),    # branch
    ("重庆某某集团有限公司", "重庆某某有限公司"),          # group vs company
    ("重慶某某有限公司", "重庆某某有限公司"),              # traditional vs simplified
    ("有限责任公司研究所", "有限公司研究所"),              # the form only counts at the end
])
def test_different_names(a, b):
    assert name_key(a) != name_key(b)


def test_holders_ranked_with_ties(scores, records):
    h = top_holders(scores, records)
    top = h.set_index("name")
    # 重庆大学甲: P3 + P5 (co-owned, full credit); 重庆甲科技有限公司 (P1) and 重庆甲科技有限责任公司
    # (P2) are one holder, shown with the spelling of its latest filing (P2, 2024)
    jia = "重庆甲科技有限责任公司"
    assert top.loc["重庆大学甲", "high_value"] == 2 and top.loc["重庆大学甲", "co_owned_hv"] == 1
    assert top.loc[jia, "high_value"] == 2
    assert top.loc[jia, "variants"] == "重庆甲科技有限公司；重庆甲科技有限责任公司"
    assert list(h["rank"][:2]) == [1, 1]
    # within the tie: more valid invention patents first (3 vs 2)
    assert list(h["name"][:2]) == ["重庆大学甲", jia]
    assert set(h["rank"][2:]) == {3}                   # competition ranking: 1, 1, 3
    assert top.loc["重庆乙股份公司", "valid_invention"] == 2   # P5 + P14 (股份有限公司 ≡ 股份公司)
    assert top.loc[jia, "hv_sei"] == 2
    assert top.loc[jia, "hv_overseas"] == 1
    assert top.loc["重庆大学甲", "applicant_type"] == "university"
    assert len(h) == 9 and h["high_value"].sum() == 11  # 10 high-value, P5 counted twice


def test_cut_keeps_everyone_tied_at_the_boundary(scores, records):
    assert len(top_holders(scores, records, n=1)) == 2   # both share rank 1
    assert len(top_holders(scores, records, n=2)) == 2   # next rank is 3
    assert len(top_holders(scores, records, n=3)) == 9


def test_credit_modes(scores, records):
    frac = top_holders(scores, records, credit="fractional").set_index("name")
    assert frac.loc["重庆大学甲", "high_value"] == pytest.approx(1.5)
    assert frac.loc["重庆乙股份公司", "high_value"] == pytest.approx(0.5)
    first = top_holders(scores, records, credit="first").set_index("name")
    assert first.loc["重庆大学甲", "high_value"] == 1
    assert first.loc["重庆甲科技有限责任公司", "rank"] == 1
    with pytest.raises(hvpscore.InputError, match="credit 'half' is not one of"):
        top_holders(scores, records, credit="half")
    with pytest.raises(hvpscore.InputError, match="must be a positive whole number"):
        top_holders(scores, records, n=0)


def test_aliases_merge_renamed_holders(scores, records, tmp_path):
    f = tmp_path / "aliases.csv"
    f.write_text("alias,canonical,kind,source\n四川戊有限公司,重庆甲科技（集团）有限公司,holder,更名公告\n"
                 "重庆甲科技有限公司,重庆甲科技（集团）有限公司,holder,更名公告\n", "utf-8")
    h = top_holders(scores, records, aliases=f)
    assert h.iloc[0]["name"] == "重庆甲科技（集团）有限公司"
    assert h.iloc[0]["high_value"] == 3 and h.iloc[0]["rank"] == 1
    assert h.iloc[1]["rank"] == 2


def test_alias_errors(tmp_path):
    with pytest.raises(hvpscore.InputError, match="form a cycle"):
        load_aliases(pd.DataFrame({"alias": ["甲", "乙"], "canonical": ["乙", "甲"]}))
    with pytest.raises(hvpscore.InputError, match="line 3: alias '甲' already points to"):
        load_aliases(pd.DataFrame({"alias": ["甲", "甲"], "canonical": ["乙", "丙"]}))
    with pytest.raises(hvpscore.InputError, match="missing column"):
        load_aliases(pd.DataFrame({"old": ["甲"], "new": ["乙"]}))
    with pytest.raises(hvpscore.InputError, match="kind 'firm' is not one of"):
        load_aliases(pd.DataFrame({"alias": ["甲"], "canonical": ["乙"], "kind": ["firm"]}))
    inv = load_aliases(pd.DataFrame({"alias": ["甲", "丁"], "canonical": ["乙", "戊"],
                                     "kind": ["holder", "inventor"]}), kind="holder")
    assert len(inv) == 1


def test_inventors_kept_apart_by_holder(scores, records):
    i = top_inventors(scores, records).set_index(["name", "holder"])
    assert i.loc[("张三", "重庆甲科技有限责任公司"), "high_value"] == 2     # P1, P2 (latest spelling)
    assert i.loc[("张三", "重庆市丁医院"), "high_value"] == 1          # P8: a namesake
    assert i.loc[("王五", "重庆大学甲"), "valid_invention"] == 2
    merged = top_inventors(scores, records, inventor_key="name").set_index("name")
    assert merged.loc["张三", "high_value"] == 3
    assert merged.loc["张三", "rank"] == 1
    with pytest.raises(hvpscore.InputError, match="inventor_key 'id' is not one of"):
        top_inventors(scores, records, inventor_key="id")


def test_region_filter(scores, records):
    h = top_holders(scores, records, region="重庆市")
    assert "四川戊有限公司" not in set(h["name"]) and "Acme Inc." not in set(h["name"])


def test_tie_break_by_score(scores, records):
    h = top_holders(scores, records, tie_break="score")
    # 重庆大学甲 (score sum 230) before 重庆甲科技 (200), now at ranks 1 and 2
    assert list(h["rank"][:2]) == [1, 2]
    tied = h[h["high_value"] == 1]
    assert tied["rank"].min() == 3 and len(top_holders(scores, records, n=3,
                                                     tie_break="score")) < 9
    with pytest.raises(hvpscore.InputError, match="tie_break 'coin' is not one of"):
        top_holders(scores, records, tie_break="coin")
