"""Explanations 五 to 七: general-budget spending by function, basic by econ 款, projects by econ 类."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute.derive import (
    completion,
    dsum,
    econ_classes,
    econ_kuan,
    fund_spending,
    hierarchy,
    share,
    spending_total,
)
from juesuan.model.accounts import EconKind, ExpenditureLine, FundKind
from juesuan.model.money import ZERO
from juesuan.render.blocks import Block, Paragraph
from juesuan.render.sections import Clause, Ctx

ECON_CLASS_NAMES = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}


def _class_names(ctx: Ctx) -> dict[str, str]:
    try:
        from juesuan.refdata import load_code_list

        codes = load_code_list("func", ctx.year)
        return {e.code: e.name for e in codes if len(e.code) in (3, 5)}
    except Exception:  # noqa: BLE001 - names are a nicety; the dataset's own names stand
        return {}


def _gen(line: ExpenditureLine) -> Decimal:
    return line.general().total


def budget_clauses(ctx: Ctx, actual: Decimal, budget: Decimal, reason: str) -> list[Clause]:
    """Shanghai: 决算数大于/小于预算数的主要原因 …, or 基本持平."""
    if actual == budget:
        return [("cmp.vs_budget_flat", {})]
    sign = 1 if actual > budget else -1
    return [("cmp.vs_budget_reason", {"cmp": sign, "reason": reason or "无"})]


def _items_sh(ctx: Ctx, lines: list[tuple[str, str, ExpenditureLine]], amount) -> list[Block]:  # noqa: ANN001
    out: list[Block] = []
    for n, (cls, kuan, item) in enumerate(lines, 1):
        actual = amount(item)
        budget = item.budget or ZERO
        values = {
            "n": n, "cls": cls, "kuan": kuan, "item": item.name,
            "use": ctx.dataset.texts.get(f"usage.{item.code}", "无"),
            "budget": ctx.wan(budget), "actual": ctx.wan(actual),
        }  # fmt: skip
        out.append(ctx.para(("s5.item", values), *budget_clauses(ctx, actual, budget, item.reason)))
    return out


def fund_items(ctx: Ctx, kind: FundKind) -> list[tuple[str, str, ExpenditureLine]]:
    """The 项 with spending of ``kind``, with their 类 and 款 names."""
    out = []
    for cls, kuans in hierarchy(ctx.dataset, _class_names(ctx)):
        for kuan, items in kuans:
            for item in items:
                f = item.funds().get(kind)
                if (f is not None and f.total != 0) or (kind is FundKind.GENERAL and item.budget):
                    out.append((cls.name, kuan.name, item))
    return out


def s5(ctx: Ctx) -> list[Block]:
    ds = ctx.dataset
    total = ctx.stated("t05", "total", "total", fund_spending(ds, FundKind.GENERAL).total)
    budget = ctx.stated("t05", "total", "budget", dsum(i.budget or ZERO for i in ds.items()))
    return _s5_sh(ctx, total, budget) if ctx.shanghai else _s5_nm(ctx, total, budget)


def _s5_nm(ctx: Ctx, total: Decimal, budget: Decimal) -> list[Block]:
    out: list[Block] = [
        ctx.para(
            ("s5.total", {"total": ctx.wan(total)}),
            ("s5.total_vs_budget", {"budget": ctx.wan(budget), "rate": completion(total, budget) or ZERO}),
            "then",
        )
    ]
    n_cls = 0
    for cls, kuans in hierarchy(ctx.dataset, _class_names(ctx)):
        items = [(k, i) for k, lst in kuans for i in lst if _gen(i) != 0 or i.budget]
        if not items:
            continue
        n_cls += 1
        out.append(ctx.heading(ctx.say("s5.class_heading", n=n_cls, name=cls.name)))
        actual = ctx.stated("t05", cls.code, "total", dsum(_gen(i) for _, i in items))
        c = ctx.change(actual, ctx.stated("t05", cls.code, "budget", dsum(i.budget or ZERO for _, i in items)))
        out.append(ctx.para(("s5.class", {"name": cls.name, "amount": ctx.wan(actual), "dir": c["dir"], "diff": c["diff"]}), "then"))
        for n, (kuan, item) in enumerate(items, 1):
            b = item.budget or ZERO
            rate = completion(_gen(item), b)
            values = {"n": n, "kuan": kuan.name, "item": item.name, "budget": ctx.wan(b),
                      "actual": ctx.wan(_gen(item)), "reason": item.reason or "无"}  # fmt: skip
            if rate is None and not ctx.profile.options.rate_when_no_budget:
                out.append(ctx.para(("s5.item_no_budget", values)))
            else:
                out.append(ctx.para(("s5.item", {**values, "rate": rate or ZERO})))
    return out


def _s5_sh(ctx: Ctx, total: Decimal, budget: Decimal) -> list[Block]:
    ds = ctx.dataset
    from juesuan.render.sections.totals import vs_last_year_sh

    out: list[Block] = [ctx.heading("s5.overall_heading")]
    clauses: list[Clause] = [("s5.overall", {"total": ctx.wan(total), "share": share(total, spending_total(ds))})]
    clauses += vs_last_year_sh(ctx, "s5.vs_last_year", total, ds.last_year.general_expenditure,
                               ctx.reason("general_expenditure_vs_last_year") or ctx.reason("general_vs_last_year"))  # fmt: skip
    out.append(ctx.para(*clauses))
    out.append(ctx.heading("s5.structure_heading"))
    classes = []
    for cls, _ in hierarchy(ds, _class_names(ctx)):
        amount = ctx.stated("t05", cls.code, "total", cls.general().total)
        if amount != 0:
            classes.append({"name": cls.name, "amount": ctx.wan(amount), "share": share(amount, total)})
    out.append(ctx.listing(("s5.structure", {"total": ctx.wan(total)}), "s5.structure_item", classes))
    out.append(ctx.heading("s5.detail_heading"))
    rate = completion(total, budget) or ZERO
    out.append(
        ctx.para(
            ("s5.detail", {"budget": ctx.wan(budget), "actual": ctx.wan(total), "rate": rate}),
            *budget_clauses(ctx, total, budget, ctx.reason("general_vs_budget")),
            "then",
        )
    )
    out += _items_sh(ctx, fund_items(ctx, FundKind.GENERAL), _gen)
    return out


def _econ_items(ctx: Ctx, lines) -> list[tuple[str, Decimal]]:  # noqa: ANN001
    return [(e.name, ctx.wan(e.amount)) for e in lines if e.amount != 0]


def s6(ctx: Ctx) -> list[Block]:
    lines = econ_kuan(ctx.dataset.basic_econ)
    by_kind = {k: [e for e in lines if e.econ_kind() is k] for k in EconKind}
    pers = ctx.stated("t06", "personnel", "amount", dsum(e.amount for e in by_kind[EconKind.PERSONNEL]))
    pub = ctx.stated("t06", "public", "amount", dsum(e.amount for e in by_kind[EconKind.PUBLIC]))
    basic = ctx.stated("t06", "total", "amount", fund_spending(ctx.dataset, FundKind.GENERAL).basic)
    if ctx.shanghai:
        values = {
            "total": ctx.wan(basic), "personnel": ctx.wan(pers), "public": ctx.wan(pub),
            "personnel_items": [n for n, _ in _econ_items(ctx, by_kind[EconKind.PERSONNEL])] or ["无"],
            "public_items": [n for n, _ in _econ_items(ctx, by_kind[EconKind.PUBLIC])] or ["无"],
        }  # fmt: skip
        return [ctx.para(("s6.total", values))]
    out: list[Block] = [ctx.para(("s6.total", {"total": ctx.wan(basic)}))]
    for key, amount, kind in (("s6.personnel", pers, EconKind.PERSONNEL), ("s6.public", pub, EconKind.PUBLIC)):
        items = _econ_items(ctx, by_kind[kind])
        if items:
            out.append(ctx.para((key, {"amount": ctx.wan(amount), "items": items})))
        else:
            out.append(ctx.para((f"{key}_none", {"amount": ctx.wan(amount)})))
    return out


def s7(ctx: Ctx) -> list[Block]:
    ds = ctx.dataset
    total = ctx.stated("t07", "total", "amount", fund_spending(ds, FundKind.GENERAL).project)
    out: list[Block] = [ctx.para(("s7.total", {"total": ctx.wan(total)}))]
    names = {e.code: e.name for e in ds.project_econ if e.level == 1}
    n = 0
    for code, lines in econ_classes(ds.project_econ).items():
        amount = dsum(e.amount for e in lines)
        if amount == 0:
            continue
        n += 1
        items = _econ_items(ctx, lines)
        name = names.get(code) or ECON_CLASS_NAMES.get(code, code)
        out.append(Paragraph(ctx.say("s7.class", n=n, name=name, amount=ctx.wan(amount), items=items), key="s7.class"))
    return out
