"""Recover the standard tables of a published disclosure, with every cell located.

API (used by ``audit.extract``):

``recover_tables(doc: SourceDoc, recognition: Recognition) -> dict[str, RecoveredTable]``
    every recognised standard table (t01 … t10) read from the PDF words, the
    Word table rows or tab-separated text rows, plus the project
    self-evaluation tables (ids ``se1``, ``se2`` …, found by their titles
    “…项目支出绩效自评表”).  A table printed empty with a note (本表无数据 /
    故本表为空表) has ``empty_statement`` set and no rows.

``tables_to_data(tables, recognition) -> tuple[dict, Provenance, list[Skipped]]``
    (in ``tables_data``, re-exported here) the raw Dataset dict and the
    Provenance of each model path.

Row dicts of a ``RecoveredTable``: ``code`` (function / economic code) or
``row`` (a named row key: income_total, opening, general_budget …), ``name``
(as printed), ``side`` (left / right for two-sided tables) and one Cell per
column key (total, basic, project, appropriation, other, amount, general …).
"""

from __future__ import annotations

import re

from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Cell, Recognition, RecoveredTable, Span
from juesuan.audit.tables_data import tables_to_data
from juesuan.audit.tables_grid import (
    Column,
    Locator,
    Tok,
    VRow,
    cell_tokens,
    code_rows,
    fold,
    header_columns,
    is_amount,
    is_figure,
    pdf_tokens,
    to_decimal,
    visual_rows,
)
from juesuan.audit.tables_selfeval import recover_self_evaluations
from juesuan.audit.tables_sides import two_sided

__all__ = ["recover_tables", "tables_to_data"]

_EMPTY = re.compile(r"(本表无数据|为空表|本表为空|无数据|空表)")

KEYWORDS: dict[str, list[tuple[str, str]]] = {
    "t02": [("affiliated", "附属"), ("superior_subsidy", "上级补助"), ("appropriation", "财政拨款"),
            ("business", "事业收"), ("operating", "经营收"), ("other", "其他收"), ("total", "合计")],
    "t03": [("to_superior", "上缴上级"), ("affiliated", "对附属"), ("affiliated", "附属单位补"),
            ("operating", "经营支"), ("basic", "基本支出"), ("project", "项目支"), ("total", "合计")],
    "t05": [("basic", "基本支出"), ("project", "项目支出"), ("total", "合计"), ("total", "小计")],
    "t07": [("amount", "决算数"), ("amount", "金额")],
    "t08": [("opening", "年初结转"), ("income", "本年收入"), ("closing", "年末结转"), ("basic", "基本支出"),
            ("project", "项目支出"), ("total", "小计"), ("total", "合计")],
}
KEYWORDS["t09"] = KEYWORDS["t08"]


def recover_tables(doc: SourceDoc, recognition: Recognition) -> dict[str, RecoveredTable]:
    """Every recognised standard table and every self-evaluation table of ``doc``."""
    out: dict[str, RecoveredTable] = {}
    loc = Locator(doc)
    for tid, span in recognition.tables.items():
        table = RecoveredTable(tid, span.title, span.location)
        try:
            _recover_one(doc, span, table, loc, recognition.year)
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not stop the audit
            table.problems.append(f"表格无法读取：{type(exc).__name__}: {exc}")
        out[tid] = table
    for k, table in enumerate(recover_self_evaluations(doc), start=1):
        out[f"se{k}"] = table
    return out


def _tokens(doc: SourceDoc, span: Span) -> tuple[list[Tok], bool]:
    start = span.start + 1
    if doc.kind == "pdf":
        from juesuan.audit.pdf_grid import in_cells

        return in_cells(doc, pdf_tokens(doc, start, span.end)), True
    return cell_tokens(doc, start, span.end), False


def _split_header(rows: list[VRow], pdf: bool) -> tuple[list[VRow], list[VRow]]:
    """Header rows (before the first row with a figure or a code) and the rest."""
    for k, row in enumerate(rows):
        texts = [fold(t.text) for t in row.toks]
        if any((is_figure(t) if pdf else is_amount(t)) for t in texts):
            return rows[:k], rows[k:]
        first = texts[0] if texts else ""
        if first.isdigit() and len(first) in (3, 5, 7):
            return rows[:k], rows[k:]
    return rows, []


def _empty_statement(doc: SourceDoc, span: Span) -> str | None:
    for li in range(span.start + 1, span.end):
        text = doc.lines[li].text.strip()
        if _EMPTY.search(fold(text)):
            return text
    return None


def _recover_one(doc: SourceDoc, span: Span, table: RecoveredTable, loc: Locator, year: int | None) -> None:
    toks, pdf = _tokens(doc, span)
    rows = visual_rows(toks)
    tid = table.id
    if tid in ("t01", "t04"):
        header, data = _split_header(rows, pdf)
        table.rows = two_sided(tid, header, data, loc, year)
    elif tid in ("t06", "t07"):  # both are two blocks of 经济分类 rows side by side
        table.rows = _econ_blocks(rows, pdf, loc)
    elif tid == "t10":
        table.rows = _three_public(rows, pdf, loc)
    elif tid in KEYWORDS:
        table.rows = _code_table(tid, rows, pdf, loc)
    else:
        table.problems.append("暂不支持读取此表")
    if not any(_has_figure(r) for r in table.rows):
        table.empty_statement = _empty_statement(doc, span)
        if table.empty_statement:
            table.rows = []
        elif tid != "t10":
            table.problems.append("表中未读到任何数字")


def _has_figure(row: dict[str, Cell]) -> bool:
    return any(k not in ("code", "name", "row", "side") and c.value is not None for k, c in row.items())


def _record_row(rec, loc: Locator) -> dict[str, Cell]:  # noqa: ANN001 - tables_grid.Record
    row: dict[str, Cell] = {}
    if rec.code:
        row["code"] = loc.cell(rec.code, rec.first)
    else:
        row["row"] = loc.cell(_named_row(rec.name), rec.first)
    row["name"] = loc.cell(rec.name, rec.name_toks[0] if rec.name_toks else rec.first)
    for key, tok in rec.figures.items():
        row[key] = loc.cell(to_decimal(tok.text), tok)
    return row


def _named_row(name: str) -> str:
    if "人员经费" in name:
        return "personnel"
    if "公用经费" in name:
        return "public"
    return "total"


def _pages(rows: list[VRow]) -> list[list[VRow]]:
    out: list[list[VRow]] = []
    for r in rows:
        if out and out[-1][0].page == r.page:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _code_table(tid: str, rows: list[VRow], pdf: bool, loc: Locator) -> list[dict[str, Cell]]:
    """A 类|款|项 table over one or more pages; a repeated header on a later page is re-read."""
    columns: list[Column] = []
    data: list[VRow] = []
    for page_rows in _pages(rows):
        header, body = _split_header(page_rows, pdf)
        cols = header_columns(header, KEYWORDS[tid]) if header else []
        if any(c.key for c in cols):
            columns = cols
            data.extend(body)
        else:
            data.extend(page_rows)
    records = code_rows(data, columns)
    return [_record_row(r, loc) for r in records]


def _econ_blocks(rows: list[VRow], pdf: bool, loc: Locator) -> list[dict[str, Cell]]:
    """The 基本支出 table: one or two blocks side by side (301/303 left, 302/310 right)."""
    header, _ = _split_header(rows, pdf)
    starts = sorted(t.x0 for r in header for t in r.toks if "科目编码" in fold(t.text) or "经济分类" in fold(t.text))
    bounds: list[float] = []
    for x in starts:
        if not bounds or x - bounds[-1] > 60:
            bounds.append(x)
    if not bounds:
        bounds = [min((t.x0 for r in rows for t in r.toks), default=0.0)]
    edges = [b - 15 for b in bounds[1:]] + [float("inf")]
    out: list[dict[str, Cell]] = []
    lo = float("-inf")
    for k, hi in enumerate(edges):
        block = []
        for r in rows:
            toks = [t for t in r.toks if lo <= t.xc < hi]
            if toks:
                block.append(VRow(r.page, r.y, toks))
        _, body = _split_header(block, pdf)
        for rec in code_rows(body, [], single_key="amount"):
            row = _record_row(rec, loc)
            row["side"] = Cell("left" if k == 0 else "right", row["name"].location)
            out.append(row)
        lo = hi
    return out


_TP_ORDER = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]


def _three_public(rows: list[VRow], pdf: bool, loc: Locator) -> list[dict[str, Cell]]:
    """The “三公” table: 预算数/决算数 pairs for 合计, 出国, 车辆(小计, 购置, 运行), 接待; 统计数 rows."""
    sub = next((r for r in rows if sum(fold(t.text) in ("预算数", "决算数") for t in r.toks) >= 4), None)
    out: list[dict[str, Cell]] = []
    if sub is None:
        return out
    heads = [t for t in sub.toks if fold(t.text) in ("预算数", "决算数")]
    columns: list[Column] = []
    groups = _TP_ORDER if len(heads) >= 12 else ["total", "abroad", "vehicle", "reception"]
    for k, t in enumerate(heads):
        item = groups[min(k // 2, len(groups) - 1)]
        kind = "budget" if fold(t.text) == "预算数" else "actual"
        columns.append(Column(fold(t.text), t.x0, t.x1, f"{kind}.{item}"))
    after = rows[rows.index(sub) + 1:]
    for r in after:
        figs = [t for t in r.toks if is_amount(t.text)]
        words = fold("".join(t.text for t in r.toks if not is_amount(t.text)))
        if words.startswith(("注", "说明")):
            break
        if not figs:
            continue
        row: dict[str, Cell] = {"row": loc.cell("counts" if "统计" in words else "amounts", r.toks[0]),
                                "name": loc.cell(words, r.toks[0])}
        for t in figs:
            col = min(columns, key=lambda c: (-(min(t.x1, c.x1) - max(t.x0, c.x0)), abs(t.xc - c.xc)))
            row.setdefault(col.key or "", loc.cell(to_decimal(t.text), t))
        out.append(row)
    return out
