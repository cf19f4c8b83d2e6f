"""What a stated total (a 合计 row, a cell of a standard table) should be.

Keys: ``table`` is the table id (t01 … t10), ``row`` a code (function or
economic) or a named row, ``column`` a column key.  ``expected_figure`` returns
the figure the dataset implies, or None for a key it does not know.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
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


class _Sums:
    """The columns of the 项 rows under one code (or of all of them), summed."""

    __slots__ = ("count", "spending", "total", "income", "income_total", "income_appropriation",
                 "funds", "general", "budget")

    def __init__(self) -> None:
        self.count = 0
        self.spending = dict.fromkeys(SPENDING_FIELDS, ZERO)
        self.total = ZERO
        self.income = dict.fromkeys(INCOME_FIELDS, ZERO)
        self.income_total = ZERO
        self.income_appropriation = ZERO
        self.funds = dict.fromkeys(FundKind, ZERO)  # 财政拨款支出 by budget kind (rows that have it)
        self.general = {"basic": ZERO, "project": ZERO, "total": ZERO}
        self.budget = ZERO

    def add(self, line: ExpenditureLine, sign: int = 1) -> None:
        """Add one 项 row's columns (``sign`` -1: take them away again).

        The row's income and fund split are read as ``row_income`` and ``funds``
        read them, without building their models (this runs for every row).
        """
        op = operator.add if sign > 0 else operator.sub
        self.count += sign
        spending, total = self.spending, ZERO
        for f in SPENDING_FIELDS:
            v = getattr(line, f)
            spending[f] = op(spending[f], v)
            total += v
        self.total = op(self.total, total)
        appr = line.appropriation
        if appr is None:
            fund_totals = {FundKind.GENERAL: line.basic + line.project}
            g_basic, g_project = line.basic, line.project
        else:
            fund_totals = {k: bp.total for k, bp in appr.items()}
            g = appr.get(FundKind.GENERAL)
            g_basic, g_project = (g.basic, g.project) if g is not None else (ZERO, ZERO)
        inc = line.income
        if inc is None:  # as ExpenditureLine.row_income: the fund split, the rest 其他收入
            values = dict.fromkeys(INCOME_FIELDS, ZERO)
            values["general_budget"] = fund_totals.get(FundKind.GENERAL, ZERO)
            values["gov_fund"] = fund_totals.get(FundKind.GOV_FUND, ZERO)
            values["state_capital"] = fund_totals.get(FundKind.STATE_CAPITAL, ZERO)
            values["other"] = total - sum((fund_totals.get(k, ZERO) for k in FundKind), ZERO)
        else:
            values = {f: getattr(inc, f) for f in INCOME_FIELDS}
        income = self.income
        for f in INCOME_FIELDS:
            income[f] = op(income[f], values[f])
        self.income_total = op(self.income_total, sum((values[f] for f in INCOME_FIELDS), ZERO))
        self.income_appropriation = op(self.income_appropriation, values["general_budget"]
                                       + values["gov_fund"] + values["state_capital"])
        for k, v in fund_totals.items():
            self.funds[k] = op(self.funds[k], v)
        general = self.general
        general["basic"] = op(general["basic"], g_basic)
        general["project"] = op(general["project"], g_project)
        general["total"] = op(general["total"], g_basic + g_project)
        self.budget = op(self.budget, line.budget or ZERO)


_EMPTY = _Sums()


def sum_keys(line: ExpenditureLine) -> tuple[str, ...]:
    """The keys whose sums a 项 row is part of: the whole, its 类, its 款 and itself."""
    return ("total", line.code[:3], line.code[:5], line.code)


class StatedFigures:
    """What the stated figures of one dataset should be, from one pass over its 项 rows.

    ``expected(table, row, column)`` is ``expected_figure`` without summing the
    dataset again for every figure (an audited 1,000-row document states
    thousands).  The 项 rows must change only through ``update`` while this is
    used (the sums follow them); the rest of the dataset is read as it is.
    ``seen``, when a set, collects the keys whose sums were read (which figures
    depend on which rows: ``compute.balance`` uses it).
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self._sums: dict[str, _Sums] | None = None
        self.seen: set[str] | None = None

    def _all(self) -> dict[str, _Sums]:
        if self._sums is None:
            self._sums = {"total": _Sums()}
            for line in self.ds.items():
                for key in sum_keys(line):
                    if key not in self._sums:
                        self._sums[key] = _Sums()
                    self._sums[key].add(line)
        return self._sums

    def sums(self, row: str) -> _Sums | None:
        """The sums of the 项 rows under ``row`` (a 3/5/7-digit code or ``total``); None for another key."""
        sums = self._all()
        if self.seen is not None:
            self.seen.add(row)
        if row == "total" or (row.isdigit() and len(row) in (3, 5, 7)):
            return sums.get(row, _EMPTY)
        return None

    def update(self, line: ExpenditureLine, change: Callable[[], None]) -> None:
        """Run ``change``, which alters the 项 row ``line``, and bring the sums up to date."""
        sums = self._all()
        keys = sum_keys(line)
        for key in keys:
            sums[key].add(line, -1)
        change()
        for key in keys:
            sums[key].add(line)

    def count(self, row: str) -> int:
        """How many 项 rows a code covers (all of them for ``total``)."""
        sums = self.sums(row)
        return sums.count if sums is not None else 0

    def expected(self, table: str, row: str, column: str) -> Decimal | None:
        """The figure the dataset implies for a stated cell, or None for an unknown key."""
        ds = self.ds
        if table in ("t01", "t02", "t03", "t04", "t05"):
            return _TABLES[table](ds, self, row, column)
        if table == "t06":
            return _econ(ds.basic_econ, row)
        if table == "t07":
            return _econ(ds.project_econ, row)
        if table == "t10":
            return _t10(ds, row, column)
        if table == "procurement":
            return _procurement(ds, row)
        return None


def _t01(ds: Dataset, sf: StatedFigures, row: str, column: str) -> Decimal | None:
    b = ds.balances
    if row == "total":
        if column != "expenditure":
            return d.income_total_all(ds)
        return sf.sums("total").total + b.distribution + b.closing
    named = {
        "income_total": lambda: ds.income.total,
        "expenditure_total": lambda: sf.sums("total").total,
        "use_of_balance": lambda: b.use_of_balance,
        "opening": lambda: b.opening,
        "distribution": lambda: b.distribution,
        "closing": lambda: b.closing,
    }
    if row in named:
        return named[row]()
    if row in INCOME_FIELDS:
        return getattr(ds.income, row)
    sums = sf.sums(row)
    return None if sums is None else sums.total


def _t02(ds: Dataset, sf: StatedFigures, row: str, column: str) -> Decimal | None:
    sums = sf.sums(row)
    if sums is None:
        return None
    if column == "total":
        return sums.income_total
    if column == "appropriation":
        return sums.income_appropriation
    if column in INCOME_FIELDS:
        return sums.income[column]
    return None


def _t03(ds: Dataset, sf: StatedFigures, row: str, column: str) -> Decimal | None:
    sums = sf.sums(row)
    if sums is None:
        return None
    if column == "total":
        return sums.total
    if column in SPENDING_FIELDS:
        return sums.spending[column]
    return None


def _t04(ds: Dataset, sf: StatedFigures, row: str, column: str) -> Decimal | None:
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
    spend = d.dsum(sf.sums("total").funds[k] for k in kinds)
    if row == "expenditure_total":
        return spend
    if row == "total":
        return spend + d.dsum(b.closing for b in bal)
    sums = sf.sums(row)
    if sums is None:
        return None
    return d.dsum(sums.funds[k] for k in kinds)


def _t05(ds: Dataset, sf: StatedFigures, row: str, column: str) -> Decimal | None:
    sums = sf.sums(row)
    if sums is None:
        return None
    if column == "budget":
        return sums.budget
    if column in ("basic", "project", "total"):
        return sums.general[column]
    return None


_TABLES = {"t01": _t01, "t02": _t02, "t03": _t03, "t04": _t04, "t05": _t05}


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
    """The figure the dataset implies for a stated cell, or None for an unknown key.

    One figure; for many figures of one dataset use ``StatedFigures(ds).expected``.
    """
    return StatedFigures(ds).expected(table, row, column)
