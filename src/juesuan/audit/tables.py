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
A “其中：…” row of t01/t04 (a part of the row above, not a term of the sum) has
``row`` “of.<key>” (of.gov_fund, or of.item when its label names no known row);
a “其中” column gets no key and its figures are not read.

Tables are read by their structure, not by one document's layout: in a PDF
the table is what is printed between its title and the next table's title
(the lines of a page may come in any order), a row is what lies between two
horizontal rules (a name wrapped above and below its code is one row), a
header word heads the ruled cell it sits in (a merged “预算数” over six
columns) and its columns by their label paths (“金额” under “事业收入”); the
行次 column and the 栏次 row (“1 2 3 …”) are never figures; the economic
tables are split into their code/name/amount groups (two or three per row)
where their codes are printed.  ``tables_check.self_check`` says whether a
table, as read, adds up.
"""

from __future__ import annotations

import re

from juesuan.audit.deadline import deadline_check
from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Cell, Recognition, RecoveredTable, Span, has_figure
from juesuan.audit.tables_data import tables_to_data
from juesuan.audit.tables_grid import (
    Column,
    Locator,
    Tok,
    VRow,
    cell_tokens,
    code_rows,
    drop_ordinals,
    fold,
    header_columns,
    is_amount,
    is_figure,
    is_ordinal_row,
    pdf_tokens,
    split_glued,
    to_decimal,
    visual_rows,
)
from juesuan.audit.tables_selfeval import recover_self_evaluations
from juesuan.audit.tables_sides import two_sided
from juesuan.readers.errors import plain_reason

__all__ = ["recover_tables", "tables_to_data"]

_STOP_ROW = re.compile(r"^(注|说明|备注)[:：]")
_NOTE = re.compile(r"^(注|说明)[:：]")
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
    starts = sorted(_place(doc, s.start) for s in recognition.tables.values())
    for tid, span in recognition.tables.items():
        table = RecoveredTable(tid, span.title, span.location)
        try:
            _recover_one(doc, span, table, loc, recognition.year, starts)
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not stop the audit
            table.problems.append(f"表格无法读取：{plain_reason(exc)}")
        out[tid] = table
    for k, table in enumerate(recover_self_evaluations(doc), start=1):
        out[f"se{k}"] = table
    return out


def _place(doc: SourceDoc, li: int) -> tuple[int, float]:
    """Where a line is printed, in reading order: (page, -height)."""
    if li >= len(doc.lines):
        return (10**9, 0.0)
    line = doc.lines[li]
    return (line.page or 0, -line.y)


def _pdf_region(doc: SourceDoc, span: Span, starts: list[tuple[int, float]]) -> list[int]:
    """The lines of a PDF table by where they are printed, not by their order in the file.

    A PDF may list a page's title last (after the table under it), and a page
    may hold the end of one table and the start of the next: the table is what
    is printed below its title and above the next table's title (or the line
    that ends its span), over the pages between.
    """
    begin = _place(doc, span.start)
    nexts = [p for p in starts if p > begin]
    end = min(nexts + [_place(doc, span.end)])
    if end <= begin:
        end = (begin[0] + 1, float("-inf"))
    first, last = begin[0], end[0]
    out: list[int] = []
    lo = span.start
    while lo > 0 and (doc.lines[lo - 1].page or 0) >= first:
        lo -= 1
    from juesuan.audit.pdf_grid import page_rules

    ruled = len(page_rules(doc.path, first)[1]) >= 2
    noted = 0  # the page of a note (注：/说明：) under the table: it ends there
    for li in range(lo, len(doc.lines)):
        deadline_check()
        page = doc.lines[li].page or 0
        if page > last or (noted and page > noted):
            break
        if ruled and page > first and len(page_rules(doc.path, page)[1]) < 2:
            break  # a ruled table goes on over ruled pages only: the text after it is not part of it
        if li != span.start and begin < _place(doc, li) < end:
            out.append(li)
            if not noted and _NOTE.match(fold(doc.lines[li].text)):
                noted = page
    return out


def _tokens(doc: SourceDoc, span: Span, starts: list[tuple[int, float]]) -> tuple[list[Tok], bool]:
    if doc.kind == "pdf":
        from juesuan.audit.pdf_grid import in_cells

        toks: list[Tok] = []
        for li in _pdf_region(doc, span, starts):
            toks.extend(pdf_tokens(doc, li, li + 1))
        return in_cells(doc, toks), True
    return cell_tokens(doc, span.start + 1, span.end), False


def _rows(doc: SourceDoc, toks: list[Tok], pdf: bool) -> list[VRow]:
    if pdf:
        from juesuan.audit.pdf_grid import band_rows

        return band_rows(doc, toks)
    return visual_rows(toks)


def _is_data(row: VRow, pdf: bool) -> bool:
    """A row of the table's body: a figure, a leading code, a lone 合计, or a numbered item (“一、…”)."""
    texts = [fold(t.text) for t in row.toks]
    first = texts[0] if texts else ""
    if any((is_figure(t) if pdf else is_amount(t)) for t in texts):
        return True
    return (first.isdigit() and len(first) in (3, 5, 7)) or (first in ("合计", "总计") and len(texts) == 1) \
        or first.startswith("一、")


def _split_header(rows: list[VRow], pdf: bool, doc: SourceDoc | None = None) -> tuple[list[VRow], list[VRow]]:
    """Header rows (before the first row with a figure or a code) and the rest.

    The column-number row (“栏次 1 2 3 …”) is in neither: it is no header
    label and no data.  Given the PDF (``doc``), the header words are
    stretched to their ruled cells (``pdf_grid.widen``).
    """
    rows = [r for r in rows if not is_ordinal_row(r)]
    cut = len(rows)
    for k, row in enumerate(rows):
        if _is_data(row, pdf):
            cut = k
            break
    header, body = rows[:cut], rows[cut:]
    if pdf and doc is not None and header:
        from juesuan.audit.pdf_grid import widen

        header = widen(doc, header)
    return header, body


def _empty_statement(doc: SourceDoc, span: Span) -> str | None:
    for li in range(span.start + 1, span.end):
        text = doc.lines[li].text.strip()
        if _EMPTY.search(fold(text)):
            return text
    return None


def _recover_one(doc: SourceDoc, span: Span, table: RecoveredTable, loc: Locator, year: int | None,
                 starts: list[tuple[int, float]]) -> None:
    toks, pdf = _tokens(doc, span, starts)
    if not pdf:  # Word and HTML cells, or tab-separated text, keep their blanks; plain text does not
        table.blanks_known = any(doc.lines[li].cells or "\t" in doc.lines[li].text
                                 for li in range(span.start + 1, min(span.end, len(doc.lines))))
    rows = _rows(doc, toks, pdf)
    tid = table.id
    if tid in ("t01", "t04"):
        header, data = _split_header(rows, pdf, doc)
        table.rows = two_sided(tid, header, drop_ordinals(header, data), loc, year)
    elif tid in ("t06", "t07"):  # both are blocks of 经济分类 rows side by side
        table.rows = _econ_blocks(rows, pdf, loc)
    elif tid == "t10":
        table.rows = _three_public(rows, pdf, loc, doc)
    elif tid in KEYWORDS:
        table.rows = _code_table(tid, rows, pdf, loc, doc)
    else:
        table.problems.append("暂不支持读取此表")
    if not any(has_figure(r) for r in table.rows):
        table.empty_statement = _empty_statement(doc, span)
        if table.empty_statement:
            table.rows = []
        elif tid != "t10":
            table.problems.append("表中未读到任何数字")


_GLUED_FIGURES = re.compile(r"(?<=[^\d,.\s])(?:-?\d[\d,]*\.\d{2}\s*)+$")


def _record_row(rec, loc: Locator) -> dict[str, Cell]:  # noqa: ANN001 - tables_grid.Record
    row: dict[str, Cell] = {}
    if rec.code:
        row["code"] = loc.cell(rec.code, rec.first)
    else:
        row["row"] = loc.cell(_named_row(rec.name), rec.first)
    # text without column gaps glues the row's figures to its name (“住房公积金586.32586.32”):
    # they are not the name (and, their columns unknown, not read as figures either)
    row["name"] = loc.cell(_GLUED_FIGURES.sub("", rec.name), rec.name_toks[0] if rec.name_toks else rec.first)
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


def _code_table(tid: str, rows: list[VRow], pdf: bool, loc: Locator, doc: SourceDoc) -> list[dict[str, Cell]]:
    """A 类|款|项 table over one or more pages; a repeated header on a later page is re-read."""
    columns: list[Column] = []
    data: list[VRow] = []
    for page_rows in _pages(rows):
        header, body = _split_header(page_rows, pdf, doc)
        cols = header_columns(header, KEYWORDS[tid]) if header else []
        if any(c.key for c in cols):
            columns = cols
            data.extend(drop_ordinals(header, body))
        else:
            data.extend(page_rows)
    records = code_rows(data, columns)
    return [_record_row(r, loc) for r in records]


_ECON_CODE = re.compile(r"^3\d{2}(?:\d{2})?$")
_ECON_TOTALS = re.compile(r"(人员经费合计|公用经费合计|人员经费|公用经费|合计)")


def _block_starts(rows: list[VRow]) -> list[float]:
    """Where each code/name/amount group of an economic table begins: the x of its codes.

    The national 基本支出 table prints three groups per row (301/303 | 302 | 307/310/399),
    Shanghai's two: the groups are found from the economic codes themselves, not from the
    header's wording.
    """
    xs = sorted(t.x0 for r in rows for k, t in enumerate(r.toks) if _ECON_CODE.match(fold(t.text))
                and k + 1 < len(r.toks) and not is_amount(r.toks[k + 1].text))  # a code, then its name
    starts: list[float] = []
    for x in xs:
        if not starts or x - starts[-1] > 60:
            starts.append(x)
    return starts


def _total_rows(row: VRow, loc: Locator, first_side: str) -> list[dict[str, Cell]]:
    """A row of 合计 labels (人员经费合计 … 公用经费合计 …): each label with the first figure after it."""
    out: list[dict[str, Cell]] = []
    label: Tok | None = None
    for t in row.toks:
        if is_amount(t.text):
            if label is not None:
                out[-1]["amount"] = loc.cell(to_decimal(t.text), t)
                label = None
            continue
        name = fold(t.text)
        if _ECON_TOTALS.search(name):
            label = t
            side = first_side if not out else "right"
            out.append({"row": loc.cell(_named_row(name), t), "name": loc.cell(name, t), "side": loc.cell(side, t)})
    return out


def _econ_blocks(rows: list[VRow], pdf: bool, loc: Locator) -> list[dict[str, Cell]]:
    """The 基本支出 (and 项目支出) table by economic class: one, two or three blocks side by side."""
    header, body = _split_header(rows, pdf)
    starts = _block_starts(body)
    if not starts:
        starts = [min((t.x0 for r in rows for t in r.toks), default=0.0)]
    edges = [b - 4 for b in starts[1:]] + [float("inf")]
    out: list[dict[str, Cell]] = []
    blocks: list[list[VRow]] = [[] for _ in edges]
    for r in body:
        if _STOP_ROW.match(fold(r.toks[0].text)):
            break
        has_code = any(_ECON_CODE.match(fold(t.text)) for t in r.toks)
        if not has_code and any(_ECON_TOTALS.search(fold(t.text)) for t in r.toks):
            out.extend(_total_rows(r, loc, "left"))
            continue
        lo = float("-inf")
        for k, hi in enumerate(edges):
            toks = split_glued([t for t in r.toks if lo <= t.x0 < hi])
            if toks:
                blocks[k].append(VRow(r.page, r.y, toks))
            lo = hi
    for k, block in enumerate(blocks):
        for rec in code_rows(block, [], single_key="amount"):
            row = _record_row(rec, loc)
            row["side"] = Cell("left" if k == 0 else "right", row["name"].location)
            out.append(row)
    totals = [r for r in out if "code" not in r]
    return [r for r in out if "code" in r] + totals


_TP_ORDER = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
_TP_ITEMS = [("购置及运行", "vehicle"), ("小计", "vehicle"), ("购置", "vehicle_purchase"), ("运行", "vehicle_operation"),
             ("出国", "abroad"), ("接待", "reception"), ("合计", "total")]


def _tp_key(col: Column, path: list[str]) -> str | None:
    """“budget.abroad” … from a column's header path (own label first, then its groups)."""
    label = "".join(path)
    kind = "budget" if "预算" in label else "actual" if "决算" in label else None
    item = next((key for part in path for word, key in _TP_ITEMS if word in part), None)
    return f"{kind}.{item}" if kind and item else None


def _tp_columns(header: list[VRow]) -> list[Column]:
    """The “三公” columns by their header paths: 预算数/决算数 over the items (national) or under them
    (Shanghai); with the header's words in ruled cells either reads the same.  When the
    paths do not name twelve (or eight) distinct columns, the old reading: the 预算数/决算数
    labels in order, two per item."""
    from juesuan.audit.tables_grid import header_paths

    cols = [(c, p) for c, p in header_paths(header)]
    keyed = [Column(c.label, c.x0, c.x1, _tp_key(c, p)) for c, p in cols]
    keys = [c.key for c in keyed if c.key]
    if len(keys) in (8, 12) and len(set(keys)) == len(keys):
        return [c for c in keyed if c.key]
    sub = next((r for r in header if sum(fold(t.text) in ("预算数", "决算数") for t in r.toks) >= 4), None)
    if sub is None:
        return []
    heads = [t for t in sub.toks if fold(t.text) in ("预算数", "决算数")]
    groups = _TP_ORDER if len(heads) >= 12 else ["total", "abroad", "vehicle", "reception"]
    out: list[Column] = []
    for k, t in enumerate(heads):
        item = groups[min(k // 2, len(groups) - 1)]
        kind = "budget" if fold(t.text) == "预算数" else "actual"
        out.append(Column(fold(t.text), t.x0, t.x1, f"{kind}.{item}"))
    return out


def _three_public(rows: list[VRow], pdf: bool, loc: Locator, doc: SourceDoc | None = None) -> list[dict[str, Cell]]:
    """The “三公” table: 预算数/决算数 pairs for 合计, 出国, 车辆(小计, 购置, 运行), 接待; 统计数 rows."""
    header, after = _split_header(rows, pdf, doc)
    columns = _tp_columns(header)
    out: list[dict[str, Cell]] = []
    if not columns:
        return out
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
