"""hvpscore policy show / hvpscore criteria."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from hvpscore.cli import main
from hvpscore.datasets import format_cn_application
from hvpscore.rules import criteria_shares

_ROWS = [  # digits, type, title, ipc, filing, grant, status, lapse, overseas, pledge, award, year
    ("201910561574", "invention", "一种发送载波信息的方法", "H04L27/26", "2017-02-15", "2020-09-08",
     "in_force", "", "", "", "china_patent_gold", "2025"),
    ("201310068343", "invention", "分支型覆膜支架", "F16H57/02", "2013-03-04", "2016-05-25",
     "in_force", "", "", "", "", ""),
    ("201811083498", "invention", "齿轮箱", "F16H57/02", "2018-09-17", "2020-12-15", "in_force",
     "", "US;EP", "", "", ""),
    ("201811083499", "invention", "齿轮箱", "F16H57/02", "2018-09-17", "2020-12-15", "in_force",
     "", "", "20000000", "", ""),
    ("201821083500", "utility_model", "齿轮箱", "H04L27/26", "2018-09-17", "2019-12-15",
     "in_force", "", "US", "", "", ""),
    ("201811083501", "invention", "齿轮箱", "F16H57/02", "2018-09-17", "2020-12-15", "lapsed",
     "2022-01-01", "", "", "", ""),
    ("201811083502", "invention", "齿轮箱", "F16H57/02", "2018-09-17", "not-a-date", "in_force",
     "", "", "", "", ""),
]
CSV = ("patent_id,patent_type,title,ipc,filing_date,grant_date,legal_status,lapse_date,"
       "overseas_granted,pledge_amount_cny,awards,award_year\n"
       + "".join("ZL" + format_cn_application(r[0]) + "," + ",".join(r[1:]) + "\n"
                 for r in _ROWS))


@pytest.fixture
def records_csv(tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_every_command_has_help():
    runner = CliRunner()
    for args in (["policy", "--help"], ["policy", "show", "--help"], ["criteria", "--help"]):
        res = runner.invoke(main, args)
        assert res.exit_code == 0, res.output
        assert "Usage" in res.output and ("/" in res.output)


def test_policy_show_default_and_override(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["policy", "show"])
    assert res.exit_code == 0
    assert "policy cnipa-2021 (version 1)" in res.output
    assert "  criteria.pledge.params.min_amount_cny = 10,000,000" in res.output
    path = tmp_path / "cq.yaml"
    path.write_text("id: cq\nextends: cnipa-2021\ncriteria:\n  pledge:\n    params:\n"
                    "      min_amount_cny: 5000000\n", encoding="utf-8")
    res = runner.invoke(main, ["policy", "show", "--policy", str(path)])
    assert res.exit_code == 0
    assert "policy cq (version 1), extends cnipa-2021" in res.output
    assert "* criteria.pledge.params.min_amount_cny = 5,000,000   (default 10,000,000)" in res.output


def test_policy_show_bad_policy_is_one_clean_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: cnipa-2021\ncriteria:\n  pledge:\n    params:\n"
                    "      min_amount: 1\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["policy", "show", "--policy", str(path)])
    assert res.exit_code == 1
    assert "error: policy key 'criteria.pledge.params.min_amount' is not known" in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx", ".jsonl"])
def test_criteria_writes_flags_evidence_rejects_and_prints_shares(records_csv, tmp_path, suffix):
    out = tmp_path / f"flags{suffix}"
    res = CliRunner().invoke(main, ["criteria", str(records_csv), "--as-of", "2025-12-31",
                                    "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    if suffix == ".csv":
        df = pd.read_csv(out, dtype={"sei_codes": str})
    elif suffix == ".parquet":
        df = pd.read_parquet(out)
    elif suffix == ".xlsx":
        df = pd.read_excel(out, dtype={"sei_codes": str}, engine="openpyxl")
    else:
        df = pd.read_json(out, lines=True, dtype={"sei_codes": str})
    assert len(df) == 6  # one bad grant date went to the rejects file
    for col in ("patent_id", "policy_id", "as_of", "hv_sei", "hv_overseas", "hv_maintained_10y",
                "hv_pledge", "hv_award", "is_high_value", "in_force", "hv_evidence",
                "hv_evidence_zh", "sei_codes", "sei_rule", "maintained_years"):
        assert col in df.columns
    assert df["is_high_value"].tolist() == [True, True, True, True, False, False]
    assert df["policy_id"].eq("cnipa-2021").all()
    rejects = tmp_path / "flags.rejects.csv"
    assert rejects.exists()
    assert "grant_date: 'not-a-date' is not a date" in rejects.read_text(encoding="utf-8-sig")
    text = res.output
    assert "policy cnipa-2021, as of 2025-12-31: 6 records, 4 valid invention patents" in text
    assert "is_high_value" in text and "high-value invention patent" in text
    zh = CliRunner().invoke(main, ["criteria", str(records_csv), "--as-of", "2025-12-31",
                                   "-o", str(out)]).output
    assert "口径 cnipa-2021，统计日 2025-12-31：记录 6 条，有效发明专利 4 件" in zh
    assert "高价值发明专利" in zh
    line = next(ln for ln in text.splitlines() if ln.startswith("hv_award"))
    assert line.split()[1:3] == ["1", "16.67%"]


def test_criteria_with_policy_override(records_csv, tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("extends: cnipa-2021\ncriteria:\n  pledge:\n    params:\n"
                   "      min_amount_cny: 30000000\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    res = CliRunner().invoke(main, ["criteria", str(records_csv), "--as-of", "2025-12-31",
                                    "--policy", str(pol), "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert not df["hv_pledge"].any()
    assert df["policy_id"].eq("cnipa-2021+p").all()


def test_criteria_shares_table():
    flags = pd.DataFrame({
        "hv_sei": [True, True, False, False], "hv_overseas": [True, False, False, False],
        "hv_maintained_10y": [False] * 4, "hv_pledge": [False] * 4, "hv_award": [False] * 4,
        "is_high_value": [True, True, False, False], "in_force": [True, True, True, False]})
    t = criteria_shares(flags).set_index("criterion")
    assert t.loc["hv_sei", "count"] == 2 and t.loc["hv_sei", "only_this"] == 1
    assert t.loc["hv_sei", "share"] == 0.5
    assert t.loc["is_high_value", "share_of_in_force"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_criteria_file_in_chunks_equals_one_piece(repo_dir, tmp_path, suffix):
    """criteria_file spills its chunks and writes the output from them (bounded memory): the
    same file and the same shares whatever the chunk size; the shares are those of the
    written table."""
    from hvpscore.rules import criteria_file

    src = repo_dir / "data/sample/patents.csv"
    runs = {}
    for chunks in (1000, 100_000):
        out = tmp_path / f"c{chunks}{suffix}"
        runs[chunks] = criteria_file(src, out, profile="cn-export", as_of="2025-12-31",
                                     chunksize=chunks)
    a, b = tmp_path / f"c1000{suffix}", tmp_path / f"c100000{suffix}"
    if suffix == ".csv":
        assert a.read_bytes() == b.read_bytes()
        table = pd.read_csv(a)
    else:
        table = pd.read_parquet(a)
        pd.testing.assert_frame_equal(table, pd.read_parquet(b))
    pd.testing.assert_frame_equal(runs[1000].extra["shares"], runs[100_000].extra["shares"])
    pd.testing.assert_frame_equal(runs[1000].extra["shares"], criteria_shares(table))
    assert runs[1000].extra["in_force"] == int(table["in_force"].sum())
    assert runs[1000].rows_out == len(table) == 3000
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"c1000{suffix}", f"c100000{suffix}"])  # nothing temporary left
