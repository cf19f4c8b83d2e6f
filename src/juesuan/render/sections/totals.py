"""Explanations 一 to 四: totals, income, expenditure, appropriations."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute.derive import (
    appropriation_total,
    expenditure_total_all,
    income_total_all,
    share,
    spending_by_kind,
    spending_total,
)
from juesuan.model.money import ZERO
from juesuan.render.blocks import Block, Paragraph
from juesuan.render.sections import Clause, Ctx


def last_total(ctx: Ctx) -> Decimal | None:
    """上年收入总计, from last year's income and balances (None when not given)."""
    ly = ctx.dataset.last_year
    if ly.total is not None:
        return ly.total
    if ly.income is None:
        return None
    b = ly.balances
    return ly.income.total + (b.use_of_balance + b.opening if b else ZERO)


def vs_last_year_sh(ctx: Ctx, key: str, this: Decimal, last: Decimal | None, reason: str) -> list[Clause]:
    """Shanghai's 与上年度相比 … 增加/减少 … 增长/下降 (or 持平), then 主要原因."""
    if last is None:
        return []
    c = ctx.change(this, last)
    out: list[Clause] = [(f"{key}_flat", {})] if c["dir"] == 0 else [(key, c)]
    if reason:
        out.append(("cmp.reason", {"reason": reason}))
    return out


def vs_last_year_nm(ctx: Ctx, this: Decimal, last: Decimal | None, reason: str, key: str = "cmp.last_year") -> Clause:
    c = ctx.change(this, last)
    if reason:
        return (f"{key}_reason", {**c, "reason": reason})
    return (key, c)


def s1(ctx: Ctx) -> list[Block]:
    ds = ctx.dataset
    total = ctx.stated("t01", "total", "income", income_total_all(ds))
    if ctx.shanghai:
        clauses = [("s1.total", {"total": ctx.wan(total)})]
        clauses += vs_last_year_sh(ctx, "s1.vs_last_year", total, last_total(ctx), ctx.reason("total_vs_last_year"))
        return [ctx.para(*clauses)]
    first: list[Clause] = [("s1.total", {"total": ctx.wan(total)})]
    if ds.budget.total is not None:
        c = ctx.change(total, ds.budget.total)
        first.append(("cmp.total_vs_budget", {**c, "reason": ctx.reason("total_vs_budget", "无")}))
    first.append(vs_last_year_nm(ctx, total, last_total(ctx), ctx.reason("total_vs_last_year"), "cmp.total_vs_last_year"))
    first.append("then")
    ly = ds.last_year
    li = ly.income
    lb = ly.balances
    b = ds.balances
    spend = ctx.stated("t01", "expenditure_total", "amount", spending_total(ds))
    out: list[Block] = [ctx.para(*first)]

    def line(key: str, value: Decimal, last: Decimal | None, reason_key: str, **extra: str) -> Paragraph:
        return ctx.para((key, {"amount": ctx.wan(value), **extra}), vs_last_year_nm(ctx, value, last, ctx.reason(reason_key)))

    out.append(ctx.para(("s1.income_total", {"total": ctx.wan(total)})))
    out.append(line("s1.income", ctx.stated("t01", "income_total", "amount", ds.income.total), li.total if li else None, "income_vs_last_year"))
    out.append(line("s1.use_of_balance", b.use_of_balance, lb.use_of_balance if lb else None, "use_of_balance_vs_last_year"))
    out.append(line("s1.opening", b.opening, lb.opening if lb else None, "opening_vs_last_year"))
    out.append(ctx.para(("s1.expenditure_total", {"total": ctx.wan(ctx.stated("t01", "total", "expenditure", expenditure_total_all(ds)))})))
    out.append(line("s1.expenditure", spend, ly.expenditure, "expenditure_vs_last_year"))
    out.append(
        line("s1.distribution", b.distribution, lb.distribution if lb else None, "distribution_vs_last_year",
             matter=ctx.reason("distribution", "无"))
    )
    out.append(
        line("s1.closing", b.closing, lb.closing if lb else None, "closing_vs_last_year", matter=ctx.reason("closing", "无"))
    )
    return out


def _shares(ctx: Ctx, key: str, total: Decimal, items: list[tuple[str, Decimal]]) -> list[dict]:
    keep = [(lab, v) for lab, v in items if v != 0 or not ctx.profile.options.omit_zero_items]
    return [{"label": lab, "amount": ctx.wan(v), "share": share(v, total)} for lab, v in keep]


def _income_value(ctx: Ctx, field: str) -> Decimal:
    inc = ctx.dataset.income
    return inc.appropriation if field == "appropriation" else getattr(inc, field)


def s2(ctx: Ctx) -> list[Block]:
    total = ctx.stated("t01", "income_total", "amount", ctx.dataset.income.total)
    items = _shares(ctx, "s2.item", total, [(i.label, _income_value(ctx, i.field)) for i in ctx.profile.income_items])
    return _list_section(ctx, "s2", total, items)


def s3(ctx: Ctx) -> list[Block]:
    total = ctx.stated("t01", "expenditure_total", "amount", spending_total(ctx.dataset))
    kinds = {k: ctx.stated("t03", "total", k, v) for k, v in spending_by_kind(ctx.dataset).items()}
    items = _shares(ctx, "s3.item", total, [(i.label, kinds[i.field]) for i in ctx.profile.spending_items])
    return _list_section(ctx, "s3", total, items)


def _list_section(ctx: Ctx, topic: str, total: Decimal, items: list[dict]) -> list[Block]:
    intro = (f"{topic}.total", {"total": ctx.wan(total)})
    if ctx.shanghai:
        return [ctx.listing(intro, f"{topic}.item", items)]
    out: list[Block] = [ctx.para(intro)]
    for i, v in enumerate(items):
        out.append(ctx.para((f"{topic}.item", v), end="。" if i == len(items) - 1 else "；"))
    return out


def s4(ctx: Ctx) -> list[Block]:
    ds = ctx.dataset
    total = ctx.stated("t04", "total", "total", appropriation_total(ds))
    last = ds.last_year.appropriation_total
    reason_ly = ctx.reason("appropriation_vs_last_year")
    if ctx.shanghai:
        clauses = [("s4.total", {"total": ctx.wan(total)})]
        clauses += vs_last_year_sh(ctx, "s4.vs_last_year", total, last, reason_ly)
        return [ctx.para(*clauses)]
    clauses = [("s4.total", {"total": ctx.wan(total)})]
    if ds.budget.appropriation_total is not None:
        c = ctx.change(total, ds.budget.appropriation_total)
        clauses.append(("cmp.total_vs_budget", {**c, "reason": ctx.reason("appropriation_vs_budget", "无")}))
    clauses.append(vs_last_year_nm(ctx, total, last, reason_ly, "cmp.total_vs_last_year"))
    return [ctx.para(*clauses)]
