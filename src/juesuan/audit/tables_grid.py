"""Rebuild table rows from positioned words: the geometry half of table recovery.

A PDF table arrives as words with x ranges on lines with a baseline y; a Word
or tab-separated table as rows of cells.  Both become ``Tok`` (text, x0, x1,
y, page, line index): cells get x = their column index, so one algorithm
serves all three.  Everything here is linear in the number of words (one
sort per page).

- ``visual_rows``: words of one page at the same height form a row (ruled
  PDF tables: ``pdf_grid.band_rows``, the words between two rules);
- ``header_columns``: header words stacked in the same x range form a column
  label (“本年收入合” over “计”), a word over several labels is their group
  (“事业收入” over “金额 | 其中：教育收费”), numeric columns are keyed by
  keywords of their label path; “其中” and 行次 columns get no key;
- ``is_ordinal_row`` / ``drop_ordinals``: the 栏次 row (“1 2 3 …”) and the
  numbers of a 行次 column, which are never figures;
- ``assign``: a figure belongs to the column whose header it overlaps (else
  the nearest): that is what lets blank cells stay blank;
- ``code_rows``: rows led by a 类|款|项 code (split “201 06 01” or whole
  “2010601”) start a record; rows without a code continue it (a name wrapped
  onto the next line, figures printed on a line of their own).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from juesuan.audit.document import WATERMARKS, SourceDoc
from juesuan.audit.model import Cell
from juesuan.model.findings import Location

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DASHES = {"-", "—", "——", "–", "－", "/"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Tok:
    text: str
    x0: float
    x1: float
    y: float
    page: int
    li: int  # index into SourceDoc.lines
    ym: float | None = None  # PDF: the word's own middle height (a line may hold words of two rows)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class VRow:
    page: int
    y: float
    toks: list[Tok] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.toks)


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """NFKC and no whitespace: “２，９４０．０５” → “2,940.05”.

    Cached: table cells repeat (the same labels, units and figures in every
    self-evaluation table), and a warm audit folds thousands of them.
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def is_amount(text: str) -> bool:
    t = fold(text)
    return bool(_AMOUNT.match(t)) and ("." in t or "," in t or len(t) <= 12)


def is_figure(text: str) -> bool:
    """A printed amount with decimals or grouping (a bare “01” is a code, not a figure)."""
    t = fold(text)
    return bool(_AMOUNT.match(t)) and ("." in t or "," in t)


@functools.lru_cache(maxsize=16384)
def to_decimal(text: str) -> Decimal | None:
    """The cell's number (None for blanks, dashes and words); cached like ``fold``
    (a Decimal is immutable, so one object may serve every cell that prints it)."""
    t = fold(text).replace(",", "").rstrip("%")
    if not t or t in _DASHES:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None




def pdf_tokens(doc: SourceDoc, start: int, end: int) -> list[Tok]:
    out: list[Tok] = []
    for li in range(start, end):
        line = doc.lines[li]
        if line.text in WATERMARKS:
            continue
        for w in line.words:
            out.append(Tok(w.text, w.x0, w.x1, line.y, line.page or 0, li, w.ym))
    return out


def cell_tokens(doc: SourceDoc, start: int, end: int) -> list[Tok]:
    """Word table rows (Line.cells) or tab-separated text rows as tokens: x = column index."""
    out: list[Tok] = []
    for li in range(start, end):
        line = doc.lines[li]
        cells = line.cells or (tuple(line.text.split("\t")) if "\t" in line.text else ())
        for ci, cell in enumerate(cells):
            text = fold(cell)
            if text:
                out.append(Tok(text, ci * 100.0, ci * 100.0 + 90.0, -10.0 * li, line.page or 0, li))
        if not cells and line.text.strip():
            out.append(Tok(fold(line.text), 0.0, 90.0, -10.0 * li, line.page or 0, li))
    return out


def visual_rows(toks: list[Tok], tol: float = 2.5) -> list[VRow]:
    """Group tokens into rows: same page, baselines within ``tol``; pages in order, top to bottom."""
    rows: list[VRow] = []
    for t in sorted(toks, key=lambda t: (t.page, -t.y, t.x0)):
        if rows and rows[-1].page == t.page and abs(rows[-1].y - t.y) <= tol:
            rows[-1].toks.append(t)
        else:
            rows.append(VRow(t.page, t.y, [t]))
    for r in rows:
        r.toks.sort(key=lambda t: t.x0)
    return rows


@dataclass
class Column:
    label: str
    x0: float
    x1: float
    key: str | None = None

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


_ORDINAL = re.compile(r"行次|栏次|序号")


def is_ordinal_row(row: VRow) -> bool:
    """The column-number row under a header (“栏次 1 2 3 …”): never data."""
    texts = [fold(t.text) for t in row.toks]
    if any(t == "栏次" for t in texts):
        return True
    nums = [t for t in texts if t]
    if len(nums) < 2 or not all(t.isdigit() and len(t) <= 2 for t in nums):
        return False
    return [int(t) for t in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _groups(toks: list[Tok]) -> set[int]:
    """Indices of header words over two or more side-by-side words below them (“本年支出” over
    “小计 | 基本支出 | 项目支出”, “预算数” over the six “三公” items): group labels, not columns."""
    out: set[int] = set()
    for i, t in enumerate(toks):
        below = [u for u in toks if u.page == t.page and u.y < t.y - 1 and _overlap(t.x0, t.x1, u.x0, u.x1) > 1]
        for a_i, a in enumerate(below):
            if any(_overlap(a.x0, a.x1, b.x0, b.x1) <= 0 for b in below[a_i + 1:]):
                out.add(i)
                break
    return out


def header_paths(rows: list[VRow]) -> list[tuple[Column, list[str]]]:
    """The leaf columns of a header, each with its label path: own label first, then its groups.

    Words stacked in the same x range are one label (“本年收入合” over “计”).  A
    word spanning several side-by-side labels below it is a group label: the
    columns under it carry it in their path (“金额” under “事业收入”).
    """
    toks = [t for r in rows for t in r.toks if not fold(t.text).startswith(("单位", "金额单位"))]
    groups = _groups(toks)
    group_toks = [t for i, t in enumerate(toks) if i in groups]
    cols: list[tuple[float, float, list[Tok]]] = []
    for t in sorted((t for i, t in enumerate(toks) if i not in groups), key=lambda t: t.x0):
        for k, (a, b, items) in enumerate(cols):
            if t.x0 < b - 1 and t.x1 > a + 1:
                items.append(t)
                cols[k] = (min(a, t.x0), max(b, t.x1), items)
                break
        else:
            cols.append((t.x0, t.x1, [t]))
    out: list[tuple[Column, list[str]]] = []
    for a, b, items in sorted(cols, key=lambda c: c[0]):
        own = fold("".join(t.text for t in sorted(items, key=lambda t: (-t.y, t.x0))))
        above = sorted((g for g in group_toks if _overlap(a, b, g.x0, g.x1) > 1), key=lambda g: g.y)
        path = [own] + [fold(g.text) for g in above]  # bottom up
        out.append((Column("".join(reversed(path)), a, b), path))
    return out


def header_columns(rows: list[VRow], keywords: list[tuple[str, str]]) -> list[Column]:
    """The leaf columns of a header (``header_paths``) keyed by the first keyword their own label
    holds, else the first their groups hold (bottom up).  A “其中：…” column (a part of its
    neighbour, not a term of the row's sum) and the 行次/栏次 columns get no key.
    """
    out: list[Column] = []
    for col, path in header_paths(rows):
        key: str | None = None
        if "其中" not in path[0] and not _ORDINAL.search(path[0]):
            keys = [k for part in path if (k := next((k for k, word in keywords if word in part), None))]
            key = keys[0] if keys else None
            if key == "total" and path[0] in ("小计", "合计", "金额"):
                # “小计” under “项目支出” is the project column; under “本年支出”, the total
                key = next((k for k in keys[1:] if k != "total"), key)
        col.key = key
        out.append(col)
    return out


def assign(tok: Tok, columns: list[Column]) -> Column | None:
    """The keyed column a figure belongs to: the one it overlaps most, else the nearest keyed one.

    A figure under a column without a key (a “其中” part, a 行次 column) belongs to none.
    """
    keyed = [c for c in columns if c.key]
    if not keyed:
        return None
    best = max(columns, key=lambda c: (min(tok.x1, c.x1) - max(tok.x0, c.x0), -abs(tok.xc - c.xc)))
    if min(tok.x1, best.x1) - max(tok.x0, best.x0) > 0:
        return best if best.key else None
    return min(keyed, key=lambda c: abs(tok.xc - c.xc))


def drop_ordinals(header: list[VRow], rows: list[VRow]) -> list[VRow]:
    """``rows`` without the 行次 numbers printed under a 行次 header (“34” is a row number, not 34.00).

    A bare number belongs to the header column it overlaps, else the nearest
    one (row numbers are centred in their column, amounts right-aligned in theirs).
    """
    columns = header_columns(header, [])
    if not any(_ORDINAL.search(c.label) for c in columns):
        return rows

    def ordinal(t: Tok) -> bool:
        text = fold(t.text)
        if not (text.isdigit() and len(text) <= 3):
            return False
        col = max(columns, key=lambda c: (_overlap(t.x0, t.x1, c.x0, c.x1) > 0, -abs(t.xc - c.xc)))
        return bool(_ORDINAL.search(col.label))

    out: list[VRow] = []
    for r in rows:
        toks = [t for t in r.toks if not ordinal(t)]
        if toks:
            out.append(VRow(r.page, r.y, toks))
    return out


class Locator:
    """Cell locations (page, line, excerpt) for tokens of one document."""

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc

    def loc(self, tok: Tok) -> Location:
        line = self.doc.lines[tok.li]
        return line.location(self.doc.path)

    def cell(self, value: Decimal | str | None, tok: Tok) -> Cell:
        return Cell(value, self.loc(tok))


_GLUED = re.compile(r"^(\d{3}|\d{5}|\d{7})([^\d.,%].*)$")


def split_glued(toks: list[Tok]) -> list[Tok]:
    """A code printed against its name (“30207邮电费”) as two tokens: the code, then the name."""
    if toks and (m := _GLUED.match(fold(toks[0].text))):
        t = toks[0]
        width = (t.x1 - t.x0) * len(m.group(1)) / max(len(m.group(0)), 1)
        return [replace(t, text=m.group(1), x1=t.x0 + width), replace(t, text=m.group(2), x0=t.x0 + width),
                *toks[1:]]
    return toks


def split_code(toks: list[Tok]) -> tuple[str, list[Tok], list[Tok]]:
    """Leading code tokens of a row: “201 06 01” or “2010601” → (code, code tokens, rest)."""
    code = ""
    used: list[Tok] = []
    toks = split_glued(toks)
    for t in toks:
        text = fold(t.text)
        if not text.isdigit():
            break
        if not code and len(text) in (3, 5, 7):
            code = text
        elif code and len(text) == 2 and len(code) in (3, 5):
            code += text
        else:
            break
        used.append(t)
    return code, used, toks[len(used):]


@dataclass
class Record:
    """One logical table row: its code or label, name and the figure tokens by column key."""

    code: str
    name: str
    first: Tok
    figures: dict[str, Tok] = field(default_factory=dict)
    name_toks: list[Tok] = field(default_factory=list)
    label: bool = False  # a named row (合计, 人员经费合计 …) rather than a code row


_LABELS = ("合计", "总计", "人员经费合计", "公用经费合计", "人员经费", "公用经费")
_HEADER_WORDS = re.compile(r"科目编码|科目名称|功能分类|经济分类")
_STOP = re.compile(r"^(注|说明|备注)[:：]?")


def reading_order(words: list[Tok], tol: float = 3.0) -> list[Tok]:
    """The words of one cell in reading order: its text lines top down, each left to right.

    A name wrapped over the lines of its ruled row arrives as one row's words;
    words of one line differ in height by a glyph's shape (“一、”), not by a line.
    """
    lines: list[list[Tok]] = []
    for t in sorted(words, key=lambda t: -t.y):
        if lines and abs(lines[-1][0].y - t.y) <= tol:
            lines[-1].append(t)
        else:
            lines.append([t])
    return [t for line in lines for t in sorted(line, key=lambda t: t.x0)]


def code_rows(rows: list[VRow], columns: list[Column], single_key: str | None = None) -> list[Record]:
    """Records of a 类|款|项 table: a code (or a 合计-like label) starts one, other rows continue it.

    ``single_key``: the table has one figure column (the 基本支出 blocks):
    every figure goes there, whatever its position.
    """
    out: list[Record] = []
    cur: Record | None = None
    for row in rows:
        toks = [t for t in row.toks if fold(t.text) not in ("类", "款", "项")]
        if not toks:
            continue
        if _STOP.match(fold(toks[0].text)):
            break
        code, used, rest = split_code(toks)
        words = [t for t in rest if not is_amount(t.text) and fold(t.text) not in _DASHES]
        figs = [t for t in rest if is_amount(t.text)]
        words = reading_order(words)
        name = re.sub(r"\s+", "", "".join(t.text for t in words))
        if not code and _HEADER_WORDS.search(name):
            continue  # the header repeated at the top of a continuation page
        if code:
            cur = Record(code, name, used[0], name_toks=list(words))
            out.append(cur)
        elif any(name.startswith(lab) or name.endswith(lab) for lab in _LABELS) and len(name) <= 10:
            cur = Record("", name, words[0], name_toks=list(words), label=True)
            out.append(cur)
        elif cur is None or row.page != cur.first.page and not figs:
            continue  # (text on a later page than its row is no wrapped name: the table has ended)
        elif words:
            cur.name += name
            cur.name_toks.extend(words)
        for t in figs:
            key = single_key or (col.key if (col := assign(t, columns)) else None)
            if key and key not in cur.figures:
                cur.figures[key] = t
    return out
