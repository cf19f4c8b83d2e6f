"""Figures that follow from the dataset: totals, subtotals, shares, changes.

One place computes each derived figure; the checks, the narrative and the
tables all read them from here.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from juesuan.model.accounts import (
    SPENDING_FIELDS,
    BasicProject,
    Dataset,
    EconKind,
    EconLine,
    ExpenditureLine,
    FundKind,
)
from juesuan.model.money import HUNDRED, ZERO, Interval, isum


def dsum(values) -> Decimal:  # noqa: ANN001 - any iterable of Decimal
    return sum(values, ZERO)


@dataclass(frozen=True)
class Node:
    """A 类 or 款 (or the whole) with the summed columns of its 项."""

    code: str
    name: str
    items: tuple[ExpenditureLine, ...]

    def col(self, field: str) -> Decimal:
        return dsum(getattr(i, field) for i in self.items)

    @property
    def total(self) -> Decimal:
        return dsum(i.total for i in self.items)

    def general(self) -> BasicProject:
        return BasicProject(
            basic=dsum(i.general().basic for i in self.items),
            project=dsum(i.general().project for i in self.items),
        )

    def fund(self, kind: FundKind) -> BasicProject:
        parts = [i.funds().get(kind, BasicProject()) for i in self.items]
        return BasicProject(basic=dsum(p.basic for p in parts), project=dsum(p.project for p in parts))

    @property
    def budget(self) -> Decimal:
        return dsum(i.budget or ZERO for i in self.items)


def stated_names(dataset: Dataset) -> dict[str, str]:
    """Names of 类/款 rows as the dataset states them."""
    return {e.code: e.name for e in dataset.expenditure if e.level < 3}


def hierarchy(dataset: Dataset, class_names: dict[str, str] | None = None) -> list[tuple[Node, list[tuple[Node, list[ExpenditureLine]]]]]:
    """类 → 款 → 项, in the order the 项 appear, with names from the data or the code list."""
    names = {**(class_names or {}), **stated_names(dataset)}
    tree: OrderedDict[str, OrderedDict[str, list[ExpenditureLine]]] = OrderedDict()
    for item in dataset.items():
        tree.setdefault(item.code[:3], OrderedDict()).setdefault(item.code[:5], []).append(item)
    out = []
    for cls_code, kuans in tree.items():
        cls_items = tuple(i for lst in kuans.values() for i in lst)
        kuan_nodes = [
            (Node(k, names.get(k, ""), tuple(lst)), lst) for k, lst in kuans.items()
        ]
        out.append((Node(cls_code, names.get(cls_code, ""), cls_items), kuan_nodes))
    return out


def spending_total(dataset: Dataset) -> Decimal:
    """本年支出合计."""
    return dsum(i.total for i in dataset.items())


def spending_by_kind(dataset: Dataset) -> dict[str, Decimal]:
    return {f: dsum(getattr(i, f) for i in dataset.items()) for f in SPENDING_FIELDS}


def income_total_all(dataset: Dataset) -> Decimal:
    """收入总计."""
    b = dataset.balances
    return dataset.income.total + b.use_of_balance + b.opening


def expenditure_total_all(dataset: Dataset) -> Decimal:
    """支出总计."""
    b = dataset.balances
    return spending_total(dataset) + b.distribution + b.closing


def fund_spending(dataset: Dataset, kind: FundKind) -> BasicProject:
    parts = [i.funds().get(kind, BasicProject()) for i in dataset.items()]
    return BasicProject(basic=dsum(p.basic for p in parts), project=dsum(p.project for p in parts))


def appropriation_spending(dataset: Dataset) -> Decimal:
    """本年财政拨款支出 (all three budget kinds)."""
    return dsum(fund_spending(dataset, k).total for k in FundKind)


def appropriation_income(dataset: Dataset, kind: FundKind) -> Decimal:
    return {
        FundKind.GENERAL: dataset.income.general_budget,
        FundKind.GOV_FUND: dataset.income.gov_fund,
        FundKind.STATE_CAPITAL: dataset.income.state_capital,
    }[kind]


def appropriation_total(dataset: Dataset) -> Decimal:
    """财政拨款收支总计 = 年初财政拨款结转和结余 + 本年财政拨款收入."""
    opening = dsum(b.opening for b in dataset.appropriation_balances.values())
    return opening + dataset.income.appropriation


def econ_kuan(lines: list[EconLine]) -> list[EconLine]:
    """The 款 rows (5-digit), or the 类 rows where no 款 is given under them."""
    kuan = [e for e in lines if e.level == 2]
    covered = {e.code[:3] for e in kuan}
    return kuan + [e for e in lines if e.level == 1 and e.code not in covered]


def econ_by_kind(lines: list[EconLine]) -> dict[EconKind, Decimal]:
    out = {k: ZERO for k in EconKind}
    for e in econ_kuan(lines):
        out[e.econ_kind()] += e.amount
    return out


def econ_classes(lines: list[EconLine]) -> OrderedDict[str, list[EconLine]]:
    """款 rows grouped under their 类 code, in order."""
    out: OrderedDict[str, list[EconLine]] = OrderedDict()
    for e in econ_kuan(lines):
        out.setdefault(e.code[:3], []).append(e)
    return out


def econ_amount(lines: list[EconLine], code: str) -> Decimal:
    return dsum(e.amount for e in econ_kuan(lines) if e.code == code)


def operating_cost(dataset: Dataset) -> Decimal:
    """机构运行经费: stated, or the 公用经费 of general-budget basic spending."""
    if dataset.operating_cost.amount is not None:
        return dataset.operating_cost.amount
    return econ_by_kind(dataset.basic_econ)[EconKind.PUBLIC]


def share(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole as a percentage (0 when the whole is 0)."""
    return ZERO if whole == 0 else part / whole * HUNDRED


def change_pct(this: Decimal, last: Decimal) -> Decimal:
    """(this − last) ÷ last as a percentage (0 when last is 0)."""
    return ZERO if last == 0 else (this - last) / last * HUNDRED


def completion(actual: Decimal, budget: Decimal) -> Decimal | None:
    """actual ÷ budget as a percentage; None when there was no budget."""
    return None if budget == 0 else actual / budget * HUNDRED


def isum_printed(values) -> Interval:  # noqa: ANN001 - iterable of Decimal
    """The interval of a sum of printed figures (each at its own precision)."""
    return isum([Interval.printed(v) for v in values])
