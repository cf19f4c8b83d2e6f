"""The standard tables of a published budget (部门预算公开), read by their titles and codes.

A table starts at its title — a short line holding one of the profile's titles or aliases
(the longest alias decides: 财政拨款收支总表 is not 收支总表), with its unit line
(“单位：万元”, “单位：元”) within a few lines — and ends where the next table, the next
part (第三部分 …), the explanations (their heading or a sentence with “… 万元，”) or the
document ends.  Its rows are read from the text: a function or
economic code (3, 5 or 7 digits, also “[2010101]”) with its name and amounts (a name
wrapped onto the next line takes the amounts printed there), a 合计/总计 row, and in the
two-sided 收支总表 every “label amount” pair (本年收入合计 3,210.10 本年支出合计 3,210.10).

Only figures whose column cannot be misread are used by the checks: a row's first amount
is its 合计 (the first column after the name in every template); the later amounts are
used only where the table's header names its columns as parts (合计 基本支出 项目支出).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from juesuan.audit.document import SourceDoc
from juesuan.model.findings import Location

__all__ = ["BTable", "BRow", "read_budget_tables", "norm"]



def norm(text: str) -> str:
    """The headings' normal form (``audit.headings.normalise``: NFKC, no blanks), without quotes
    and with full-width parentheses: titles compare in this form."""
    from juesuan.audit.headings import normalise

    return _QUOTES.sub("", normalise(text)).replace("(", "（").replace(")", "）")


_QUOTES = re.compile(r"[“”\"'‘’]")
_UNIT = re.compile(r"单位[:：]\s*(万元|元|万)")
_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_CODE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?(?=[^\d.,]|$)")
_TOTAL = re.compile(r"^(合计|总计)$")
_PCT = re.compile(r"^-?\d+(?:\.\d+)?%$")
_HEADER_WORDS = re.compile(r"科目编码|科目名称|编码|栏次")  # a column header, not a title
_OTHER_TITLE = re.compile(r"表(?:（[^）]{1,16}）)?$")
# a column of another year or a comparison (上年结转和结余 is this year's source of funds, not one)
_OTHER_YEARS = re.compile(r"上年(?!结转|结余)|增减|变动|增长|比较|执行数")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
# where the explanations begin after the last table: their heading (“其他相关情况说明”, “一、2026年“三公”经费预算
# 情况说明”) or a sentence of them (“…预算数为237.92万元，与2025年预算持平。”) — no table row has either
_PROSE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?[^\d]{0,30}(?:情况说明|名词解释)$"
                    r"|\d\s*万元\s*[，,。；;]")
_EMPTY = re.compile(r"本表无数据|故本表为空|无此项|本表本年无发生额|本表为空表|无相关数据|没有.{0,20}(?:预算|支出)")
# a 收支总表 label followed by its amount
_PAIR = re.compile(r"(本年收入合计|本年支出合计|收入总计|支出总计|收入合计|支出合计|上年结转结余|年终结转结余|"
                   r"一般公共预算拨款收入|一般公共预算拨款|一般公共预算收入)\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|-?\d+(?:\.\d+)?)")


def to_decimal(text: str) -> Decimal | None:
    t = text.replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


@dataclass
class BRow:
    key: str  # a code (201, 20105, 2010501), or 合计
    name: str
    amounts: list[tuple[Decimal, Location]]
    location: Location


@dataclass
class BTable:
    id: str
    title: str
    doc: SourceDoc
    start: int  # index of the title line in doc.lines
    end: int  # index after the last line
    unit: str = "万元"
    header: str = ""  # the text between the title and the first row, normalised
    rows: list[BRow] = field(default_factory=list)
    pairs: dict[str, tuple[Decimal, Location]] = field(default_factory=dict)
    empty: bool = False
    grouped: bool = False  # rows print several code/name/amount groups side by side
    # lines among the rows that print figures but could not be read as a row: a sum over the
    # table's rows may miss them, so the table's sums are not checked
    stray: list[Location] = field(default_factory=list)
    # the text prints the table one cell per line (a PDF's text in reading order): which figure
    # belongs to which row is a guess, so the table's sums are not checked
    scattered: bool = False

    @property
    def location(self) -> Location:
        return self.doc.lines[self.start].location(self.doc.path)

    def total(self) -> BRow | None:
        return next((r for r in self.rows if r.key == "合计"), None)

    def first_total(self) -> tuple[Decimal, Location] | None:
        """The table's total: the 合计 row's first amount, else a lone row of figures' first."""
        if self.other_years():
            return None
        row = self.total() or next((r for r in self.rows if r.key == "值"), None)
        return row.amounts[0] if row is not None and row.amounts else None

    def coded(self, level: int | None = None) -> list[BRow]:
        size = {1: 3, 2: 5, 3: 7}
        return [r for r in self.rows if r.key.isdigit() and (level is None or len(r.key) == size[level])]

    def other_years(self) -> bool:
        """Whether the header names columns of another year or a comparison (“2025年执行数”, 上年,
        增减): then the first amount of a row need not be this year's 合计 (the central template
        prints 2025年执行数 first)."""
        return _OTHER_YEARS.search(self.header) is not None

    def parts_header(self) -> bool:
        """Whether every amount after a row's 合计 is a part of it (no 小计 or nested columns)."""
        h = self.header
        basic = h.find("基本支出")
        return (basic >= 0 and "项目支出" in h and h.find("小计", basic) < 0 and "人员经费" not in h
                and "其中" not in h and "财政拨款" not in h.replace("财政拨款支出", "")
                and not any(w in h for w in ("上年", "增减", "变动", "增长", "比较", "执行数")))  # no last year beside


def _title_of(text: str, names: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    n = norm(text)
    if len(n) > 60 or "。" in n or "…" in n or re.search(r"\.{4,}|…{2,}", n) or _HEADER_WORDS.search(n):
        return None
    best: tuple[int, str, str] | None = None
    for tid, aliases in names.items():
        for a in aliases:
            if a in n and (best is None or len(a) > best[0]):
                best = (len(a), tid, a)
    return (best[1], n) if best else None


def _amounts(tokens: list[str]) -> list[str]:
    return [t for t in tokens if _AMOUNT.match(t)]


def _joined_codes(tokens: list[str]) -> list[str]:
    """类, 款 and 项 printed in columns of their own (“201 08 01 行政运行”) as one code (2010801),
    wherever a row starts in the line (a PDF may run several rows into one line)."""
    out: list[str] = []
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        if (out and re.fullmatch(r"\d{2}", tok) and re.fullmatch(r"\d{3}|\d{5}", out[-1])
                and (not nxt or not _AMOUNT.match(nxt) or re.fullmatch(r"\d{2}", nxt))
                and (k < 2 or not _AMOUNT.match(tokens[k - 2]) or not tokens[k - 2].isdigit() or "," in tokens[k - 2]
                     or len(out) < 2 or _AMOUNT.match(out[-2]))):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _is_code(tokens: list[str], k: int) -> bool:
    """Whether token ``k`` is a classification code: glued to its name (“[301]工资福利支出”), or a bare
    3, 5 or 7 digit number followed by a name (not by another amount)."""
    tok = tokens[k]
    if not _CODE.match(tok):
        return False
    if not _AMOUNT.match(tok):
        return True
    if k + 1 == len(tokens):  # a code alone on its line, its name and amounts wrapped below
        return k == 0 and len(tok) in (5, 7)
    if k == 0 and _wrapped_code_row(tokens):
        return True
    return tok.isdigit() and not _AMOUNT.match(tokens[k + 1])


def _wrapped_code_row(tokens: list[str]) -> bool:
    """A 5 or 7 digit code followed only by decimal amounts: the row's name was wrapped around
    its figures (text laid out from a PDF prints “机关事业单位基本养老保险缴” above and “费支出”
    below the line “2080505  402.46  402.46  0.00”)."""
    return (len(tokens) >= 2 and len(tokens[0]) in (5, 7) and tokens[0].isdigit() and tokens[0][0] in "123"
            and all((_AMOUNT.match(x) and "." in x) or _PCT.match(x) for x in tokens[1:])
            and any(_AMOUNT.match(x) for x in tokens[1:]))


def _groups(tokens: list[str]) -> list[tuple[str, str, list[str]]]:
    """A row's code/name/amount groups: a new group starts at a code after an amount."""
    out: list[tuple[str, list[str], list[str]]] = []
    for k, tok in enumerate(tokens):
        m = _CODE.match(tok)
        if m and _is_code(tokens, k) and (not out or out[-1][2]):
            out.append((m.group(1), [tok[m.end():]] if tok[m.end():] else [], []))
        elif out and out[-1][2] and _TOTAL.match(tok):  # the 合计 row run into the last row's line
            out.append(("合计", [tok], []))
        elif not out:
            continue
        elif _AMOUNT.match(tok):
            out[-1][2].append(tok)
        else:
            out[-1][1].append(tok)
    return [(c, " ".join(n).strip(), a) for c, n, a in out]


def read_budget_tables(doc: SourceDoc, names: dict[str, tuple[str, ...]]) -> dict[str, BTable]:
    """Every standard table the document prints (the first of each id)."""
    lines = doc.lines
    units = [i for i, line in enumerate(lines) if _UNIT.search(norm(line.text))]
    starts: list[tuple[int, str, str, str]] = []  # (line index, id, title, unit)
    used: set[int] = set()
    for u in units:
        unit = _UNIT.search(norm(lines[u].text)).group(1).replace("万", "万元").replace("万元元", "万元")  # type: ignore[union-attr]
        window = [j for j in (u, u - 1, u - 2, u - 3, u - 4, u - 5, u - 6, u + 1, u + 2, u + 3, u + 4)
                  if 0 <= j < len(lines) and j not in used and lines[j].page == lines[u].page]
        # a PDF may give the title's line after the table's rows: then anywhere on the unit line's page
        page = [j for j in range(max(0, u - 60), min(len(lines), u + 80))
                if lines[j].page is not None and lines[j].page == lines[u].page and j not in used and j not in window]
        for j in window + page:
            found = _title_of(lines[j].text, names)
            if found:
                used.add(j)
                starts.append((min(j, u), found[0], found[1], unit))
                break
        else:  # a table the profiles do not know still ends the one before it
            other = next((j for j in window if _OTHER_TITLE.search(norm(lines[j].text))
                          and len(norm(lines[j].text)) <= 40), None)
            if other is not None:
                used.add(other)
                starts.append((other, "", norm(lines[other].text), unit))
    # a table whose page prints no unit line of its own: a title line alone, followed by a header
    found_ids = {t for _, t, _, _ in starts}
    for j, line in enumerate(lines):
        hit = _title_of(line.text, names) if j not in used else None
        if hit is None or hit[0] in found_ids or not any(hit[1].endswith(a) for a in names[hit[0]]):
            continue
        after = "".join(norm(x.text) for x in lines[j + 1:j + 7])
        if any(w in after for w in ("科目", "项目", "合计", "编制单位")) and not _PART.match(hit[1]):
            prior = [u for u in units if u < j]
            unit = _UNIT.search(norm(lines[prior[-1]].text)).group(1) if prior else "万元"  # type: ignore[union-attr]
            starts.append((j, hit[0], hit[1], unit.replace("万", "万元").replace("万元元", "万元")))
            found_ids.add(hit[0])
    starts.sort()
    out: dict[str, BTable] = {}
    for k, (i, tid, title, unit) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        for j in range(i + 1, end):
            text = norm(lines[j].text)
            if _PART.match(text) or j > i + 2 and _PROSE.search(text):
                end = j
                break
        if not tid or tid in out:
            continue
        out[tid] = _read(doc, tid, title, i, end, unit)
    return out


def _read(doc: SourceDoc, tid: str, title: str, start: int, end: int, unit: str) -> BTable:
    t = BTable(tid, title, doc, start, end, unit)
    header: list[str] = []
    pending: BRow | None = None
    lone = filled = 0  # lines with text, and those holding a single cell
    above: tuple[int, str] | None = None  # a name-only line after the rows: (index, text)
    tail: BRow | None = None  # a row read from a wrapped-name line, its name's end may follow
    for idx in range(start + 1, end):
        line = doc.lines[idx]
        text = unicodedata.normalize("NFKC", line.text).strip()
        n = norm(text)
        if not n:
            continue
        prev_above, prev_tail = above, tail
        above = tail = None
        filled += 1
        if not line.cells and len(text.split()) == 1:
            lone += 1
        if _EMPTY.search(n):
            t.empty = True
        loc = line.location(doc.path)
        for m in _PAIR.finditer(n):
            v = to_decimal(m.group(2))
            if v is not None and m.group(1) not in t.pairs:
                t.pairs[m.group(1)] = (v, loc)
        tokens = [x for x in re.split(r"[\s|\t]+", text.replace("　", " ")) if x]
        if line.cells:
            tokens = [c.strip() for c in line.cells if c.strip()]
        if len(tokens) > 2 and re.fullmatch(r"\d{1,2}", tokens[0]) and _is_code(tokens, 1):
            tokens = tokens[1:]  # a page number the PDF put before the row
        if len(tokens) > 2 and tokens[0] in ("合", "总") and tokens[1] == "计":
            tokens = [tokens[0] + tokens[1], *tokens[2:]]  # “合   计” spaced out across its cell
        tokens = _joined_codes(tokens)
        amounts = _amounts(tokens)
        head = tokens[0] if tokens else ""
        m = _CODE.match(head.replace(" ", ""))
        if m and _is_code(tokens, 0):
            groups = _groups(tokens)
            if len(groups) > 1:
                t.grouped = True  # two or three code/name/amount groups per row (economic tables)
            for code, name, amts in groups:
                row = BRow(code, name, [(to_decimal(a), loc) for a in amts], loc)  # type: ignore[misc]
                t.rows.append(row)
            pending = row if not row.amounts and len(groups) == 1 else None
            if len(groups) == 1 and not row.name and row.amounts and _wrapped_code_row(tokens):
                if prev_above is not None and prev_above[0] == idx - 1:
                    row.name = prev_above[1]
                tail = row
            continue
        if _TOTAL.match(norm(head)) and len(tokens) > 1:
            t.rows.append(BRow("合计", head, [(to_decimal(a), loc) for a in amounts], loc))  # type: ignore[misc]
            pending = None
            continue
        first = next((k for k, x in enumerate(tokens) if _AMOUNT.match(x)), len(tokens))
        if pending is not None and amounts and all(_AMOUNT.match(x) or _PCT.match(x) for x in tokens[first:]):
            pending.name += "".join(tokens[:first])  # the name's last part, then the amounts
            pending.amounts = [(to_decimal(a), loc) for a in amounts]  # type: ignore[misc]
            pending = None
            continue
        if pending is not None and not amounts:
            pending.name += n  # a wrapped name
            continue
        if t.rows and not amounts and pending is None:
            words = "".join(tokens)  # as a row's name is read (NFKC, no blanks)
            if prev_tail is not None and len(n) <= 12 and not _HEADER_WORDS.search(n):
                prev_tail.name += words  # the end of a name wrapped around the row's figures
            else:
                above = (idx, words)
            continue
        if t.rows and len(amounts) >= 2 and _AMOUNT.match(head) and not line.cells and not _HEADER_WORDS.search(n):
            t.stray.append(loc)  # a row's figures without the code and name we could read them by
        if not t.rows and amounts and len(amounts) == len(tokens) and len(amounts) >= 2:
            # a table of one row of figures under its header (the “三公” table): its first is the total
            t.rows.append(BRow("值", "", [(to_decimal(a), loc) for a in amounts], loc))  # type: ignore[misc]
            continue
        if not t.rows:
            header.append(n)
    t.header = "".join(header)
    t.scattered = doc.kind == "text" and filled >= 10 and lone > 0.6 * filled
    coded = [(r.location.page or 0, r.location.line or 0) for r in t.rows if r.key.isdigit()]
    # only figures between coded rows can be a coded row's (a total or a note outside them is not)
    t.stray = [lc for lc in t.stray if coded and coded[0] < (lc.page or 0, lc.line or 0) < coded[-1]]
    return t
