"""The tables as an Excel workbook: one print-ready sheet per ``TableView``.

XlsxWriter writes it (about ten times faster than styling cells one by one
with openpyxl): merged header cells, amounts as numbers with the ``#,##0.00``
format, 宋体 (present on every Chinese Windows) for the text, A4 fitted to the
page width, the header rows repeated on every printed page, landscape for wide
tables, the note under the table.  A draft gets a red first sheet and the mark
in every sheet's print header.  The workbook only formats the view model;
nothing is computed here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from juesuan.render.blocks import Cell, Row, TableView

FONT_NAME = "宋体"
AMOUNT_FORMAT = "#,##0.00"
WIDTH_SCALE = 9.0  # characters per unit of TableView.widths
TOP_ROWS = 3  # number, title, 编制单位/单位 line
DRAFT_COLOR = "#C00000"


def number_format(places: int) -> str:
    return "0" if places == 0 else "#,##0." + "0" * places


def _sheet_name(table: TableView, used: set[str]) -> str:
    label = table.number or (f"绩效自评表{table.id[5:]}" if table.id.startswith("perf-") else table.title)
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


class _Formats:
    """One Format object per distinct look (XlsxWriter formats are shared, not per cell)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._cache: dict[tuple[Any, ...], Format] = {}

    def get(self, *, align: str = "left", bold: bool = False, size: int = 10, border: bool = True,
            num: str | None = None, indent: int = 0) -> Format:
        key = (align, bold, size, border, num, indent)
        fmt = self._cache.get(key)
        if fmt is None:
            props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": size, "bold": bold,
                                     "align": align, "valign": "vcenter", "text_wrap": True}
            if border:
                props["border"] = 1
            if num:
                props["num_format"] = num
            if indent and align == "left":
                props["indent"] = indent
            fmt = self._cache[key] = self.wb.add_format(props)
        return fmt


def _write_rows(ws: Worksheet, fmts: _Formats, rows: tuple[Row, ...], start: int, ncols: int,
                header: bool, placed: list[tuple[int, int, Cell]] | None = None) -> int:
    """Place rows on the grid (0-based rows; skipping positions covered by spans); return the next row.

    ``placed`` collects (row, column, cell) of every cell written.
    """
    taken: set[tuple[int, int]] = set()
    r = start
    for row in rows:
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            fmt = _cell_format(fmts, cell, header or row.kind == "header", row.kind == "total")
            value = _value(cell)
            if placed is not None:
                placed.append((r, c, cell))
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_range(r, c, r + cell.rowspan - 1, c + cell.colspan - 1, value, fmt)
            else:
                ws.write(r, c, value, fmt)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        r += 1
    last = max([r - 1, *(rr for rr, _ in taken)]) if taken else r - 1
    blank = fmts.get()
    for rr in range(start, last + 1):  # borders on the cells no row wrote
        for cc in range(ncols):
            if (rr, cc) not in taken:
                ws.write_blank(rr, cc, None, blank)
    return last + 1


LINE_PT = 13.5  # one line of 10 pt 宋体
CJK_WIDTH = 1.9  # a Chinese character in Excel's column-width units (the width of "0")


def text_units(text: str) -> float:
    """The width of ``text`` in Excel column units (CJK characters are about two "0" wide)."""
    return sum(CJK_WIDTH if ord(ch) > 0x2E7F else 1.0 for ch in text)


def header_heights(placed: list[tuple[int, int, Cell]], chars: list[float]) -> dict[int, float]:
    """Each header row's height, so that wrapped header text shows whole.

    Excel never grows a row for a merged cell's wrapped text, so the header's
    text ran over the data below: each row gets the lines its tallest cell
    needs; a cell spanning rows shares its lines among them.
    """
    lines: dict[int, float] = {r: 1.0 for r, _, _ in placed}
    for r, c, cell in placed:
        text = "" if cell.value is None else str(cell.value)
        width = sum(chars[c:c + cell.colspan]) - 1.0
        need = sum(max(1.0, -(-text_units(part) // max(width, 1.0))) for part in text.split("\n"))
        per_row = need / cell.rowspan
        for rr in range(r, r + cell.rowspan):
            lines[rr] = max(lines.get(rr, 1.0), per_row)
    return {r: round(max(1.0, -(-n // 1)) * LINE_PT + 4, 1) for r, n in lines.items()}


def _cell_format(fmts: _Formats, cell: Cell, header: bool, total: bool) -> Format:
    numeric = isinstance(cell.value, Decimal | int) and not isinstance(cell.value, bool)
    align = cell.align or ("center" if header else "right" if numeric else "left")
    return fmts.get(align=align, bold=cell.bold or header or total,
                    num=number_format(cell.places) if numeric else None, indent=cell.indent)


def _line(ws: Worksheet, fmts: _Formats, r: int, c1: int, c2: int, text: str, align: str,
          size: int = 10, bold: bool = False) -> None:
    fmt = fmts.get(align=align, size=size, bold=bold, border=False)
    if c2 > c1:
        ws.merge_range(r, c1, r, c2, text, fmt)
    else:
        ws.write(r, c1, text, fmt)


def write_table_sheet(ws: Worksheet, fmts: _Formats, table: TableView, watermark: str = "") -> None:
    """One table on one sheet, print-ready."""
    ncols = max(table.columns, 1)
    half = max(ncols // 2, 1)
    _line(ws, fmts, 0, 0, ncols - 1, table.number, "right")
    _line(ws, fmts, 1, 0, ncols - 1, table.title, "center", size=16, bold=True)
    ws.set_row(1, 30)
    if ncols > 1:
        _line(ws, fmts, 2, 0, half - 1, f"编制单位：{table.org}" if table.org else "", "left")
        _line(ws, fmts, 2, half, ncols - 1, table.unit_label, "right")
    else:
        _line(ws, fmts, 2, 0, 0, table.unit_label, "right")
    first = TOP_ROWS
    placed: list[tuple[int, int, Cell]] = []
    after_header = _write_rows(ws, fmts, table.header, first, ncols, header=True, placed=placed)
    end = _write_rows(ws, fmts, table.body, after_header, ncols, header=False)
    for text in (table.empty_statement, table.note):
        if text:
            _line(ws, fmts, end, 0, ncols - 1, text, "left")
            ws.set_row(end, 30 if len(text) > 60 else 18)
            end += 1
    widths = table.widths or (1.2,) * ncols
    chars = [max(4.0, (widths[i] if i < len(widths) else widths[-1]) * WIDTH_SCALE) for i in range(ncols)]
    for i, w in enumerate(chars):
        ws.set_column(i, i, w)
    for r, height in header_heights(placed, chars).items():
        ws.set_row(r, height)
    ws.set_paper(9)  # A4
    if table.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5)
    if after_header > first:
        ws.repeat_rows(first, after_header - 1)
        ws.freeze_panes(after_header, 0)
    if watermark:
        ws.set_header(f"&C&\"{FONT_NAME},Bold\"&KC00000{watermark}")
        ws.set_tab_color(DRAFT_COLOR)


def _draft_sheet(wb: xlsxwriter.Workbook, watermark: str) -> None:
    ws = wb.add_worksheet("草稿")
    ws.write(0, 0, watermark, wb.add_format({"bold": True, "font_size": 16, "font_color": "#FFFFFF",
                                             "bg_color": DRAFT_COLOR, "font_name": FONT_NAME}))
    ws.write(1, 0, "本工作簿为草稿，数据检查问题见同一文件夹中的 findings.json 和文档附录，不得公开。",
             wb.add_format({"font_name": FONT_NAME}))
    ws.set_column(0, 0, 90)
    ws.set_tab_color(DRAFT_COLOR)


def write_tables_xlsx(tables: list[TableView], path: str | Path, watermark: str = "") -> Path:
    """Write every table to its own sheet of a new workbook at ``path``.

    ``watermark`` (a draft's mark) adds a red first sheet saying so, and the mark
    in every sheet's print header.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    fmts = _Formats(wb)
    if watermark:
        _draft_sheet(wb, watermark)
    used: set[str] = set()
    for table in tables:
        write_table_sheet(wb.add_worksheet(_sheet_name(table, used)), fmts, table, watermark)
    if not tables and not watermark:
        wb.add_worksheet("空")
    wb.close()
    return out
