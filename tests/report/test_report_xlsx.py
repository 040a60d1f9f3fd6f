"""The workbook read back with openpyxl equals the computed tables; formats, panes, filters."""

from __future__ import annotations

import math

import openpyxl
import pytest

from hvpscore.report._xlsx import EXCEL_FORMATS, cell_value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_equals_the_tables(sample_report, report_files, lang):
    tables = sample_report.tables(lang)
    wb = openpyxl.load_workbook(report_files[("xlsx", lang)])
    assert wb.sheetnames == [t.sheet for t in tables.values()]
    for tab in tables.values():
        ws = wb[tab.sheet]
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == list(tab.frame.columns), tab.key
        assert len(rows) - 1 == len(tab.frame), tab.key
        for i, row in enumerate(tab.frame.itertuples(index=False)):
            for j, v in enumerate(row):
                want, got = cell_value(v), rows[i + 1][j]
                if isinstance(want, float):
                    assert got == pytest.approx(want, rel=1e-12), (tab.key, i, j)
                else:
                    assert got == want, (tab.key, i, j)


def test_sheets_have_frozen_headers_filters_and_number_formats(sample_report, report_files):
    tables = sample_report.tables("zh")
    wb = openpyxl.load_workbook(report_files[("xlsx", "zh")])
    for tab in tables.values():
        ws = wb[tab.sheet]
        assert ws.freeze_panes == "A2", tab.key
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), tab.key
        assert all(c.font.bold for c in ws[1])
    ws = wb[tables["indicators"].sheet]
    header = [c.value for c in ws[1]]
    col = header.index("实际值") + 1
    fmt = {r[0].value: r[col - 1].number_format for r in ws.iter_rows(min_row=2)}
    assert fmt["高价值发明专利拥有量"] == EXCEL_FORMATS["int"]
    assert fmt["战略性新兴产业发明专利占发明专利拥有量比重"] == EXCEL_FORMATS["percent"]
    assert fmt["研发经费投入强度"] == EXCEL_FORMATS["percent2"]
    assert fmt["每万人口高价值发明专利拥有量"] == EXCEL_FORMATS["float2"]
    top = wb[tables["top_holders"].sheet]
    h = [c.value for c in top[1]]
    assert top.cell(row=2, column=h.index("高价值占比") + 1).number_format == EXCEL_FORMATS["percent"]


def test_the_tables_hold_the_computed_values(sample_report):
    ind = sample_report.indicators
    tab = sample_report.tables("zh")["indicators"].frame.set_index("指标")
    v = tab.loc["每万人口高价值发明专利拥有量", "实际值"]
    assert v == pytest.approx(ind.value("hv_per_10k_pop"))
    assert tab.loc["高价值发明专利拥有量", "状态"] == "未达标"
    assert "上期值" in tab.columns                                  # compare_to was given
    holders = sample_report.tables("en")["top_holders"].frame
    assert list(holders.columns[:3]) == ["rank", "holder", "type"]
    assert holders["rank"].is_monotonic_increasing
    assert not any(isinstance(x, float) and math.isnan(x) for x in holders["holder"])
    sup = sample_report.tables("zh")["support"].frame
    assert set(sup["统计日状态"]) == {"已过期"}                      # the plan ended in 2024
