"""Project self-evaluation tables (项目支出绩效自评表): rows of cells → SelfEvaluation dicts.

Real tables lose their merged cells: the 一级/二级 indicator labels appear
once and the rows below leave them empty, sometimes shifted by a cell, and
words are broken by spaces or line breaks (“年初预 算数”, “绩效指 标”).  So a
row is read by meaning, not by position: the 性质 cell (正向/反向/定性) splits
it; before it, the last text is the indicator's name and any earlier text a
一级 or 二级 label (carried down to the following rows); after it, the last
two numbers are 分值 and 得分, and the text between is direction, target,
actual and unit.  A 二级 label missing at a change of 一级 is taken from the
next row that prints one.

``recover_self_evaluations(doc) -> list[RecoveredTable]`` (tab-separated text
rows, Word or HTML table rows, or PDF words placed in the cells the table's
ruling lines draw: ``pdf_grid``); ``self_evaluation_entry(table) -> (dict, {subpath:
Location})`` for ``performance.self_evaluations``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Cell, RecoveredTable
from juesuan.audit.tables_grid import fold, to_decimal
from juesuan.model.findings import Location

_TITLE = re.compile(r"^#*\**(.+?)项目支出绩效自评表\**(?:\(\d{4}年度?\))?$")
_NATURES = ("正向", "反向", "定性")
_DIRECTIONS = ("大于等于", "小于等于", "等于", "大于", "小于")
_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
_FUND_ROWS = (("年度资金总额", "funds"), ("其中", "appropriation"), ("财政拨款", "appropriation"),
              ("上年结转", "carryover"), ("其他资金", "other_funds"))
_FUND_COLS = (("年初预算", "initial_budget"), ("全年预算", "annual_budget"), ("全年执行", "executed"),
              ("分值", "weight"), ("执行率", "rate"), ("得分", "score"))
_FUND_COL_WORDS = tuple(w for w, _ in _FUND_COLS)  # one str.startswith call per cell
_FUND_ROW_WORDS = tuple(w for w, _ in _FUND_ROWS)


def _cells(text: str, cells: tuple[str, ...]) -> list[str]:
    raw = cells or tuple(text.split("\t"))
    return [fold(c).strip("*#") for c in raw]


def _title(text: str) -> str | None:
    norm = fold(text.replace("\t", ""))
    m = _TITLE.match(norm)
    return m.group(1).strip("#* ") if m and len(norm) < 80 else None


def recover_self_evaluations(doc: SourceDoc) -> list[RecoveredTable]:
    """Every self-evaluation table of the document, in order."""
    starts = [(i, t) for i, line in enumerate(doc.lines) if "绩效自评表" in line.text
              and (t := _title(line.text)) is not None]
    out: list[RecoveredTable] = []
    for k, (start, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(doc.lines)
        table = RecoveredTable(f"se{k + 1}", f"{name}项目支出绩效自评表", doc.lines[start].location(doc.path))
        _read(doc, start + 1, end, table)
        out.append(table)
    return out


class _Locs:
    """The Location of each line, built once: a table row asks for its line's location once
    per cell, and Location is frozen, so the cells of a line can share one."""

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.memo: dict[int, Location] = {}

    def __call__(self, li: int) -> Location:
        loc = self.memo.get(li)
        if loc is None:
            loc = self.memo[li] = self.doc.lines[li].location(self.doc.path)
        return loc


def _rows(doc: SourceDoc, start: int, end: int) -> list[tuple[int, list[str], list[int]]]:
    """(line index, cells, line index of each cell) of the table's rows."""
    if doc.kind == "pdf":
        from juesuan.audit.pdf_grid import grid_rows

        rows = grid_rows(doc, start, end)
        if rows is not None:
            return rows
    out = []
    for li in range(start, end):
        line = doc.lines[li]
        cells = _cells(line.text, line.cells)
        out.append((li, cells, [li] * len(cells)))
    return out


def _read(doc: SourceDoc, start: int, end: int, table: RecoveredTable) -> None:
    fund_cols: list[str] = []
    level1 = level2 = ""
    pending: list[dict[str, Cell]] = []  # indicators waiting for a 二级 label
    goal_next = False
    loc_of = _Locs(doc)
    for li, cells, lis in _rows(doc, start, end):
        full = [c for c in cells if c]
        if not full:
            continue
        loc = loc_of(li)
        full_locs = [loc_of(lis[i]) for i, c in enumerate(cells) if c]
        head = full[0]
        if goal_next and not any(c in _NATURES for c in full) and "一级指标" not in "".join(full):
            table.rows.append({"row": Cell("goal", loc), "goal": Cell(full[0], loc),
                               "achieved": Cell(full[1] if len(full) > 1 else "", loc)})
            goal_next = False
            continue
        if head.startswith("项目名称") and len(full) > 1:
            table.rows.append({"row": Cell("name", loc), "name": Cell(full[1], loc)})
        elif head.startswith("主管部门"):
            row = {"row": Cell("units", loc), "department": Cell(full[1] if len(full) > 1 else "", loc)}
            if "实施单位" in full and full.index("实施单位") + 1 < len(full):
                row["implementer"] = Cell(full[full.index("实施单位") + 1], loc)
            table.rows.append(row)
        elif head.startswith("项目资金") or sum(c.startswith(_FUND_COL_WORDS) for c in full) >= 3:
            cols = [key for c in full for word, key in _FUND_COLS if c.startswith(word)]
            if len(cols) >= 3:
                fund_cols = cols
            elif not fund_cols:  # header words broken over lines (PDF): the standard order
                fund_cols = [key for _, key in _FUND_COLS]
            if head.startswith("项目资金") and len(full) > 1 and full[1].startswith(_FUND_ROW_WORDS):
                # a PDF row: the merged 项目资金 label sits in the first fund row
                _fund_row(table, full[1:], full_locs[1:], fund_cols, loc)
        elif head.startswith("年度总体目标"):
            if len(full) >= 3:  # goal and achievement in the same row (PDF grid)
                table.rows.append({"row": Cell("goal", loc), "goal": Cell(full[1], loc),
                                   "achieved": Cell(full[2], loc)})
            else:
                goal_next = True
        elif head.startswith("总分"):
            nums = [(c, full_locs[i + 1]) for i, c in enumerate(full[1:]) if to_decimal(c) is not None]
            if nums:
                table.rows.append({"row": Cell("total", loc), "score": Cell(to_decimal(nums[-1][0]), nums[-1][1])})
            break
        elif any(c in _NATURES for c in full):
            row, l1, l2 = _indicator(cells, loc, [loc_of(x) for x in lis])
            if l1 and l1 != level1:
                level1, level2 = l1, ""
            if l2:
                level2 = l2
                for p in pending:
                    p["level2"] = Cell(l2, p["level2"].location)
                pending.clear()
            row["level1"] = Cell(level1, loc)
            row["level2"] = Cell(level2, loc)
            if not level2:
                pending.append(row)
            table.rows.append(row)
        elif fund_cols:
            _fund_row(table, full, full_locs, fund_cols, loc)
    if not any(r["row"].value == "total" for r in table.rows):
        table.problems.append("未找到“总分”行")


def _fund_row(table: RecoveredTable, full: list[str], full_locs: list[Location], fund_cols: list[str],
              loc: Location) -> None:
    head = full[0]
    kind = next((k for word, k in _FUND_ROWS if head.startswith(word)), None)
    if kind is None or any(r["row"].value == f"funds.{kind}" for r in table.rows):
        return
    row = {"row": Cell(f"funds.{kind}", loc)}
    for key, text, where in zip(fund_cols, full[1:], full_locs[1:], strict=False):
        row[key] = Cell(to_decimal(text), where)
    table.rows.append(row)


def _indicator(cells: list[str], loc: Location, locs: list[Location] | None = None
               ) -> tuple[dict[str, Cell], str, str]:
    at = next(i for i, c in enumerate(cells) if c in _NATURES)
    locs = locs or [loc] * len(cells)
    before = [c for c in cells[:at] if c and c != "绩效指标"]
    name = before[-1] if before else ""
    labels = before[:-1]
    l1 = next((c for c in labels if c in _LEVEL1), "")
    l2 = next((c for c in labels if c not in _LEVEL1), "")
    after = cells[at + 1:]
    nums = [i for i, c in enumerate(after) if c and to_decimal(c) is not None]
    row: dict[str, Cell] = {"row": Cell("indicator", loc), "name": Cell(name, loc),
                            "nature": Cell(cells[at], loc)}
    if len(nums) >= 2:
        w, s = nums[-2], nums[-1]
        # 分值 and 得分 are the last two numbers that stand together (target/actual may be numbers too)
        middle = [c for c in after[:w] if c]
        row["weight"] = Cell(to_decimal(after[w]), locs[at + 1 + w])
        row["score"] = Cell(to_decimal(after[s]), locs[at + 1 + s])
        deviation = "".join(c for c in after[s + 1:] if c)
    else:
        middle = [c for c in after if c]
        deviation = ""
    if middle and middle[0] in _DIRECTIONS:
        row["direction"] = Cell(middle.pop(0), loc)
    for key, text in zip(("target", "actual", "unit"), middle, strict=False):
        row[key] = Cell(text, loc)
    if deviation:
        row["deviation"] = Cell(deviation, loc)
    return row, l1, l2


def self_evaluation_entry(table: RecoveredTable) -> tuple[dict[str, Any], dict[str, Location]]:
    """A ``SelfEvaluation`` dict and the locations of its figures (paths relative to the entry)."""
    entry: dict[str, Any] = {"name": table.title.removesuffix("项目支出绩效自评表")}
    locs: dict[str, Location] = {"": table.location}
    indicators: list[dict[str, Any]] = []
    unweighted = 0  # indicators whose 分值 was not read
    for row in table.rows:
        kind = str(row["row"].value)
        if kind == "name":
            entry["name"] = row["name"].value
        elif kind == "units":
            for key in ("department", "implementer"):
                if key in row:
                    entry[key] = row[key].value
        elif kind == "goal":
            entry["goal"], entry["achieved"] = row["goal"].value, row["achieved"].value
        elif kind.startswith("funds."):
            block = kind.split(".", 1)[1]
            fund = {k: row[k].value for k in ("initial_budget", "annual_budget", "executed")
                    if k in row and isinstance(row[k].value, Decimal)}
            entry[block] = fund
            for k in fund:
                locs[f"{block}.{k}"] = row[k].location
            if block == "funds":
                for src, dst in (("rate", "funds_rate"), ("score", "funds_score")):
                    if src in row and isinstance(row[src].value, Decimal):
                        entry[dst] = row[src].value
                        locs[dst] = row[src].location
        elif kind == "indicator":
            i = len(indicators)
            ind = {k: c.value for k, c in row.items() if k != "row" and c.value is not None}
            if not isinstance(ind.get("weight"), Decimal):
                unweighted += 1
            ind.setdefault("weight", Decimal(0))
            indicators.append(ind)
            locs[f"indicators[{i}]"] = row["name"].location
            for k in ("weight", "score", "target", "actual"):
                if k in row:
                    locs[f"indicators[{i}].{k}"] = row[k].location
        elif kind == "total":
            entry["total_score"] = row["score"].value
            locs["total_score"] = row["score"].location
    entry.setdefault("funds", {})
    if unweighted and unweighted == len(indicators):
        # not one 分值 read (text without its columns): the indicators would score as weighing 0
        indicators = []
        locs = {k: v for k, v in locs.items() if not k.startswith("indicators[")}
    entry["indicators"] = indicators
    return entry, locs
