"""The Excel workbook: one sheet per table, number formats, frozen header row, autofilter."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["EXCEL_FORMATS", "cell_value", "write_xlsx"]

EXCEL_FORMATS = {"int": "#,##0", "float1": "0.0", "float2": "#,##0.00", "percent": "0.0%", "percent2": "0.00%",
                 "auto": "General",
                 "cny": "#,##0", "text": "@"}


def cell_value(v):
    """A table value as written to a cell: None for missing, plain Python scalars."""
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if v is pd.NA or (isinstance(v, pd.Timestamp) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    s = str(v)
    return s if s != "" else None


def _width(s) -> float:
    if s is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(s))


def write_xlsx(tables: dict, path: str | Path) -> Path:
    """Write localised tables (:func:`hvpscore.report.localised_tables`) to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F3")
    for tab in tables.values():
        ws = wb.create_sheet(tab.sheet[:31])
        df = tab.frame
        ws.append(list(df.columns))
        for c in ws[1]:
            c.font = head_font
            c.fill = head_fill
            c.alignment = Alignment(vertical="center", wrap_text=True)
        for row in df.itertuples(index=False):
            ws.append([cell_value(v) for v in row])
        for j, fmt in enumerate(tab.formats, start=1):
            for i in range(len(df)):
                f = fmt[i] if isinstance(fmt, list) else fmt
                cell = ws.cell(row=i + 2, column=j)
                if f != "text" and cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = EXCEL_FORMATS.get(f, "General")
            texts = [df.columns[j - 1], *df.iloc[:, j - 1].tolist()]
            w = min(60, max(8, max(_width(cell_value(x)) for x in texts) + 2))
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.freeze_panes = "A2"
        if len(df.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(len(df), 1) + 1}"
    wb.save(path)
    return path
