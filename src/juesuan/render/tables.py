"""The standard public tables (公开表) of a disclosure as ``TableView`` blocks.

``build_tables(dataset, ["t01", …], org)`` builds each table in its official
layout; the profile feeds the printed numbers, titles and notes with
``specs`` (anything with ``id``, ``number``, ``title``, ``note``; see
``TableSpec``), and ``DEFAULT_SPECS`` gives the seed's (公开01表 … 公开11表).
The renderers (xlsx, docx, HTML, PDF) only format what is built here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from juesuan.model.accounts import Dataset
from juesuan.render.blocks import TableView
from juesuan.render.tables_common import (
    DEFAULT_SPECS,
    TABLE_IDS,
    TableSpec,
    as_spec,
    complete_spec,
)
from juesuan.render.tables_econ import build_t06, build_t07
from juesuan.render.tables_func import build_t02, build_t03, build_t05, build_t08, build_t09
from juesuan.render.tables_misc import build_t10, build_t11
from juesuan.render.tables_totals import build_t01, build_t04

Builder = Callable[[Dataset, TableSpec, str], TableView]

BUILDERS: dict[str, Builder] = {
    "t01": build_t01,
    "t02": build_t02,
    "t03": build_t03,
    "t04": build_t04,
    "t05": build_t05,
    "t06": build_t06,
    "t07": build_t07,
    "t08": build_t08,
    "t09": build_t09,
    "t10": build_t10,
    "t11": build_t11,
}


def build_table(dataset: Dataset, spec: TableSpec | Any, org: str) -> TableView:
    """One table by its spec (a TableSpec, a mapping or an object with id/number/title/note)."""
    s = complete_spec(as_spec(spec))
    try:
        builder = BUILDERS[s.id]
    except KeyError:
        raise ValueError(f"未知的决算表编号“{s.id}”：可用 {', '.join(TABLE_IDS)}") from None
    return builder(dataset, s, org)


def build_tables(
    dataset: Dataset,
    table_ids: list[str] | None = None,
    org: str = "",
    specs: Iterable[TableSpec | Any] | None = None,
) -> list[TableView]:
    """The tables ``table_ids`` (default: every table of ``specs``) in that order.

    ``org`` is the 编制单位 (default: the department's name).  A table id
    without a spec gets the default number, title and note.
    """
    by_id = {s.id: s for s in (as_spec(x) for x in (specs or DEFAULT_SPECS))}
    ids = list(table_ids) if table_ids is not None else list(by_id)
    org = org or dataset.department.name
    return [build_table(dataset, by_id.get(t, TableSpec(id=t)), org) for t in ids]


__all__ = ["BUILDERS", "DEFAULT_SPECS", "TableSpec", "build_table", "build_tables"]
