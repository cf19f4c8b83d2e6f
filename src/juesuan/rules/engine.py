"""Runs the registered rules over a dataset and collects their findings."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Finding, Location, Provenance, Severity
from juesuan.model.money import Interval, fmt_amount, half_ulp, isum
from juesuan.rules.registry import Rule, all_rules, declare


@dataclass
class Options:
    """User choices that change what rules compute."""

    negative_overrun: str = "ratio"  # 反向 over-run: "ratio" (A/B×w) or "linear" (0 at 2A)
    select: tuple[str, ...] = ()  # only rules whose id starts with one of these
    skip: tuple[str, ...] = ()  # skip rules whose id starts with one of these
    code_lists: tuple[str, ...] = ()  # extra user code-list files


@dataclass
class Context:
    dataset: Dataset
    provenance: Provenance = field(default_factory=Provenance)
    options: Options = field(default_factory=Options)
    cache: dict[str, Any] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (rule id, why it did not run)

    def loc(self, path: str) -> Location:
        return self.provenance.get(path)

    @staticmethod
    def iv(value: Decimal) -> Interval:
        """The interval a dataset figure stands for (its written precision)."""
        return Interval.printed(value)

    def agree(self, total: Decimal, parts: list[Decimal]) -> bool:
        """Whether a stated total can be the sum of its parts given their rounding."""
        return self.iv(total).overlaps(isum([self.iv(p) for p in parts]))

    def fmt(self, value: Decimal) -> str:
        places = max(2, -int(value.as_tuple().exponent)) if value == value else 2
        return fmt_amount(value, min(places, 6)) + self.dataset.unit.value

    def tol(self, values: list[Decimal]) -> Decimal:
        return sum((half_ulp(v) for v in values), Decimal(0))


class Reporter:
    """Bound to one rule: turns keyword arguments into a Finding."""

    def __init__(self, rule: Rule, ctx: Context, sink: list[Finding]) -> None:
        self.rule = rule
        self.ctx = ctx
        self.sink = sink

    def __call__(
        self,
        path: str | Location,
        expected: Any = None,
        found: Any = None,
        related: tuple[str, ...] = (),
        severity: Severity | None = None,
        tolerance: Any = None,
        **params: Any,
    ) -> None:
        loc = path if isinstance(path, Location) else self.ctx.loc(path)
        exp = self._text(expected)
        fnd = self._text(found)
        message = self.rule.message.format(expected=exp, found=fnd, **params)
        self.sink.append(
            Finding(
                rule=self.rule.id,
                severity=severity or self.rule.severity,
                message=message,
                location=loc,
                expected=exp,
                found=fnd,
                tolerance=self._text(tolerance),
                related=tuple(self.ctx.loc(p) for p in related),
            )
        )

    def _text(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return self.ctx.fmt(value)
        return str(value)


ENGINE_ERROR = declare(
    "engine.crash",
    Severity.ERROR,
    "检查规则运行出错",
    "检查规则 {rule} 运行时出错，未能完成该项检查：{error}",
    "A rule raised an exception. The run goes on; the rule's check is reported as not done.",
    ("engine",),
)


def _selected(rule: Rule, options: Options) -> bool:
    if options.select and not any(rule.id.startswith(s) for s in options.select):
        return False
    return not any(rule.id.startswith(s) for s in options.skip)


def run_rules(ctx: Context) -> list[Finding]:
    """Run every selected rule; a crashing rule becomes an ``engine.crash`` finding.

    A rule that needs what the dataset declares not given is not run; it is
    recorded in ``ctx.skipped`` with the reason ("no finding" must not hide
    "not checked").
    """
    from juesuan.model.accounts import NOT_GIVEN

    findings: list[Finding] = []
    missing = set(getattr(ctx.dataset, "not_given", ()))
    kind = getattr(ctx.dataset, "kind", "决算")
    for r in all_rules():
        if r.check is None or r.kind != kind or not _selected(r, ctx.options):
            continue
        lacking = [n for n in r.needs if n in missing]
        if lacking:
            ctx.skipped.append((r.id, "数据来源未给出" + "、".join(NOT_GIVEN.get(n, n) for n in lacking)))
            continue
        try:
            r.check(ctx, Reporter(r, ctx, findings))
        except Exception as exc:  # noqa: BLE001 - a rule must never stop the run
            from juesuan.readers.errors import plain_reason

            if os.environ.get("JUESUAN_DEBUG"):
                traceback.print_exc()
            Reporter(ENGINE_ERROR, ctx, findings)(
                "", rule=r.id, error=plain_reason(exc) + "（设置环境变量 JUESUAN_DEBUG=1 可查看详细信息）"
            )
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule))
