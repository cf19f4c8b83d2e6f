"""Reading the workbook into a Dataset, with the sheet and cell of every figure.

Problems are collected, not raised one by one: the user gets every bad cell
of the workbook in one ``InputError``, each named by sheet and cell.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from pydantic import ValidationError

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.model.money import Unit, convert
from juesuan.readers import workbook_layout as L
from juesuan.readers.errors import InputError, plain_reason
from juesuan.readers.workbook_cells import (
    CellError,
    cell_text,
    code_text,
    declared_unit,
    is_blank,
    norm,
    norm_label,
    parse_amount,
    parse_int,
    parse_unit,
)
from juesuan.readers.workbook_sheets import (
    data_extent,
    grid_labels,
    grid_value_columns,
    head_texts,
    is_empty,
    match_sheets,
    rows_of,
)
from juesuan.readers.yaml_io import validation_problems

MAX_BYTES = 50 * 1024 * 1024
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def open_workbook(path: Path) -> Workbook:
    """Open an .xlsx file, or say in Chinese why it cannot be opened."""
    file = str(path)
    where = Location(file=file)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", where) from None
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size / 1024 / 1024:.0f} MB），工作簿不应超过 {MAX_BYTES // 1024 // 1024} MB",
                         where)
    if head == _OLE:
        raw = path.read_bytes()
        if _ENCRYPTION_STREAM in raw:
            raise InputError("工作簿设有打开密码（已加密），无法读取：请在 Excel 中取消密码后另存为 .xlsx", where)
        raise InputError("这是旧版 Excel（.xls）或其他 Office 文件，无法读取：请在 Excel 中另存为 .xlsx 格式", where)
    if not zipfile.is_zipfile(path):
        raise InputError("不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式（是否改了扩展名？）", where)
    from juesuan.readers.workbook_guard import guard_workbook

    guard_workbook(path)
    try:
        return load_workbook(file, data_only=True)
    except zipfile.BadZipFile:
        raise InputError("工作簿已损坏（压缩包不完整），无法读取", where) from None
    except Exception:  # noqa: BLE001 - any parser failure means an unusable file
        raise InputError("工作簿已损坏或不是 Excel 工作簿，无法读取", where) from None


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


class WorkbookReader:
    """Reads one opened workbook; ``run`` returns the dataset or raises InputError."""

    def __init__(self, wb: Workbook, file: str) -> None:
        self.wb = wb
        self.file = file
        self.problems: list[tuple[str, Location]] = []
        self.prov = Provenance(Location(file=file))
        self.data: dict[str, Any] = {}
        self.extra_stated: list[tuple[dict[str, Any], Location]] = []
        self.notes: list[tuple[str, Location]] = []  # what the workbook does not carry (info, not errors)
        self.prov.notes = self.notes
        self.heads = {ws.title: head_texts(ws) for ws in wb.worksheets}
        titles = [t for t in wb.sheetnames if not self.skipped_sheet(t)]
        specs: list[L.Sheet | str] = [*L.GRIDS, *L.TABLES, L.TEXTS_SHEET]
        self.sheets = match_sheets(titles, specs, self.heads)
        self.unit = Unit.WAN

    def skipped_sheet(self, title: str) -> bool:
        """A sheet of an export that holds nothing to read (a draft mark, a form-style table)."""
        texts = [norm(title), *self.heads.get(title, [])[:1]]
        for marker, note in L.SKIPPED_SHEETS:
            if any(norm(marker) in t for t in texts):
                if note:
                    self.notes.append((note, Location(file=self.file, sheet=title)))
                return True
        return False

    # -- helpers ------------------------------------------------------------------
    def loc(self, sheet: str, cell: Any = None) -> Location:
        return Location(file=self.file, sheet=sheet, cell=cell.coordinate if cell is not None else None)

    def problem(self, message: str, sheet: str, cell: Any = None) -> None:
        self.problems.append((message, self.loc(sheet, cell)))

    def parse(self, cell: Any, kind: L.Kind, sheet: str, factor: tuple[Unit, Unit] | None) -> Any:
        """A cell's value by kind; None when blank or bad (bad cells are recorded)."""
        value = cell.value
        if value is None or value == "" or (is_blank(value) and kind not in (L.Kind.TEXT, L.Kind.OPT_TEXT)):
            return None
        try:
            if kind in (L.Kind.AMOUNT, L.Kind.OPT_AMOUNT):
                amount = parse_amount(value, cell.number_format)
                return convert(amount, *factor) if factor else amount
            if kind in (L.Kind.INT, L.Kind.COUNT, L.Kind.OPT_COUNT):
                return parse_int(value)
            if kind is L.Kind.UNIT:
                return parse_unit(value).value
            if kind is L.Kind.CODE:
                return code_text(value)
            return cell_text(value).strip()
        except CellError as exc:
            self.problem(str(exc), sheet, cell)
            return None

    def sheet_unit(self, rows: list[list[Any]], sheet: str) -> tuple[Unit, Unit] | None:
        """(declared, dataset) units when a sheet says "单位：…" other than the dataset's."""
        for row in rows[:L_HEADER_UNIT_ROWS]:
            for c in row:
                text = declared_unit(c.value)
                if text is None:
                    continue
                try:
                    unit = Unit.parse(text)
                except ValueError:
                    self.problem(f"未知的金额单位“{text}”：只能是“元”或“万元”", sheet, c)
                    return None
                return (unit, self.unit) if unit is not self.unit else None
        return None

    @staticmethod
    def fill(fields: list[tuple[L.Field, Any]]) -> list[tuple[L.Field, Any]]:
        """Apply blank rules: groups exist when any cell is filled; blank means 0 or ""."""
        present = {f.group for f, v in fields if f.group and v is not None}
        out = []
        for f, v in fields:
            if f.group and f.group not in present:
                continue
            if v is None:
                if f.kind is L.Kind.AMOUNT:
                    v = Decimal("0.00")
                elif f.kind is L.Kind.COUNT:
                    v = 0
                elif f.kind is L.Kind.TEXT:
                    v = ""
                else:
                    continue
            out.append((f, v))
        return out

    # -- grids ----------------------------------------------------------------------
    def read_grid(self, grid: L.Grid) -> None:
        title = self.sheets.get(grid.name)
        if title is None:
            return
        rows = rows_of(self.wb[title])
        if is_empty(rows):
            return
        if grid is L.INFO:
            self.read_info_unit(rows, title)
        factor = self.sheet_unit(rows, title) if grid.amounts else None
        from juesuan.readers.workbook_export import export_of, read_export

        export = export_of(grid, rows)
        if export is not None:
            self.store_grid(title, read_export(self, grid, export, title, rows, factor))
            lacking = self.data.setdefault("not_given", [])
            lacking.extend(k for k in export.lacks if k not in lacking)
            return
        value_cols = grid_value_columns(rows, grid)
        labels = grid_labels(grid)
        seen: set[str] = set()
        cells: list[tuple[L.Field, Any, Any]] = []
        for row in rows:
            for j, c in enumerate(row):
                if not isinstance(c.value, str):
                    continue
                spec = labels.get(norm_label(c.value))
                if spec is None or spec.label in seen:
                    continue
                seen.add(spec.label)
                for key, f in spec.cells.items():
                    cols = [k for k in value_cols[key] if k > j]
                    if not cols and len(grid.columns) > 1:
                        self.problem(f"未找到“{next(x.label for x in grid.columns if x.key == key)}”列的表头",
                                     title, c)
                        continue
                    k = cols[0] if cols else j + 1
                    target = row[k] if k < len(row) else self.wb[title].cell(c.row, k + 1)
                    cells.append((f, self.parse(target, f.kind, title, factor), target))
        if not seen:
            self.problem("无法识别工作表内容：没有找到任何应有的项目名称", title)
        self.store_grid(title, cells)

    def store_grid(self, title: str, cells: list[tuple[L.Field, Any, Any]]) -> None:
        where = {id(f): t for f, _, t in cells}
        for f, v in self.fill([(f, v) for f, v, _ in cells]):
            set_path(self.data, f.path, v)
            self.prov.set(f.path, self.loc(title, where[id(f)]))

    def read_info_unit(self, rows: list[list[Any]], title: str) -> None:
        labels = {norm_label(x) for x in L.INFO.rows[1].labels}
        for row in rows:
            for j, c in enumerate(row):
                if isinstance(c.value, str) and norm_label(c.value) in labels and j + 1 < len(row):
                    value = next((x for x in row[j + 1:] if not is_blank(x.value)), None)
                    if value is not None:
                        try:  # a bad unit is reported once, by read_grid
                            self.unit = parse_unit(value.value)
                        except CellError:
                            pass
                    return
        for sheet in self.wb.worksheets:  # no 金额单位 row: the first "单位：…" of any table
            for row in sheet.iter_rows(max_row=L_HEADER_UNIT_ROWS, max_col=data_extent(sheet)[1]):
                for c in row:
                    text = declared_unit(c.value)
                    if text:
                        try:
                            self.unit = Unit.parse(text)
                        except ValueError:
                            pass
                        return

    def from_heads(self) -> None:
        """Department, year and unit from the tables' own lines (编制单位：…, “2023年度”, 单位：万元)."""
        heads = [t for texts in self.heads.values() for t in texts]
        org = next((m.group(1) for t in heads if (m := _ORG.search(t))), "")
        year = next((int(m.group(1) or m.group(2)) for t in [*heads, Path(self.file).name] if (m := _YEAR.search(t))), None)
        unit = next((u for t in heads if (u := declared_unit(t))), None)
        if unit:
            try:
                self.unit = Unit.parse(unit)
            except ValueError:
                pass
        self.data.setdefault("department", {})["name"] = org
        self.data.setdefault("not_given", []).append("texts")
        if year is not None:
            self.data["year"] = year
        else:
            self.problems.append(("无法确定决算年度：工作簿中没有“基本信息”表，表格和文件名中也没有年度"
                                  "（请加“基本信息”表并填写“决算年度”）", Location(file=self.file)))
        self.notes.append((f"工作簿中没有“基本信息”表：部门名称取自“编制单位”（{org or '未写'}），"
                           f"年度取自{'表格或文件名' if year else '—'}；公开模板、负责人、联系方式、文字说明和"
                           "变动原因等只在“基本信息”“文字说明”表或 YAML 数据集中，未读取", Location(file=self.file)))

    # -- the rest lives in workbook_tables ---------------------------------------------
    def run(self) -> tuple[Dataset, Provenance]:
        from juesuan.readers.workbook_tables import read_tables, read_texts

        export = L.INFO.name not in self.sheets and any(s.name in self.sheets for s in L.TABLES)
        for spec in (*L.GRIDS, *L.TABLES):
            if spec.required and spec.name not in self.sheets and not (export and spec is L.INFO):
                self.problems.append((f"缺少工作表“{spec.name}”", Location(file=self.file)))
        if export:  # pasted tables alone (or juesuan's own 部门决算表.xlsx): what only 基本信息 gives
            self.from_heads()
        for grid in L.GRIDS:
            self.read_grid(grid)
        self.data.setdefault("unit", self.unit.value)
        read_tables(self)
        read_texts(self)
        if self.problems:
            raise InputError(f"工作簿有 {len(self.problems)} 处错误", Location(file=self.file), self.problems)
        try:
            return Dataset.model_validate(self.data), self.prov
        except ValidationError as exc:
            problems = validation_problems(exc, self.prov)
            raise InputError(f"工作簿有 {len(problems)} 处错误", Location(file=self.file), problems) from None


L_HEADER_UNIT_ROWS = 6
_ORG = re.compile(r"编制单位[:：]\s*(\S+?)(?:单位[:：]|$)")
_YEAR = re.compile(r"(20\d\d)\s*年度|_(20\d\d)_")


def read_workbook(path: str | Path) -> tuple[Dataset, Provenance]:
    """Read a juesuan workbook (or pasted official tables); raise InputError on bad input."""
    path = Path(path)
    wb = open_workbook(path)
    try:
        return WorkbookReader(wb, str(path)).run()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        raise InputError(f"读取工作簿时出错，请检查工作簿格式（{plain_reason(exc)}）",
                         Location(file=str(path))) from None
    finally:
        wb.close()


