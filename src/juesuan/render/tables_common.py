"""Shared pieces of the standard-table builders: specs, cells, amounts, names.

A builder turns a dataset into a ``TableView`` in the official layout.  The
profile decides each table's printed number, title and note (Shanghai numbers
its nine tables differently from Inner Mongolia's eleven), so builders take a
``TableSpec``; ``DEFAULT_SPECS`` holds the seed's (公开01表 … 公开11表).

Amounts print in 万元, rounded half-up to two decimals; a zero amount prints
as a blank cell, as the published tables (Putuo 2024) do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from juesuan.compute.derive import stated_names
from juesuan.compute.stated import TABLE_NAMES
from juesuan.model.accounts import Dataset, ExpenditureLine
from juesuan.model.money import ZERO, Unit, convert, round2
from juesuan.render.blocks import Align, Cell, Row

UNIT_LABEL = "单位：万元"
HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class TableSpec:
    """How a profile prints one table: its id, number, title, note and options.

    ``empty`` is the "本表无数据" statement template ({org} = 编制单位);
    ``options`` holds layout switches (``counts`` for the 三公 统计数 rows,
    ``labels`` = "shanghai" for the Putuo wording of the 三公 headers …).
    """

    id: str
    number: str | None = None  # printed in the table's corner (公开01表); "" = none; None = default
    title: str = ""
    note: str = ""
    empty: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)


DEFAULT_TITLES: dict[str, str] = {k: v for k, v in TABLE_NAMES.items() if k.startswith("t")}

DEFAULT_NOTES: dict[str, str] = {
    "t01": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "t02": "注：本表反映部门本年度取得的各项收入情况。",
    "t03": "注：本表反映部门本年度各项支出情况。",
    "t04": "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
    "t05": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "t06": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "t07": "注：本表反映部门本年度一般公共预算财政拨款项目支出明细情况。",
    "t08": "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
    "t09": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    "t10": "注：本表反映部门本年度“三公”经费支出预决算情况。",
    "t11": "注：本表反映部门本年度机构运行经费支出、国有资产占用情况及政府采购支出情况。",
}

DEFAULT_EMPTY: dict[str, str] = {
    "t01": "本部门本年度无收入支出，故本表无数据。",
    "t02": "本部门本年度无收入，故本表无数据。",
    "t03": "本部门本年度无支出，故本表无数据。",
    "t04": "本部门本年度无财政拨款收支，故本表无数据。",
    "t05": "本部门本年度无一般公共预算财政拨款支出，故本表无数据。",
    "t06": "本部门本年度无一般公共预算财政拨款基本支出，故本表无数据。",
    "t07": "本部门本年度无一般公共预算财政拨款项目支出，故本表无数据。",
    "t08": "本部门本年度无政府性基金预算财政拨款收支，故本表无数据。",
    "t09": "本部门本年度无国有资本经营预算财政拨款收支，故本表无数据。",
    "t10": "本部门本年度无财政拨款“三公”经费支出，故本表无数据。",
    "t11": "本部门本年度无机构运行经费支出、国有资产占用及政府采购支出，故本表无数据。",
}

TABLE_IDS: tuple[str, ...] = tuple(DEFAULT_TITLES)

DEFAULT_SPECS: tuple[TableSpec, ...] = tuple(
    TableSpec(id=t, number=f"公开{t[1:]}表", title=DEFAULT_TITLES[t], note=DEFAULT_NOTES[t])
    for t in TABLE_IDS
)
"""The seed's numbering (Inner Mongolia, eleven tables in this order)."""


def as_spec(obj: Any) -> TableSpec:
    """A TableSpec from a TableSpec, a mapping or any object with id/number/title/note."""
    if isinstance(obj, TableSpec):
        return obj
    get = obj.get if isinstance(obj, Mapping) else lambda k, d=None: getattr(obj, k, d)
    opts = get("options", None) or {}
    # a profile's table has a list number (一、…) and a code (公开01表): the corner prints the code,
    # and a province whose tables carry no code (Shanghai) prints none
    code = get("code", None)
    number = code if code is not None else get("number", None)
    return TableSpec(
        id=str(get("id")),
        number=None if number is None else str(number),
        title=str(get("title", "") or ""),
        note=str(get("note", "") or ""),
        empty=str(get("empty", "") or ""),
        options=dict(opts),
    )


def complete_spec(spec: TableSpec) -> TableSpec:
    """Fill what a profile left out from the defaults."""
    return replace(
        spec,
        number=f"公开{spec.id[1:]}表" if spec.number is None else spec.number,
        title=spec.title or DEFAULT_TITLES.get(spec.id, ""),
        note=spec.note or DEFAULT_NOTES.get(spec.id, ""),
        empty=spec.empty or DEFAULT_EMPTY.get(spec.id, ""),
    )


def empty_statement(ds: Dataset, spec: TableSpec, org: str) -> str:
    """The statement printed under a table without data.

    A statement the dataset carries (``texts["t08.note"]``, as transcribed
    from a published table) wins over the profile's template.
    """
    for key in (f"{spec.id}.empty", f"{spec.id}.note"):
        text = ds.texts.get(key, "")
        if "无数据" in text:
            return text
    return spec.empty.replace("{org}", org)


# --- cells -----------------------------------------------------------------


def hcell(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    """A header cell: centred, bold."""
    return Cell(text, colspan=colspan, rowspan=rowspan, align="center", bold=True)


def tcell(text: str, colspan: int = 1, align: Align | None = None, indent: int = 0,
          bold: bool = False, rowspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align=align, indent=indent, bold=bold)


def acell(value: Decimal | None, colspan: int = 1, bold: bool = False) -> Cell:
    """An amount cell in 万元 (blank when zero or unknown)."""
    if value is None or value == 0:
        return Cell(None, colspan=colspan, align="right", bold=bold)
    return Cell(value, colspan=colspan, align="right", bold=bold, places=2)


def icell(value: int | None, colspan: int = 1) -> Cell:
    """A count cell (vehicles, trips): 0 prints as 0."""
    return Cell(value, colspan=colspan, align="right", places=0)


def wan(ds: Dataset, value: Decimal | None) -> Decimal:
    """An amount of the dataset in 万元, rounded half-up to two decimals."""
    if value is None:
        return ZERO
    return round2(convert(value, ds.unit, Unit.WAN))


# --- stated figures --------------------------------------------------------


def stated_value(ds: Dataset, table: str, row: str, column: str) -> Decimal | None:
    """A figure the source table printed (``Dataset.stated``), in 万元, if any."""
    loose = None
    for s in ds.stated:
        if s.table != table or s.row != row:
            continue
        if s.column == column:
            return wan(ds, s.value)
        loose = loose if loose is not None else s
    if loose is not None and column == "*":
        return wan(ds, loose.value)
    return None


def pick(ds: Dataset, table: str, row: str, column: str, computed: Decimal, parts: int) -> Decimal:
    """The figure to print for a subtotal: the stated one when the data allows it.

    Printed parts are rounded, so a stated subtotal within ``parts`` × 0.005 of
    the sum of the rounded parts is as right as that sum and often better (it
    was rounded from the unrounded figures: Putuo's 326.71 against 326.72).
    A stated figure further off is an error the checks report; the table
    prints the computed one.
    """
    stated = stated_value(ds, table, row, column)
    if stated is None:
        return computed
    if abs(stated - computed) <= HALF_CENT * max(parts, 1):
        return stated
    return computed


# --- function classification names ------------------------------------------


@lru_cache(maxsize=8)
def _code_list_names(kind: str, year: int) -> tuple[tuple[str, str], ...]:
    """(code, name) from ``juesuan.refdata.load_code_list`` when it is available."""
    try:
        from juesuan.refdata import load_code_list  # type: ignore[attr-defined]
    except ImportError:
        return ()
    try:
        found = load_code_list(kind, year)
    except Exception:  # noqa: BLE001 - a missing list must not stop a table
        return ()
    return tuple(_pairs(found))


def _pairs(found: Any) -> Iterable[tuple[str, str]]:
    if isinstance(found, Mapping):
        for k, v in found.items():
            name = v if isinstance(v, str) else getattr(v, "name", None) or (
                v.get("name") if isinstance(v, Mapping) else None)
            if name:
                yield str(k), str(name)
        return
    for item in found or ():
        if isinstance(item, Mapping):
            code, name = item.get("code"), item.get("name")
        elif isinstance(item, tuple | list) and len(item) >= 2:
            code, name = item[0], item[1]
        else:
            code, name = getattr(item, "code", None), getattr(item, "name", None)
        if code and name:
            yield str(code), str(name)


def func_names(ds: Dataset) -> dict[str, str]:
    """Names of 类/款 codes: the dataset's stated lines first, then the code list."""
    return {**dict(_code_list_names("func", ds.year)), **stated_names(ds)}


def econ_names(year: int) -> dict[str, str]:
    return dict(_code_list_names("econ", year))


# --- function-classification rows -----------------------------------------


def func_tree(items: list[ExpenditureLine]) -> list[tuple[str, list[tuple[str, list[ExpenditureLine]]]]]:
    """类 → 款 → 项 of the given 项 rows, in order of appearance."""
    tree: dict[str, dict[str, list[ExpenditureLine]]] = {}
    for item in items:
        tree.setdefault(item.code[:3], {}).setdefault(item.code[:5], []).append(item)
    return [(c, list(k.items())) for c, k in tree.items()]


def code_cells(code: str) -> tuple[Cell, Cell, Cell]:
    """The split 类 | 款 | 项 code columns of a function-classification row."""
    parts = (code[:3], code[3:5], code[5:7])
    return tuple(Cell(p or None, align="center") for p in parts)  # type: ignore[return-value]


def row_kind(level: int) -> str:
    return {1: "class", 2: "kuan", 3: "item"}[level]


Values = dict[int, tuple[Decimal, ...]]  # a 项's amounts, one per column, by id of the 项


def item_values(ds: Dataset, items: list[ExpenditureLine], columns: list[tuple[str, Any]]) -> Values:
    """Each 项's amount in every column (in 万元), computed once: the 款, 类 and total rows add
    these instead of asking every getter again for every 项 under them."""
    return {id(i): tuple(wan(ds, getter([i])) for _, getter in columns) for i in items}


def func_rows(
    ds: Dataset,
    table: str,
    items: list[ExpenditureLine],
    columns: list[tuple[str, Any]],
    values: Values | None = None,
) -> list[Row]:
    """类/款/项 rows for the given 项, one amount column per (key, getter).

    ``getter(lines) -> Decimal`` gives a column's amount (in the dataset's
    unit) for a list of 项; subtotals use a stated figure when ``pick`` allows.
    ``values`` are the 项's amounts (``item_values``) when the caller has them.
    """
    if values is None:
        values = item_values(ds, items, columns)
    names = func_names(ds)
    rows: list[Row] = []
    for cls, kuans in func_tree(items):
        cls_items = [i for _, lst in kuans for i in lst]
        rows.append(_func_row(ds, table, cls, names.get(cls, ""), cls_items, columns, 1, values))
        for kuan, lst in kuans:
            rows.append(_func_row(ds, table, kuan, names.get(kuan, ""), lst, columns, 2, values))
            for item in lst:
                rows.append(_func_row(ds, table, item.code, item.name, [item], columns, 3, values))
    return rows


def _column_sums(lines: list[ExpenditureLine], ncols: int, values: Values) -> list[Decimal]:
    sums = [ZERO] * ncols
    for i in lines:
        for k, v in enumerate(values[id(i)]):
            sums[k] += v
    return sums


def _func_row(ds: Dataset, table: str, code: str, name: str, lines: list[ExpenditureLine],
              columns: list[tuple[str, Any]], level: int, values: Values) -> Row:
    cells = [*code_cells(code), tcell(name, indent=level - 1)]
    for (key, _), value in zip(columns, _column_sums(lines, len(columns), values), strict=True):
        if level < 3:
            value = pick(ds, table, code, key, value, len(lines))
        cells.append(acell(value))
    return Row(tuple(cells), kind=row_kind(level))  # type: ignore[arg-type]


def func_total_row(ds: Dataset, table: str, items: list[ExpenditureLine],
                   columns: list[tuple[str, Any]], label: str = "合计", values: Values | None = None) -> Row:
    if values is None:
        values = item_values(ds, items, columns)
    cells = [tcell(label, colspan=4, align="center", bold=True)]
    for (key, _), value in zip(columns, _column_sums(items, len(columns), values), strict=True):
        cells.append(acell(pick(ds, table, "total", key, value, len(items)), bold=True))
    return Row(tuple(cells), kind="total")


def func_header(columns: list[str | tuple[str, list[str]]], depth: int = 3) -> tuple[Row, ...]:
    """The header of a function-classification table.

    Left block: 项目 over (支出功能分类科目编码 over 类|款|项) and 科目名称; then one
    entry per amount column: a label (spanning all header rows) or a group
    ``(label, sub-labels)`` whose sub-labels sit on the rows below.
    """
    first: list[Cell] = [hcell("项目", colspan=4)]
    second: list[Cell] = [hcell("支出功能分类科目编码", colspan=3), hcell("科目名称", rowspan=depth - 1)]
    third: list[Cell] = [hcell("类"), hcell("款"), hcell("项")]
    for col in columns:
        if isinstance(col, tuple):
            label, subs = col
            first.append(hcell(label, colspan=len(subs)))
            second.extend(hcell(s, rowspan=depth - 1) for s in subs)
        else:
            first.append(hcell(col, rowspan=depth))
    return (Row(tuple(first), "header"), Row(tuple(second), "header"), Row(tuple(third), "header"))
