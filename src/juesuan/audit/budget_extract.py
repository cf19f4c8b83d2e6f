"""Recover a budget dataset (``model.budget.BudgetDataset``) from a published budget's tables.

What is recovered: the income by source and the carry-over (收支总表's label–amount pairs),
each 项 of 支出总表 with its basic and project spending (the amount under the header word
“基本支出” or “项目支出”: by the words' positions in a PDF, by the cell's column in Word),
the basic spending by economic 类/款 (一般公共预算基本支出表), 机关运行经费 (its table's
合计).  What the tables do not print (last year's budget, the texts) is left out, and a 项
whose amounts cannot be placed under their column is kept with its total as basic spending
only when the table has no project column for it to be in — otherwise it is left out.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.audit.budget_tables import BTable, norm
from juesuan.audit.document import SourceDoc
from juesuan.model.budget import BudgetDataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

__all__ = ["extract_budget"]

_INCOME = {"一般公共预算拨款收入": "general_budget", "一般公共预算拨款": "general_budget",
           "政府性基金预算拨款收入": "gov_fund", "国有资本经营预算拨款收入": "state_capital",
           "财政专户管理资金收入": "special_account", "事业收入": "business", "事业单位经营收入": "operating",
           "上级补助收入": "superior_subsidy", "附属单位上缴收入": "affiliated", "其他收入": "other"}
_COLUMNS = {"基本支出": "basic", "项目支出": "project"}
_FIRST = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


def _columns(t: BTable) -> dict[str, tuple[float, float]]:
    """The x-range of each header word (PDF) or its cell index (Word, as (i, i))."""
    out: dict[str, tuple[float, float]] = {}
    first_row = min((r.location.line or 0 for r in t.rows), default=0)
    for line in t.doc.lines[t.start + 1:t.end]:
        if line.number == first_row:
            break
        if line.cells:
            for i, c in enumerate(line.cells):
                for word, key in _COLUMNS.items():
                    if norm(c) == word:
                        out.setdefault(key, (i, i))
        for w in line.words:
            for word, key in _COLUMNS.items():
                if norm(w.text) == word:
                    out.setdefault(key, (w.x0, w.x1))
    return out


def _placed(t: BTable, line_no: int, page: int | None, cols: dict[str, tuple[float, float]]) -> dict[str, Decimal]:
    """The row's amounts under the basic/project columns (empty when they cannot be placed)."""
    from juesuan.audit.budget_tables import to_decimal

    line = next((x for x in t.doc.lines[t.start:t.end] if x.number == line_no and x.page == page), None)
    if line is None:
        return {}
    out: dict[str, Decimal] = {}
    if line.cells:
        for key, (i, _) in cols.items():
            if int(i) < len(line.cells) and (v := to_decimal(line.cells[int(i)].strip() or "x")) is not None:
                out[key] = v
        return out
    for w in line.words:
        v = to_decimal(w.text) if any(ch.isdigit() for ch in w.text) and "." in w.text else None
        if v is None:
            continue
        mid = (w.x0 + w.x1) / 2
        key = min(cols, key=lambda k: abs((cols[k][0] + cols[k][1]) / 2 - mid))
        lo, hi = cols[key]
        if abs((lo + hi) / 2 - mid) <= max(hi - lo, 40):
            out[key] = v
    return out


def extract_budget(docs: list[SourceDoc], tables: dict[str, BTable], department: str | None,
                   year: int | None) -> tuple[BudgetDataset, Provenance]:
    if not department or not year:
        raise InputError("未能从文档读出部门名称或年度，无法组成预算数据集", Location(file=docs[0].path))
    data: dict[str, Any] = {"kind": "预算", "year": year, "department": {"name": department}, "income": {}}
    prov = Provenance(Location(file=docs[0].path))
    t01 = tables.get("t01")
    unit = t01.unit if t01 is not None else "万元"
    data["unit"] = unit
    if t01 is not None:
        for line in t01.doc.lines[t01.start:t01.end]:
            n = norm(line.text)
            for label, field in sorted(_INCOME.items(), key=lambda x: -len(x[0])):
                at = n.find(label)
                if at < 0 or field in data["income"]:
                    continue
                m = _FIRST.match(n[at + len(label):])
                if m:
                    data["income"][field] = Decimal(m.group(1).replace(",", ""))
                    prov.set(f"income.{field}", line.location(t01.doc.path))
                break
        if "上年结转结余" in t01.pairs:
            data["carryover"] = {"other": t01.pairs["上年结转结余"][0]}
        if "年终结转结余" in t01.pairs:
            data["closing"] = t01.pairs["年终结转结余"][0]
    t03 = tables.get("t03") or tables.get("t07")
    if t03 is not None:
        cols = _columns(t03)
        rows = []
        for r in t03.rows:
            if not r.key.isdigit() or not r.amounts:
                continue
            row: dict[str, Any] = {"code": r.key, "name": r.name or r.key}
            if len(r.key) == 7:
                at = r.amounts[0][1]  # the line that prints the amounts (a wrapped name's last line)
                placed = _placed(t03, at.line or 0, at.page, cols) if cols else {}
                if not placed and "project" not in cols:
                    placed = {"basic": r.amounts[0][0]}
                if not placed:
                    continue
                row.update(placed)
            prov.set(f"expenditure[{len(rows)}]", r.location)
            rows.append(row)
        data["expenditure"] = rows
    t08 = tables.get("t08")
    if t08 is not None and not t08.grouped and t08.unit == unit:
        data["basic_econ"] = [{"code": r.key, "name": r.name or r.key, "amount": r.amounts[0][0]}
                              for r in t08.coded() if r.amounts and len(r.key) in (3, 5) and r.key.startswith("3")]
    t12 = tables.get("t12")
    if t12 is not None and t12.total() is not None and t12.total().amounts and t12.unit == unit:  # type: ignore[union-attr]
        data["operating_cost"] = {"amount": t12.total().amounts[0][0]}  # type: ignore[union-attr]
    try:
        return BudgetDataset.model_validate(data), prov
    except Exception as exc:  # noqa: BLE001 - a recovered figure the model refuses: said, never a traceback
        raise InputError(f"恢复的数字无法组成预算数据集：{exc}", Location(file=docs[0].path)) from None


def extract_budget_file(path: Path) -> tuple[BudgetDataset, Provenance]:
    """Read a published budget and recover its dataset (InputError when it is not a budget)."""
    from juesuan.audit.budget import _all_names
    from juesuan.audit.budget_tables import read_budget_tables
    from juesuan.audit.document import read_document
    from juesuan.audit.kind import NotAuditable, classify

    doc = read_document(path)
    kind = classify(doc)
    if kind.audit != "budget":
        raise NotAuditable(kind, doc.path)
    return extract_budget([doc], read_budget_tables(doc, _all_names()), kind.department, kind.year)
