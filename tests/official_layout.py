"""Writing a dataset's tables the way the national 决算 software exports them (test fixtures).

Not juesuan's template and not its 部门决算表.xlsx: sheets named Sheet1…, a title
row and an 编制单位/单位 line, multi-row merged headers, a 栏次 row of column
numbers, 类/款/项 split code columns whose 类 and 款 subtotal rows are left blank
("not given", as the instructions allow), 科目编码 joined in one column elsewhere,
the two-sided 基本支出 table with 人员经费 | 公用经费 blocks and its footer, the
三公 table as one data row under 预算数/决算数 pairs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from juesuan.model.accounts import FUND_LABELS, INCOME_LABELS, SPENDING_LABELS, Dataset, FundKind

_CN = "一二三四五六七八九十"


def _n(value: Decimal) -> float | None:
    return float(value) if value else None


def _top(ws: Worksheet, title: str, org: str, width: int) -> int:
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"编制单位：{org}")
    ws.cell(2, width, "单位：万元")
    return 3


def _column_numbers(ws: Worksheet, r: int, first: int, count: int, label: str | None = "栏次") -> None:
    if label:
        ws.cell(r, 1, label)
    for k in range(count):
        ws.cell(r, first + k, k + 1)


def totals(ws: Worksheet, ds: Dataset) -> None:
    r = _top(ws, "收入支出决算总表", ds.department.name, 4)
    ws.cell(r, 1, "收入")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(r, 3, "支出")
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)
    for j, text in enumerate(("项目", "决算数", "项目", "决算数"), start=1):
        ws.cell(r + 1, j, text)
    r += 2
    for i, (f, label) in enumerate(INCOME_LABELS.items()):
        ws.cell(r + i, 1, f"{_CN[i]}、{label}")
        ws.cell(r + i, 2, _n(getattr(ds.income, f)))
    r += len(INCOME_LABELS)
    b = ds.balances
    for left, lv, right, rv in (("本年收入合计", ds.income.total, "本年支出合计", sum((x.total for x in ds.expenditure if x.level == 3), Decimal(0))),
                                ("使用非财政拨款结余（含专用结余）", b.use_of_balance, "结余分配", b.distribution),
                                ("年初结转和结余", b.opening, "年末结转和结余", b.closing)):
        ws.cell(r, 1, left)
        ws.cell(r, 2, _n(lv))
        ws.cell(r, 3, right)
        ws.cell(r, 4, _n(rv))
        r += 1


def expenditure(ws: Worksheet, ds: Dataset) -> None:
    """支出决算表: 类/款/项 columns, 栏次 row, 合计 first, blank 类 and 款 rows."""
    fields = list(SPENDING_LABELS)
    r = _top(ws, "支出决算表", ds.department.name, 4 + len(fields))
    ws.cell(r, 1, "项目")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    ws.cell(r, 5, "本年支出合计")
    ws.merge_cells(start_row=r, start_column=5, end_row=r + 2, end_column=5)
    for k, f in enumerate(fields):
        ws.cell(r, 6 + k, SPENDING_LABELS[f])
        ws.merge_cells(start_row=r, start_column=6 + k, end_row=r + 2, end_column=6 + k)
    ws.cell(r + 1, 1, "支出功能分类科目编码")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=3)
    ws.cell(r + 1, 4, "科目名称")
    for j, text in enumerate(("类", "款", "项"), start=1):
        ws.cell(r + 2, j, text)
    _column_numbers(ws, r + 3, 5, 1 + len(fields))
    r += 4
    leaves = [x for x in ds.expenditure if x.level == 3]
    ws.cell(r, 1, "合计")
    ws.cell(r, 5, _n(sum((x.total for x in leaves), Decimal(0))))
    for k, f in enumerate(fields):
        ws.cell(r, 6 + k, _n(sum((getattr(x, f) for x in leaves), Decimal(0))))
    r += 1
    seen: set[str] = set()
    for line in leaves:
        for code in (line.code[:3], line.code[:5]):
            if code not in seen:  # the subtotal row, its figures left blank ("not given")
                seen.add(code)
                ws.cell(r, 1, code[:3])
                ws.cell(r, 2, code[3:5] or None)
                ws.cell(r, 4, next((x.name for x in ds.expenditure if x.code == code), code))
                r += 1
        ws.cell(r, 1, line.code[:3])
        ws.cell(r, 2, line.code[3:5])
        ws.cell(r, 3, line.code[5:])
        ws.cell(r, 4, line.name)
        ws.cell(r, 5, _n(line.total))
        for k, f in enumerate(fields):
            ws.cell(r, 6 + k, _n(getattr(line, f)))
        r += 1


def general(ws: Worksheet, ds: Dataset) -> None:
    """一般公共预算财政拨款支出决算表: 科目编码 joined, 7-digit rows, 合计 last."""
    r = _top(ws, "一般公共预算财政拨款支出决算表", ds.department.name, 5)
    for j, text in enumerate(("科目编码", "科目名称", "合计", "基本支出", "项目支出"), start=1):
        ws.cell(r, j, text)
    _column_numbers(ws, r + 1, 3, 3)
    r += 2
    for line in ds.expenditure:
        g = line.general()
        if line.level == 3 and g.total:
            for j, v in enumerate((line.code, line.name, _n(g.total), _n(g.basic), _n(g.project)), start=1):
                ws.cell(r, j, v)
            r += 1
    ws.cell(r, 1, "合计")


def basic_econ(ws: Worksheet, ds: Dataset) -> None:
    """The two-sided 基本支出决算明细表: 人员经费 | 公用经费, each 科目编码 | 科目名称 | 决算数."""
    r = _top(ws, "一般公共预算财政拨款基本支出决算明细表", ds.department.name, 6)
    for j, text in ((1, "人员经费"), (4, "公用经费")):
        ws.cell(r, j, text)
        ws.merge_cells(start_row=r, start_column=j, end_row=r, end_column=j + 2)
    for j, text in enumerate(("科目编码", "科目名称", "决算数") * 2, start=1):
        ws.cell(r + 1, j, text)
    r += 2
    sides: list[list[Any]] = [[], []]
    for e in ds.basic_econ:
        sides[0 if e.code[:3] in ("301", "303") else 1].append(e)
    for i in range(max(len(s) for s in sides)):
        for k, side in enumerate(sides):
            if i < len(side):
                e = side[i]
                ws.cell(r + i, 1 + 3 * k, e.code)
                ws.cell(r + i, 2 + 3 * k, e.name)
                ws.cell(r + i, 3 + 3 * k, None if len(e.code) == 3 else _n(e.amount))  # 类 rows blank
    r += max(len(s) for s in sides)
    ws.cell(r, 1, "人员经费合计")
    ws.cell(r, 3, _n(sum((e.amount for e in sides[0] if len(e.code) == 5), Decimal(0))))
    ws.cell(r, 4, "公用经费合计")
    ws.cell(r, 6, _n(sum((e.amount for e in sides[1] if len(e.code) == 5), Decimal(0))))


def three_public(ws: Worksheet, ds: Dataset) -> None:
    """The 三公 table: merged item headers, 预算数/决算数 pairs, 栏次 numbers, one data row."""
    tp = ds.three_public
    r = _top(ws, "财政拨款“三公”经费支出决算表", ds.department.name, 12)
    for j, text, span in ((1, "合计", 2), (3, "因公出国（境）费", 2), (5, "公务用车购置及运行费", 6),
                          (11, "公务接待费", 2)):
        ws.cell(r, j, text)
        ws.merge_cells(start_row=r, start_column=j, end_row=r + (0 if span == 6 else 1),
                       end_column=j + span - 1)
    for j, text in ((5, "小计"), (7, "公务用车购置费"), (9, "公务用车运行费")):
        ws.cell(r + 1, j, text)
        ws.merge_cells(start_row=r + 1, start_column=j, end_row=r + 1, end_column=j + 1)
    for j in range(6):
        ws.cell(r + 2, 1 + 2 * j, "预算数")
        ws.cell(r + 2, 2 + 2 * j, "决算数")
    _column_numbers(ws, r + 3, 1, 12, label=None)
    values = []
    for side in (tp.budget, tp.actual):
        values.append((side.total, side.abroad, side.vehicle, side.vehicle_purchase, side.vehicle_operation,
                       side.reception))
    for k in range(6):
        ws.cell(r + 4, 1 + 2 * k, _n(values[0][k]))
        ws.cell(r + 4, 2 + 2 * k, _n(values[1][k]))


def appropriation(ws: Worksheet, ds: Dataset) -> None:
    """财政拨款收入支出决算总表: 年初 balances by kind as rows, 年末 along the kind columns."""
    r = _top(ws, "财政拨款收入支出决算总表", ds.department.name, 7)
    for j, text in enumerate(("项目", "决算数", "项目", "合计", *FUND_LABELS.values()), start=1):
        ws.cell(r, j, text)
    r += 1
    bal = ds.appropriation_balances
    for i, label in enumerate(FUND_LABELS.values()):
        ws.cell(r + i, 1, f"{_CN[i]}、{label}")
    ws.cell(r + 3, 1, "本年收入合计")
    ws.cell(r + 4, 1, "年初财政拨款结转和结余")
    ws.cell(r + 4, 3, "年末财政拨款结转和结余")
    kinds = list(FundKind)
    for i, k in enumerate(kinds):
        row = bal.get(k) if bal else None
        ws.cell(r + 5 + i, 1, f"{_CN[i]}、{FUND_LABELS[k]}")
        ws.cell(r + 5 + i, 2, _n(row.opening) if row else None)
        ws.cell(r + 4, 5 + i, _n(row.closing) if row else None)
    ws.cell(r + 8, 1, "总计")


WRITERS = (totals, expenditure, general, basic_econ, three_public, appropriation)


def write_official(ds: Dataset, path: Path, order: tuple[int, ...] | None = None) -> Path:
    """The dataset's tables in the software's export layout, in sheets Sheet1… (``order``: which
    writer goes to which position, to show recognition does not depend on it)."""
    wb = Workbook()
    info = wb.active
    info.title = "基本信息"  # what the user fills beside the pasted tables
    for i, (label, value) in enumerate((("决算年度", ds.year), ("金额单位", "万元"), ("公开模板", ds.profile),
                                        ("部门名称", ds.department.name),
                                        ("联系人", ds.contact.person), ("联系电话", ds.contact.phone)), start=1):
        info.cell(i, 1, label)
        info.cell(i, 2, value)
    texts = wb.create_sheet("文字说明")
    for j, text in enumerate(("项目", "内容"), start=1):
        texts.cell(1, j, text)
    texts.append(("部门职能", ds.department.functions or "；".join(ds.department.duties)))
    units = wb.create_sheet("决算单位构成")
    units.append(("单位名称", "单位性质"))
    for u in ds.department.units:
        units.append((u.name, u.nature))
    for k, i in enumerate(order or range(len(WRITERS)), start=1):
        WRITERS[i](wb.create_sheet(f"Sheet{k}"), ds)
    wb.save(path)
    return path
