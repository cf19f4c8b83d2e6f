"""Identities across tables and sections: stated totals, “三公”, 机构运行经费,
政府采购, vehicles, and the pension/insurance mirrors."""

from __future__ import annotations

from juesuan.compute import derive as d
from juesuan.compute.stated import TABLE_NAMES, StatedFigures, column_label, row_label
from juesuan.model.accounts import EconKind
from juesuan.model.findings import Severity
from juesuan.model.money import Interval, half_ulp
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule


def _span(ctx: Context, sf: StatedFigures, row: str) -> int:
    """How many printed figures a stated total may sum (bounds its rounding)."""
    if row.isdigit():
        n = sf.count(row) or len(ctx.dataset.basic_econ)
    else:
        n = sf.count("total") + len(ctx.dataset.basic_econ) + 4
    return max(n, 1)


@rule(
    "stated.total",
    Severity.ERROR,
    "表中合计数与明细不符",
    "{table}“{row}”行“{column}”列为 {found}，按明细数据应为 {expected}",
    "来源中写明的合计数（合计行、类/款小计、表间引用的数）必须等于由明细数据算出的数（容许四舍五入误差）。",
    ("identity", "crosstable"),
)
def stated_total(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    sf = StatedFigures(ds)  # the sums once, not once per stated figure
    for idx, fig in enumerate(ds.stated):
        exp = sf.expected(fig.table, fig.row, fig.column)
        if exp is None:
            continue
        tol = half_ulp(fig.value) * (1 + _span(ctx, sf, fig.row))
        if not Interval.printed(fig.value, tol).contains(exp):
            report(f"stated[{idx}].value", expected=exp, found=fig.value,
                   table=TABLE_NAMES.get(fig.table, fig.table), row=row_label(fig.row),
                   column=column_label(fig.column))


@rule(
    "stated.unknown_key",
    Severity.INFO,
    "无法核对的合计数",
    "{table}“{row}”行“{column}”列的数 {found} 无法由数据推算，未核对",
    "来源中写明、但本工具不认识其行或列的数：列出来，说明“未核对”而不是“无问题”。",
    ("crosstable",),
)
def stated_unknown(ctx: Context, report: Reporter) -> None:
    sf = StatedFigures(ctx.dataset)
    for idx, fig in enumerate(ctx.dataset.stated):
        if sf.expected(fig.table, fig.row, fig.column) is None:
            report(f"stated[{idx}]", found=fig.value, table=fig.table, row=fig.row, column=fig.column)


THREE_PUBLIC_ECON = (
    ("30212", "abroad", "因公出国（境）费"),
    ("31013", "vehicle_purchase", "公务用车购置费"),
    ("30231", "vehicle_operation", "公务用车运行维护费"),
    ("30217", "reception", "公务接待费"),
)


@rule(
    "threepublic.econ",
    Severity.WARNING,
    "“三公”经费与经济分类明细不符",
    "基本支出经济分类 {code}（{name}）为 {found}，超过“三公”经费中该项决算 {expected}",
    "“三公”经费决算会在经济分类中重现（30212、31013、30231、30217）；“三公”也可能从项目支出列支，"
    "所以基本支出中这些科目的金额只能小于或等于“三公”决算，不能超过。",
    ("crosstable", "three_public"),
    needs=("econ_detail", "three_public"),
)
def threepublic_econ(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    for code, field, name in THREE_PUBLIC_ECON:
        basic = d.econ_amount(ds.basic_econ, code)
        actual = getattr(ds.three_public.actual, field)
        if Interval.printed(basic).lo > Interval.printed(actual).hi:
            report(f"three_public.actual.{field}", expected=actual, found=basic, code=code, name=name)


@rule(
    "threepublic.foreign_reception",
    Severity.ERROR,
    "外宾接待费超过公务接待费",
    "国（境）外公务接待支出 {found} 超过公务接待费决算 {expected}",
    "公务接待费 = 国内公务接待 + 国（境）外公务接待，外宾接待部分不能超过总数。",
    ("three_public",),
    needs=("three_public",),
)
def foreign_reception(ctx: Context, report: Reporter) -> None:
    tp = ctx.dataset.three_public
    if Interval.printed(tp.foreign_reception).lo > Interval.printed(tp.actual.reception).hi:
        report("three_public.foreign_reception", expected=tp.actual.reception, found=tp.foreign_reception)


@rule(
    "threepublic.counts",
    Severity.WARNING,
    "“三公”经费金额与数量不对应",
    "{what}",
    "有支出就应有对应的团组/人次、购置车辆数、接待批次；没有支出时这些数量应为 0。",
    ("three_public",),
    needs=("three_public", "three_public_counts"),
)
def threepublic_counts(ctx: Context, report: Reporter) -> None:
    tp = ctx.dataset.three_public
    a, c = tp.actual, tp.counts
    pairs = (
        (a.abroad, c.abroad_groups, "因公出国（境）费", "出国（境）团组数", "three_public.counts.abroad_groups"),
        (a.vehicle_purchase, c.vehicles_bought, "公务用车购置费", "购置车辆数", "three_public.counts.vehicles_bought"),
        (a.reception - tp.foreign_reception, c.receptions, "国内公务接待费", "接待批次",
         "three_public.counts.receptions"),
        (tp.foreign_reception, c.foreign_receptions, "国（境）外公务接待费", "外宾接待批次",
         "three_public.counts.foreign_receptions"),
    )
    for amount, count, name, cname, path in pairs:
        if amount > 0 and count == 0:
            report(path, what=f"{name}决算 {ctx.fmt(amount)}，但{cname}为 0")
        elif amount == 0 and count > 0:
            report(path, what=f"{cname}为 {count}，但{name}决算为 0", severity=Severity.INFO)
    if c.abroad_groups > c.abroad_people:
        report("three_public.counts.abroad_people", what="出国（境）人次少于团组数")
    if c.receptions > c.reception_people:
        report("three_public.counts.reception_people", what="国内公务接待人次少于批次")


@rule(
    "assets.vehicles_total",
    Severity.ERROR,
    "车辆总数与分类合计不符",
    "车辆总数写为 {found} 辆，各类车辆合计为 {expected} 辆",
    "车辆保有量等于各用途分类（领导用车、机要通信、应急保障、执法执勤、特种专业技术、离退休、其他）之和。",
    ("assets",),
)
def vehicles_total(ctx: Context, report: Reporter) -> None:
    a = ctx.dataset.assets
    if a.vehicles_total is not None and a.vehicles_total != a.vehicles.total:
        report("assets.vehicles_total", expected=a.vehicles.total, found=a.vehicles_total)


@rule(
    "assets.vehicles_held",
    Severity.WARNING,
    "财政拨款公务用车保有量超过车辆总数",
    "“三公”说明中财政拨款开支的公务用车保有量为 {found} 辆，超过资产说明中的车辆总数 {expected} 辆",
    "使用财政拨款开支的公务用车是全部车辆的一部分。",
    ("assets", "three_public"),
)
def vehicles_held(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    total = ds.assets.vehicles_total if ds.assets.vehicles_total is not None else ds.assets.vehicles.total
    if ds.three_public.counts.vehicles_held > total and (total or ds.assets.vehicles_total is not None):
        report("three_public.counts.vehicles_held", expected=total, found=ds.three_public.counts.vehicles_held)


@rule(
    "operating_cost.public",
    Severity.WARNING,
    "机构运行经费与公用经费不符",
    "机构运行经费为 {found}，一般公共预算财政拨款基本支出中的公用经费为 {expected}",
    "行政单位和参公事业单位的机构运行经费 = 一般公共预算财政拨款基本支出中的公用经费"
    "（含事业单位时可能不等，所以是警告）。",
    ("crosstable", "operating_cost"),
    needs=('econ_detail',),
)
def operating_cost_public(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    stated = ds.operating_cost.amount
    if stated is None or not ds.basic_econ:
        return
    parts = [e.amount for e in d.econ_kuan(ds.basic_econ) if e.econ_kind() is EconKind.PUBLIC]
    public = d.dsum(parts)
    if not ctx.agree(stated, parts):
        report("operating_cost.amount", expected=public, found=stated)


@rule(
    "procurement.sme",
    Severity.ERROR,
    "政府采购中小企业金额不合理",
    "{what}",
    "授予中小企业的合同金额不超过采购总额，小微企业不超过中小企业；分类（货物、工程、服务）授予中小企业的金额"
    "不超过该类支出，且合计等于授予中小企业的总额。",
    ("procurement",),
)
def procurement_sme(ctx: Context, report: Reporter) -> None:
    p = ctx.dataset.procurement
    iv = Interval.printed
    if iv(p.sme).lo > (iv(p.goods) + iv(p.works) + iv(p.services)).hi:
        report("procurement.sme", expected=p.total, found=p.sme,
               what=f"授予中小企业合同金额 {ctx.fmt(p.sme)} 超过政府采购支出总额 {ctx.fmt(p.total)}")
    if iv(p.small_micro).lo > iv(p.sme).hi:
        report("procurement.small_micro", expected=p.sme, found=p.small_micro,
               what=f"授予小微企业合同金额 {ctx.fmt(p.small_micro)} 超过授予中小企业合同金额 {ctx.fmt(p.sme)}")
    parts = (("goods", "货物"), ("works", "工程"), ("services", "服务"))
    for field, name in parts:
        sme, cat = getattr(p, f"{field}_sme"), getattr(p, field)
        if iv(sme).lo > iv(cat).hi:
            report(f"procurement.{field}_sme", expected=cat, found=sme,
                   what=f"{name}采购授予中小企业合同金额 {ctx.fmt(sme)} 超过{name}采购支出 {ctx.fmt(cat)}")
    split = [getattr(p, f"{f}_sme") for f, _ in parts]
    if any(split) and not ctx.agree(p.sme, split):
        report("procurement.sme", expected=d.dsum(split), found=p.sme,
               what=f"货物、工程、服务授予中小企业金额合计 {ctx.fmt(d.dsum(split))}，与授予中小企业合同金额 "
                    f"{ctx.fmt(p.sme)} 不等")


MIRRORS = (
    ("30108", "机关事业单位基本养老保险缴费", "2080505", "机关事业单位基本养老保险缴费支出"),
    ("30109", "职业年金缴费", "2080506", "机关事业单位职业年金缴费支出"),
    ("30113", "住房公积金", "2210201", "住房公积金"),
)


@rule(
    "mirror.insurance",
    Severity.WARNING,
    "社保/公积金经济分类与功能分类不对应",
    "经济分类 {econ} {econ_name} 为 {found}，功能分类 {func} {func_name} 为 {expected}",
    "养老保险、职业年金和住房公积金在经济分类和功能分类中通常互为镜像（30108↔2080505，30109↔2080506，"
    "30113↔2210201）；不一致值得核实，但不一定是错误。",
    ("crosstable",),
    needs=('fund_split',),
)
def mirror_insurance(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    if not ds.basic_econ:
        return
    for econ, econ_name, func, func_name in MIRRORS:
        e = [x.amount for x in d.econ_kuan(ds.basic_econ + ds.project_econ) if x.code == econ]
        f = [i.general().total for i in ds.items() if i.code == func]
        if not e and not f:
            continue
        if not d.isum_printed(e).overlaps(d.isum_printed(f)):
            report("basic_econ", expected=d.dsum(f), found=d.dsum(e), econ=econ, econ_name=econ_name,
                   func=func, func_name=func_name)


@rule(
    "budget.items",
    Severity.WARNING,
    "年初预算合计不符",
    "各项年初预算合计 {expected}，与填写的财政拨款收支年初预算 {found} 不等",
    "一般公共预算财政拨款支出的年初预算按项填写时，合计应等于说明中的年初预算总数（仅含一般公共预算时）。",
    ("budget",),
)
def budget_items(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    total = ds.budget.appropriation_total
    budgets = [i.budget for i in ds.items() if i.budget is not None]
    if total is None or not budgets or ds.income.gov_fund or ds.income.state_capital:
        return
    if not ctx.agree(total, budgets):
        report("budget.appropriation_total", expected=d.dsum(budgets), found=total)


