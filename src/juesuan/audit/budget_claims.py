"""The sentences of a budget's explanations, read by shape (the budget profile's ``meanings``).

A budget compares with last year's *budget*: “比上年预算增加 d 万元，增长 p%”, “与上年
相比减少 d 万元，减少 p%”, “较上年预算数下降 …”, “比2021年预算减少 …”.  The comparison words
and the direction words are the profile's (``meanings.against``, where ``{year}`` stands for
a year; ``up``, ``down``); the amounts are read as
the generic reader reads them (``audit.generic``: 万元 or 元, a share or a definition
between the amount and its change), and each claim is the generic reader's
``generic.change``, checked the same way (``audit.generic_checks``) as every other claim
the generic reader reads there: shares, rates, sums of parts and the two totals.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from juesuan.audit import generic as g
from juesuan.audit.budget_tables import BTable
from juesuan.audit.claims import Joined, join_lines
from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Claim
from juesuan.model.findings import Location

__all__ = ["budget_claims", "named_amounts", "outside_tables", "three_public_sentence"]


def _word_rx(word: str) -> str:
    """A comparison word of the profile, ``{year}`` standing for any year (“比{year}年预算”: 比2025年预算)."""
    return rf"{g._W}20{g._W}\d{g._W}\d{g._W}".join(g._lit(part) for part in word.split("{year}"))


@cache
def _change(against: tuple[str, ...], up: tuple[str, ...], down: tuple[str, ...]) -> re.Pattern[str]:
    words = "(?:" + "|".join(_word_rx(w) for w in sorted(against, key=len, reverse=True)) + ")"
    dirs = g._alt(*up, *down)
    return re.compile(
        rf"{g._money('a')}{g._PAREN}{g._BETWEEN}\s*[，,]?{g._W}{words}{g._W}[，,]?{g._W}"
        rf"(?P<dir>{dirs}){g._W}(?:{g._lit('了')})?{g._W}{g._money('d')}{g._C}"
        rf"(?:{g._lit('变动原因主要是')}[^，,。]{{0,0}})?"
        rf"(?P<trend>{dirs}){g._W}(?:{g._lit('了')})?{g._W}(?P<p>{g.PCT})"
    )


def budget_claims(joined: Joined, topic: str, meanings: dict[str, Any]) -> list[Claim]:
    """Every change against last year's budget, and every claim the generic reader reads, of a stretch of text."""
    up = tuple(meanings.get("up", ("增加", "增长")))
    down = tuple(meanings.get("down", ("减少", "下降")))
    regex = _change(tuple(meanings.get("against", ("比上年预算",))), up, down)
    sign = {**{w: 1 for w in up}, **{w: -1 for w in down}}
    out: list[Claim] = []
    for m in regex.finditer(joined.text):
        if not g._clean_start(joined.text, m.start("a")):
            continue
        out.append(g._change(joined, topic, m, "a", {}, sign))
    # and every other shape the generic reader knows (its rates, shares, sums and totals, and the
    # changes of its own wordings), less a change already read above from the same percentage
    # (the “三公” total against its parts is the budget's own check, ``budget_doc.three_public_sum``)
    seen = {c.locations["pct"] for c in out}
    for c in g.generic_claims(joined, topic):
        if c.key == "generic.change" and c.locations["pct"] in seen or c.context.get("whole") == "“三公”经费":
            continue
        out.append(c)
    return out


def outside_tables(doc: SourceDoc, tables: list[BTable]) -> list[tuple[int, int]]:
    """The (start, end) line spans of ``doc`` outside its tables: the explanations' text."""
    spans, pos = [], 0
    for t in sorted(tables, key=lambda t: t.start):
        if t.start > pos:
            spans.append((pos, t.start))
        pos = max(pos, t.end)
    if pos < len(doc.lines):
        spans.append((pos, len(doc.lines)))
    return spans


_NOT_AFTER = ("上年", "比", "较", "同比", "拨款", "财政", "公共预算", "基金", "资本", "经营", "单位", "部门本级", "其中")


def named_amounts(doc: SourceDoc, says: list[str], tables: list[BTable],
                  not_after: list[str] | None = None) -> list[tuple[Decimal, str, Location]]:
    """(amount in 万元, "万元", where) of every “<name>（为）N 万元” of the text outside the tables, for the
    names ``says`` lists — not after 上年/比/较 (last year's figure), not a share's amount."""
    names = g._alt(*sorted(says, key=len, reverse=True))
    regex = re.compile(rf"(?<![上比较年])(?P<name>{names}){g._W}(?:{g._alt('为', '是', '共计', '合计')})?{g._W}"
                       rf"{g._money('x')}")
    out = []
    for a, b in outside_tables(doc, tables):
        if b - a < 1:
            continue
        j = join_lines(doc, a, b - 1)
        for m in regex.finditer(j.text):
            before = re.sub(r"\s+", "", j.text[max(0, m.start() - 12):m.start()])[-8:]
            if any(w in before for w in (_NOT_AFTER if not_after is None else not_after)):
                continue
            out.append((g._num(m, "x"), "万元", j.location(*m.span("x"))))
    return out


_TP_TOTAL = re.compile(rf"“?{g._lit('三公')}”?{g._W}{g._lit('经费')}{g._W}(?:{g._alt('支出预算', '预算支出', '预算数', '预算')})"
                       rf"{g._W}(?:{g._alt('为', '是', '共计', '合计')})?{g._W}{g._money('t')}")


def three_public_sentence(doc: SourceDoc, tables: list[BTable]) -> tuple[tuple[Decimal, Location], list] | None:
    """The “三公” budget total and its three parts as the explanation prints them (one sentence each),
    or None when the explanation does not give all four."""
    parts_re = [re.compile(rf"{g._lit(w)}{g._W}(?:{g._alt('预算支出', '支出预算', '预算', '支出')})?{g._W}"
                           rf"(?:{g._alt('为', '是')})?{g._W}{g._money('x')}")
                for w in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")]
    for a, b in outside_tables(doc, tables):
        if b - a < 1:
            continue
        j = join_lines(doc, a, b - 1)
        text = j.text.replace("(", "（").replace(")", "）")
        m = next((m for m in _TP_TOTAL.finditer(text)
                  if not re.search(r"上年|比|较|同比", re.sub(r"\s+", "", text[max(0, m.start() - 8):m.start()]))), None)
        if m is None:
            continue
        window = text[m.end():m.end() + 600]
        parts = []
        for regex in parts_re:
            p = regex.search(window)
            if p is None:
                return None
            parts.append((g._num(p, "x"), j.location(m.end() + p.start("x"), m.end() + p.end("x"))))
        return (g._num(m, "t"), j.location(*m.span("t"))), parts
    return None

