"""What a stated total (a 合计 row, a cell of a standard table) should be.

Keys: ``table`` is the table id (t01 … t10), ``row`` a code (function or
economic) or a named row, ``column`` a column key.  ``expected_figure`` returns
the figure the dataset implies, or None for a key it does not know.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute import derive as d
from juesuan.model.accounts import (
    INCOME_FIELDS,
    SPENDING_FIELDS,
    SPENDING_LABELS,
    AppropriationBalance,
    Dataset,
    EconKind,
    ExpenditureLine,
    FundKind,
    Income,
)
from juesuan.model.money import ZERO

TABLE_NAMES = {
    "t01": "收入支出决算总表",
    "t02": "收入决算表",
    "t03": "支出决算表",
    "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表",
    "t06": "一般公共预算财政拨款基本支出决算明细表",
    "t07": "一般公共预算财政拨款项目支出决算明细表",
    "t08": "政府性基金预算财政拨款收入支出决算表",
    "t09": "国有资本经营预算财政拨款支出决算表",
    "t10": "财政拨款“三公”经费支出决算表",
    "t11": "机构运行经费支出、国有资产占用情况及政府采购支出信息表",
    "procurement": "政府采购支出",
}
"""The standard tables by stable id (titles as the national set and the seed print them)."""


ROW_LABELS = {
    "total": "合计/总计",
    "income_total": "本年收入合计",
    "expenditure_total": "本年支出合计",
    "use_of_balance": "使用非财政拨款结余和专用结余",
    "opening": "年初结转和结余",
    "distribution": "结余分配",
    "closing": "年末结转和结余",
    "personnel": "人员经费合计",
    "public": "公用经费合计",
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
    **{f: Income.model_fields[f].description or f for f in INCOME_FIELDS},
}
COLUMN_LABELS = {
    "total": "合计",
    "amount": "决算数",
    "budget": "年初预算",
    "actual": "决算数",
    "last_year": "上年决算",
    "income": "收入",
    "expenditure": "支出",
    "appropriation": "财政拨款收入",
    "general": "一般公共预算财政拨款",
    "gov_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
    **SPENDING_LABELS,
    **{f: Income.model_fields[f].description or f for f in INCOME_FIELDS},
}


def row_label(row: str) -> str:
    return ROW_LABELS.get(row, row)


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


def _lines(ds: Dataset, row: str) -> list[ExpenditureLine] | None:
    if row == "total":
        return ds.items()
    if row.isdigit() and len(row) in (3, 5, 7):
        return [i for i in ds.items() if i.code.startswith(row)]
    return None


def _t01(ds: Dataset, row: str, column: str) -> Decimal | None:
    b = ds.balances
    named = {
        "income_total": ds.income.total,
        "expenditure_total": d.spending_total(ds),
        "use_of_balance": b.use_of_balance,
        "opening": b.opening,
        "distribution": b.distribution,
        "closing": b.closing,
    }
    if row == "total":
        return d.income_total_all(ds) if column != "expenditure" else d.expenditure_total_all(ds)
    if row in named:
        return named[row]
    if row in INCOME_FIELDS:
        return getattr(ds.income, row)
    lines = _lines(ds, row)
    return None if lines is None else d.dsum(i.total for i in lines)


def _t02(ds: Dataset, row: str, column: str) -> Decimal | None:
    lines = _lines(ds, row)
    if lines is None:
        return None
    incomes = [i.row_income() for i in lines]
    if column == "total":
        return d.dsum(x.total for x in incomes)
    if column == "appropriation":
        return d.dsum(x.appropriation for x in incomes)
    if column in INCOME_FIELDS:
        return d.dsum(getattr(x, column) for x in incomes)
    return None


def _t03(ds: Dataset, row: str, column: str) -> Decimal | None:
    lines = _lines(ds, row)
    if lines is None:
        return None
    if column == "total":
        return d.dsum(i.total for i in lines)
    if column in SPENDING_FIELDS:
        return d.dsum(getattr(i, column) for i in lines)
    return None


def _t04(ds: Dataset, row: str, column: str) -> Decimal | None:
    kinds = list(FundKind) if column == "total" else [k for k in FundKind if k.value == column]
    if not kinds:
        return None
    bal = [ds.appropriation_balances.get(k, AppropriationBalance()) for k in kinds]
    if row == "income_total":
        return d.dsum(d.appropriation_income(ds, k) for k in kinds)
    if row == "opening":
        return d.dsum(b.opening for b in bal)
    if row == "closing":
        return d.dsum(b.closing for b in bal)
    spend = d.dsum(d.fund_spending(ds, k).total for k in kinds)
    if row == "expenditure_total":
        return spend
    if row == "total":
        return spend + d.dsum(b.closing for b in bal)
    lines = _lines(ds, row)
    if lines is None:
        return None
    return d.dsum(i.funds().get(k).total for i in lines for k in kinds if i.funds().get(k))


def _t05(ds: Dataset, row: str, column: str) -> Decimal | None:
    lines = _lines(ds, row)
    if lines is None:
        return None
    if column == "budget":
        return d.dsum(i.budget or ZERO for i in lines)
    g = [i.general() for i in lines]
    if column in ("basic", "project"):
        return d.dsum(getattr(x, column) for x in g)
    if column == "total":
        return d.dsum(x.total for x in g)
    return None


def _econ(lines, row: str) -> Decimal | None:  # noqa: ANN001 - list of EconLine
    if row == "total":
        return d.dsum(e.amount for e in d.econ_kuan(lines))
    if row in ("personnel", "public"):
        kind = EconKind.PERSONNEL if row == "personnel" else EconKind.PUBLIC
        return d.econ_by_kind(lines)[kind]
    if row.isdigit() and len(row) in (3, 5):
        return d.dsum(e.amount for e in d.econ_kuan(lines) if e.code.startswith(row))
    return None


def _t10(ds: Dataset, row: str, column: str) -> Decimal | None:
    tp = ds.three_public
    block = {"budget": tp.budget, "actual": tp.actual, "last_year": tp.last_year}.get(column)
    if block is None:
        return None
    if row in ("total", "vehicle"):
        return getattr(block, row)
    if row in type(block).model_fields:
        return getattr(block, row)
    return None


def _procurement(ds: Dataset, row: str) -> Decimal | None:
    p = ds.procurement
    if row == "total":
        return p.total
    return getattr(p, row) if row in type(p).model_fields else None


def expected_figure(ds: Dataset, table: str, row: str, column: str) -> Decimal | None:
    """The figure the dataset implies for a stated cell, or None for an unknown key."""
    if table == "t01":
        return _t01(ds, row, column)
    if table == "t02":
        return _t02(ds, row, column)
    if table == "t03":
        return _t03(ds, row, column)
    if table == "t04":
        return _t04(ds, row, column)
    if table == "t05":
        return _t05(ds, row, column)
    if table == "t06":
        return _econ(ds.basic_econ, row)
    if table == "t07":
        return _econ(ds.project_econ, row)
    if table == "t10":
        return _t10(ds, row, column)
    if table == "procurement":
        return _procurement(ds, row)
    return None
