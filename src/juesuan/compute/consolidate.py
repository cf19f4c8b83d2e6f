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


def _add(a: Any, b: Any, key: str = "") -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if type(a) is Decimal and type(b) is Decimal:  # most values: the short way
        return a + b
    if isinstance(a, bool) or isinstance(b, bool):
        return a
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        return a + b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _add(a.get(k), b.get(k), k) for k in dict.fromkeys([*a, *b])}
    if isinstance(a, list) and isinstance(b, list):
        if key in _KEYED_LISTS:
            rows = {r["code"]: r for r in a}
            for r in b:
                rows[r["code"]] = _add(rows.get(r["code"]), r, "")
            return list(rows.values())
        return a + b
    if isinstance(a, str):
        return a or b
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
    for m in members:
        if m.year != parent.year:
            raise ValueError(f"单位数据集“{m.department.name}”的年度 {m.year} 与部门年度 {parent.year} 不一致")
        data = _in_unit(m.model_dump(by_alias=True), m.unit, parent.unit)
        for k in _PARENT_ONLY:
            data.pop(k, None)
        data.pop("schema_", None)
        total = {k: (_add(v, data.get(k), k) if k not in _PARENT_ONLY else v) for k, v in total.items()}
    return Dataset.model_validate(total)
