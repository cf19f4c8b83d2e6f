"""A workbook holding many budget units (a department's 部门汇总 export), split into one
workbook per unit that the ordinary reader reads.

A finance bureau gives the disclosures of all its units from one workbook: each unit's set
of the official tables, one sheet per table.  Sheet names are unique in a workbook, so the
sheet names tell the units apart: the table's name with the unit's name or number before or
after it (“普陀区财政局-收入决算表”, “2-收入决算表”, “收入决算表（普陀区财政局）”), or Excel's
own “收入决算表 (2)” that copying each unit's sheets into one workbook gives (the first
unit's sheets keep their plain names).  A unit's name is the one its tables print in their
title block (“编制单位：上海市普陀区财政局”, as the official tables do), else the one its
基本信息 sheet gives (read by the ordinary reader), else what its sheet names add.  A set of
sheets whose unit is named “…汇总” (“收入决算表（汇总）”) is the department's own: its name,
texts and contact are the department's, and it is not built as a unit (the 汇总 is computed
as the sum of the units, its own figures are not used).

A workbook is a many-unit one when at least one table appears for two units or more; a
single unit's workbook with numbered sheets (“1-收入决算表”, “2-支出决算表”) is not.

Each unit's sheets are copied — values and number formats, at the same cells and under the
same sheet names — into ``FOLDER/<unit>.xlsx``, and ``FOLDER/dataset.yaml`` lists them as
the department's units (``department.units[].accounts``): a finding then names the sheet
and cell as they are in the export, and the build of the department is the 汇总 of its units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.model.findings import Location
from juesuan.readers.errors import InputError

__all__ = ["UnitSheets", "is_multi_unit", "split_units", "unit_sheets"]

_MARK = re.compile(r"(?:编制单位|填报单位|单位名称|部门名称|编报单位)[:：]\s*(?P<name>.+?)\s*(?=(?:金额)?单位[:：]|$)")
_EDGE = " -_|｜.、·:：()（）[]【】"
_HEAD_ROWS = 5  # the title block: where a table prints its unit
_SUM = re.compile(r"[（(]?汇总[）)]?$")


@dataclass
class UnitSheets:
    key: str  # what the sheet names add to the tables' names ("" for plain names)
    sheets: list[str] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)  # the layout's tables these sheets are
    name: str | None = None  # the unit's name, as its title block prints it

    @property
    def is_sum(self) -> bool:
        return bool(_SUM.search(self.key) or _SUM.search(self.name or ""))


def _table_names() -> list[tuple[str, str]]:
    """(normalised name, table) for every name the workbook reader knows a sheet by, longest first."""
    from juesuan.readers import workbook_layout as L
    from juesuan.readers.workbook_cells import norm

    out: list[tuple[str, str]] = []
    for spec in (*L.GRIDS, *L.TABLES):
        out += [(norm(n), spec.name) for n in (spec.name, spec.title, *spec.aliases) if n]
    out.append((norm(L.TEXTS_SHEET), L.TEXTS_SHEET))
    return sorted(set(out), key=lambda x: -len(x[0]))


def _key(title: str, names: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(the unit's part of a sheet name, the table it is) or None for a sheet of no table."""
    from juesuan.readers.workbook_cells import norm

    t = norm(title)
    for n, table in names:
        if n and n in t:
            return t.replace(n, "", 1).strip(_EDGE), table
    return None


def _open(path: Path):  # noqa: ANN202 - openpyxl Workbook (read-only)
    from openpyxl import load_workbook

    from juesuan.readers.workbook_guard import guard_workbook

    guard_workbook(path)  # the limits first: nothing is unpacked that would not fit
    try:
        return load_workbook(str(path), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser failure means an unusable file
        raise InputError("工作簿已损坏或不是 Excel 工作簿，无法读取", Location(file=str(path))) from None


def _mark(ws) -> str | None:  # noqa: ANN001 - read-only worksheet
    for row in ws.iter_rows(min_row=1, max_row=_HEAD_ROWS, values_only=True):
        for value in row:
            if isinstance(value, str):
                m = _MARK.search(value.strip())
                if m and m.group("name").strip(_EDGE):
                    return m.group("name").strip(_EDGE)
    return None


def _groups(wb) -> list[UnitSheets]:  # noqa: ANN001 - read-only Workbook
    names = _table_names()
    groups: dict[str, UnitSheets] = {}
    for title in wb.sheetnames:
        found = _key(title, names)
        if found is None:
            continue
        key, table = found
        g = groups.setdefault(key, UnitSheets(key))
        g.sheets.append(title)
        g.tables.add(table)
    return list(groups.values())


def _many(groups: list[UnitSheets]) -> bool:
    seen: set[str] = set()
    for g in groups:
        if g.tables & seen:
            return True
        seen |= g.tables
    return False


def is_multi_unit(path: Path) -> bool:
    """Whether a workbook holds the tables of more than one unit (cheap: the sheet names only)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    try:
        wb = _open(path)
    except InputError:
        return False  # the reader says why, when the workbook is read
    try:
        return _many(_groups(wb))
    finally:
        wb.close()


def unit_sheets(path: Path) -> list[UnitSheets]:
    """The units of a many-unit workbook, each with its sheets and the name its tables print;
    [] for a workbook of one unit."""
    wb = _open(path)
    try:
        groups = _groups(wb)
        if not _many(groups):
            return []
        for g in groups:
            g.name = next((m for m in (_mark(wb[s]) for s in g.sheets) if m), None)
        return groups
    finally:
        wb.close()


def _copy(wb, sheets: list[str], target: Path) -> None:  # noqa: ANN001 - read-only Workbook
    """The sheets, values and number formats at the same cells, into a new workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    out = Workbook(write_only=True)
    for title in sheets:
        ws, new = wb[title], out.create_sheet(title)
        for row in ws.iter_rows(min_row=1, min_col=1):
            cells = []
            for c in row:
                value = getattr(c, "value", None)
                if value is None:
                    cells.append(None)
                    continue
                cell = WriteOnlyCell(new, value=value)
                cell.number_format = c.number_format
                cells.append(cell)
            new.append(cells)
    out.save(str(target))


def split_units(path: Path, folder: Path) -> Path | None:
    """Split a many-unit workbook into ``folder``: one workbook per unit and the department's
    ``dataset.yaml`` naming them; returns that dataset, or None for a workbook of one unit.
    Raises InputError naming the workbook when it cannot be read or split."""
    import yaml

    from juesuan.batch.district import safe_name
    from juesuan.cli.common import write_atomic
    from juesuan.readers.loader import load_dataset

    groups = unit_sheets(path)
    if not groups:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    wb = _open(path)
    units: list[dict[str, str]] = []
    first = parent = None
    try:
        for n, g in enumerate(groups):
            file = folder / (f"{n + 1:03d}.xlsx" if not g.is_sum else "汇总.xlsx")
            write_atomic(file, lambda tmp, g=g: _copy(wb, g.sheets, Path(tmp)))
            ds, _ = load_dataset(file)  # the ordinary reader: its findings name the sheet and cell
            if g.is_sum:
                parent = ds
                continue
            name = g.name or ds.department.name or g.key or f"单位{n + 1}"
            named = folder / f"{n + 1:03d}-{safe_name(name)}.xlsx"
            file.replace(named)
            first = first or ds
            units.append({"name": name, "accounts": named.name})
    finally:
        wb.close()
    names = [u["name"] for u in units]
    dup = next((x for x in names if names.count(x) > 1), None)
    if dup:
        raise InputError(f"工作簿中有两个单位同名“{dup}”：请在表头“编制单位：”或工作表名中区分",
                         Location(file=str(path)))
    if first is None:
        raise InputError("工作簿中只有汇总表，没有各单位的表", Location(file=str(path)))
    target = folder / "dataset.yaml"
    text = (f"# 部门汇总：由多单位工作簿 {path.name} 拆分，各单位工作簿在本文件夹中\n"
            + yaml.safe_dump(_department(path, first, parent, units), allow_unicode=True, sort_keys=False))
    write_atomic(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return target


def _department(path: Path, first: Any, parent: Any, units: list[dict[str, str]]) -> dict[str, Any]:
    """The department's dataset: its units named; its name, texts and contact from its own
    (汇总) sheets when the workbook has them, else named after the workbook; no figures of its own."""
    own = ({} if parent is None else
           parent.model_dump(mode="json", by_alias=True, exclude_defaults=True,
                             include={"department", "contact", "texts", "reasons"}))
    department = {**own.get("department", {"name": path.stem}), "units": units}
    return {"year": first.year, "unit": str(getattr(first.unit, "value", first.unit)),
            **({"profile": first.profile} if getattr(first, "profile", None) else {}),
            "department": department, **{k: v for k, v in own.items() if k != "department"}}
