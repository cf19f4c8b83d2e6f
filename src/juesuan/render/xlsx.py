"""The tables as an Excel workbook: one print-ready sheet per ``TableView``.

openpyxl (already a core dependency) writes it: merged header cells, amounts
as numbers with the ``#,##0.00`` format, 宋体 (present on every Chinese
Windows) for the text, A4 fitted to the page width, the header rows repeated
on every printed page, landscape for wide tables, the note under the table.
The workbook only formats the view model; nothing is computed here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from juesuan.render.blocks import Cell, Row, TableView

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "#,##0.00"
WIDTH_SCALE = 9.0  # characters per unit of TableView.widths
TOP_ROWS = 3  # number, title, 编制单位/单位 line


def number_format(places: int) -> str:
    return "0" if places == 0 else "#,##0." + "0" * places


def _sheet_name(table: TableView, used: set[str]) -> str:
    label = table.number or (f"绩效自评表{table.id[5:]}" if table.id.startswith("perf-") else table.id)
    base = re.sub(r"[\[\]:*?/\\]", "", label)[:31] or table.id
    name, k = base, 2
    while name in used:
        suffix = f"_{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name)
    return name


def _value(cell: Cell) -> str | int | float | None:
    """The value a sheet cell holds: numbers as numbers (float only here, at the edge)."""
    v = cell.value
    if isinstance(v, Decimal):
        return float(v) if cell.places else int(v)
    return v


def _write_rows(ws: Worksheet, rows: tuple[Row, ...], start: int, ncols: int, header: bool) -> int:
    """Place rows on the grid (skipping positions covered by spans); return the next row."""
    taken: set[tuple[int, int]] = set()
    r = start
    for row in rows:
        c = 1
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            _put(ws, r, c, cell, header or row.kind == "header", row.kind == "total")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=r, start_column=c,
                               end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
            c += cell.colspan
        r += 1
    last = max([r - 1, *(rr for rr, _ in taken)]) if taken else r - 1
    for rr in range(start, last + 1):
        for cc in range(1, ncols + 1):
            ws.cell(rr, cc).border = BORDER
    return last + 1


def _put(ws: Worksheet, r: int, c: int, cell: Cell, header: bool, total: bool) -> None:
    target = ws.cell(r, c, _value(cell))
    numeric = isinstance(cell.value, Decimal | int) and not isinstance(cell.value, bool)
    if numeric:
        target.number_format = number_format(cell.places)
    align = cell.align or ("center" if header else "right" if numeric else "left")
    target.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True,
                                 indent=cell.indent if align == "left" else 0)
    target.font = Font(name=FONT_NAME, size=10, bold=cell.bold or header or total)


def _merged_line(ws: Worksheet, r: int, c1: int, c2: int, text: str, align: str,
                 size: int = 10, bold: bool = False) -> None:
    ws.cell(r, c1, text).font = Font(name=FONT_NAME, size=size, bold=bold)
    ws.cell(r, c1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if c2 > c1:
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)


def write_table_sheet(ws: Worksheet, table: TableView) -> None:
    """One table on one sheet, print-ready."""
    ncols = max(table.columns, 1)
    half = max(ncols // 2, 1)
    _merged_line(ws, 1, 1, ncols, table.number, "right")
    _merged_line(ws, 2, 1, ncols, table.title, "center", size=16, bold=True)
    ws.row_dimensions[2].height = 30
    if ncols > 1:
        _merged_line(ws, 3, 1, half, f"编制单位：{table.org}" if table.org else "", "left")
        _merged_line(ws, 3, half + 1, ncols, table.unit_label, "right")
    else:
        _merged_line(ws, 3, 1, 1, table.unit_label, "right")
    first = TOP_ROWS + 1
    after_header = _write_rows(ws, table.header, first, ncols, header=True)
    end = _write_rows(ws, table.body, after_header, ncols, header=False)
    for text in (table.empty_statement, table.note):
        if text:
            _merged_line(ws, end, 1, ncols, text, "left")
            ws.row_dimensions[end].height = 30 if len(text) > 60 else 18
            end += 1
    widths = table.widths or (1.2,) * ncols
    for i in range(ncols):
        w = widths[i] if i < len(widths) else widths[-1]
        ws.column_dimensions[get_column_letter(i + 1)].width = max(4.0, w * WIDTH_SCALE)
    _page_setup(ws, table, first, after_header - 1)


def _page_setup(ws: Worksheet, table: TableView, h1: int, h2: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if h2 >= h1:
        ws.print_title_rows = f"{h1}:{h2}"
    ws.freeze_panes = ws.cell(h2 + 1, 1) if h2 >= h1 else None


def write_tables_xlsx(tables: list[TableView], path: str | Path) -> Path:
    """Write every table to its own sheet of a new workbook at ``path``."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(_sheet_name(table, used))
        write_table_sheet(ws, table)
    if not tables:
        wb.create_sheet("空")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
