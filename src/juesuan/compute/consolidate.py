"""部门汇总: the department's accounts as the sum of its budget units' accounts,
the way the official final-accounts software consolidates them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.model.accounts import Dataset
from juesuan.model.money import convert

# Lists merged row by row on their code; other lists are concatenated.
_KEYED_LISTS = {"expenditure", "basic_econ", "project_econ"}
# Keys that describe the document, not the money: the department's own values win.
_PARENT_ONLY = {"schema", "profile", "year", "unit", "department", "contact", "reasons", "texts",
                "last_year", "budget", "stated"}


class _Sum:
    """Adds dumped datasets into a running total in place: one pass over each member's figures.

    A dict is summed key by key (the total's keys first, then the member's new
    ones), amounts are added, a keyed list is merged row by row on ``code``
    (its index kept between members), any other list is extended, a text
    keeps the first non-empty one, anything else the total's value.
    """

    def __init__(self) -> None:
        self.rows: dict[int, dict[Any, Any]] = {}  # id of a keyed list in the total -> its rows by code

    def add(self, a: Any, b: Any, key: str = "") -> Any:
        if a is None:
            return b
        if b is None:
            return a
        ta = type(a)
        if ta is dict and type(b) is dict:
            add = self.add
            for k, v in b.items():
                x = a.get(k)
                a[k] = x + v if type(x) is Decimal and type(v) is Decimal else add(x, v, k)  # most values
            return a
        if ta is Decimal and type(b) is Decimal:
            return a + b
        if ta is str:
            return a or b
        if ta is list and type(b) is list:
            return self.merge(a, b) if key in _KEYED_LISTS else a + b
        if isinstance(a, bool) or isinstance(b, bool):
            return a
        if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
            return a + b
        return a

    def merge(self, a: list[Any], b: list[Any]) -> list[Any]:
        rows = self.rows.get(id(a))
        if rows is None:  # first met: index it (a code given twice is one row, as a dict keeps it)
            rows = {r["code"]: r for r in a}
            a[:] = rows.values()
            self.rows[id(a)] = rows
        add = self.add
        for r in b:
            code = r["code"]
            had = rows.get(code)
            if had is None:
                rows[code] = r
                a.append(r)
            else:
                add(had, r)
        return a


def _in_unit(data: dict[str, Any], src: Any, dst: Any) -> dict[str, Any]:
    """Re-express every amount of a dumped dataset in another unit."""
    if src == dst:
        return data

    def walk(v: Any) -> Any:
        if isinstance(v, Decimal):
            return convert(v, src, dst)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(data)


def consolidate(parent: Dataset, members: list[Dataset]) -> Dataset:
    """The parent's own figures plus every member's (amounts converted to the parent's unit).

    Year mismatches are not silently summed: a member of another year raises ValueError.
    Self-evaluation amounts are per project and are kept as they are.
    """
    total = parent.model_dump(by_alias=True)
    summed = [k for k in total if k not in _PARENT_ONLY]
    acc = _Sum()
    for m in members:
        if m.year != parent.year:
            raise ValueError(f"单位数据集“{m.department.name}”的年度 {m.year} 与部门年度 {parent.year} 不一致")
        data = _in_unit(m.model_dump(by_alias=True, exclude=_PARENT_ONLY, exclude_unset=True), m.unit, parent.unit)
        for k in summed:
            total[k] = acc.add(total[k], data.get(k), k)
    if isinstance(total.get("performance"), dict):
        total["performance"]["average_score"] = _average_score([parent, *members])
    return Dataset.model_validate(total)


def _average_score(datasets: list[Dataset]) -> Decimal | None:
    """自评平均得分 of the sum: the averages weighted by each one's self-evaluated projects
    (a score, not an amount: never summed, never converted); None where a weight is missing."""
    pairs = [(d.performance.average_score, d.performance.self_eval_projects) for d in datasets
             if d.performance.average_score is not None]
    if not pairs or any(not n for _, n in pairs):
        return None
    count = sum(n for _, n in pairs if n)
    places = max(-min(int(a.as_tuple().exponent), 0) for a, _ in pairs)
    return (sum((a * n for a, n in pairs if n), Decimal(0)) / count).quantize(Decimal(1).scaleb(-places))
