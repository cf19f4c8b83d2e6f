"""The checks of the generic reader's claims (``audit.generic``), one copy for every kind of document.

Each claim is checked from its own sentence: a rate against its two figures, a
change against last year's figure it implies, a share against its whole, a sum
against its parts, the two totals against each other, and the year a clause
gives its figure against the document's.  The final accounts' audit
(``audit.checks``) and the budget's (``audit.budget``) both call
``check_generic_claims`` with a sink of their own that has the same two
methods as ``audit.auditor.Auditor``: ``emit`` (one finding) and ``ratio``
(a printed percentage against a quotient of intervals, with the truncation
warning).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from juesuan.audit.auditor import fmt, iv
from juesuan.audit.generic import whole_of
from juesuan.audit.model import Claim
from juesuan.model.findings import Location
from juesuan.model.money import HUNDRED, ZERO, Interval, isum

__all__ = ["GENERIC_NOTE", "GENERIC_RULES", "adjusted", "balanced", "check_generic_claims"]

GENERIC_NOTE = "（此句按通用句式读取）"
_N = "narrative."
# every rule ``check_generic_claims`` may report
GENERIC_RULES = tuple(_N + r for r in ("share", "rate", "change_pct", "direction", "pct_truncated", "sum", "amount",
                                       "vs_budget_pct", "rate_zero_budget", "year", "pct_missing",
                                       "share_adjusted"))


class Sink(Protocol):
    def emit(self, rule: str, loc: Location, expected: Any = None, found: Any = None,
             related: tuple[Location, ...] = (), suffix: str = "", **params: Any) -> None: ...

    def ratio(self, rule: str, printed: tuple[Decimal, Location], num: Interval, den: Interval,
              related: tuple[Location, ...], **params: Any) -> Interval | None: ...


def check_generic_claims(claims: list[Claim], year: int | None, sink: Sink) -> None:
    """Check every generic claim of ``claims`` (others are ignored); ``year``: the document's, when known."""
    by: dict[str, list[Claim]] = {}
    for c in claims:
        if c.context.get("generic"):
            by.setdefault(c.key, []).append(c)
    if year is not None:  # “2022年“三公”经费…” in the 2023 document: the year of a figure, once a line
        seen: set[tuple] = set()
        for c in claims:
            stated = c.context.get("stated_year") if c.context.get("generic") else None
            at = c.locations.get("stated_year")
            if stated is not None and stated != year and at is not None and (at.page, at.line) not in seen:
                seen.add((at.page, at.line))
                sink.emit("narrative.year", at, year, stated, suffix=GENERIC_NOTE)
    for c in by.get("generic.rate", ()):
        v = c.values
        if v["budget"] == 0:  # no rate exists: one printed with nothing spent either is a slip (a warning);
            if v["actual"] == 0:  # with money spent, the rate may be of a budget the sentence does not print
                sink.emit("narrative.rate_zero_budget", c.locations["rate"], None, fmt(v["rate"], pct=True),
                          (c.locations["budget"],), what=c.context["what"], suffix=GENERIC_NOTE)
            continue
        budget = iv(v["budget"])
        if "budget_from" in v:  # “完成预算的 r%，比预算减少 d”: the budget is the actual figure ± d
            actual, diff, sign = v["budget_from"]
            budget = iv(actual) + iv(diff).scale(Decimal(sign))
        sink.ratio("narrative.rate", _at(c, "rate"), iv(v["actual"]), budget,
                   (c.locations["actual"], c.locations["budget"]), what=c.context["what"],
                   actual=_amt(c, v["actual"]), budget=_amt(c, budget if "budget_from" in v else v["budget"]),
                   suffix=GENERIC_NOTE)
    for c in by.get("generic.change", ()):
        v = c.values
        if v["dir"] != v["trend"] and v["diff"] != 0:
            sink.emit("narrative.direction", c.locations["trend"], suffix=GENERIC_NOTE, what=c.context["what"],
                      message=f"增减额写“{v['dir_word']}”，增减幅度却写“{v['trend_word']}”")
            continue
        last = iv(v["amount"]) - iv(v["diff"]).scale(Decimal(v["dir"]))
        if last.hi <= 0 or "of_total" in v and _fits(v["pct"], iv(v["diff"]),
                                                    iv(v["of_total"]) - iv(v["diff"]).scale(Decimal(v["dir"]))):
            continue  # (a change after the last of a total's parts may be of the total: when it fits that, not wrong)
        rule = "narrative.vs_budget_pct" if c.context.get("vs") == "budget" else "narrative.change_pct"
        sink.ratio(rule, _at(c, "pct"), iv(v["diff"]), last, (c.locations["diff"], c.locations["amount"]),
                   what=c.context["what"], diff=_amt(c, v["diff"]), last=_amt(c, last), suffix=GENERIC_NOTE)
    for c in by.get("generic.totals", ()):
        v = c.values
        if not iv(v["income"]).overlaps(iv(v["spending"])):
            sink.emit("narrative.amount", c.locations["spending"], _amt(c, v["income"]), _amt(c, v["spending"]),
                      (c.locations["income"],), what="支出总计", other="收入总计",
                      suffix="（收入总计与支出总计按定义相等；此句按通用句式读取）")
    for c in by.get("generic.parts", ()):
        v = c.values
        located = tuple(c.locations[k] for k in ("part0", "part1", "part2") if k in c.locations)
        if not iv(v["total"]).overlaps(isum([iv(x) for x in v["parts"]])):
            sink.emit("narrative.sum", c.locations["total"], _amt(c, sum(v["parts"], ZERO)), _amt(c, v["total"]), located,
                      what=c.context["whole"], suffix=c.context.get("note", "") + GENERIC_NOTE)
    for c in by.get("generic.pct_blank", ()):
        sink.emit("narrative.pct_missing", c.locations["pct"], what=c.context["what"], suffix=GENERIC_NOTE)
    for c in by.get("generic.share", ()):
        v = c.values
        if v["whole"] == 0:
            continue
        rule = "narrative.share"
        if balanced(v.get("listed") or [], v["whole"]) and adjusted(v["share"], iv(v["amount"]), whole_of(v)):
            rule = "narrative.share_adjusted"  # moved by a unit of the last place so that the shares add up to 100 %
        sink.ratio(rule, _at(c, "share"), iv(v["amount"]), whole_of(v),
                   tuple(c.locations[k] for k in ("amount", "whole") if k in c.locations), what=c.context["what"],
                   part=_amt(c, v["amount"]), whole=f"{_amt(c, v['whole'])}（{c.context['whole_basis']}）",
                   hint=GENERIC_NOTE)


def _amt(c: Claim, value: Decimal | Interval) -> str:
    """An amount of the claim as its sentence prints it: in 元 when all its figures are (梧州's budgets), else 万元."""
    if c.context.get("unit") != "元":
        return fmt(value)
    yuan = value.scale(Decimal(10000)) if isinstance(value, Interval) else value.scaleb(4)
    return fmt(yuan).removesuffix("万元") + "元"


def balanced(listed: list[tuple[Decimal, Decimal]], whole: Decimal) -> bool:
    """Whether a list of (part, printed share) of ``whole`` was made to add up to 100 %: printed, the
    shares do; rounded each from its own figures, they do not (99.99 %), so one had to be moved (平差)."""
    if len(listed) < 2 or sum((p for _, p in listed), Decimal(0)) != HUNDRED or whole <= 0:
        return False
    rounded = Decimal(0)
    for amount, printed in listed:
        exp = printed.as_tuple().exponent
        places = Decimal(1).scaleb(exp if isinstance(exp, int) else 0)
        rounded += (amount / whole * HUNDRED).quantize(places, rounding=ROUND_HALF_UP)
    return rounded != HUNDRED


def adjusted(printed: Decimal, num: Interval, den: Interval) -> bool:
    """Whether ``printed`` is num ÷ den moved by one unit of its last place (a share changed so that the
    list's shares add up to 100 %: 3.32 % for 3.3145 %, beside 19.93 %, 14.62 % and 62.13 %)."""
    exp = printed.as_tuple().exponent
    q = num / den if den.lo > 0 else None
    if q is None or not isinstance(exp, int):
        return False
    unit = Decimal(1).scaleb(exp)
    return Interval(printed - unit * Decimal("1.5"), printed + unit * Decimal("1.5")).overlaps(q.scale(HUNDRED))


def _fits(printed: Decimal, num: Interval, den: Interval) -> bool:
    """Whether the printed percentage can be num ÷ den (rounded)."""
    q = num / den if den.lo > 0 else None
    return q is not None and iv(printed).overlaps(q.scale(HUNDRED))


def _at(c: Claim, slot: str) -> tuple[Decimal, Location]:
    return c.values[slot], c.locations.get(slot, c.location)
