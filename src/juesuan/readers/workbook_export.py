"""Reading a grid's table in the official export layout (``workbook_layout.Export``).

The national 决算 software, and juesuan's own 部门决算表.xlsx, print some tables
wide: the 三公 table is one data row under two or three header rows of merged
cells; the 财政拨款收入支出决算总表 puts the balances by budget kind under the
income side and along the 年末 row.  Every cell there is found by the header
path of its column (the header texts above it, merged cells spread over what
they cover) and the label of its row, as the layout describes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.worksheet.worksheet import Worksheet

from juesuan.readers import workbook_layout as L
from juesuan.readers.workbook_cells import is_blank, norm, norm_label, parse_amount
from juesuan.readers.workbook_sheets import HEADER_SEARCH_ROWS

if TYPE_CHECKING:
    from juesuan.readers.workbook_read import WorkbookReader


def export_of(grid: L.Grid, rows: list[list[Any]]) -> L.Export | None:
    """The grid's export layout this sheet is in (all its signature labels appear), or None."""
    texts = {norm_label(c.value) for row in rows for c in row if isinstance(c.value, str)}
    for export in grid.exports:
        if all(norm_label(s) in texts for s in export.signature):
            return export
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    try:
        parse_amount(value)
    except (ValueError, TypeError):
        return False
    return isinstance(value, str) and not is_blank(value)


def is_column_numbers(row: list[Any]) -> bool:
    """A 栏次 row: "栏次"/"行次", or the column numbers 1 2 3 … alone."""
    values = [c.value for c in row if not is_blank(c.value)]
    if any(isinstance(v, str) and norm(v) in ("栏次", "行次") for v in values):
        return True
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return len(numbers) >= 2 and len(numbers) == len(values) and numbers == list(range(numbers[0],
                                                                                       numbers[0] + len(numbers)))


def data_start(rows: list[list[Any]]) -> int:
    """The first row holding a number, 栏次 rows aside: the header ends above it."""
    for i, row in enumerate(rows):
        if any(_is_number(c.value) for c in row) and not is_column_numbers(row):
            return i
    return len(rows)


def header_paths(ws: Worksheet, rows: list[list[Any]], bottom: int) -> list[list[str]]:
    """Each column's header texts from top to ``bottom`` (exclusive), merged cells spread."""
    spread: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row - 1, min(rng.max_row, bottom)):
            for c in range(rng.min_col - 1, rng.max_col):
                spread[(r, c)] = value
    width = max((len(r) for r in rows), default=0)
    paths: list[list[str]] = []
    for j in range(width):
        path: list[str] = []
        for i in range(min(bottom, HEADER_SEARCH_ROWS, len(rows))):
            value = spread.get((i, j), rows[i][j].value if j < len(rows[i]) else None)
            text = norm_label(value) if isinstance(value, str) else ""
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


def _ends_with(path: list[str], col: tuple[tuple[str, ...], ...]) -> bool:
    if len(path) < len(col):
        return False
    tail = path[len(path) - len(col):]
    return all(t in {norm_label(x) for x in alts} for t, alts in zip(tail, col, strict=True))


def _row_of(rows: list[list[Any]], at: L.At, start: int) -> tuple[int, int] | None:
    """(row, label column) of the cell's row: its label (below ``at.after``); no label: ``start``,
    the first data row."""
    if not at.row:
        return (start, -1) if start < len(rows) else None
    wanted = {norm_label(x) for x in at.row}
    after = norm_label(at.after) if at.after else ""
    armed = not after
    for i, row in enumerate(rows):
        for j, c in enumerate(row):
            if not isinstance(c.value, str):
                continue
            text = norm_label(c.value)
            if not armed and text == after:
                armed = True
                break
            if armed and text in wanted:
                return i, j
    return None


def read_export(r: WorkbookReader, grid: L.Grid, export: L.Export, title: str, rows: list[list[Any]],
                factor: Any) -> list[tuple[L.Field, Any, Any]]:
    """(field, value, cell) of every cell the export layout describes that the sheet holds."""
    start = data_start(rows)
    paths = header_paths(r.wb[title], rows, start)
    out: list[tuple[L.Field, Any, Any]] = []
    done: set[str] = set()
    located = False
    for at in export.cells:
        if at.path in done:
            continue
        where = _row_of(rows, at, start)
        if where is None:
            continue
        i, j = where
        cols = [k for k, path in enumerate(paths) if k > j and _ends_with(path, at.col)]
        if not cols:
            continue
        located = True
        if is_blank(rows[i][cols[0]].value if cols[0] < len(rows[i]) else None):
            continue
        cell = rows[i][cols[0]] if cols[0] < len(rows[i]) else r.wb[title].cell(i + 1, cols[0] + 1)
        field = L.Field(at.path, L.Kind.AMOUNT, at.group)
        out.append((field, r.parse(cell, field.kind, title, factor), cell))
        done.add(at.path)
    if not located:
        r.problem(f"无法识别“{grid.title}”的表格样式：没有找到应有的表头和项目", title)
    return out
