"""Does a table, as read, add up to its own totals?  A misread (a figure in the wrong column, a
row number read as an amount, a row lost over a page break) almost never does.

``self_check(table: RecoveredTable) -> str | None``: None when every sum the table prints
agrees within rounding (a printed 4,499.46 stands for [4,499.455, 4,499.465], see
``juesuan.model.money.Interval.printed``), else a short Chinese reason naming the first row
that fails, e.g. “2080505 机关事业单位基本养老保险缴费支出”行：合计 34.00 ≠ 各列之和 76.23.

What is checked, on the rows that are printed (an absent row is no failure; a blank cell
of a printed row counts as 0):

- code tables (t02, t03, t05, t08, t09): each row's total = its part columns; each 类 = its
  款, each 款 = its 项, in every column; the 合计 row = the 类 rows;
- economic tables (t06, t07): each 类 = its 款; 人员经费合计 = 301 + 303, 公用经费合计 = the
  other classes, a 合计 row = all classes;
- t01 / t04: 本年收入合计 = the income rows, 本年支出合计 = the function classes, 总计 =
  合计 + the balance rows on each side, both sides' 总计 equal (t04: in every column, and
  each row's 合计 = its three kinds of appropriation);
- t10: 合计 = 出国 + 车辆 + 接待, 车辆 = 购置 + 运行, for 预算数 and 决算数.

The caller decides what an uncertain table means (``RecoveredTable.uncertain``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from juesuan.audit.model import Cell, RecoveredTable
from juesuan.model.findings import Location
from juesuan.model.money import ZERO, Interval, fmt_amount, half_ulp, isum

__all__ = ["MISREADS", "MISREAD_BLANKS", "MISREAD_ORDER", "failing_cells", "self_check"]

# the end of an uncertain table's reason when our reading, not the document, is the likely cause:
# rows read out of order, or a plain text's row with blank cells (its figures' columns unknown)
MISREAD_ORDER = "行的读取顺序有误"
MISREAD_BLANKS = "纯文本不标出空白单元格，有空白的行的数字可能错列"
MISREADS = (MISREAD_ORDER, MISREAD_BLANKS)

_META = ("code", "name", "row", "side")
_PARTS = {
    "t02": ("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"),
    "t03": ("basic", "project", "to_superior", "operating", "affiliated"),
    "t05": ("basic", "project"),
    "t08": ("basic", "project"),
    "t09": ("basic", "project"),
}
_LABELS = {
    "total": "合计", "basic": "基本支出", "project": "项目支出", "appropriation": "财政拨款收入",
    "superior_subsidy": "上级补助收入", "business": "事业收入", "operating": "经营收入", "affiliated": "附属单位上缴收入",
    "other": "其他收入", "to_superior": "上缴上级支出", "opening": "年初结转和结余", "income": "本年收入",
    "closing": "年末结转和结余", "amount": "决算数", "general": "一般公共预算财政拨款", "gov_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}
_T03_LABELS = {"operating": "经营支出", "affiliated": "对附属单位补助支出"}
_INCOME = ("general_budget", "gov_fund", "state_capital", "superior_subsidy", "business", "operating",
           "affiliated", "other")
_KINDS = ("general_budget", "gov_fund", "state_capital")
_T04_COLS = ("general", "gov_fund", "state_capital")


def _val(row: dict[str, Cell], key: str) -> Decimal | None:
    cell = row.get(key)
    return cell.value if cell is not None and isinstance(cell.value, Decimal) else None


def _iv(value: Decimal | None) -> Interval:
    return Interval.printed(value) if value is not None else Interval.exact(ZERO)


def _agrees(total: Decimal | None, parts: Iterable[Decimal | None], span: int = 0) -> tuple[bool, Decimal]:
    """The printed parts can add up to the printed total; and the sum of the parts, as printed.

    ``span``: how many printed detail rows the total covers.  A publisher may add the
    rounded details rather than round the exact total, so a total may be off by half a
    cent per detail row, as ``rules.crosstable`` allows a stated total.
    """
    parts = list(parts)
    exact = sum((p for p in parts if p is not None), ZERO)
    tol = half_ulp(total) * (1 + span) if total is not None else None
    want = Interval.printed(total, tol) if total is not None else Interval.exact(ZERO)
    return isum([_iv(p) for p in parts]).overlaps(want), exact


def _fmt(value: Decimal | None) -> str:
    return fmt_amount(value if value is not None else ZERO)


def _name(row: dict[str, Cell]) -> str:
    code = row.get("code")
    name = row.get("name")
    text = str(name.value) if name is not None and name.value else ""
    if code is not None and code.value and str(code.value) not in text:
        return f"{code.value} {text}".strip()
    return text or str(row.get("row").value if row.get("row") else "")


def _col(tid: str, key: str) -> str:
    return (_T03_LABELS.get(key) if tid == "t03" else None) or _LABELS.get(key, key)


def failing_cells(table: RecoveredTable, reason: str) -> tuple[Location | None, tuple[Location, ...]]:
    """Where a ``self_check`` failure is: the row its reason names (its 合计 cell, else its first
    cell), and every figure that takes part in the sum that fails — the row's own cells, the
    rows one level below it (or the classes, for a 合计 row); for a two-sided or a “三公” table,
    whose reasons name a sum rather than a row, the figures of the side or row concerned."""
    figures = [r for r in table.rows if any(isinstance(c.value, Decimal) for k, c in r.items() if k not in _META)]
    row = next((r for r in figures if f"“{_name(r)}”行" in reason), None)
    if table.id in ("t01", "t04"):  # a two-sided table's sums run over its whole sides
        cell = row and (row.get("total") or row.get("amount"))
        return (cell.location if cell is not None else None), _locations(figures)
    if row is None:
        side = next((r["side"].value for r in figures if r.get("side") and _name(r) and _name(r) in reason), None)
        group = [r for r in figures if side is None or (r.get("side") and r["side"].value == side)]
        return None, _locations(group)
    code = str(row["code"].value) if row.get("code") is not None else ""
    if code:
        group = [row, *_children([r for r in figures if r.get("code") is not None], code)]
    else:
        group = [row, *(r for r in figures if r.get("code") is not None and len(str(r["code"].value)) == 3)]
    cell = row.get("total") or row.get("amount") or next(iter(row.values()), None)
    return (cell.location if cell is not None else None), _locations(group)


def _locations(rows: list[dict[str, Cell]]) -> tuple[Location, ...]:
    return tuple(c.location for r in rows for k, c in r.items() if k not in _META and isinstance(c.value, Decimal))


def self_check(table: RecoveredTable) -> str | None:
    """None when the table as read adds up within rounding; else why not (the first failing row).

    A table read from plain text that has blank cells and does not add up is put down to
    the reading (the reason ends with ``MISREAD_BLANKS``): its figures may sit one column off.
    """
    why = _self_check(table)
    if why and not why.endswith(MISREADS) and not table.blanks_known and _has_blanks(table):
        return f"{why}；{MISREAD_BLANKS}"
    return why


def _has_blanks(table: RecoveredTable) -> bool:
    """A row of figures lacks a column that other rows print."""
    rows = [{k for k, c in r.items() if k not in _META and isinstance(c.value, Decimal)} for r in table.rows]
    every = set().union(*rows) if rows else set()
    return any(keys != every for keys in rows if keys) or any(not keys for keys in rows)


def _self_check(table: RecoveredTable) -> str | None:
    if table.empty_statement or not table.rows:
        return None
    tid = table.id
    if tid in _PARTS or tid in ("t06", "t07"):
        repeated = _repeated_codes(table)
        if repeated:
            return repeated
    if tid in _PARTS:
        return _code_table(table)
    if tid in ("t06", "t07"):
        return _econ(table)
    if tid == "t01":
        return _two_sided(table, ("amount",))
    if tid == "t04":
        return _two_sided(table, ("total", *_T04_COLS))
    if tid == "t10":
        return _three_public(table)
    return None


def _repeated_codes(table: RecoveredTable) -> str | None:
    """Rows read in the wrong order (text that printed a table column by column) give the same
    codes again and again; a document may print one code twice by mistake (a warning of its
    own), so only three or more repeats make the table uncertain."""
    seen: dict[str, int] = {}
    for row in table.rows:
        c = row.get("code")
        if c is not None and c.value:
            seen[str(c.value)] = seen.get(str(c.value), 0) + 1
    extra = sum(n - 1 for n in seen.values() if n > 1)
    if extra < 3:
        return None
    code, n = max(seen.items(), key=lambda kv: kv[1])
    return f"科目 {code} 读出 {n} 行，共 {extra} 行科目重复：{MISREAD_ORDER}"


def _columns(table: RecoveredTable) -> list[str]:
    keys: list[str] = []
    for row in table.rows:
        for k in row:
            if k not in _META and not k.startswith("of.") and k not in keys:
                keys.append(k)
    return keys


def _children(rows: list[dict[str, Cell]], code: str) -> list[dict[str, Cell]]:
    """The printed rows one level below ``code`` (类 201 → 款 201xx, 款 20101 → 项 20101xx)."""
    want = len(code) + 2
    return [r for r in rows if (c := r.get("code")) is not None and len(str(c.value)) == want
            and str(c.value).startswith(code)]


class _Codes:
    """``_children`` and ``_span`` of one table's coded rows, indexed once (not a scan per row)."""

    def __init__(self, rows: list[dict[str, Cell]]) -> None:
        codes = [(str(r["code"].value), r) for r in rows if r.get("code") is not None]
        self.children: dict[str, list[dict[str, Cell]]] = {}
        for c, r in codes:
            if len(c) > 2:
                self.children.setdefault(c[:-2], []).append(r)
        known = {c for c, _ in codes}
        self.lengths: dict[str, dict[int, int]] = {}  # a row's code → lengths of the codes below it
        for c, _ in codes:
            for k in range(1, len(c)):
                if c[:k] in known:
                    under = self.lengths.setdefault(c[:k], {})
                    under[len(c)] = under.get(len(c), 0) + 1
        finest = max((len(c) for c, _ in codes), default=0)
        self.all = sum(1 for c, _ in codes if len(c) == finest)

    def span(self, prefix: str = "") -> int:
        """How many detail rows (the finest printed level) lie under ``prefix`` (all rows for "")."""
        if not prefix:
            return self.all
        under = self.lengths.get(prefix)
        return under[max(under)] if under else 0


def _hierarchy(tid: str, row: dict[str, Cell], index: _Codes, cols: list[str],
               below: str) -> str | None:
    code = str(row["code"].value) if row.get("code") is not None else ""
    kids = index.children.get(code, []) if code else []
    if not kids:
        return None
    span = index.span(code)
    for key in cols:
        ok, exact = _agrees(_val(row, key), (_val(k, key) for k in kids), span)
        if not ok:
            return f"“{_name(row)}”行：{_col(tid, key)} {_fmt(_val(row, key))} ≠ {below}之和 {_fmt(exact)}"
    return None


def _code_table(table: RecoveredTable) -> str | None:
    tid = table.id
    cols = _columns(table)
    parts = [k for k in _PARTS[tid] if k in cols]
    coded = [r for r in table.rows if r.get("code") is not None]
    classes = [r for r in coded if len(str(r["code"].value)) == 3]
    index = _Codes(coded)
    for row in table.rows:  # each row with itself first: a misread cell names its own row
        total = _val(row, "total")
        if total is not None and parts:
            code = str(row["code"].value) if row.get("code") is not None else ""
            span = (index.span(code) if len(code) < 7 else 0) if code else index.span()
            ok, exact = _agrees(total, (_val(row, k) for k in parts), span)
            if not ok:
                return f"“{_name(row)}”行：合计 {_fmt(total)} ≠ 各列之和 {_fmt(exact)}"
    for row in table.rows:
        if row.get("code") is not None:
            level = {3: "各款", 5: "各项"}.get(len(str(row["code"].value)))
            if level and (why := _hierarchy(tid, row, index, cols, level)):
                return why
        elif row.get("row") is not None and row["row"].value == "total" and classes:
            for key in cols:
                ok, exact = _agrees(_val(row, key), (_val(c, key) for c in classes), index.span())
                if not ok:
                    return f"“{_name(row)}”行：{_col(tid, key)} {_fmt(_val(row, key))} ≠ 各类之和 {_fmt(exact)}"
    return None


_PERSONNEL = ("301", "303")


def _econ(table: RecoveredTable) -> str | None:
    tid = table.id
    coded = [r for r in table.rows if r.get("code") is not None]
    classes = [r for r in coded if len(str(r["code"].value)) == 3]
    index = _Codes(coded)
    for row in table.rows:
        if row.get("code") is not None:
            if len(str(row["code"].value)) == 3 and (why := _hierarchy(tid, row, index, ["amount"], "各款")):
                return why
            continue
        key = row["row"].value if row.get("row") is not None else None
        if not classes or _val(row, "amount") is None:
            continue
        if key == "personnel":
            terms = [c for c in classes if str(c["code"].value) in _PERSONNEL]
        elif key == "public":
            terms = [c for c in classes if str(c["code"].value) not in _PERSONNEL]
        else:
            terms = classes
        span = sum(index.span(str(c["code"].value)) for c in terms)
        ok, exact = _agrees(_val(row, "amount"), (_val(c, "amount") for c in terms), span)
        if not ok:
            return f"“{_name(row)}”行：{_fmt(_val(row, 'amount'))} ≠ 各类之和 {_fmt(exact)}"
    return None


def _two_sided(table: RecoveredTable, cols: tuple[str, ...]) -> str | None:
    left = {str(r["row"].value): r for r in table.rows if r.get("side") and r["side"].value == "left"}
    right = {str(r["row"].value): r for r in table.rows if r.get("side") and r["side"].value == "right"}
    classes = [r for r in table.rows if r.get("code") is not None and r.get("side") and r["side"].value == "right"]
    lk = cols[0]  # the left side prints one figure per row

    def left_val(key: str) -> Decimal | None:
        row = left.get(key)
        return _val(row, lk) if row is not None else None

    span = sum(1 for c in classes if any(_val(c, k) for k in cols))  # the function classes printed
    if table.id == "t04":  # each row of the right side: 合计 = its three kinds of appropriation
        for row in table.rows:
            if row.get("side") and row["side"].value == "right" and _val(row, "total") is not None:
                ok, exact = _agrees(_val(row, "total"), (_val(row, k) for k in _T04_COLS), span)
                if not ok:
                    return f"“{_name(row)}”行：合计 {_fmt(_val(row, 'total'))} ≠ 各列之和 {_fmt(exact)}"
    checks: list[tuple[str, str, Decimal | None, list[Decimal | None]]] = []
    if "income_total" in left:
        kinds = [k for k in _KINDS if k in left]
        items = [k for k in _INCOME if k in left]
        if not kinds and "appropriation" in left:
            items = ["appropriation", *items]
        checks.append(("本年收入合计", "各收入项之和", left_val("income_total"), [left_val(k) for k in items]))
    opening_parts = [k for k in left if k.startswith("opening.")]
    if "opening" in left and opening_parts:
        checks.append(("年初结转和结余", "各项之和", left_val("opening"), [left_val(k) for k in opening_parts]))
    if "total" in left:
        terms = [left_val(k) for k in ("income_total", "use_of_balance", "opening") if k in left]
        if "income_total" in left:
            checks.append(("总计", "收入合计与结转结余之和", left_val("total"), terms))
    for key in cols:
        def rv(name: str, key: str = key) -> Decimal | None:
            row = right.get(name)
            return _val(row, key) if row is not None else None

        label = "" if key in ("amount", "total") else f"（{_LABELS.get(key, key)}）"
        if "expenditure_total" in right and classes:
            checks.append((f"本年支出合计{label}", "各功能分类之和", rv("expenditure_total"),
                           [_val(c, key) for c in classes]))
        if "total" in right and "expenditure_total" in right:
            terms = [rv(k) for k in ("expenditure_total", "distribution", "closing") if k in right]
            checks.append((f"总计{label}", "支出合计与结转结余之和", rv("total"), terms))
    if "total" in left and "total" in right:
        checks.append(("总计", "支出总计", left_val("total"), [_val(right["total"], cols[0])]))
    for name, what, total, terms in checks:
        ok, exact = _agrees(total, terms, span)
        if not ok:
            return f"“{name}”行：{_fmt(total)} ≠ {what} {_fmt(exact)}"
    return None


def _three_public(table: RecoveredTable) -> str | None:
    for row in table.rows:
        if row.get("row") is None or row["row"].value != "amounts":
            continue
        for kind, word in (("budget", "预算数"), ("actual", "决算数")):
            v = {item: _val(row, f"{kind}.{item}") for item in
                 ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")}
            parts = [v["vehicle_purchase"], v["vehicle_operation"]]
            if v["vehicle"] is not None and any(p is not None for p in parts):
                ok, exact = _agrees(v["vehicle"], parts)
                if not ok:
                    return f"“三公”经费{word}：公务用车购置及运行维护费 {_fmt(v['vehicle'])} ≠ 购置与运行维护之和 {_fmt(exact)}"
            if v["total"] is None:
                continue
            vehicle = [v["vehicle"]] if v["vehicle"] is not None else parts
            ok, exact = _agrees(v["total"], [v["abroad"], *vehicle, v["reception"]])
            if not ok:
                return f"“三公”经费{word}：合计 {_fmt(v['total'])} ≠ 各项之和 {_fmt(exact)}"
    return None
