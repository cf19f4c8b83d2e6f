"""The budget workbook (部门预算数据工作簿): ``juesuan template --kind budget`` writes it, the loader reads it.

One sheet per part of ``model.budget.BudgetDataset``; a sheet “说明” whose first cell names
the workbook as a budget (that is how the loader tells it from the final accounts'
workbook).  Every figure keeps its sheet and cell for the findings.  The layout is data
(``SHEETS``): the writer and the reader walk the same lists.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from juesuan.model.budget import BUDGET_INCOME_LABELS, BudgetDataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

__all__ = ["is_budget_workbook", "read_budget_workbook", "write_budget_template"]

MARK = "部门预算数据工作簿"

# key/value sheets: (label, model path)
INFO = [("文档类型", "kind"), ("预算年度", "year"), ("金额单位（万元或元）", "unit"), ("公开样式", "profile"),
        ("部门名称", "department.name"), ("主要职能", "department.functions"),
        ("机构设置及预算单位构成", "department.structure"), ("联系人", "contact.person"), ("联系电话", "contact.phone")]
AMOUNTS = ([(label, f"income.{f}") for f, label in BUDGET_INCOME_LABELS.items()]
           + [("上年结转：一般公共预算拨款", "carryover.general_budget"), ("上年结转：政府性基金预算拨款", "carryover.gov_fund"),
              ("上年结转：国有资本经营预算拨款", "carryover.state_capital"), ("上年结转：财政专户管理资金和单位资金", "carryover.other"),
              ("年终结转结余", "closing"),
              ("“三公”：因公出国（境）费", "three_public.budget.abroad"),
              ("“三公”：公务用车购置费", "three_public.budget.vehicle_purchase"),
              ("“三公”：公务用车运行维护费", "three_public.budget.vehicle_operation"),
              ("“三公”：公务接待费", "three_public.budget.reception"),
              ("会议费", "three_public.meetings"), ("培训费", "three_public.training"),
              ("机关运行经费", "operating_cost.amount"),
              ("政府采购：货物", "procurement.goods"), ("政府采购：工程", "procurement.works"),
              ("政府采购：服务", "procurement.services"),
              ("上年预算：收支总计", "last_year.total"), ("上年预算：本年支出合计", "last_year.expenditure"),
              ("上年预算：财政拨款收支总计", "last_year.appropriation_total"),
              ("上年预算：一般公共预算支出", "last_year.general_expenditure"),
              ("上年预算：“三公”因公出国（境）费", "three_public.last_year.abroad"),
              ("上年预算：“三公”公务用车购置费", "three_public.last_year.vehicle_purchase"),
              ("上年预算：“三公”公务用车运行维护费", "three_public.last_year.vehicle_operation"),
              ("上年预算：“三公”公务接待费", "three_public.last_year.reception"),
              ("上年预算：会议费", "three_public.meetings_last_year"), ("上年预算：培训费", "three_public.training_last_year"),
              ("上年预算：机关运行经费", "operating_cost.last_year"),
              ("绩效目标：整体支出涉及资金", "performance.whole_amount"), ("绩效目标：项目个数", "performance.projects"),
              ("绩效目标：项目涉及资金", "performance.projects_amount"),
              ("车辆总数（辆）", "assets.vehicles_total"), ("单价100万元（含）以上设备（台、套）", "assets.equipment_1m")])
COUNTS = {"performance.projects", "assets.vehicles_total", "assets.equipment_1m"}
# row sheets: (sheet, list path, [(column header, field)])
ROWS = [
    ("支出", "expenditure", [("科目编码", "code"), ("科目名称", "name"), ("基本支出", "basic"), ("其中：人员经费", "personnel"),
                           ("其中：公用经费", "public"), ("项目支出", "project"), ("事业单位经营支出", "operating"),
                           ("上缴上级支出", "to_superior"), ("对附属单位补助支出", "affiliated"), ("上年预算数", "last_year")]),
    ("基本支出经济分类", "basic_econ", [("科目编码", "code"), ("科目名称", "name"), ("金额", "amount")]),
]
TEXT_FIELDS = {"kind", "profile", "unit", "code", "name"}


def is_budget_workbook(path: Path) -> bool:
    """Whether an .xlsx file is the budget workbook (its 说明 sheet says so); never raises."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False
    try:
        if "说明" not in wb.sheetnames:
            return False
        first = next(wb["说明"].iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), (None,))[0]
        return isinstance(first, str) and MARK in first
    finally:
        wb.close()


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _put(data: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _plain(v: Any) -> Any:
    return float(v) if isinstance(v, Decimal) else v


def write_budget_template(path: str | Path, dataset: BudgetDataset | None = None) -> None:
    """The budget workbook: blank (with instructions) or filled from ``dataset``."""
    from openpyxl import Workbook

    data = dataset.model_dump(mode="python", by_alias=True, exclude_unset=True) if dataset is not None else {}
    if dataset is not None:
        data["kind"], data["year"] = dataset.kind, dataset.year
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    for line in (f"{MARK}（juesuan）", "每个工作表对应预算公开的一部分，金额单位见“基本信息”表（默认万元）。",
                 "“支出”表每行一个功能分类科目：项级（7 位编码）填金额，类、款级（3、5 位）可只填名称。",
                 "“金额”表填收入、结转、“三公”经费、机关运行经费、政府采购和各项上年预算数；不适用的留空。",
                 "填好后用 juesuan check 检查，用 juesuan build 生成部门预算公开文档。"):
        ws.append([line])
    ws.column_dimensions["A"].width = 90
    info = wb.create_sheet("基本信息")
    info.append(["项目", "内容"])
    for label, key in INFO:
        value = _get(data, key) if data else {"kind": "预算", "unit": "万元", "profile": "national"}.get(key)
        info.append([label, _plain(value.value if hasattr(value, "value") else value)])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 28, 80
    amounts = wb.create_sheet("金额")
    amounts.append(["项目", "金额"])
    for label, key in AMOUNTS:
        amounts.append([label, _plain(_get(data, key))])
    amounts.column_dimensions["A"].width = 40
    for sheet, key, cols in ROWS:
        s = wb.create_sheet(sheet)
        s.append([h for h, _ in cols])
        for row in data.get(key, []) if data else []:
            s.append([_plain(row.get(f)) for _, f in cols])
        s.column_dimensions["B"].width = 36
    wb.save(str(path))


def _value(raw: Any, field: str, where: Location, problems: list) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if field in TEXT_FIELDS or field.startswith(("department.", "contact.")):
        return str(raw).strip() if not isinstance(raw, float) or field != "code" else str(int(raw))
    if field == "year" or field in COUNTS:
        try:
            return int(raw)
        except (TypeError, ValueError):
            problems.append((f"“{raw}”不是整数", where))
            return None
    try:
        if isinstance(raw, float | int):  # a number cell: Excel keeps no trailing zeros, amounts have at least two
            v = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
            return v.quantize(Decimal("0.01")) if v.as_tuple().exponent > -2 else v  # type: ignore[operator]
        return Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        problems.append((f"“{raw}”不是数字", where))
        return None


def read_budget_workbook(path: Path) -> tuple[BudgetDataset, Provenance]:
    from openpyxl import load_workbook

    file = str(path)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"无法读取工作簿：{exc}", Location(file=file)) from None
    prov = Provenance(Location(file=file))
    problems: list[tuple[str, Location]] = []
    data: dict[str, Any] = {}
    try:
        for sheet, pairs in (("基本信息", INFO), ("金额", AMOUNTS)):
            if sheet not in wb.sheetnames:
                raise InputError(f"工作簿缺少工作表“{sheet}”", Location(file=file))
            keys = dict(pairs)
            for r, row in enumerate(wb[sheet].iter_rows(min_row=2, max_col=2, values_only=True), start=2):
                label = str(row[0]).strip() if row and row[0] is not None else ""
                if label not in keys:
                    continue
                where = Location(file=file, sheet=sheet, cell=f"B{r}")
                value = _value(row[1] if len(row) > 1 else None, keys[label], where, problems)
                if value is not None:
                    _put(data, keys[label], value)
                    prov.set(keys[label], where)
        for sheet, key, cols in ROWS:
            if sheet not in wb.sheetnames:
                continue
            rows = []
            for r, row in enumerate(wb[sheet].iter_rows(min_row=2, max_col=len(cols), values_only=True), start=2):
                if not row or all(v is None or str(v).strip() == "" for v in row):
                    continue
                item = {}
                for c, ((_, field), raw) in enumerate(zip(cols, row, strict=False)):
                    where = Location(file=file, sheet=sheet, cell=f"{chr(65 + c)}{r}")
                    value = _value(raw, field, where, problems)
                    if value is not None:
                        item[field] = value
                        prov.set(f"{key}[{len(rows)}].{field}", where)
                prov.set(f"{key}[{len(rows)}]", Location(file=file, sheet=sheet, cell=f"A{r}"))
                rows.append(item)
            data[key] = rows
    finally:
        wb.close()
    if problems:
        raise InputError(f"预算工作簿有 {len(problems)} 处错误", Location(file=file), problems)
    data.setdefault("kind", "预算")
    try:
        return BudgetDataset.model_validate(data), prov
    except ValidationError as exc:
        from juesuan.readers.yaml_io import validation_problems

        found = validation_problems(exc, prov)
        raise InputError(f"预算数据集有 {len(found)} 处错误", Location(file=file), found) from None
