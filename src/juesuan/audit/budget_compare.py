"""Across the two documents of a department-year: the budget (部门预算) and the final accounts (部门决算).

- ``initial_vs_budget``: the 决算's 年初预算 (each 项's ``budget``, the 三公 budget) against the
  budget as published, item by item — they should be the same figures;
- ``last_final_vs_budget``: last year's 决算 against this year's 预算 by function class, “三公”
  and 机关运行经费, the comparisons a reader wants (a table and a chart).

Pure computation over the two datasets (``model.accounts.Dataset``, ``model.budget.BudgetDataset``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.model.accounts import Dataset
from juesuan.model.budget import BudgetDataset
from juesuan.model.money import ZERO, Interval

__all__ = ["CompareRow", "initial_vs_budget", "last_final_vs_budget"]


@dataclass(frozen=True)
class CompareRow:
    code: str
    name: str
    left: Decimal | None  # the 决算's figure (its 年初预算, or last year's actual)
    right: Decimal | None  # the budget's figure

    @property
    def differs(self) -> bool:
        if self.left is None or self.right is None:
            return (self.left or ZERO) != (self.right or ZERO)
        return not Interval.printed(self.left).overlaps(Interval.printed(self.right))

    @property
    def diff(self) -> Decimal:
        return (self.right or ZERO) - (self.left or ZERO)


def _wan(v: Decimal | None, unit: str) -> Decimal | None:
    return None if v is None else (v.scaleb(-4) if unit == "元" else v)


def initial_vs_budget(budget: BudgetDataset, final: Dataset) -> list[CompareRow]:
    """Each 项 (and the “三公” items): the 决算's 年初预算 (一般公共预算财政拨款) beside the published
    budget's 一般公共预算 spending of the same code, in 万元."""
    bu, fu = budget.unit.value, final.unit.value
    b_items = {i.code: i for i in budget.items()}
    f_items = {i.code: i for i in final.items()}
    rows = []
    for code in sorted(set(b_items) | set(f_items)):
        f = f_items.get(code)
        b = b_items.get(code)
        if f is not None and f.budget is None and b is None:
            continue
        name = (b.name if b is not None else f.name) if (b or f) else code  # type: ignore[union-attr]
        left = _wan(f.budget, fu) if f is not None else None
        from juesuan.model.accounts import FundKind

        right = _wan(b.fund(FundKind.GENERAL).total, bu) if b is not None else None
        rows.append(CompareRow(code, name, left, right))
    tb, tf = budget.three_public.budget, final.three_public.budget
    for key, name in (("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                      ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费")):
        rows.append(CompareRow(f"三公.{key}", f"“三公”经费：{name}", _wan(getattr(tf, key), fu),
                               _wan(getattr(tb, key), bu)))
    return rows


def last_final_vs_budget(final: Dataset, budget: BudgetDataset) -> list[CompareRow]:
    """Last year's 决算 (actual spending) against this year's 预算: by function class, “三公” and
    机关运行经费, in 万元."""
    from juesuan.compute import derive as d

    bu, fu = budget.unit.value, final.unit.value
    f_classes: dict[str, Decimal] = {}
    names = {e.code: e.name for e in final.expenditure if e.level == 1}
    for i in final.items():
        f_classes[i.code[:3]] = f_classes.get(i.code[:3], ZERO) + i.total
    b_classes = {c: (n, t) for c, n, t in budget.classes()}
    rows = []
    for code in sorted(set(f_classes) | set(b_classes)):
        name = b_classes[code][0] if code in b_classes else names.get(code, code)
        rows.append(CompareRow(code, f"{name}（类）", _wan(f_classes.get(code), fu),
                               _wan(b_classes[code][1], bu) if code in b_classes else None))
    rows.append(CompareRow("三公", "“三公”经费", _wan(final.three_public.actual.total, fu),
                           _wan(budget.three_public.budget.total, bu)))
    oc = final.operating_cost.amount if final.operating_cost.amount is not None else d.operating_cost(final)
    rows.append(CompareRow("机关运行经费", "机关运行经费", _wan(oc, fu), _wan(budget.operating_cost.amount, bu)))
    return rows
