"""The accounting identities of DOMAIN.md §3 that a dataset itself can break."""

from __future__ import annotations

from juesuan.compute import derive as d
from juesuan.model.accounts import SPENDING_FIELDS, SPENDING_LABELS, FundKind
from juesuan.model.findings import Severity
from juesuan.model.money import ZERO
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule


@rule(
    "identity.balance",
    Severity.ERROR,
    "收入总计与支出总计不等",
    "收入总计 {expected} 与支出总计 {found} 不相等（收入总计 = 本年收入合计 + 使用非财政拨款结余和专用结余 + 年初结转和结余；"
    "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余）",
    "公开01表：收入总计必须等于支出总计。",
    ("identity", "t01"),
)
def balance(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    b = ds.balances
    income = [*[getattr(ds.income, f) for f in type(ds.income).model_fields], b.use_of_balance, b.opening]
    spend = [i.total for i in ds.items()] + [b.distribution, b.closing]
    if not d.isum_printed(income).overlaps(d.isum_printed(spend)):
        report("income", expected=d.income_total_all(ds), found=d.expenditure_total_all(ds))


@rule(
    "identity.appropriation_balance",
    Severity.ERROR,
    "财政拨款收支不平衡",
    "{fund}：年初结转和结余 + 本年收入应等于本年支出 + 年末结转和结余，前者为 {expected}，后者为 {found}",
    "公开04表：每种财政拨款（一般公共预算、政府性基金、国有资本经营）年初结转和结余 + 本年财政拨款收入 = "
    "本年财政拨款支出 + 年末财政拨款结转和结余。",
    ("identity", "t04"),
)
def appropriation_balance(ctx: Context, report: Reporter) -> None:
    from juesuan.model.accounts import FUND_LABELS, AppropriationBalance

    ds = ctx.dataset
    income_field = {FundKind.GENERAL: "general_budget", FundKind.GOV_FUND: "gov_fund",
                    FundKind.STATE_CAPITAL: "state_capital"}
    for kind in FundKind:
        bal = ds.appropriation_balances.get(kind, AppropriationBalance())
        spend = []
        for item in ds.items():
            bp = item.funds().get(kind)
            if bp is not None:
                spend += [bp.basic, bp.project]
        left = [bal.opening, d.appropriation_income(ds, kind)]
        right = [*spend, bal.closing]
        if not d.isum_printed(left).overlaps(d.isum_printed(right)):
            report(f"income.{income_field[kind]}", expected=d.dsum(left), found=d.dsum(right),
                   fund=FUND_LABELS[kind])


@rule(
    "hierarchy.function",
    Severity.ERROR,
    "功能分类上下级合计不符",
    "{code} {name}（{level}）的{column}为 {found}，其下各{child}合计为 {expected}",
    "支出功能分类：每个款等于其下各项之和，每个类等于其下各款之和，每一列都如此（公开02、03、05表）。",
    ("identity", "hierarchy", "t03", "t05"),
)
def hierarchy_function(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    items = ds.items()
    for idx, line in enumerate(ds.expenditure):
        if line.level == 3:
            continue
        children = [i for i in items if i.code.startswith(line.code)]
        if not children:
            continue  # a 类/款 row with no 项: reported by codes.parent rules
        level = "类" if line.level == 1 else "款"
        for col in SPENDING_FIELDS:
            parts = [getattr(c, col) for c in children]
            if not ctx.agree(getattr(line, col), parts):
                report(f"expenditure[{idx}].{col}", expected=d.dsum(parts), found=getattr(line, col),
                       code=line.code, name=line.name, level=level, column=SPENDING_LABELS[col],
                       child="项")
        if line.budget is not None and any(c.budget is not None for c in children):
            parts = [c.budget or ZERO for c in children]
            if not ctx.agree(line.budget, parts):
                report(f"expenditure[{idx}].budget", expected=d.dsum(parts), found=line.budget,
                       code=line.code, name=line.name, level=level, column="年初预算", child="项")


@rule(
    "hierarchy.econ",
    Severity.ERROR,
    "经济分类上下级合计不符",
    "{table}：经济分类 {code} {name} 为 {found}，其下各款合计为 {expected}",
    "部门预算支出经济分类：每个类等于其下各款之和（公开06、07表）。",
    ("identity", "hierarchy", "t06", "t07"),
)
def hierarchy_econ(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    for field, table in (("basic_econ", "基本支出明细"), ("project_econ", "项目支出明细")):
        lines = getattr(ds, field)
        for idx, line in enumerate(lines):
            if line.level != 1:
                continue
            parts = [e.amount for e in lines if e.level == 2 and e.code.startswith(line.code)]
            if parts and not ctx.agree(line.amount, parts):
                report(f"{field}[{idx}].amount", expected=d.dsum(parts), found=line.amount,
                       table=table, code=line.code, name=line.name)


@rule(
    "identity.basic_econ",
    Severity.ERROR,
    "基本支出与经济分类明细不符",
    "一般公共预算财政拨款基本支出为 {found}，而基本支出经济分类明细合计为 {expected}",
    "公开05表的基本支出合计等于公开06表（基本支出经济分类明细）合计：人员经费 + 公用经费。",
    ("identity", "crosstable", "t05", "t06"),
    needs=('spending_split', 'econ_detail'),
)
def basic_econ(ctx: Context, report: Reporter) -> None:
    _econ_matches_spending(ctx, report, "basic_econ", "basic")


def _econ_matches_spending(ctx: Context, report: Reporter, econ_field: str, column: str) -> None:
    """The economic detail (06/07表) adds up to the general-budget column of 05表."""
    lines = getattr(ctx.dataset, econ_field)
    if not lines:
        return
    parts = [e.amount for e in d.econ_kuan(lines)]
    spending = [getattr(i.general(), column) for i in ctx.dataset.items()]
    if not d.isum_printed(parts).overlaps(d.isum_printed(spending)):
        report(econ_field, expected=d.dsum(parts), found=d.dsum(spending))


@rule(
    "identity.project_econ",
    Severity.ERROR,
    "项目支出与经济分类明细不符",
    "一般公共预算财政拨款项目支出为 {found}，而项目支出经济分类明细合计为 {expected}",
    "公开05表的项目支出合计等于公开07表（项目支出经济分类明细）合计。",
    ("identity", "crosstable", "t05", "t07"),
    needs=('spending_split', 'econ_detail'),
)
def project_econ(ctx: Context, report: Reporter) -> None:
    _econ_matches_spending(ctx, report, "project_econ", "project")


@rule(
    "identity.line_funds",
    Severity.ERROR,
    "财政拨款支出超过该科目支出",
    "{code} {name}：财政拨款{column}合计 {found} 超过该科目的{column} {expected}",
    "每个项的财政拨款基本支出（项目支出）之和不能超过该项的基本支出（项目支出）。",
    ("identity", "t03", "t05"),
    needs=('spending_split', 'fund_split'),
)
def line_funds(ctx: Context, report: Reporter) -> None:
    for idx, line in enumerate(ctx.dataset.expenditure):
        if line.level != 3 or line.appropriation is None:
            continue
        for col, label in (("basic", "基本支出"), ("project", "项目支出")):
            parts = [getattr(bp, col) for bp in line.appropriation.values()]
            total = getattr(line, col)
            if d.isum_printed(parts).lo > ctx.iv(total).hi:
                report(f"expenditure[{idx}].appropriation", expected=total, found=d.dsum(parts),
                       code=line.code, name=line.name, column=label)
