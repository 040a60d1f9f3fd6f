"""Readers, profiles and validation: every format, every profile, every kind of bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hvpscore import InputError, read_records, write_table
from hvpscore.io import iter_records, list_profiles, load_profile
from hvpscore.numbers import cn_check_digit
from hvpscore.schema import COLUMNS


def app_no(year: int, kind: int, serial: int, zl: bool = True) -> str:
    digits = f"{year}{kind}{serial:07d}"
    return ("ZL" if zl else "") + f"{digits}.{cn_check_digit(digits)}"


def cn_rows(n: int = 4) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append({
            "申请号": app_no(2015, 1, 100 + i, zl=i % 2 == 0),
            "公开（公告）号": f"CN10{5000000 + i}B",
            "专利类型": "发明",
            "名称": f"一种电池管理方法{i}",
            "权利要求书": "1. 一种电池管理方法，其特征在于，包括：步骤A。\n2. 根据权利要求1所述的方法，其中……",
            "IPC主分类号": "H01M 10/44",
            "IPC分类号": "H01M10/44;H02J7/00",
            "申请（专利权）人": "重庆某某科技有限公司；重庆大学",
            "申请人类型": "企业",
            "发明人": "张三,李四",
            "企业标签": "专精特新;高新技术企业",
            "申请日": ["2015-03-02", "2015.03.02", "2015/3/2", "20150302"][i % 4],
            "授权公告日": "2018-06-05",
            "权利要求数量": "10",
            "独立权利要求数量": "2",
            "PCT申请": "是" if i % 2 else "否",
            "法律状态": ["有效", "失效", "审中", "期限届满"][i % 4],
            "同族国家": "美国;EP" if i % 2 else "",
            "海外授权国家": "US" if i % 2 else "",
            "质押": "是" if i == 0 else "否",
            "质押金额（万元）": "500" if i == 0 else "",
            "获奖": "中国专利银奖" if i == 1 else "",
            "获奖年份": "2023" if i == 1 else "",
            "转让": "1",
            "许可": "0",
        })
    return pd.DataFrame(rows)


def test_every_profile_loads():
    assert {"canonical", "cn-export", "uspto-renewal"} <= set(list_profiles())
    for pid in list_profiles():
        assert load_profile(pid).id == pid


def test_cn_export_good_rows_all_accepted(tmp_path):
    path = tmp_path / "export.csv"
    cn_rows().to_csv(path, index=False, encoding="utf-8")
    r = read_records(path, "cn-export")
    assert (r.summary.read, r.summary.accepted, r.summary.rejected) == (4, 4, 0), r.problems
    rec = r.records
    assert [c.name for c in COLUMNS] == list(rec.columns)
    assert rec["patent_id"].iloc[0] == "CN201510000100." + cn_check_digit("201510000100")
    assert rec["patent_type"].eq("invention").all()
    assert (rec["filing_date"] == pd.Timestamp("2015-03-02")).all()  # four date styles
    assert rec["ipc"].iloc[0] == ["H01M10/44", "H02J7/00"]  # main first, duplicate dropped
    assert rec["applicants"].iloc[0] == ["重庆某某科技有限公司", "重庆大学"]  # full-width ；
    assert rec["inventors"].iloc[0] == ["张三", "李四"]
    assert rec["enterprise_tags"].iloc[0] == ["specialized_sme", "high_tech"]
    assert rec["legal_status"].tolist() == ["in_force", "lapsed", "pending", "expired"]
    assert rec["pct_application"].tolist() == [False, True, False, True]
    assert rec["family_countries"].iloc[1] == ["US", "EP"]
    assert rec["pledge_amount_cny"].iloc[0] == 5_000_000.0  # 万元 -> 元
    assert rec["pledge_count"].tolist() == [1, 0, 0, 0]
    assert rec["awards"].iloc[1] == ["china_patent_silver"]
    assert str(rec["claims_count"].dtype) == "Int64"
    assert rec.index.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_encodings_detected(tmp_path, encoding):
    path = tmp_path / f"export-{encoding}.csv"
    cn_rows().to_csv(path, index=False, encoding=encoding)
    r = read_records(path, "cn-export")
    assert r.summary.accepted == 4, r.problems
    assert r.records["title"].iloc[0] == "一种电池管理方法0"
    assert r.summary.encoding in {"utf-8", "utf-8-sig", "gb18030"}


def test_explicit_wrong_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "gbk.csv"
    cn_rows().to_csv(path, index=False, encoding="gbk")
    with pytest.raises(InputError, match="not readable as utf-8.*--encoding"):
        read_records(path, "cn-export", encoding="utf-8")


def test_excel_jsonl_parquet_and_dataframe(tmp_path):
    df = cn_rows()
    xlsx = tmp_path / "e.xlsx"
    df.to_excel(xlsx, index=False)
    assert read_records(xlsx, "cn-export").summary.accepted == 4
    r = read_records(df, "cn-export")
    assert r.summary.accepted == 4
    canon = r.records
    for suffix in (".jsonl", ".parquet", ".csv", ".xlsx"):
        p = write_table(canon, tmp_path / f"canon{suffix}")
        back = read_records(p, "canonical")
        assert back.summary.accepted == 4, (suffix, back.problems)
        assert back.records["ipc"].iloc[0] == ["H01M10/44", "H02J7/00"], suffix
        assert back.records["filing_date"].iloc[2] == pd.Timestamp("2015-03-02")
        assert back.records["pledge_amount_cny"].iloc[0] == 5_000_000.0


def test_excel_native_dates_and_numbers(tmp_path):
    df = pd.DataFrame({"patent_id": [app_no(2016, 1, 7)], "filing_date": [pd.Timestamp("2016-01-05")],
                       "claims_count": [12]})
    p = tmp_path / "native.xlsx"
    df.to_excel(p, index=False)
    r = read_records(p)
    assert r.summary.accepted == 1, r.problems
    assert r.records["filing_date"].iloc[0] == pd.Timestamp("2016-01-05")
    assert r.records["claims_count"].iloc[0] == 12


def test_bad_file_rejects_name_every_problem(tmp_path):
    """The done-when file: broken dates, wrong check digit, unknown status, GBK, duplicate id."""
    df = cn_rows(8)
    df.loc[1, "申请日"] = "2015-13-45"
    df.loc[2, "申请号"] = df.loc[2, "申请号"][:-1] + str((int(df.loc[2, "申请号"][-1]) + 1) % 10)
    df.loc[3, "法律状态"] = "休眠"
    df.loc[5, "申请号"] = df.loc[4, "申请号"]
    df.loc[6, "权利要求数量"] = "十"
    df.loc[7, "IPC分类号"] = "XYZ"
    path = tmp_path / "bad.csv"
    df.to_csv(path, index=False, encoding="gbk")
    r = read_records(path, "cn-export")
    s = r.summary
    assert s.read == 8 and s.accepted + s.rejected == s.read
    assert s.rejected == 6 and s.duplicates == 1
    reasons = dict(zip(r.rejects["row"], r.rejects["reasons"], strict=True))
    assert "申请日" in reasons[2] and "'2015-13-45' is not a date" in reasons[2]
    assert "check digit" in reasons[3]
    assert "'休眠' is not an allowed value" in reasons[4] and "in_force" in reasons[4]
    assert "duplicates row 5" in reasons[6]
    assert "'十' is not a whole number" in reasons[7]
    assert "'XYZ' is not an IPC code" in reasons[8]
    assert list(r.rejects.columns[:2]) == ["row", "申请号"] and r.rejects.columns[-1] == "reasons"
    assert sorted(r.records.index.tolist() + r.rejects["row"].tolist()) == list(range(1, 9))
    with pytest.raises(InputError, match=r"6 of 8 rows have problems:\n  row 2, 申请日"):
        read_records(path, "cn-export", strict=True)


def test_cross_field_checks():
    df = pd.DataFrame({
        "patent_id": [app_no(2015, 1, 1), app_no(2015, 2, 2), app_no(2015, 1, 3)],
        "patent_type": ["invention", "invention", None],
        "filing_date": ["2015-01-01", "2015-01-01", "2015-01-01"],
        "grant_date": ["2014-12-31", "2016-01-01", "2017-01-01"],
        "claims_count": ["5", "5", "3"],
        "independent_claims": ["1", "1", "4"],
    })
    r = read_records(df)
    reasons = dict(zip(r.rejects["row"], r.rejects["reasons"], strict=True))
    assert "before the filing date" in reasons[1]
    assert "contradicts the number" in reasons[2] and "utility_model" in reasons[2]
    assert "independent_claims" in reasons[3] and "more than claims_count" in reasons[3]
    assert r.summary.accepted == 0


def test_patent_type_derived_from_number():
    r = read_records(pd.DataFrame({"patent_id": [app_no(2019, 3, 5), "CN212345678U"]}))
    assert r.records["patent_type"].tolist() == ["design", "utility_model"]


def test_missing_patent_id_and_bad_json_line(tmp_path):
    p = tmp_path / "x.jsonl"
    good = {"patent_id": app_no(2015, 1, 9), "ipc": ["G06N3/08"], "claims_count": 3}
    p.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "x"}) + "\n", "utf-8")
    r = read_records(p)
    assert (r.summary.read, r.summary.accepted, r.summary.rejected) == (3, 1, 2)
    reasons = r.rejects["reasons"].tolist()
    assert "not a JSON object" in reasons[0]
    assert "patent_id" in reasons[1] and "is missing" in reasons[1]


def test_missing_id_column_is_a_file_level_error(tmp_path):
    p = tmp_path / "wrong.csv"
    pd.DataFrame({"foo": [1]}).to_csv(p, index=False)
    with pytest.raises(InputError, match="'申请号' \\(patent_id\\) is not in the file.*--profile"):
        read_records(p, "cn-export")


def test_unsupported_suffix_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_records(tmp_path / "nope.csv")
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(InputError, match="unsupported file type '.doc'"):
        read_records(tmp_path / "a.doc")


def test_user_profile_file_and_bad_profiles(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text("id: mine\nfields:\n  patent_id: No\n  filing_date: {from: Date}\n"
                    "list_separators: ['/']\n", "utf-8")
    df = pd.DataFrame({"No": [app_no(2020, 1, 1)], "Date": ["2020-02-02"]})
    assert read_records(df, good).summary.accepted == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nfields:\n  patent_idd: No\n", "utf-8")
    with pytest.raises(InputError, match="patent_idd.*not a canonical column"):
        read_records(df, bad)
    bad.write_text("id: bad\nfields:\n  patent_id: {from: No, colour: red}\n", "utf-8")
    with pytest.raises(InputError, match="unknown key\\(s\\) colour"):
        read_records(df, bad)
    with pytest.raises(InputError, match="neither a shipped profile"):
        read_records(df, "no-such-profile")


def test_iter_records_chunks_and_duplicates_across_chunks(tmp_path):
    df = cn_rows(10)
    df.loc[9, "申请号"] = df.loc[0, "申请号"]
    p = tmp_path / "c.csv"
    df.to_csv(p, index=False)
    parts = list(iter_records(p, "cn-export", chunksize=3))
    assert len(parts) == 4
    assert sum(x.summary.read for x in parts) == 10
    assert sum(x.summary.accepted for x in parts) == 9
    assert "duplicates row 1" in parts[-1].rejects["reasons"].iloc[0]
    assert parts[1].records.index.tolist() == [4, 5, 6]


def test_uspto_renewal_profile_on_real_data(shared_dir):
    r = read_records(shared_dir / "data/uspto-renewal-2005/dev.csv", "uspto-renewal")
    assert (r.summary.read, r.summary.accepted, r.summary.rejected) == (72141, 72141, 0)
    rec = r.records
    raw = pd.read_csv(shared_dir / "data/uspto-renewal-2005/dev.csv", nrows=200)
    head = rec.iloc[:200]
    assert (head["claims_count"].to_numpy() == (raw.pat_indep_clm + raw.pat_dep_clm).to_numpy()).all()
    nopub = raw.pg_indep_clm == -1
    assert head["claims_count_filed"].isna().to_numpy()[nopub.to_numpy()].all()
    assert (head["pct_application"].to_numpy(dtype=bool) == (raw.PCT > 0).to_numpy()).all()
    assert (head["outcome_maintained_10y"].to_numpy() == raw.renew_12.to_numpy()).all()
    assert rec["entity_size"].value_counts().to_dict().keys() <= {"large", "small", "micro"}
    assert rec["patent_id"].str.startswith("US").all()
    assert rec["outcome_maintained_10y"].mean() == pytest.approx(0.457, abs=0.01)


def test_source_column_named_row_survives_rejects():
    df = pd.DataFrame({"patent_id": [app_no(2015, 1, 1), "bad"], "row": ["a", "b"]})
    r = read_records(df)
    assert r.summary.rejected == 1
    assert r.rejects["row"].tolist() == ["b"]  # the source's own column, untouched
    assert r.rejects["hvpscore_row"].tolist() == [2]


def test_excel_cells_dates_serials_ids_and_time_parts(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["patent_id", "filing_date", "grant_date", "claims_count", "family_id"])
    ws.append([2019105615749, dt.datetime(2019, 6, 21, 9, 30), 44197, 12, 58285468])
    ws.append([app_no(2016, 1, 7), "2016-01-05 00:00:00", 20180506, 3.0, "00123"])
    p = tmp_path / "cells.xlsx"
    wb.save(p)
    r = read_records(p)
    assert r.summary.rejected == 0, r.problems
    rec = r.records
    assert rec["patent_id"].tolist() == ["CN201910561574.9", "CN201610000007." +
                                         cn_check_digit("201610000007")]
    assert rec["filing_date"].tolist() == [pd.Timestamp("2019-06-21"), pd.Timestamp("2016-01-05")]
    # an Excel serial day and a number that reads as a date in the profile's formats
    assert rec["grant_date"].tolist() == [pd.Timestamp("2021-01-01"), pd.Timestamp("2018-05-06")]
    assert rec["family_id"].tolist() == ["58285468", "00123"]  # digits kept, never 5.8e7


def test_excel_reads_every_data_sheet_in_bounded_chunks(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["导出说明：本表共两页"])
    for name, start in (("A", 1), ("B", 21)):
        ws = wb.create_sheet(name)
        ws.append(["patent_id", "claims_count"])
        for i in range(start, start + 20):
            ws.append([app_no(2015, 1, i), i])
    p = tmp_path / "two.xlsx"
    wb.save(p)
    parts = list(iter_records(p, chunksize=7))
    assert sum(x.summary.read for x in parts) == 40
    assert max(x.summary.read for x in parts) <= 7
    merged = parts[0].summary
    for x in parts[1:]:
        merged = merged.merge(x.summary)
    assert any("sheet '说明' has no column patent_id; skipped" in n for n in merged.notes)
    rows = [i for x in parts for i in x.records.index]
    assert rows == list(range(1, 41))


def test_legal_status_rules_map_long_forms_and_keep_unknown_ones_rejected():
    texts = ["未缴年费专利权终止，等恢复", "期限届满终止", "部分无效", "宣告专利权全部无效",
             "实质审查的生效", "发明专利申请公布后的视为撤回", "驳回等复审请求", "复审决定撤销驳回",
             "等年费滞纳金", "避免重复授权放弃专利权", "视为放弃取得专利权", "专利权的转移"]
    df = pd.DataFrame({"申请号": [app_no(2015, 1, i) for i in range(len(texts))], "法律状态": texts})
    r = read_records(df, "cn-export")
    assert r.records["legal_status"].tolist() == [
        "lapsed", "expired", "in_force", "invalidated", "pending", "withdrawn", "rejected",
        "pending", "in_force", "lapsed", "withdrawn"]
    assert r.rejects["codes"].tolist() == ["unknown_value"]
    assert "'专利权的转移' is not an allowed value" in r.rejects["reasons"].iloc[0]


def test_problem_codes_in_rejects_and_problems():
    df = pd.DataFrame({"patent_id": [app_no(2015, 1, 1), app_no(2015, 1, 2), "nonsense"],
                       "filing_date": ["2015-01-01", "2015-13-01", "2015-01-01"],
                       "claims_count": ["5", "2.5", "1e21"]})
    r = read_records(df)
    assert r.rejects["codes"].tolist() == ["not_a_date;not_whole", "not_a_patent_number;too_large"]
    assert [p.code for p in r.problems] == ["not_a_date", "not_whole", "not_a_patent_number",
                                            "too_large"]
    assert r.summary.problems_by_code["too_large"] == 1


def test_profile_errors_name_the_key_value_and_fix(tmp_path):
    df = pd.DataFrame({"No": [app_no(2020, 1, 1)], "Amount": ["5"]})
    bad = tmp_path / "bad.yaml"
    cases = {
        "fields:\n  patent_id: No\n  pledge_amount_cny: {from: Amount, scale: 万}\n":
            r"fields\.pledge_amount_cny\.scale is '万', not a number; .*scale: 10000",
        "encoding: gbk2\nfields:\n  patent_id: No\n": r"encoding 'gbk2' is not a known codec",
        "date_formats: ['YYYY-MM-DD']\nfields:\n  patent_id: No\n":
            r"date_formats entry 'YYYY-MM-DD' is not a strptime format",
        "fields:\n  legal_status: {from: S, rules: [{contains: 终止}]}\n  patent_id: No\n":
            r"rules\[1\] .*write it as \{contains",
    }
    for body, msg in cases.items():
        bad.write_text("id: bad\n" + body, "utf-8")
        with pytest.raises(InputError, match=msg):
            read_records(df, bad)


def test_rejects_path_keeps_dotted_names():
    from hvpscore.io import rejects_path_for

    assert rejects_path_for("run.2025-12-31.parquet").name == "run.2025-12-31.rejects.csv"
    assert rejects_path_for("run.2026-01-01.parquet").name == "run.2026-01-01.rejects.csv"
    assert rejects_path_for("out/scores.parquet").as_posix() == "out/scores.rejects.csv"
    assert rejects_path_for("scores").name == "scores.rejects.csv"


def test_summary_counts_progress_for_a_file(tmp_path):
    p = tmp_path / "c.csv"
    cn_rows(10).to_csv(p, index=False)
    seen = []
    for part in iter_records(p, "cn-export", chunksize=4):
        seen.append((part.summary.read, part.summary.bytes_read, part.summary.bytes_total))
    assert [s[0] for s in seen] == [4, 4, 2]
    assert seen[-1][1] == seen[-1][2] == p.stat().st_size
    bom = tmp_path / "bom.csv"  # a byte-order mark counts as read (as it does for parts)
    cn_rows(10).to_csv(bom, index=False, encoding="utf-8-sig")
    last = list(iter_records(bom, "cn-export", chunksize=4))[-1].summary
    assert last.bytes_read == last.bytes_total == bom.stat().st_size


def test_dataframe_with_duplicate_columns_is_refused():
    df = pd.DataFrame([[app_no(2015, 1, 1), "a", "b"]], columns=["patent_id", "title", "title"])
    with pytest.raises(InputError, match="columns 2 and 3 are both named 'title'"):
        read_records(df)


def test_explicit_unknown_encoding_is_an_input_error(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"patent_id": "x"}\n', "utf-8")
    for path in (p, tmp_path / "y.csv"):
        path.write_text("patent_id\nx\n", "utf-8") if path.suffix == ".csv" else None
        with pytest.raises(InputError, match="not a known codec"):
            read_records(path, encoding="nope-8")


def test_validate_file_streams_chunks_to_parquet_and_rejects(tmp_path):
    from hvpscore.io import validate_file

    df = cn_rows(10)
    df.loc[3, "申请日"] = "2015-02-30"
    df.loc[8, "申请号"] = df.loc[1, "申请号"]
    src = tmp_path / "run.2025-12-31.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "run.2025-12-31.parquet"
    seen = []
    run = validate_file(src, out, profile="cn-export", chunksize=3,
                        progress=lambda s: seen.append((s.read, s.rejected)))
    assert seen[-1] == (10, 2) and len(seen) == 4
    back = pd.read_parquet(out)
    assert back["row"].tolist() == [1, 2, 3, 5, 6, 7, 8, 10]
    assert back["ipc"].iloc[0].tolist() == ["H01M10/44", "H02J7/00"]
    assert run.rejects_path.name == "run.2025-12-31.rejects.csv"
    rej = pd.read_csv(run.rejects_path)
    assert rej["codes"].tolist() == ["not_a_date", "duplicate_id"]
    assert not list(tmp_path.glob(".*partial"))


def test_validate_file_leaves_no_partial_output_on_error(tmp_path):
    from hvpscore.io import validate_file

    src = tmp_path / "in.csv"
    cn_rows(5).to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError, match="have problems"):
        bad = cn_rows(5)
        bad.loc[4, "申请日"] = "x"
        bad.to_csv(src, index=False)
        validate_file(src, out, profile="cn-export", strict=True, chunksize=2)
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("write_only", [True, False])
def test_workbook_dimensions_read_from_the_sheet_head(tmp_path, write_only):
    """Opening a workbook looks for each sheet's <dimension> in the first 64 KiB of its XML
    (openpyxl parses a whole sheet that has none, as write-only workbooks have none): the
    same dimensions, the same rows, as openpyxl finds them itself."""
    from openpyxl import Workbook, load_workbook

    from hvpscore.io._read import _open_workbook

    path = tmp_path / "w.xlsx"
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("专利") if write_only else wb.active
    ws.append(["patent_id", "title", "n"])
    for i in range(3000):
        ws.append([app_no(2015, 1, i + 1), f"标题{i}", i])
    if not write_only:
        ws.append([None, None, None, "a cell further right"])
    wb.save(path)
    ours = _open_workbook(path)
    theirs = load_workbook(path, read_only=True, data_only=True)
    try:
        for a, b in zip(ours.worksheets, theirs.worksheets, strict=True):
            assert (a.min_row, a.min_column, a.max_row, a.max_column) == \
                (b.min_row, b.min_column, b.max_row, b.max_column)
            assert list(a.iter_rows(values_only=True)) == list(b.iter_rows(values_only=True))
        if write_only:
            assert ours.worksheets[0].max_column is None  # no <dimension> in the file
        else:
            assert ours.worksheets[0].max_column == 4
    finally:
        ours.close()
        theirs.close()


def test_one_undecodable_row_of_two_is_a_rejected_row_not_a_refused_file(tmp_path):
    """The whole file is refused as another encoding only when most of its first lines do not
    decode; one bad row of two is rejected like any other (found by the random-file test)."""
    path = tmp_path / "two.csv"
    good = f"{app_no(2018, 1, 1)},一种电池,2018-01-01,5,H01M10/44".encode()
    path.write_bytes(b"patent_id,title,filing_date,claims_count,ipc\n" + good + b"\n"
                     + app_no(2018, 1, 2).encode() + b",\xff\xfe,2018-01-01,5,H01M\n")
    r = read_records(path)
    assert (r.summary.accepted, r.summary.rejected) == (1, 1)
    assert r.rejects["codes"].tolist() == ["undecodable"]
    both = tmp_path / "both.csv"
    both.write_bytes(b"patent_id,title,filing_date,claims_count,ipc\n"
                     + (app_no(2018, 1, 3).encode() + b",\xff\xfe,2018-01-01,5,H01M\n") * 2)
    with pytest.raises(InputError, match="2 of the first 2 lines do not decode"):
        read_records(both)
