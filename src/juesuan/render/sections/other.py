"""Explanations 九 to 十三: funds, 机构运行经费, 政府采购, 国有资产."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute.derive import fund_spending, operating_cost, share
from juesuan.model.accounts import VEHICLE_CATEGORIES, FundKind
from juesuan.render.blocks import Block
from juesuan.render.sections import Ctx
from juesuan.render.sections.general import _items_sh, fund_items
from juesuan.render.sections.totals import vs_last_year_nm


def _fund(ctx: Ctx, topic: str, kind: FundKind, empty: str, last: Decimal | None, reason_key: str) -> list[Block]:
    ds = ctx.dataset
    spent = fund_spending(ds, kind).total
    income = getattr(ds.income, "gov_fund" if kind is FundKind.GOV_FUND else "state_capital")
    if ctx.shanghai:
        if spent == 0 and income == 0:
            return [ctx.para(empty)]
        out: list[Block] = [ctx.para((f"{topic}.total", {"income": ctx.wan(income), "spending": ctx.wan(spent)}))]
        return out + _items_sh(ctx, fund_items(ctx, kind), lambda i: i.funds().get(kind).total)
    reason = ctx.reason(reason_key) or (ctx.say(empty) if spent == 0 else "无")
    return [ctx.para((f"{topic}.total", {"amount": ctx.wan(spent)}), vs_last_year_nm(ctx, spent, last, reason))]


def s9(ctx: Ctx) -> list[Block]:
    ly = ctx.dataset.last_year.gov_fund_expenditure
    return _fund(ctx, "s9", FundKind.GOV_FUND, "empty.gov_fund", ly, "gov_fund_vs_last_year")


def s10(ctx: Ctx) -> list[Block]:
    ly = ctx.dataset.last_year.state_capital_expenditure
    return _fund(ctx, "s10", FundKind.STATE_CAPITAL, "empty.state_capital", ly, "state_capital_vs_last_year")


def s11(ctx: Ctx) -> list[Block]:
    amount = operating_cost(ctx.dataset)
    last = ctx.dataset.operating_cost.last_year
    reason = ctx.reason("operating_cost_vs_last_year")
    if ctx.shanghai:
        if amount == 0:
            return [ctx.para("empty.operating_cost")]
        c = ctx.change(amount, last)
        first = ("s11.total_flat", {"amount": ctx.wan(amount)}) if c["dir"] == 0 else ("s11.total", {**c, "amount": ctx.wan(amount)})
        return [ctx.para(first, *([("s11.reason", {"reason": reason})] if reason else []))]
    c = ctx.change(amount, last)
    return [ctx.para(("s11.total", {"amount": ctx.wan(amount)}), ("s11.vs_last_year", {**c, "reason": reason or "无"}))]


def s12(ctx: Ctx) -> list[Block]:
    p = ctx.dataset.procurement
    total = {"total": ctx.wan(ctx.stated("procurement", "total", "amount", p.total)), "goods": ctx.wan(p.goods), "works": ctx.wan(p.works), "services": ctx.wan(p.services)}
    if ctx.shanghai:
        zero = Decimal(0)
        def given(value: Decimal | None, default: Decimal) -> Decimal:
            return default if value is None else value

        sme = {
            "sme_reserved": given(p.reserved_sme, p.sme),
            "small_micro_reserved": given(p.reserved_small_micro, p.small_micro),
            "sme_reserved_awarded": given(p.reserved_awarded_sme, p.sme),
            "small_micro_reserved_awarded": given(p.reserved_awarded_small_micro, p.small_micro),
            "sme_other_awarded": given(p.other_awarded_sme, zero),
        }
        sme = {k: ctx.wan(v) for k, v in sme.items()}
        return [ctx.para(("s12.total", total)), ctx.para(("s12.sme", sme))]
    sme = {
        "sme": ctx.wan(p.sme), "sme_share": share(p.sme, p.total),
        "small_micro": ctx.wan(p.small_micro), "small_micro_share": share(p.small_micro, p.total),
        "goods_share": share(p.goods_sme, p.goods), "works_share": share(p.works_sme, p.works),
        "services_share": share(p.services_sme, p.services),
    }  # fmt: skip
    return [ctx.para(("s12.total", total), ("s12.sme", sme))]


def s13(ctx: Ctx) -> list[Block]:
    a = ctx.dataset.assets
    values = {k: getattr(a.vehicles, k) for k in VEHICLE_CATEGORIES}
    total = a.vehicles_total if a.vehicles_total is not None else a.vehicles.total
    return [ctx.para(("s13.vehicles", {**values, "total": total, "equipment": a.equipment_1m}))]
