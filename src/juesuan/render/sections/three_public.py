"""Explanation 八 (Shanghai 七): “三公”经费."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute.derive import completion, share
from juesuan.model.accounts import ThreePublicAmounts
from juesuan.model.money import ZERO
from juesuan.render.blocks import Block
from juesuan.render.sections import Clause, Ctx

ITEMS = ("abroad", "vehicle", "reception")


def _amount(a: ThreePublicAmounts, item: str) -> Decimal:
    return a.vehicle if item == "vehicle" else getattr(a, item)


def _rate(actual: Decimal, budget: Decimal) -> Decimal:
    return completion(actual, budget) or ZERO


def _rate_clause(ctx: Ctx, key: str, values: dict, actual: Decimal, budget: Decimal) -> Clause:
    """The clause with its completion rate, or the profile's ``…_no_rate`` wording when the budget
    is 0 (no rate exists; writing 0.00% is what the audit flags as narrative.rate_zero_budget)."""
    if budget == 0 and ctx.profile.has(f"{key}_no_rate"):
        return (f"{key}_no_rate", values)
    return (key, {**values, "rate": _rate(actual, budget)})


def s8(ctx: Ctx) -> list[Block]:
    return _sh(ctx) if ctx.shanghai else _nm(ctx)


def _nm(ctx: Ctx) -> list[Block]:
    tp = ctx.dataset.three_public
    b, a = tp.budget, tp.actual
    last = tp.last_year or ThreePublicAmounts()
    out: list[Block] = [ctx.heading("s8.total_heading")]

    def budget_clause(key: str, item: str) -> Clause:
        bv, av = _amount(b, item), _amount(a, item)
        return _rate_clause(ctx, key, {"budget": ctx.wan(bv), "actual": ctx.wan(av)}, av, bv)

    out.append(
        ctx.para(
            _rate_clause(ctx, "s8.total", {"budget": ctx.wan(b.total), "actual": ctx.wan(a.total)}, a.total, b.total),
            budget_clause("s8.abroad_budget", "abroad"),
            budget_clause("s8.vehicle_budget", "vehicle"),
            budget_clause("s8.reception_budget", "reception"),
            ("s8.vs_budget_reason", {"reason": ctx.reason("three_public_vs_budget", "无")}),
        )
    )
    out.append(ctx.heading("s8.detail_heading"))
    shares = {f"{i}_share": share(_amount(a, i), a.total) for i in ITEMS}
    amounts = {i: ctx.wan(_amount(a, i)) for i in ITEMS}
    out.append(ctx.para(("s8.detail", {"total": ctx.wan(a.total), **amounts, **shares})))

    def cmp(field: str) -> Clause:
        this, prev = getattr(a, field), getattr(last, field)
        reason = ctx.reason(f"{field}_vs_last_year")
        if not reason and this == 0 and prev == 0 and ctx.profile.has(f"s8.no_reason_{field}"):
            reason = ctx.say(f"s8.no_reason_{field}")
        from juesuan.render.sections.totals import vs_last_year_nm

        return vs_last_year_nm(ctx, this, prev, reason or "无")

    c = tp.counts
    out.append(ctx.para(("s8.abroad", {"amount": ctx.wan(a.abroad), "groups": c.abroad_groups, "people": c.abroad_people}), cmp("abroad")))
    out.append(ctx.para(("s8.vehicle", {"amount": ctx.wan(a.vehicle)})))
    content = ctx.reason("vehicle_purchase_content", "无")
    out.append(
        ctx.para(
            ("s8.vehicle_purchase", {"amount": ctx.wan(a.vehicle_purchase), "count": c.vehicles_bought, "content": content}),
            cmp("vehicle_purchase"),
        )
    )
    out.append(
        ctx.para(("s8.vehicle_operation", {"amount": ctx.wan(a.vehicle_operation), "held": c.vehicles_held}), cmp("vehicle_operation"))
    )
    foreign = tp.foreign_reception
    values = {
        "amount": ctx.wan(a.reception), "domestic": ctx.wan(a.reception - foreign), "foreign": ctx.wan(foreign),
        "batches": c.receptions, "people": c.reception_people,
        "foreign_batches": c.foreign_receptions, "foreign_people": c.foreign_reception_people,
        "content": ctx.reason("reception_content", "无"), "foreign_content": ctx.reason("foreign_reception_content", "无"),
    }  # fmt: skip
    out.append(ctx.para(("s8.reception", values), cmp("reception")))
    return out


def _sh(ctx: Ctx) -> list[Block]:
    tp = ctx.dataset.three_public
    b, a = tp.budget, tp.actual
    out: list[Block] = [ctx.heading("s8.total_heading")]
    first: list[Clause] = [_rate_clause(ctx, "s8.total", {"budget": ctx.wan(b.total), "actual": ctx.wan(a.total)},
                                        a.total, b.total)]
    for i in ITEMS:
        av = _amount(a, i)
        first.append(_rate_clause(ctx, f"s8.{i}_actual", {"actual": ctx.wan(av)}, av, _amount(b, i)))
    if a.total == b.total:
        first.append(("s8.vs_budget_flat", {}))
    else:
        first.append(("s8.vs_budget_reason", {"cmp": 1 if a.total > b.total else -1,
                                              "reason": ctx.reason("three_public_vs_budget", "无")}))  # fmt: skip
    out.append(ctx.para(*first))
    if tp.last_year is not None:
        out.append(_vs_last_year_sh(ctx, a, tp.last_year))
    out.append(ctx.heading("s8.detail_heading"))
    if a.total == 0:
        out.append(ctx.para("empty.three_public"))
        return out
    shares = {f"{i}_share": share(_amount(a, i), a.total) for i in ITEMS}
    out.append(ctx.para(("s8.detail", {**{i: ctx.wan(_amount(a, i)) for i in ITEMS}, **shares})))
    c = tp.counts
    out.append(ctx.para(("s8.abroad", {"amount": ctx.wan(a.abroad), "groups": c.abroad_groups,
                                       "people": c.abroad_people, "content": ctx.reason("abroad_content", "无")})))  # fmt: skip
    out.append(ctx.para(("s8.vehicle", {"amount": ctx.wan(a.vehicle)})))
    out.append(ctx.para(("s8.vehicle_purchase", {"amount": ctx.wan(a.vehicle_purchase), "count": c.vehicles_bought,
                                                 "content": ctx.reason("vehicle_purchase_content", "无")})))  # fmt: skip
    out.append(ctx.para(("s8.vehicle_operation", {"amount": ctx.wan(a.vehicle_operation), "held": c.vehicles_held,
                                                  "content": ctx.reason("vehicle_operation_content", "无")})))  # fmt: skip
    out.append(ctx.para(("s8.reception", {"amount": ctx.wan(a.reception)})))
    values = {
        "amount": ctx.wan(a.reception), "foreign": ctx.wan(tp.foreign_reception),
        "batches": c.receptions + c.foreign_receptions, "people": c.reception_people + c.foreign_reception_people,
        "foreign_batches": c.foreign_receptions, "foreign_people": c.foreign_reception_people,
        "content": ctx.reason("reception_content", "无"),
    }  # fmt: skip
    out.append(ctx.para(("s8.reception_domestic", values)))
    return out


def _vs_last_year_sh(ctx: Ctx, a: ThreePublicAmounts, last: ThreePublicAmounts):  # noqa: ANN202
    c = ctx.change(a.total, last.total)
    clauses: list[Clause] = [("s8.vs_last_year_flat", {}) if c["dir"] == 0 else ("s8.vs_last_year", c)]
    parts: list[str] = []
    keys: list[str] = []
    reasons: list[Clause] = []
    for i in ITEMS:
        ci = ctx.change(_amount(a, i), _amount(last, i))
        key = f"s8.{i}_vs_last_year" + ("_flat" if ci["dir"] == 0 else "")
        keys.append(key)
        parts.append(ctx.say(key, **ci))
        reason = ctx.reason(f"{'vehicle_operation' if i == 'vehicle' else i}_vs_last_year")
        if ci["dir"] != 0 and reason:
            reasons.append((f"s8.{i}_reason", {"dir": ci["dir"], "reason": reason}))
    head = ctx.para(*clauses)
    tail = ctx.para(*reasons) if reasons else None
    text = head.text + "；".join(parts) + "。" + (tail.text if tail else "")
    key = "+".join([head.key, *keys] + ([tail.key] if tail else []))
    return type(head)(text, key=key)
