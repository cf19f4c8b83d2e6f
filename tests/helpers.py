"""Small helpers for rule tests: mutate the mini dataset and see what fires."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.compute.derive import isum_printed
from juesuan.model.accounts import Dataset
from juesuan.model.findings import Finding
from juesuan.model.money import Interval
from juesuan.readers.yaml_io import parse_yaml
from juesuan.rules.engine import Context, Options, run_rules

MINI = Path(__file__).parent / "data" / "mini.yaml"


def mini_raw() -> dict[str, Any]:
    data, _ = parse_yaml(MINI.read_text(encoding="utf-8"), str(MINI))
    return copy.deepcopy(data)


def run(data: dict[str, Any] | Dataset, **opts: Any) -> list[Finding]:
    ds = data if isinstance(data, Dataset) else Dataset.model_validate(data)
    return run_rules(Context(ds, options=Options(**opts)))


def fired(mutate: Callable[[dict[str, Any]], None] | None = None, **opts: Any) -> set[str]:
    data = mini_raw()
    if mutate:
        mutate(data)
    return {f.rule for f in run(data, **opts)}


def printed(value: str) -> Interval:
    """The interval a printed figure stands for."""
    return Interval.printed(Decimal(value))


def agrees(parts: list[Decimal], total: str) -> bool:
    """The printed parts can add up to the printed total (rounding allowed)."""
    return isum_printed(parts).overlaps(printed(total))


def stated(ds: Dataset, table: str, row: str, column: str) -> Decimal:
    """The one stated figure with these keys."""
    hits = [s.value for s in ds.stated if (s.table, s.row, s.column) == (table, row, column)]
    assert len(hits) == 1, (table, row, column)
    return hits[0]
