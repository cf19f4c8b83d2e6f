"""Writing the workbook: a blank template with instructions, or one filled from a dataset.

Everything written follows ``workbook_layout``, the description the reader uses,
so a written workbook reads back to the same dataset.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from juesuan.model.accounts import REASON_KEYS, Dataset
from juesuan.readers import workbook_layout as L

HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_VALIDATION_ROWS = 1000


def get(data: Any, path: str) -> Any:
    """The value at a dotted path of plain data, or None where any step is missing."""
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def amount_format(value: Decimal) -> str:
    """Number format showing the places the amount was written with (its precision)."""
    exp = value.as_tuple().exponent
    places = -exp if isinstance(exp, int) and exp < 0 else 0
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def put(cell: Cell, kind: L.Kind, value: Any) -> None:
    """Write one value the way its column expects (amounts as numbers, codes as text)."""
    if value is None:
        if kind in (L.Kind.CODE, L.Kind.TEXT, L.Kind.OPT_TEXT):
            cell.number_format = "@"
        elif kind in (L.Kind.AMOUNT, L.Kind.OPT_AMOUNT):
            cell.number_format = "#,##0.00"
        return
    if kind in (L.Kind.AMOUNT, L.Kind.OPT_AMOUNT):
        amount = Decimal(str(value))
        cell.value = amount
        cell.number_format = amount_format(amount)
    elif kind in (L.Kind.INT, L.Kind.COUNT, L.Kind.OPT_COUNT):
        cell.value = int(value)
        cell.number_format = "0"
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # never a formula, even when the text starts with "="
        cell.number_format = "@"
        if "\n" in text or len(text) > 40:
            cell.alignment = _WRAP


def _head(ws: Worksheet, title: str, labels: list[str], widths: list[int], unit: str | None,
          note: str = "") -> None:
    ws.cell(1, 1, title).font = _TITLE
    if unit:
        ws.cell(2, 1, f"单位：{unit}")
    if note:
        ws.cell(2, 2 if unit else 1, note).font = Font(italic=True, color="666666")
    for i, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        c = ws.cell(HEADER_ROW, i, label)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _validate(ws: Worksheet, choices: tuple[str, ...], ref: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    dv.add(ref)
    ws.add_data_validation(dv)


def write_grid(ws: Worksheet, grid: L.Grid, data: dict[str, Any] | None) -> None:
    unit = str(data["unit"]) if data and grid.amounts else None
    _head(ws, grid.title, [grid.label_header, *(c.label for c in grid.columns)],
          [40, *(c.width for c in grid.columns)], unit, grid.note)
    for r, row in enumerate(grid.rows, start=FIRST_ROW):
        ws.cell(r, 1, row.label)
        for j, col in enumerate(grid.columns, start=2):
            f = row.cells.get(col.key)
            if f is None:
                ws.cell(r, j).fill = PatternFill("solid", fgColor="EEEEEE")
                continue
            value = get(data, f.path) if data else None
            if data and value is None and f.group is None and f.kind in (L.Kind.AMOUNT, L.Kind.COUNT):
                value = 0
            if data is None and f.path == "unit":
                value = "万元"
            put(ws.cell(r, j), f.kind, value)
            if f.kind is L.Kind.UNIT:
                _validate(ws, ("元", "万元"), ws.cell(r, j).coordinate)


def _records(table: L.Table, data: dict[str, Any] | None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record, context) pairs the table shows; context fills informative columns."""
    if not data:
        return []
    if table.records == "@expenditure":
        fields = [c.field for c in table.columns if c.field and c.key != "code"]
        out = []
        for line in data["expenditure"]:
            if any(get(line, f.path) not in (None, "") for f in fields):
                out.append((line, {"name": line["name"]}))
        return out
    if table.records == "@self_evaluations":
        return [(ind, {"project": ev["name"]})
                for ev in data["performance"]["self_evaluations"] for ind in ev["indicators"]]
    return [(rec, {}) for rec in get(data, table.records) or []]


def _derived(table: L.Table, col: L.Col, rec: dict[str, Any], ctx: dict[str, Any]) -> Any:
    if col.key in ctx:
        return ctx[col.key]
    if col.key == "total":
        parts = [get(rec, c.field.path) for c in table.columns
                 if c.field and c.field.kind is L.Kind.AMOUNT]
        parts = [Decimal(str(p)) for p in parts if p is not None]
        return sum(parts, Decimal(0)) if parts else None
    return None


def write_table(ws: Worksheet, table: L.Table, data: dict[str, Any] | None) -> None:
    unit = str(data["unit"]) if data and table.amounts else None
    _head(ws, table.title, [c.label for c in table.columns], [c.width for c in table.columns], unit,
          table.note)
    last = FIRST_ROW
    for r, (rec, ctx) in enumerate(_records(table, data), start=FIRST_ROW):
        last = r
        for j, col in enumerate(table.columns, start=1):
            if col.field is None:
                value = _derived(table, col, rec, ctx)
                kind = L.Kind.TEXT if isinstance(value, str) else L.Kind.AMOUNT
            else:
                value, kind = get(rec, col.field.path), col.field.kind
                if col.field.names and isinstance(value, str):
                    value = col.field.label_of(value)
                if kind is L.Kind.AMOUNT and value is None and col.field.group is None:
                    value = 0
            put(ws.cell(r, j), kind, value)
    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        if col.choices:
            _validate(ws, col.choices, f"{letter}{FIRST_ROW}:{letter}{max(last, _VALIDATION_ROWS)}")
        if col.field and col.field.kind in (L.Kind.CODE, L.Kind.TEXT):
            for r in range(last + 1, last + 50):
                ws.cell(r, j).number_format = "@"


def text_rows(data: dict[str, Any] | None) -> list[tuple[str, str, Any]]:
    """(label, key, text) rows of the 文字说明 sheet."""
    rows: list[tuple[str, str, Any]] = []
    for path, (label, is_list) in L.TEXT_FIELDS.items():
        value = get(data, path) if data else None
        items = (value or [""]) if is_list else [value or ""]
        rows.extend((label, path, item) for item in items)
    reasons = dict(data["reasons"]) if data else {}
    for key in REASON_KEYS:
        rows.append((L.REASON_LABELS[key], f"reasons.{key}", reasons.pop(key, "")))
    rows.extend((f"变动原因：{key}", f"reasons.{key}", text) for key, text in reasons.items())
    for path, (prefix, _) in L.DICT_FIELDS.items():
        if path != "reasons":
            rows.extend((f"{prefix}：{key}", f"{path}.{key}", value)
                        for key, value in (get(data, path) or {}).items())
    return rows


def write_texts(ws: Worksheet, data: dict[str, Any] | None) -> None:
    _head(ws, "文字说明", [c.label for c in L.TEXT_WRITTEN], [c.width for c in L.TEXT_WRITTEN], None,
          "每行一项；列表（主要职责、主要工作、部门评价项目）每条一行，“项目”相同。")
    for r, (label, _key, text) in enumerate(text_rows(data), start=FIRST_ROW):
        put(ws.cell(r, 1), L.Kind.TEXT, label)
        put(ws.cell(r, 2), L.Kind.COUNT if isinstance(text, int) else L.Kind.TEXT, text)
        ws.cell(r, 2).alignment = _WRAP


def build_workbook(dataset: Dataset | None) -> Workbook:
    data = dataset.model_dump(mode="json", by_alias=True) if dataset is not None else None
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in L.SHEET_ORDER:
        if sheet == L.INSTRUCTIONS_SHEET:
            ws = wb.create_sheet(sheet)
            ws.column_dimensions["A"].width = 110
            for i, line in enumerate(L.INSTRUCTIONS, start=1):
                ws.cell(i, 1, line).font = _TITLE if i == 1 else Font()
        elif sheet == L.TEXTS_SHEET:
            write_texts(wb.create_sheet(sheet), data)
        elif isinstance(sheet, L.Grid):
            write_grid(wb.create_sheet(sheet.name), sheet, data)
        elif isinstance(sheet, L.Table):
            write_table(wb.create_sheet(sheet.name), sheet, data)
    return wb


def write_template(path: str | Path, dataset: Dataset | None = None) -> None:
    """Write the workbook: blank (with instructions) or filled from ``dataset``."""
    build_workbook(dataset).save(str(path))
