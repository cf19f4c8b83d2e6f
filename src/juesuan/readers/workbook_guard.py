"""Limits a workbook must keep before openpyxl reads it, from the data actually present.

The zip directory is read first (every member's uncompressed size), then each
worksheet's XML is streamed once, counting only cells that hold a value: a
stray empty or format-only cell at XFD1048576 costs nothing, while a million
rows, a merged whole column or a far-away value are refused at once, naming
the sheet and the cell.  The same pass finds formulas without a cached value
(Excel never computed them, so the file holds no figure: an error, not 0).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from juesuan.model.findings import Location
from juesuan.readers.errors import InputError
from juesuan.readers.limits import check_zip, env_limit, raise_hint

MAX_ROWS = env_limit("JUESUAN_MAX_SHEET_ROWS", 100_000)  # rows holding a value, per sheet
MAX_CELLS = env_limit("JUESUAN_MAX_SHEET_CELLS", 2_000_000)  # cells holding a value, and the area they span
MAX_MERGED = env_limit("JUESUAN_MAX_MERGED_CELLS", 100_000)  # cells covered by merged ranges, per sheet

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ref(text: str | None) -> tuple[int, int] | None:
    m = _REF.fullmatch(text or "")
    return (int(m.group(2)), column_number(m.group(1))) if m else None


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in workbook order; unreadable metadata: no sheets (openpyxl will say)."""
    try:
        rels = {}
        with zf.open("xl/_rels/workbook.xml.rels") as fh:
            for _, el in iterparse(fh):
                if el.tag == _PKG_REL + "Relationship":
                    target = el.get("Target") or ""
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                    rels[el.get("Id")] = part
        out = []
        with zf.open("xl/workbook.xml") as fh:
            for _, el in iterparse(fh):
                if el.tag == _NS + "sheet":
                    part = rels.get(el.get(_REL_NS + "id"))
                    if part and part in zf.NameToInfo:
                        out.append((el.get("name") or "", part))
        return out
    except (KeyError, ParseError):
        return []


class _Sheet:
    """One worksheet's counts while its XML streams by."""

    def __init__(self, file: str, name: str) -> None:
        self.file, self.name = file, name
        self.rows = self.cells = self.merged = 0
        self.far = (0, 0)  # the largest row and column holding a value
        self.far_ref = ""
        self.uncomputed: list[str] = []  # formulas without a cached value

    def fail(self, message: str, cell: str | None = None) -> InputError:
        return InputError(message, Location(file=self.file, sheet=self.name, cell=cell))

    def cell(self, ref: str, r: int, c: int, has_value: bool, has_formula: bool) -> None:
        if has_formula and not has_value:
            self.uncomputed.append(ref)
            return
        if not has_value:
            return
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise self.fail(f"工作表中有数据的单元格超过 {MAX_CELLS:,} 个的上限" + raise_hint("JUESUAN_MAX_SHEET_CELLS"),
                            ref)
        if r > self.far[0] or c > self.far[1]:
            self.far = (max(r, self.far[0]), max(c, self.far[1]))
            self.far_ref = ref
            if self.far[0] * self.far[1] > MAX_CELLS:
                raise self.fail(f"数据范围过大：单元格 {ref} 远离表格，数据所跨的区域超过 {MAX_CELLS:,} 个单元格"
                                "（请删除远处多余的内容）" + raise_hint("JUESUAN_MAX_SHEET_CELLS"), ref)

    def row(self, had_value: bool, number: int) -> None:
        if had_value:
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise self.fail(f"工作表中有数据的行超过 {MAX_ROWS:,} 行的上限（第 {number} 行）"
                                + raise_hint("JUESUAN_MAX_SHEET_ROWS"))

    def merge(self, ref: str) -> None:
        a, _, b = ref.partition(":")
        first, last = _ref(a), _ref(b or a)
        if first is None or last is None:
            return
        self.merged += (abs(last[0] - first[0]) + 1) * (abs(last[1] - first[1]) + 1)
        if self.merged > MAX_MERGED:
            raise self.fail(f"合并单元格过大：合并区域 {ref} 等共覆盖超过 {MAX_MERGED:,} 个单元格的上限"
                            + raise_hint("JUESUAN_MAX_MERGED_CELLS"), a)


def _scan_sheet(zf: zipfile.ZipFile, part: str, sheet: _Sheet) -> None:
    r = 0
    c = 0
    row_has_value = False
    with zf.open(part) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == _NS + "row":
                    r = int(el.get("r") or r + 1)
                    c = 0
                    row_has_value = False
                continue
            if tag == _NS + "c":
                pos = _ref(el.get("r"))
                r, c = pos if pos else (r, c + 1)
                v = el.find(_NS + "v")
                inline = el.find(_NS + "is")
                has_value = (v is not None and v.text not in (None, "")) or inline is not None
                has_formula = el.find(_NS + "f") is not None
                sheet.cell(el.get("r") or f"R{r}C{c}", r, c, has_value, has_formula)
                row_has_value |= has_value
                el.clear()
            elif tag == _NS + "row":
                sheet.row(row_has_value, r)
                el.clear()
            elif tag == _NS + "mergeCell":
                sheet.merge(el.get("ref") or "")


def guard_workbook(path: Path) -> None:
    """Raise InputError when the .xlsx at ``path`` passes a limit or holds uncomputed formulas."""
    file = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, file)
            sheets = [(_Sheet(file, name), part) for name, part in _sheet_parts(zf)]
            for sheet, part in sheets:
                try:
                    _scan_sheet(zf, part, sheet)
                except ParseError as exc:
                    raise sheet.fail(f"工作表的 XML 已损坏，无法读取（第 {exc.position[0]} 行）") from None
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - zipfile, zlib and expat raise many types on a damaged file
        raise InputError("工作簿已损坏（压缩包不完整或内容无法解压），无法读取", Location(file=file)) from None
    problems = [("公式没有计算结果（文件中未保存公式的值）：请在 Excel 中打开、重新计算并保存，或填写数值",
                 Location(file=file, sheet=s.name, cell=ref)) for s, _ in sheets for ref in s.uncomputed[:50]]
    if problems:
        raise InputError(f"工作簿有 {len(problems)} 个公式单元格没有保存计算结果", Location(file=file), problems)
