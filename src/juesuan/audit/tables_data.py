"""Recovered tables → the raw Dataset dict, with a Provenance of every figure.

``tables_to_data(tables: dict[str, RecoveredTable], recognition: Recognition)
-> tuple[dict[str, Any], Provenance, list[Skipped]]``

The dict has the keys of the YAML format (``examples/*/dataset.yaml``):
``expenditure`` (项 rows with their spending columns; 类/款 rows as stated
subtotal lines; ``income`` on a row where 收入决算表 differs from the spending;
``appropriation`` where 一般公共预算财政拨款支出决算表 differs), ``basic_econ`` /
``project_econ`` (类 and 款 rows with a figure), ``income``, ``balances``,
``appropriation_balances``, ``three_public`` and ``stated`` (every total a
table prints, keyed as in ``juesuan.compute.stated``), ``performance`` (the
self-evaluation tables) and ``texts`` (notes of empty tables).  Provenance
paths: ``expenditure[3].basic``, ``stated[12].value``, ``income.other`` …
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.audit.model import Cell, Recognition, RecoveredTable, Skipped
from juesuan.audit.tables_selfeval import self_evaluation_entry
from juesuan.model.accounts import INCOME_FIELDS, SPENDING_FIELDS
from juesuan.model.findings import Location, Provenance

_INCOME_COLS = {"appropriation": "general_budget", "superior_subsidy": "superior_subsidy", "business": "business",
                "operating": "operating", "affiliated": "affiliated", "other": "other"}
_TP_FIELDS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
_META = ("code", "name", "row", "side")


class _Out:
    def __init__(self, recognition: Recognition) -> None:
        self.data: dict[str, Any] = {}
        self.prov = Provenance()
        self.skipped: list[Skipped] = []
        self.stated: list[dict[str, Any]] = []
        if recognition.year:
            self.data["year"] = recognition.year
        if recognition.profile:
            self.data["profile"] = recognition.profile
        if recognition.department:
            self.data["department"] = {"name": recognition.department}

    def usable(self, cell: Cell | None, table: str) -> bool:
        """A figure the model can hold: a number, not negative (a negative amount is reported, not used)."""
        if cell is None or not isinstance(cell.value, Decimal):
            return False
        if cell.value < 0:
            self.skipped.append(Skipped(f"table.{table}", f"表中读到负数 {cell.value}：决算金额不应为负，此数未纳入核对",
                                        cell.location))
            return False
        return True

    def state(self, table: str, row: str, column: str, cell: Cell | None) -> None:
        if not self.usable(cell, table):
            return
        assert cell is not None and isinstance(cell.value, Decimal)
        k = len(self.stated)
        self.stated.append({"table": table, "row": row, "column": column, "value": cell.value})
        self.prov.set(f"stated[{k}].value", cell.location)
        self.prov.set(f"stated[{k}]", cell.location)

    def put(self, table: str, path: str, target: dict[str, Any], key: str, cell: Cell | None) -> None:
        if not self.usable(cell, table):
            return
        assert cell is not None
        target[key] = cell.value
        self.prov.set(path, cell.location)


def _val(row: dict[str, Cell], key: str) -> Decimal | None:
    cell = row.get(key)
    return cell.value if cell is not None and isinstance(cell.value, Decimal) else None


def _key(row: dict[str, Cell]) -> str:
    cell = row.get("code") or row.get("row")
    return str(cell.value) if cell else ""


def tables_to_data(tables: dict[str, RecoveredTable], recognition: Recognition
                   ) -> tuple[dict[str, Any], Provenance, list[Skipped]]:
    """The raw Dataset dict of the recovered tables, its Provenance, and what could not be used."""
    out = _Out(recognition)
    for tid, table in tables.items():
        for problem in table.problems:
            out.skipped.append(Skipped(f"table.{tid}", f"{table.title}：{problem}", table.location))
    _expenditure(out, tables)
    if "t01" in tables:
        _t01(out, tables["t01"])
    if "t04" in tables:
        _t04(out, tables["t04"])
    for tid, field in (("t06", "basic_econ"), ("t07", "project_econ")):
        if tid in tables:
            _econ(out, tables[tid], tid, field)
    if "t10" in tables:
        _t10(out, tables["t10"])
    for tid in ("t08", "t09"):
        table = tables.get(tid)
        if table is None:
            continue
        if table.empty_statement:
            out.data.setdefault("texts", {})[f"{tid}.note"] = table.empty_statement
        elif table.rows:
            out.skipped.append(Skipped(f"table.{tid}", f"{table.title}的数字尚未纳入核对", table.location))
    evals = []
    for tid, table in tables.items():
        if tid.startswith("se"):
            entry, locs = self_evaluation_entry(table)
            if not entry["funds"]:
                # its 年度资金总额 row not read: the model's zeros would stand for its money
                out.skipped.append(Skipped("performance", f"{table.title}：未读到资金（年度资金总额）一行，此表未纳入核对",
                                           table.location))
                continue
            base = f"performance.self_evaluations[{len(evals)}]"
            for sub, location in locs.items():
                out.prov.set(f"{base}.{sub}" if sub else base, location)
            evals.append(entry)
    if evals:
        out.data["performance"] = {"self_evaluations": evals}
    if out.stated:
        out.data["stated"] = out.stated
    return out.data, out.prov, out.skipped


def _spending(row: dict[str, Cell]) -> dict[str, Decimal]:
    return {f: v for f in SPENDING_FIELDS if (v := _val(row, f)) is not None}


def _expenditure(out: _Out, tables: dict[str, RecoveredTable]) -> None:
    t03, t02, t05 = tables.get("t03"), tables.get("t02"), tables.get("t05")
    source = t03 or t05
    if source is None:
        if t02 is not None:
            out.skipped.append(Skipped("table.t03", "未找到支出决算表：收入决算表的数字未能对应到支出", t02.location))
        return
    lines: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    tid = source.id
    for row in source.rows:
        code = row.get("code")
        if code is None:
            if _key(row) == "total":
                for col in ("total", *SPENDING_FIELDS):
                    out.state(tid, "total", col, row.get(col))
            continue
        i = len(lines)
        entry: dict[str, Any] = {"code": code.value, "name": row["name"].value}
        out.prov.set(f"expenditure[{i}]", code.location)
        for f in SPENDING_FIELDS:
            out.put(tid, f"expenditure[{i}].{f}", entry, f, row.get(f))
        if len(str(code.value)) < 7:
            out.state(tid, str(code.value), "total", row.get("total"))
        index[str(code.value)] = i
        lines.append(entry)
    if t02 is not None:
        _income_rows(out, t02, lines, index)
    if t05 is not None and t03 is not None:
        printed = {_key(r): r for r in t02.rows if "code" in r} if t02 is not None else {}
        _general_rows(out, t05, lines, index, printed)
    if lines:
        out.data["expenditure"] = lines


def _income_rows(out: _Out, t02: RecoveredTable, lines: list[dict[str, Any]], index: dict[str, int]) -> None:
    for row in t02.rows:
        key = _key(row)
        if "code" not in row:
            if key == "total":
                for col in ("total", *_INCOME_COLS):
                    out.state("t02", "total", col, row.get(col))
            continue
        i = index.get(key)
        if i is None:
            out.skipped.append(Skipped("table.t02", f"收入决算表的科目 {key} 不在支出决算表中", row["code"].location))
            continue
        entry = lines[i]
        income = {f: v for col, f in _INCOME_COLS.items() if (v := _val(row, col)) is not None}
        spend = sum((entry.get(f, Decimal(0)) for f in ("basic", "project")), Decimal(0))
        rest = sum((entry.get(f, Decimal(0)) for f in SPENDING_FIELDS[2:]), Decimal(0))
        implied = {"general_budget": spend, "other": rest}
        if all(income.get(f, Decimal(0)) == implied.get(f, Decimal(0)) for f in INCOME_FIELDS):
            continue
        entry["income"] = {}
        for col, f in _INCOME_COLS.items():
            out.put("t02", f"expenditure[{i}].income.{f}", entry["income"], f, row.get(col))
        out.state("t02", key, "total", row.get("total"))


def _general_rows(out: _Out, t05: RecoveredTable, lines: list[dict[str, Any]], index: dict[str, int],
                  income_rows: dict[str, dict[str, Cell]]) -> None:
    """Rows of 一般公共预算财政拨款支出决算表 that differ from 支出决算表: the line's 财政拨款 split.

    The line's income is then no longer implied by its spending: the 收入决算表 row
    (``income_rows``) gives it.  Without one, a split above the line's spending
    would imply a negative income: it is reported (Skipped) and not used.
    """
    for row in t05.rows:
        key = _key(row)
        if "code" not in row:
            if key == "total":
                for col in ("total", "basic", "project"):
                    out.state("t05", "total", col, row.get(col))
            continue
        if len(key) < 7:
            out.state("t05", key, "total", row.get("total"))
        i = index.get(key)
        if i is None:
            out.skipped.append(Skipped("table.t05", f"一般公共预算支出表的科目 {key} 不在支出决算表中",
                                       row["code"].location))
            continue
        entry = lines[i]
        basic, project = _val(row, "basic") or Decimal(0), _val(row, "project") or Decimal(0)
        if basic == entry.get("basic", Decimal(0)) and project == entry.get("project", Decimal(0)):
            continue
        general: dict[str, Any] = {}
        out.put("t05", f"expenditure[{i}].appropriation.general.basic", general, "basic", row.get("basic"))
        out.put("t05", f"expenditure[{i}].appropriation.general.project", general, "project", row.get("project"))
        if "income" not in entry and key in income_rows:
            entry["income"] = {}
            for col, f in _INCOME_COLS.items():
                out.put("t02", f"expenditure[{i}].income.{f}", entry["income"], f, income_rows[key].get(col))
        spending = sum((entry.get(f, Decimal(0)) for f in SPENDING_FIELDS), Decimal(0))
        funds = sum(general.values(), Decimal(0))
        if "income" not in entry and funds > spending:
            out.skipped.append(Skipped(
                "table.t05", f"科目 {key} 的一般公共预算财政拨款支出 {funds} 大于支出决算表中该科目的支出 {spending}，"
                "又无收入决算表可对照，其收入无从推算：此行未纳入核对", row["code"].location))
            continue
        entry["appropriation"] = {"general": general}
    _absent_from_general(out, t05, lines, index, income_rows)


def _absent_from_general(out: _Out, t05: RecoveredTable, lines: list[dict[str, Any]], index: dict[str, int],
                         income_rows: dict[str, dict[str, Cell]]) -> None:
    """A 项 of 支出决算表 that 一般公共预算财政拨款支出决算表 does not print had no 一般公共预算
    funding (a 229 彩票公益金 line is 政府性基金): its general split is 0, not its spending."""
    printed = {_key(r) for r in t05.rows if "code" in r}
    if not printed:
        return
    for code, i in index.items():
        entry = lines[i]
        if len(code) != 7 or code in printed or "appropriation" in entry:
            continue
        entry["appropriation"] = {"general": {"basic": Decimal(0), "project": Decimal(0)}}
        if "income" not in entry and code in income_rows:
            entry["income"] = {}
            for col, f in _INCOME_COLS.items():
                out.put("t02", f"expenditure[{i}].income.{f}", entry["income"], f, income_rows[code].get(col))


def _t01(out: _Out, table: RecoveredTable) -> None:
    income: dict[str, Any] = {}
    balances: dict[str, Any] = {}
    has_kinds = any(_key(r) in ("general_budget", "gov_fund", "state_capital") for r in table.rows)
    for row in table.rows:
        key, side, cell = _key(row), str(row["side"].value), row.get("amount")
        if "code" in row:
            out.state("t01", key, "amount", cell)
        elif key in INCOME_FIELDS:
            out.put("t01", f"income.{key}", income, key, cell)
        elif key == "appropriation" and not has_kinds:
            out.put("t01", "income.general_budget", income, "general_budget", cell)
        elif key in ("use_of_balance", "opening", "distribution", "closing"):
            out.put("t01", f"balances.{key}", balances, key, cell)
        elif key in ("income_total", "expenditure_total"):
            out.state("t01", key, "amount", cell)
        elif key == "total":
            out.state("t01", "total", "income" if side == "left" else "expenditure", cell)
    if income:
        out.data["income"] = income
    if balances:
        out.data["balances"] = balances


def _t04(out: _Out, table: RecoveredTable) -> None:
    bal: dict[str, dict[str, Any]] = {}
    kinds = ("general", "gov_fund", "state_capital")
    for row in table.rows:
        key, side = _key(row), str(row["side"].value)
        if side == "left":
            if key.startswith("opening."):
                kind = key.split(".", 1)[1]
                out.put("t04", f"appropriation_balances.{kind}.opening", bal.setdefault(kind, {}), "opening", row.get("total"))
                out.state("t04", "opening", kind, row.get("total"))
            elif key in ("income_total", "opening", "total"):
                out.state("t04", key, "total", row.get("total"))
            elif key in ("general_budget", "gov_fund", "state_capital"):
                out.state("t04", "income_total", {"general_budget": "general"}.get(key, key), row.get("total"))
            continue
        for col in ("total", *kinds):
            out.state("t04", key, col, row.get(col))
        if key == "closing":
            for kind in kinds:
                out.put("t04", f"appropriation_balances.{kind}.closing", bal.setdefault(kind, {}), "closing", row.get(kind))
    bal = {k: v for k, v in bal.items() if v}
    if bal:
        out.data["appropriation_balances"] = bal


def _econ(out: _Out, table: RecoveredTable, tid: str, field: str) -> None:
    items: list[dict[str, Any]] = []
    for row in table.rows:
        cell = row.get("amount")
        if "code" not in row:
            out.state(tid, _key(row), "amount", cell)
            continue
        if not out.usable(cell, tid):
            continue
        assert cell is not None
        i = len(items)
        items.append({"code": row["code"].value, "name": row["name"].value, "amount": cell.value})
        out.prov.set(f"{field}[{i}]", row["code"].location)
        out.prov.set(f"{field}[{i}].amount", cell.location)
    if items:
        out.data[field] = items


def _blanks_as_zero(row: dict[str, Cell]) -> dict[str, Cell]:
    """A printed “三公” row leaves its zeros blank (Putuo 2024 p.18 prints “0.95 0.95” and
    nothing under 决算数): once the row prints any figure, a blank total is 0, located at the row."""
    figures = [c for k, c in row.items() if "." in k and isinstance(c.value, Decimal)]
    if not figures:
        return row
    out = dict(row)
    for kind in ("budget", "actual"):
        key = f"{kind}.total"
        if key not in out and not any(k.startswith(f"{kind}.") for k in row):
            out[key] = Cell(Decimal("0.00"), figures[0].location)
    return out


def _t10(out: _Out, table: RecoveredTable) -> None:
    tp: dict[str, Any] = {}
    for row in table.rows:
        if _key(row) == "counts":
            out.skipped.append(Skipped("table.t10", "“三公”经费表的统计数行尚未读取", row["name"].location))
            continue
        row = _blanks_as_zero(row)
        for kind in ("budget", "actual"):
            block: dict[str, Any] = {}
            for f in _TP_FIELDS:
                out.put("t10", f"three_public.{kind}.{f}", block, f, row.get(f"{kind}.{f}"))
            if block:
                tp[kind] = block
            out.state("t10", "total", kind, row.get(f"{kind}.total"))
            out.state("t10", "vehicle", kind, row.get(f"{kind}.vehicle"))
    if tp:
        out.data["three_public"] = tp


def location_of(prov: Provenance, path: str) -> Location:
    """The recorded location of a model path (convenience for callers and tests)."""
    return prov.get(path)
