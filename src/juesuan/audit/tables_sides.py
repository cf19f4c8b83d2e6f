"""The two-sided summary tables: 收入支出决算总表 (t01) and 财政拨款收入支出决算总表 (t04).

Income items on the left, expenditure (function classes, totals, balances) on
the right.  The sides are split where the right-hand labels begin (the first
text to the right of the left figure column); each side's label is matched
by its start, so a label wrapped over two lines is still recognised.
"""

from __future__ import annotations

import re

from juesuan.audit.headings import strip_number
from juesuan.audit.model import Cell
from juesuan.audit.tables_grid import (
    Column,
    Locator,
    Tok,
    VRow,
    assign,
    fold,
    header_columns,
    is_amount,
    reading_order,
    to_decimal,
)
from juesuan.refdata.codelists import load_code_list

_LEFT = [
    ("年初财政拨款结转和结余", "opening"), ("年初结转和结余", "opening"), ("上年结转和结余", "opening"), ("使用非财政拨款结余", "use_of_balance"),
    ("本年收入合计", "income_total"), ("一般公共预算财政拨款", "general_budget"),
    ("政府性基金预算财政拨款", "gov_fund"), ("国有资本经营预算财政拨款", "state_capital"),
    ("上级补助收入", "superior_subsidy"), ("事业收入", "business"), ("经营收入", "operating"),
    ("附属单位上缴收入", "affiliated"), ("其他收入", "other"), ("财政拨款收入", "appropriation"), ("总计", "total"),
    ("合计", "total"),
]
_RIGHT = [
    ("本年支出合计", "expenditure_total"), ("结余分配", "distribution"), ("年末财政拨款结转和结余", "closing"),
    ("年末结转和结余", "closing"), ("总计", "total"), ("合计", "total"),
]
_KINDS = {"general_budget": "general", "gov_fund": "gov_fund", "state_capital": "state_capital"}
KEYWORDS = {
    "t01": [("amount", "决算数"), ("amount", "金额")],
    "t04": [("gov_fund", "政府性基金"), ("state_capital", "国有资本"), ("general", "一般公共预算"),
            ("total", "合计"), ("amount", "决算数"), ("amount", "金额")],
}


def _label(text: str) -> str:
    text = fold(text)
    kind, _n, rest = strip_number(text)
    return re.sub(r"[()（）]", "", rest if kind else text)


def _classes(year: int | None) -> dict[str, str]:
    try:
        codes = load_code_list("func", year or 2024)
    except Exception:  # noqa: BLE001 - no code list: classes are not named
        return {}
    return {re.sub(r"[()（）]", "", e.name): e.code for e in codes if len(e.code) == 3}


def _match(label: str, table: list[tuple[str, str]]) -> str | None:
    for word, key in table:
        if label.startswith(word) or (len(label) >= 4 and word.startswith(label)):
            return key
    return None


def _class(label: str, classes: dict[str, str]) -> str | None:
    if label in classes:
        return classes[label]
    hits = [c for n, c in classes.items() if len(label) >= 4 and n.startswith(label)]
    return hits[0] if len(hits) == 1 else None


def _side_key(side: str, label: str, classes: dict[str, str]) -> tuple[str | None, str | None]:
    if label.startswith("其中"):  # “其中：政府性基金预算财政拨款”: a part of the row above, not a term of the sum
        rest = label[2:].lstrip(":：")
        key = _side_key(side, rest, classes)[0] if rest else None
        return f"of.{key or 'item'}", None
    if side == "left":
        return _match(label, _LEFT), None
    code = _class(label, classes)
    return code or _match(label, _RIGHT), code


def two_sided(tid: str, header: list[VRow], data: list[VRow], loc: Locator,
              year: int | None = None) -> list[dict[str, Cell]]:
    """Rows of t01/t04: ``row`` key (general_budget, income_total, opening, 201 …), ``side`` and figures."""
    columns = header_columns(header, KEYWORDS[tid])
    amount_cols = [c for c in columns if c.key == "amount"]
    left_col = amount_cols[0] if amount_cols else None
    pivot = left_col.xc if left_col else None
    texts = [t for r in data for t in r.toks if not is_amount(t.text)]
    if pivot is not None:
        right_texts = [t.x0 for t in texts if t.x0 > pivot]
        boundary = min(right_texts) - 2 if right_texts else float("inf")
    else:
        xs = [t.x0 for t in texts]
        boundary = (min(xs) + max(xs)) / 2 if xs else 0.0
    right_cols = [c for c in columns if c.key and c.x0 >= boundary - 10 and c is not left_col]
    if tid == "t01":
        right_cols = [Column(c.label, c.x0, c.x1, "amount") for c in right_cols]
    left_key = "amount" if tid == "t01" else "total"
    classes = _classes(year)
    out: list[dict[str, Cell]] = []
    pending: dict[str, tuple[str, list[Tok]]] = {}
    after_opening = False
    for r in data:
        for side in ("left", "right"):
            toks = [t for t in r.toks if (t.x0 < boundary) == (side == "left")]
            if not toks:
                continue
            words = [t for t in toks if not is_amount(t.text)]
            words = reading_order(words)  # a label wrapped inside its ruled row
            figs = [t for t in toks if is_amount(t.text)]
            label = _label("".join(t.text for t in words))
            if label.startswith(("注", "说明")):
                return out
            prev = pending.pop(side, None)
            key, code = _side_key(side, label, classes)
            if key is None and prev and words and not strip_number(fold(words[0].text))[0]:
                key, code = _side_key(side, prev[0] + label, classes)
                if key is not None:
                    label, words = prev[0] + label, prev[1] + words
            if key is None:
                if words and not figs:
                    pending[side] = (label, words)
                continue
            if side == "left" and tid == "t04":
                if key == "opening":
                    after_opening = True
                elif after_opening and key in _KINDS:
                    key = f"opening.{_KINDS[key]}"
            first = words[0] if words else toks[0]
            row: dict[str, Cell] = {"row": loc.cell(key, first), "name": loc.cell(label, first),
                                    "side": loc.cell(side, first)}
            if code:
                row["code"] = loc.cell(code, first)
            for t in figs:
                if side == "left":
                    ckey = left_key
                else:
                    col = assign(t, right_cols) if right_cols else None
                    ckey = col.key if col else "amount"
                if ckey and ckey not in row:
                    row[ckey] = loc.cell(to_decimal(t.text), t)
            out.append(row)
    return out
