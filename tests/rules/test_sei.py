"""Strategic emerging industries: the 2018 classification, the shipped concordance, the loader
for the official CNIPA 2021 table, and assign_sei."""

from __future__ import annotations

import pandas as pd
import pytest

from hvpscore._errors import PolicyError
from hvpscore.rules import (
    assign_sei,
    evaluate_criteria,
    load_concordance,
    load_industries,
    load_policy,
    normalize_ipc,
    parse_ipc_cell,
    shipped_concordance,
)


@pytest.mark.parametrize("raw,norm", [
    ("H04L 27/26 (2006.01)", "H04L27/26"),
    ("h04l27/26", "H04L27/26"),
    ("Ｈ０４Ｌ２７／２６", "H04L27/26"),
    ("H04L0027260000", "H04L27/26"),
    ("A61K0039395000", "A61K39/395"),
    ("A61B8", "A61B8/00"),
    ("A61B", "A61B"),
    ("B60L53/10", "B60L53/10"),
    ("not a code", None),
    (None, None),
])
def test_normalize_ipc(raw, norm):
    assert normalize_ipc(raw) == norm


def test_industries_are_the_9_first_and_40_second_level_of_2018():
    ind = load_industries()
    first = ind[ind["level"] == 1]
    second = ind[ind["level"] == 2]
    assert first["code"].tolist() == [str(i) for i in range(1, 10)]
    assert len(second) == 40
    assert set(second["parent"]) == set(first["code"])
    assert (second["code"].str.split(".").str[0] == second["parent"]).all()
    assert first.set_index("code").loc["1", "name_zh"] == "新一代信息技术产业"
    assert first.set_index("code").loc["9", "name_zh"] == "相关服务业"
    assert (ind["name_zh"] != "").all() and (ind["name_en"] != "").all()


def test_shipped_concordance_covers_all_nine_industries_with_valid_codes():
    conc = shipped_concordance()
    ind = load_industries()
    assert len(conc) >= 1500
    fields = set(conc.rules["field_code"])
    assert fields <= set(ind["code"])
    assert {f.split(".")[0] for f in fields} == {str(i) for i in range(1, 10)}
    cov = conc.coverage()
    assert cov["keyword_rules"].sum() >= 1000
    assert (conc.rules["exclude"].map(len) > 0).sum() >= 100


# status per code under the shipped CNIPA 2021 table, without text: counted fields, near fields
@pytest.mark.parametrize("code,counted,near", [
    ("H04W72/04", {"1.1"}, set()),       # H04W72* is an unconditional row of 1.1
    ("H04W4/02", set(), {"1.4"}),        # excluded from H04W4*; the exact entry of 1.4 is partial
    ("H04L27/26", set(), {"1.1"}),       # 高端路由器… row; H04L27* (互联网接入) excludes it
    ("H04L9/08", set(), {"1.3"}),        # H04L9*: 区块链相关关键词
    ("A61K8/02", set(), set()),          # cosmetics: in no row
    ("A61K39/395", set(), {"4.1"}),
    ("B60L53/10", {"5.3"}, set()),       # "不包含非机动车" is a note, not keywords
    ("B60L50/70", {"5.1"}, set()),
    ("H01L31/0445", set(), {"6.3"}),
    ("H01L21/02", set(), {"1.2"}),
    ("G01N33/483", {"4.2"}, set()),      # the exact 4.2 entry wins over G01N33* of 4.4
    ("F16H57/02", set(), set()),
    ("A47J27/00", set(), set()),
])
def test_shipped_table_statuses(code, counted, near):
    out = assign_sei([[code]])
    assert set(out["sei_codes"].iat[0].split(";")) - {""} == counted
    near_fields = {r.split(" ")[0] for r in out["sei_near"].iat[0].split(";") if r}
    assert near_fields == near


def test_assign_sei_keyword_rows_and_output():
    out = assign_sei(
        pd.Series([["H04L9/32"], ["H04L9/32"], "H04W72/04;B60L50/70", None, []],
                  index=list("abcde")),
        texts=pd.Series(["基于区块链的结算方法", "一种加密方法", None, None, None], index=list("abcde")),
    )
    assert out.index.tolist() == list("abcde")
    assert out["sei"].tolist() == [True, False, True, False, False]
    assert out.loc["a", "sei_rule"] == "1.3 H04L9* <- H04L9/32 [kw: 区块链]"
    assert out.loc["b", "sei_near"] == "1.3 H04L9* <- H04L9/32"
    assert out.loc["b", "sei_near_keywords"] == "平行链, 中继链, 以太币"
    assert out.loc["c", "sei_codes"] == "1.1;5.1"
    assert out.loc["c", "sei_match"] == "H04W72/04 ∈ H04W72*, B60L50/70 ∈ B60L50/70"
    main = assign_sei([["F16H57/02", "H04W72/04"]], scope="main")
    assert not main["sei"].iat[0]
    with pytest.raises(PolicyError, match="scope 'first' is not one of all, main"):
        assign_sei([["H04W72/04"]], scope="first")


def test_parse_ipc_cell_official_notation():
    inc, exc = parse_ipc_cell("H01M*（不含H01M4/*、H01M 6/*），H02J 7/00、G06N3/04\nB60L53*")
    assert inc == ["H01M*", "H02J7/00", "G06N3/04", "B60L53*"]
    assert exc == ["H01M4/*", "H01M6/*"]
    inc, exc = parse_ipc_cell("A61K*;-A61K8/*;除A61Q*外")
    assert inc == ["A61K*"] and exc == ["A61K8/*", "A61Q*"]


# ------------------------------------------------------------------ the official table
OFFICIAL_HEADER = ["战略性新兴产业分类代码", "战略性新兴产业分类名称", "国际专利分类", "关键词"]
OFFICIAL_ROWS = [
    ["1.6", "人工智能", "G06N*、G06F 40/*", ""],
    ["", "", "G06T7/*", "神经网络、深度学习"],          # merged code cell, keyword-conditional
    ["4.1.1", "生物药品制造", "A61K*（不含A61K8/*）、C07K16/*", ""],
    ["4.2", "生物医学工程产业", "A61B 8/00", ""],
]


def _official_frame(title=True):
    rows = ([["战略性新兴产业分类与国际专利分类参照关系表（2021）", "", "", ""]] if title else []) + [
        OFFICIAL_HEADER] + OFFICIAL_ROWS
    return pd.DataFrame(rows)


def _check_official(conc):
    assert len(conc) == 6
    out = assign_sei(
        [["G06N3/08"], ["G06T7/11"], ["G06T7/11"], ["A61K8/02"], ["A61K31/00"], ["A61B8/00"],
         ["H04W72/04"]],
        texts=["", "一种基于深度学习的图像分割方法", "一种图像处理方法", "", "", "", ""],
        concordance=conc,
    )
    assert out["sei_codes"].tolist() == ["1.6", "1.6", "", "", "4.1.1", "4.2", ""]
    assert out["sei_rule"].iat[1] == "1.6 G06T7/* <- G06T7/11 [kw: 深度学习]"
    assert conc.label("1.6", "zh") == "人工智能"
    assert conc.label("4.1.1", "zh") == "生物药品制造"


def test_load_official_table_from_xlsx(tmp_path):
    path = tmp_path / "参照关系表2021.xlsx"
    _official_frame().to_excel(path, header=False, index=False)
    _check_official(load_concordance(path))


def test_load_official_table_from_every_sheet(tmp_path):
    path = tmp_path / "by-industry.xlsx"
    frame = _official_frame(title=False)
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame([["说明：本表按产业分册"]]).to_excel(xl, sheet_name="说明", header=False,
                                                       index=False)
        frame.iloc[:3].to_excel(xl, sheet_name="1 新一代信息技术", header=False, index=False)
        pd.concat([frame.iloc[:1], frame.iloc[3:]]).to_excel(xl, sheet_name="4 生物", header=False,
                                                            index=False)
    _check_official(load_concordance(path))
    only = load_concordance(path, sheet="4 生物")
    assert set(only.rules["field_code"]) == {"4.1.1", "4.2"}
    with pytest.raises(PolicyError, match=r"cannot read sheet 'nope'"):
        load_concordance(path, sheet="nope")


def test_load_official_table_from_gb18030_csv(tmp_path):
    path = tmp_path / "table.csv"
    _official_frame(title=False).to_csv(path, header=False, index=False, encoding="gb18030")
    _check_official(load_concordance(path))


def test_load_native_layout(tmp_path):
    path = tmp_path / "native.csv"
    pd.DataFrame({"field_code": ["1.1"], "ipc": ["H04W*"], "exclude": ["H04W4/*"],
                  "keywords": [""], "note": ["wireless"]}).to_csv(path, index=False)
    conc = load_concordance(path)
    out = assign_sei([["H04W72/04"], ["H04W4/02"]], concordance=conc)
    assert out["sei_codes"].tolist() == ["1.1", ""]


def test_official_table_used_through_policy_and_criteria(tmp_path):
    table = tmp_path / "official.xlsx"
    _official_frame().to_excel(table, header=False, index=False)
    pol_path = tmp_path / "policy.yaml"
    pol_path.write_text("extends: cnipa-2021\ncriteria:\n  sei:\n    params:\n"
                        "      concordance: official.xlsx\n", encoding="utf-8")
    rec = pd.DataFrame({"patent_id": ["a", "b"], "patent_type": ["invention"] * 2,
                        "filing_date": ["2018-01-01"] * 2, "grant_date": ["2020-01-01"] * 2,
                        "legal_status": ["in_force"] * 2,
                        "ipc": pd.Series([["H04W72/04"], ["G06N3/08"]], dtype=object)})
    out = evaluate_criteria(rec, policy=load_policy(pol_path), as_of="2024-12-31")
    assert out["sei_codes"].tolist() == ["", "1.6"]
    assert "strategic emerging industry 1.6 " in out["hv_evidence"].iat[1]
    shipped = evaluate_criteria(rec, as_of="2024-12-31")
    assert shipped["sei_codes"].tolist() == ["1.1", ""]   # G06N3/08 is a partial row of 1.5
    direct = evaluate_criteria(rec, as_of="2024-12-31", concordance=str(table))
    assert direct["sei_codes"].tolist() == ["", "1.6"]


def test_official_table_errors_name_rows_and_fixes(tmp_path):
    missing = tmp_path / "nope.xlsx"
    with pytest.raises(PolicyError, match=r"concordance file '.*nope.xlsx' does not exist"):
        load_concordance(missing)
    no_header = tmp_path / "no_header.csv"
    pd.DataFrame([["a", "b"], ["c", "d"]]).to_csv(no_header, header=False, index=False)
    with pytest.raises(PolicyError, match=r"no header row found in the first 30 rows"):
        load_concordance(no_header)
    bad = tmp_path / "bad.csv"
    pd.DataFrame([OFFICIAL_HEADER, ["X1", "名称", "H04W*", ""], ["1.1", "n", "不是代码", ""]]).to_csv(
        bad, header=False, index=False)
    with pytest.raises(PolicyError, match=r"row 2: industry code 'X1' is not like 1.1 or 4.2.1; "
                                          r"row 3: no IPC code in '不是代码'; fix these rows"):
        load_concordance(bad)
    wrong = tmp_path / "t.docx"
    wrong.write_text("x", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"unsupported file type '.docx'; use .xlsx or .csv"):
        load_concordance(wrong)
