"""The auditor: the claims by key, the findings it emits, and the rounding-aware comparisons.

Every comparison treats a printed figure as the interval its precision allows
(DOMAIN §1): a ratio is computed on those intervals, so a share the writer
computed from yuan is accepted whenever it can be right, and only a printed
value outside the computed interval is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.audit.checks_rules import RULES
from juesuan.audit.model import Claim, Extraction, Skipped, base_key
from juesuan.model.findings import Finding, Location
from juesuan.model.money import HUNDRED, ZERO, Interval, fmt_amount, isum
from juesuan.profiles import Profile

__all__ = ["AuditResult", "Auditor", "check_ratio", "fmt", "iv", "val"]


@dataclass
class AuditResult:
    findings: list[Finding] = field(default_factory=list)
    run: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    undeclared: set[str] = field(default_factory=set)  # rules a check reported without declaring them


def iv(v: Decimal) -> Interval:
    return Interval.printed(v)


def _fmt(v: Decimal | Interval, pct: bool = False) -> str:
    if isinstance(v, Interval):
        lo, hi = v.lo, v.hi
        a, b = (fmt_amount(lo, grouping=False), fmt_amount(hi, grouping=False)) if pct else (fmt_amount(lo), fmt_amount(hi))
        text = a if a == b else f"{a}–{b}"
        return text + ("%" if pct else "万元")
    places = max(2, -int(v.as_tuple().exponent)) if isinstance(v.as_tuple().exponent, int) else 2
    return (f"{v:.{places}f}%" if pct else fmt_amount(v, places) + "万元")


class Auditor:
    """Holds the claims by key and emits findings with the claims' locations."""

    def __init__(self, ex: Extraction, profile: Profile) -> None:
        self.ex, self.profile = ex, profile
        self.res = AuditResult()
        self.declared: tuple[str, ...] | None = None  # the rules the running check declared
        self.undeclared = self.res.undeclared
        self.by: dict[str, list[Claim]] = {}
        for c in ex.claims:
            self.by.setdefault(base_key(c), []).append(c)

    def all(self, key: str) -> list[Claim]:
        return self.by.get(key, [])

    def first(self, key: str) -> Claim | None:
        lst = self.by.get(key)
        return lst[0] if lst else None

    def skip(self, check: str, reason: str, loc: Location | None = None) -> None:
        self.res.skipped.append(Skipped(check, reason, loc))

    def emit(self, rule: str, loc: Location, expected: Any = None, found: Any = None,
             related: tuple[Location, ...] = (), suffix: str = "", **params: Any) -> None:
        r = RULES[rule]
        exp = expected if isinstance(expected, str) or expected is None else str(expected)
        fnd = found if isinstance(found, str) or found is None else str(found)
        msg = r.message.format(expected=exp, found=fnd, **params) + suffix
        if self.declared is not None and rule not in self.declared:
            self.undeclared.add(rule)  # a check reports a rule it did not declare: tests fail on this
        self.res.findings.append(Finding(rule, r.severity, msg, loc, exp, fnd, related=related))

    # -- generic comparisons ---------------------------------------------------------
    def sum_check(self, what: str, total: tuple[Decimal, Location], parts: list[tuple[Decimal, Location]]) -> None:
        s = isum([iv(v) for v, _ in parts])
        if not iv(total[0]).overlaps(s):
            self.emit("narrative.sum", total[1], _fmt(sum((v for v, _ in parts), ZERO)), _fmt(total[0]),
                      tuple(loc for _, loc in parts), what=what)

    def same(self, what: str, a: tuple[Decimal, Location], b: tuple[Decimal, Location], other: str) -> None:
        if not iv(a[0]).overlaps(iv(b[0])):
            self.emit("narrative.amount", a[1], _fmt(b[0]), _fmt(a[0]), (b[1],), what=what, other=other)

    def ratio(self, rule: str, printed: tuple[Decimal, Location], num: Interval, den: Interval,
              related: tuple[Location, ...], **params: Any) -> Interval | None:
        """Printed percentage vs num ÷ den; None when the ratio does not exist (den may be 0)."""
        return check_ratio(self.emit, rule, printed, num, den, related, **params)


def check_ratio(emit: Any, rule: str, printed: tuple[Decimal, Location], num: Interval, den: Interval,
                related: tuple[Location, ...], **params: Any) -> Interval | None:
    """A printed percentage against num ÷ den (intervals), reported through ``emit`` (an ``Auditor.emit``):
    ``rule`` when it is outside, ``narrative.pct_truncated`` when it is the quotient cut rather than
    rounded.  None when the ratio does not exist (den may be 0)."""
    q = num / den
    if q is None:
        return None
    q = q.scale(HUNDRED)
    if not iv(printed[0]).overlaps(q):
        if _truncation_of(printed[0], q):
            emit("narrative.pct_truncated", printed[1], _fmt(q, True), _fmt(printed[0], True), related,
                 suffix=params.get("suffix", ""), what=params.get("what", "百分比"))
        else:
            emit(rule, printed[1], _fmt(q, True), _fmt(printed[0], True), related, **params)
    return q


def _truncation_of(printed: Decimal, q: Interval) -> bool:
    """Whether ``printed`` (with at least one decimal) is a value of ``q`` cut, not rounded:
    99.86 for 99.868 — some x in q lies in [printed, printed + one unit of its last place)."""
    exp = printed.as_tuple().exponent
    if not isinstance(exp, int) or exp >= 0 or printed < 0:
        return False
    unit = Decimal(1).scaleb(exp)
    return q.lo < printed + unit and q.hi >= printed


def val(c: Claim, slot: str) -> tuple[Decimal, Location]:
    return c.values[slot], c.locations.get(slot, c.location)


fmt = _fmt
