"""Tables by function classification (类/款/项 rows): 02, 03, 05, 08, 09.

Each table picks the 项 it shows (those with something in its columns), so a
类 or 款 appears only when it has data, as in the published tables; 类 and 款
rows are subtotals of the 项 shown under them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from juesuan.model.accounts import (
    INCOME_FIELDS,
    AppropriationBalance,
    BasicProject,
    Dataset,
    ExpenditureLine,
    FundKind,
)
from juesuan.model.money import ZERO
from juesuan.render.blocks import Row, TableView
from juesuan.render.tables_common import (
    UNIT_LABEL,
    TableSpec,
    Values,
    acell,
    empty_statement,
    func_header,
    func_rows,
    func_total_row,
    item_values,
    pick,
    wan,
)

Getter = Callable[[list[ExpenditureLine]], Decimal]
Column = tuple[str, Getter]

FUNC_WIDTHS = (0.6, 0.6, 0.6, 3.2)


def _sum(lines: list[ExpenditureLine], fn: Callable[[ExpenditureLine], Decimal]) -> Decimal:
    return sum((fn(i) for i in lines), ZERO)


def _income(field: str) -> Getter:
    return lambda lines: _sum(lines, lambda i: getattr(i.row_income(), field))


def _spend(field: str) -> Getter:
    return lambda lines: _sum(lines, lambda i: getattr(i, field))


def _fund(kind: FundKind, part: str) -> Getter:
    def get(lines: list[ExpenditureLine]) -> Decimal:
        return _sum(lines, lambda i: getattr(i.funds().get(kind, BasicProject()), part))
    return get


def _view(ds: Dataset, spec: TableSpec, org: str, header: tuple[Row, ...], body: list[Row],
          empty: bool, ncols: int) -> TableView:
    return TableView(
        id=spec.id, number=spec.number, title=spec.title, org=org, unit_label=UNIT_LABEL,
        header=header, body=tuple(body), note=spec.note,
        empty_statement=empty_statement(ds, spec, org) if empty else "",
        widths=FUNC_WIDTHS + (1.2,) * ncols, landscape=ncols > 4,
    )


def _func_table(ds: Dataset, spec: TableSpec, org: str, labels: list, columns: list[Column],
                items: list[ExpenditureLine], total_first: bool) -> TableView:
    header = func_header(labels)
    values = item_values(ds, items, columns)
    rows = func_rows(ds, spec.id, items, columns, values)
    total = func_total_row(ds, spec.id, items, columns, values=values)
    body = [total, *rows] if total_first else [*rows, total]
    return _view(ds, spec, org, header, body, not items, len(columns))


def build_t02(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """收入决算表: income of each 项 by source."""
    keys = ["total", "appropriation", *[f for f in INCOME_FIELDS[3:]]]
    getters: list[Getter] = [
        lambda lines: _sum(lines, lambda i: i.row_income().total),
        lambda lines: _sum(lines, lambda i: i.row_income().appropriation),
        *[_income(f) for f in INCOME_FIELDS[3:]],
    ]
    labels = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
              "附属单位上缴收入", "其他收入"]
    items = [i for i in ds.items() if i.row_income().total != 0]
    first = spec.options.get("total_first", True)
    return _func_table(ds, spec, org, labels, list(zip(keys, getters, strict=True)), items, first)


def build_t03(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """支出决算表: spending of each 项 by kind."""
    fields = ["basic", "project", "to_superior", "operating", "affiliated"]
    columns: list[Column] = [("total", lambda lines: _sum(lines, lambda i: i.total))]
    columns += [(f, _spend(f)) for f in fields]
    labels = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    items = [i for i in ds.items() if i.total != 0]
    first = spec.options.get("total_first", True)
    return _func_table(ds, spec, org, labels, columns, items, first)


def build_t05(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """一般公共预算财政拨款支出决算表: 合计 | 基本支出 | 项目支出 (合计 row last)."""
    k = FundKind.GENERAL
    columns: list[Column] = [
        ("total", lambda lines: _fund(k, "basic")(lines) + _fund(k, "project")(lines)),
        ("basic", _fund(k, "basic")),
        ("project", _fund(k, "project")),
    ]
    labels: list = ["合计", "基本支出", "项目支出"]
    if spec.options.get("budget_column"):
        columns.insert(0, ("budget", lambda lines: _sum(lines, lambda i: i.budget or ZERO)))
        labels.insert(0, "年初预算数")
    items = [i for i in ds.items() if i.general().total != 0]
    first = spec.options.get("total_first", False)
    return _func_table(ds, spec, org, labels, columns, items, first)


def _fund_items(ds: Dataset, kind: FundKind) -> list[ExpenditureLine]:
    out = []
    for i in ds.items():
        spent = i.funds().get(kind, BasicProject()).total
        income = getattr(i.row_income(), _INCOME_OF[kind])
        balances = (i.fund_opening or ZERO) + (i.fund_closing or ZERO)
        if spent != 0 or income != 0 or (balances != 0 and kind in i.funds()):
            out.append(i)
    return out


_INCOME_OF = {FundKind.GENERAL: "general_budget", FundKind.GOV_FUND: "gov_fund",
              FundKind.STATE_CAPITAL: "state_capital"}


def _balance(kind: FundKind, which: str) -> Getter:
    """年初/年末结转和结余 of the 项 that belong to this fund."""
    def get(lines: list[ExpenditureLine]) -> Decimal:
        return _sum(lines, lambda i: (getattr(i, which) or ZERO) if kind in i.funds() else ZERO)
    return get


def build_fund_table(ds: Dataset, spec: TableSpec, org: str, kind: FundKind) -> TableView:
    """政府性基金 / 国有资本经营 收入支出决算表 (年初结转, 本年收入, 本年支出, 年末结转)."""
    sub = spec.options.get("subtotal_label", "小计")
    labels: list = ["年初结转和结余", "本年收入", ("本年支出", [sub, "基本支出", "项目支出"]),
                    "年末结转和结余"]
    columns: list[Column] = [
        ("opening", _balance(kind, "fund_opening")),
        ("income", _income(_INCOME_OF[kind])),
        ("total", lambda lines: _fund(kind, "basic")(lines) + _fund(kind, "project")(lines)),
        ("basic", _fund(kind, "basic")),
        ("project", _fund(kind, "project")),
        ("closing", _balance(kind, "fund_closing")),
    ]
    items = _fund_items(ds, kind)
    header = func_header(labels)
    values = item_values(ds, items, columns)
    rows = func_rows(ds, spec.id, items, columns, values)
    total = _fund_total_row(ds, spec.id, kind, items, columns, values)
    bal = ds.appropriation_balances.get(kind, AppropriationBalance())
    empty = not items and bal.opening == 0 and bal.closing == 0
    first = spec.options.get("total_first", False)
    body = [total, *rows] if first else [*rows, total]
    return _view(ds, spec, org, header, body, empty, len(columns))


def _fund_total_row(ds: Dataset, table: str, kind: FundKind, items: list[ExpenditureLine],
                    columns: list[Column], values: Values) -> Row:
    """合计: the fund's 结转和结余 from 04表's balances when the 项 do not carry them."""
    bal = ds.appropriation_balances.get(kind, AppropriationBalance())
    base = func_total_row(ds, table, items, columns, values=values)
    cells = list(base.cells)
    for idx, (key, _) in enumerate(columns, start=1):
        if key in ("opening", "closing"):
            stated = getattr(bal, key)
            if cells[idx].value in (None, ZERO) and stated:
                cells[idx] = acell(pick(ds, table, "total", key, wan(ds, stated), 1), bold=True)
    return Row(tuple(cells), kind="total")


def build_t08(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    return build_fund_table(ds, spec, org, FundKind.GOV_FUND)


def build_t09(ds: Dataset, spec: TableSpec, org: str) -> TableView:
    """国有资本经营预算财政拨款支出决算表 (seed), or 收入支出决算表 (Shanghai) by title."""
    if "收入支出" in spec.title or spec.options.get("with_balances"):
        return build_fund_table(ds, spec, org, FundKind.STATE_CAPITAL)
    k = FundKind.STATE_CAPITAL
    labels: list = [("本年支出", ["合计", "基本支出", "项目支出"])]
    columns: list[Column] = [
        ("total", lambda lines: _fund(k, "basic")(lines) + _fund(k, "project")(lines)),
        ("basic", _fund(k, "basic")),
        ("project", _fund(k, "project")),
    ]
    items = [i for i in ds.items() if i.funds().get(k, BasicProject()).total != 0]
    return _func_table(ds, spec, org, labels, columns, items, spec.options.get("total_first", False))


__all__ = ["build_t02", "build_t03", "build_t05", "build_t08", "build_t09"]
