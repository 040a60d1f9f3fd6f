"""hvpscore.screening on small stocks: normalisation, MinHash = datasketch, near copies found,
distinct patents not flagged, claim matching, differing words, bulk indicators, the index on
disk, the CLI and check --index."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import hvpscore
from hvpscore.cli import main
from hvpscore.screening import build_index, load_index, normalize, query_draft, screen, split_claims

CUP = ("1. 一种保温杯，包括杯体（1）、杯盖（2）和设置在所述杯体外侧的硅胶防滑套（3），所述杯盖与所述杯体螺纹"
       "连接，所述防滑套的厚度为3mm。\n"
       "2. 根据权利要求1所述的保温杯，其特征在于，所述杯体为双层不锈钢结构，内层与外层之间为真空层。\n"
       "3. 根据权利要求2所述的保温杯，其特征在于，所述杯盖内设有硅胶密封圈，所述密封圈的硬度为60度。")
CUP_COPY = ("1. 一种保温杯，包含杯体（10）、杯盖（20）和设置在该杯体外侧的硅胶防滑套（30），该杯盖与该杯体螺纹"
            "连接，该防滑套的厚度为5mm。\n"
            "2. 如权利要求1所述的保温杯，其特征在于，该杯体为双层不锈钢结构，内层与外层之间为真空层。\n"
            "3. 如权利要求2所述的保温杯，其特征在于，该杯盖内设有硅胶密封圈，该密封圈的硬度为70度。\n"
            "4. 如权利要求1所述的保温杯，其特征在于，该杯盖顶部设有提手。")
OTHER = ("1. 一种数据传输方法，其特征在于，包括：接收终端发送的调度请求；根据所述调度请求确定上行传输资源；"
         "向所述终端发送资源指示信息。\n2. 根据权利要求1所述的方法，其特征在于，所述资源指示信息承载于下行控制信息中。")


def _stock(extra: list[dict] | None = None, n: int = 400) -> pd.DataFrame:
    base = hvpscore.make_patents(n, seed=3)
    rows = [{"patent_id": "CUP-A", "claims_text": CUP, "applicants": ["甲公司"],
             "inventors": ["张三"], "filing_date": pd.Timestamp("2024-01-05")},
            {"patent_id": "CUP-B", "claims_text": CUP_COPY, "applicants": ["乙公司"],
             "inventors": ["张三"], "filing_date": pd.Timestamp("2024-02-05")},
            {"patent_id": "NET-C", "claims_text": OTHER, "applicants": ["甲公司"],
             "inventors": ["李四"], "filing_date": pd.Timestamp("2024-03-05")}]
    return pd.concat([base, pd.DataFrame(rows + (extra or []))], ignore_index=True)


# -- normalisation ----------------------------------------------------------------------------
def test_normalize_removes_numbers_reference_signs_boilerplate_and_width():
    a = normalize("根据权利要求1-3任一项所述的保温杯，其特征在于，所述杯盖（2）厚度为３ｍｍ。", "zh")
    b = normalize("如权利要求2所述保温杯，其特征在于，该杯盖(12)厚度为5 mm。", "zh")
    assert a == b == "保温杯其特征在于杯盖厚度为#"
    e1 = normalize("2. The device according to claim 1, wherein the arm (14) is 5 cm long.", "en")
    e2 = normalize("The device as claimed in claims 1 or 3, wherein said arm (22a) is 12 cm long.",
                   "en")
    assert e1.split()[1:] == e2.split() == ["device", "arm", "#", "long"]


def test_split_claims_drops_numbers_and_cancelled_claims():
    assert [c[:6] for c in split_claims(CUP)] == ["一种保温杯,", "根据权利要求", "根据权利要求"]
    assert split_claims("1-3. (canceled)\n4. A cup comprising a lid.\n5. The cup of claim 4.") == [
        "A cup comprising a lid.", "The cup of claim 4."]


def test_signatures_equal_datasketch():
    import datasketch

    from hvpscore.screening._minhash import signatures

    rng = np.random.default_rng(0)
    sets = [np.unique(rng.integers(0, 2**32, size=k, dtype=np.uint64).astype(np.uint32))
            for k in (0, 1, 7, 300)]
    for s, row in zip(sets, signatures(sets, 64, 5), strict=True):
        m = datasketch.MinHash(num_perm=64, seed=5, hashfunc=int)
        m.update_batch([int(x) for x in s])
        assert (m.hashvalues == row).all()


# -- pairs --------------------------------------------------------------------------------------
def test_near_copy_found_across_applicants_with_evidence():
    r = screen(_stock())
    p = r.pairs
    hit = p[(p["patent_id_a"].isin(["CUP-A", "CUP-B"])) & (p["patent_id_b"].isin(["CUP-A", "CUP-B"]))]
    assert len(hit) == 1
    h = hit.iloc[0]
    assert h["relation"] == "cross_applicant"
    assert "cross_applicant_shared_inventor" in h["rules"] and "art3_6" in h["clauses"]
    assert "claims_near_copy" in h["rules"] or "claims_contained" in h["rules"]
    matched = {(m["claim_a"], m["claim_b"]) for m in json.loads(h["matched_claims"])}
    assert {(1, 1), (2, 2), (3, 3)} <= matched
    diff = json.loads(h["differing_words"])
    assert {"a": "3", "b": "5"} in [{"a": d["a"], "b": d["b"]} for d in diff]
    assert any("硅胶防滑套" in s for s in json.loads(h["shared_passages"]))
    assert h["message_zh"].startswith("疑似") and "第三条第（一）项" in h["message_zh"]


def test_distinct_patents_are_not_flagged():
    r = screen(_stock())
    p = r.pairs
    assert not ((p["patent_id_a"] == "NET-C") | (p["patent_id_b"] == "NET-C")).any()
    cup = p[p["patent_id_a"].str.startswith("CUP") | p["patent_id_b"].str.startswith("CUP")]
    assert set(cup["patent_id_a"]) | set(cup["patent_id_b"]) == {"CUP-A", "CUP-B"}


def test_same_applicant_pair_and_summary():
    extra = [{"patent_id": "CUP-D", "claims_text": CUP.replace("3mm", "4mm"),
              "applicants": ["甲公司"], "inventors": ["王五"],
              "filing_date": pd.Timestamp("2024-01-20")}]
    r = screen(_stock(extra))
    p = r.pairs
    ad = p[{*p["patent_id_a"], *p["patent_id_b"]} and
           (p["patent_id_a"].isin(["CUP-A", "CUP-D"]) & p["patent_id_b"].isin(["CUP-A", "CUP-D"]))]
    assert ad["relation"].tolist() == ["same_applicant"]
    s = r.summary.set_index("applicant")
    assert s.loc["甲公司", "pairs_within"] >= 1 and s.loc["甲公司", "pairs_across"] >= 1
    assert r.clusters.set_index("patent_id").loc["CUP-A", "cluster_size"] == 3


def test_hvpscore_screen_is_callable_and_designs_are_left_out():
    df = pd.DataFrame({"patent_id": ["X", "Y"], "patent_type": ["design", "design"],
                       "abstract": ["本外观设计产品的名称：杯子。"] * 2})
    assert len(hvpscore.screen(df).pairs) == 0


def test_english_near_copy():
    a = ("1. A vacuum cleaner comprising: a housing having a suction inlet; a motor disposed in "
         "the housing and driving a fan; a dust container detachably coupled to the housing; and "
         "a filter positioned between the dust container and the fan.\n"
         "2. The vacuum cleaner of claim 1, wherein the filter is a HEPA filter.")
    b = a.replace("comprising", "including").replace("disposed", "arranged") + (
        "\n3. The vacuum cleaner of claim 1, further comprising a brush roll at the inlet.")
    df = pd.DataFrame({"patent_id": ["E1", "E2", "E3"], "claims_text": [a, b, OTHER],
                       "applicants": [["A Inc"], ["A Inc"], ["B"]]})
    p = screen(df).pairs
    assert p[["patent_id_a", "patent_id_b"]].values.tolist() == [["E1", "E2"]]


# -- bulk signals --------------------------------------------------------------------------------
def _distinct(k: int) -> str:
    """A claims text of its own (random ideographs: no two records share a template)."""
    rng = np.random.default_rng(k)
    return "1. 一种" + "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 20000, 40)) + "。"


def test_bulk_signals_on_a_hand_built_stock():
    rows = []
    # a steady filer: one a month in 2023, then 15 in March 2024 by two inventors
    for m in range(1, 13):
        rows.append({"patent_id": f"H{m}", "applicants": ["丙公司"], "inventors": [f"人{m}"],
                     "filing_date": pd.Timestamp(2023, m, 10),
                     "claims_text": _distinct(m), "transfers": 0})
    for k in range(15):
        rows.append({"patent_id": f"B{k}", "applicants": ["丙公司"],
                     "inventors": ["赵一", "钱二"], "filing_date": pd.Timestamp(2024, 3, 1 + k),
                     "claims_text": _distinct(100 + k), "transfers": 1,
                     "grant_date": pd.NaT})
    # a university with many inventors: same count, no indicator
    for k in range(15):
        rows.append({"patent_id": f"U{k}", "applicants": ["某大学"], "inventors": [f"教师{k}"],
                     "filing_date": pd.Timestamp(2024, 3, 1 + k),
                     "claims_text": _distinct(200 + k), "transfers": 0})
    s = screen(pd.DataFrame(rows)).signals
    kinds = set(s.loc[s["holder"] == "丙公司", "kind"])
    assert {"filings_vs_inventors", "burst", "early_transfer"} <= kinds
    assert s.loc[s["holder"] == "丙公司", "month"].unique().tolist() == ["2024-03"]
    assert (s["holder"] != "某大学").all()
    assert "shared_template" not in kinds
    row = s[(s["holder"] == "丙公司") & (s["kind"] == "burst")].iloc[0]
    assert row["clause"] == "art3_3" and row["filings"] == 15 and "仅为线索" in row["message_zh"]


# -- index ---------------------------------------------------------------------------------------
def test_index_round_trip_and_draft_query(tmp_path):
    df = _stock()
    built = build_index(df, tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert len(loaded) == len(built) and (loaded.sig == built.sig).all()
    assert (loaded.keys_sorted == built.keys_sorted).all()
    assert loaded.texts(len(df) - 2) == built.texts(len(df) - 2)
    a = screen(None, index=built).pairs
    b = screen(None, index=loaded).pairs
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    from hvpscore.screening._minhash import band_keys

    p = built.params
    i = len(df) - 2
    keys = band_keys(built.sig[i:i + 1], p["bands"], p["rows"])[0]
    for b in range(p["bands"]):  # every stored band table finds the record under its query key
        lo = np.searchsorted(loaded.keys_sorted[b], keys[b])
        assert loaded.keys_sorted[b][lo] == keys[b] and i in loaded.ids_sorted[b][lo:lo + 50]
    hits = query_draft(loaded, CUP_COPY)
    assert [h["patent_id_a"] for h in hits][:2] in (["CUP-B", "CUP-A"], ["CUP-A", "CUP-B"])
    assert query_draft(loaded, "1. 一种全新的量子纠缠通信卫星姿态控制算法，包括星载原子钟同步。") == []


def test_load_index_rejects_a_plain_directory(tmp_path):
    with pytest.raises(hvpscore.InputError, match="not a screening index"):
        load_index(tmp_path)


# -- CLI -----------------------------------------------------------------------------------------
def _csv(tmp_path, df):
    from hvpscore.io import write_table

    path = tmp_path / "stock.csv"
    write_table(df, path)
    return path


def _valid_ids(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    from hvpscore.datasets import format_cn_application

    names = {"CUP-A": "202410000001", "CUP-B": "202410000002", "NET-C": "202410000003"}
    ids = {k: "CN" + format_cn_application(v) for k, v in names.items()}
    return df.assign(patent_id=df["patent_id"].replace(ids)), ids


def test_cli_screen_writes_pairs_summary_and_index(tmp_path):
    stock, ids = _valid_ids(_stock(n=100))
    src = _csv(tmp_path, stock)
    out, summ, idx = tmp_path / "pairs.parquet", tmp_path / "summary.csv", tmp_path / "idx"
    r = CliRunner().invoke(main, ["screen", str(src), "-o", str(out), "--summary", str(summ),
                                  "--build-index", str(idx)])
    assert r.exit_code == 0, r.output
    pairs = pd.read_parquet(out)
    assert {ids["CUP-A"], ids["CUP-B"]} <= set(pairs["patent_id_a"]) | set(pairs["patent_id_b"])
    assert "疑似近似重复申请对" in r.output and (idx / "index.json").exists()
    r = CliRunner().invoke(main, ["screen", str(src), "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0 and "flagged pairs" in r.output


def test_cli_screen_bad_input_and_usage(tmp_path):
    assert CliRunner().invoke(main, ["screen", str(tmp_path / "nope.csv"), "-o", "x.parquet"]
                              ).exit_code == 1
    src = _csv(tmp_path, _stock(n=20))
    r = CliRunner().invoke(main, ["screen", str(src)])
    assert r.exit_code == 2 and "-o" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("patent_id,claims_text,filing_date\nCN202410000001.X,1. 一种杯子。,not-a-date\n"
                   "CN202410000002.4,1. 一种杯子，包括杯体。,2024-01-01\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["screen", str(bad), "-o", str(tmp_path / "p.csv")])
    assert r.exit_code == 0, r.output
    assert "拒绝 1" in r.output and (tmp_path / "p.rejects.csv").exists()
    r = CliRunner().invoke(main, ["screen", str(bad), "-o", str(tmp_path / "p.csv"), "--strict"])
    assert r.exit_code == 1


def test_check_with_index_reports_the_near_copy(tmp_path):
    from hvpscore.prefiling import check_draft, report_schema

    stock, names = _valid_ids(_stock(n=100))
    build_index(stock, tmp_path / "idx")
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"claims_text": CUP_COPY, "title": "保温杯"}, ensure_ascii=False),
                     encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(draft), "--no-model", "--index",
                                  str(tmp_path / "idx"), "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["schema_version"] == "1.1"
    ids = [m["patent_id"] for m in d["near_copies"]["matches"]]
    assert names["CUP-B"] in ids or names["CUP-A"] in ids
    assert any(f["code"] == "near_copy" for f in d["findings"])
    import jsonschema

    jsonschema.validate(d, report_schema())
    plain = check_draft({"claims_text": CUP_COPY}, model=False, as_of="2025-06-30").to_dict()
    assert plain["near_copies"] is None
    jsonschema.validate(plain, report_schema())
    r = CliRunner().invoke(main, ["check", str(draft), "--no-model", "--index", str(tmp_path)])
    assert r.exit_code == 1 and "not a screening index" in r.output
