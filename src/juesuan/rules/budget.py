"""The budget's identities (部门预算): the counterparts of the final accounts' ones.

Each rule runs on a ``model.budget.BudgetDataset`` only (``kind="预算"``) and is listed
by ``juesuan rules`` with the others.  A printed figure is the interval of its rounding,
as everywhere (``Context.agree``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.model.accounts import FUND_LABELS, FundKind
from juesuan.model.findings import Severity
from juesuan.model.money import ZERO
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule

_K = "预算"
_INCOME_OF = {FundKind.GENERAL: "general_budget", FundKind.GOV_FUND: "gov_fund", FundKind.STATE_CAPITAL: "state_capital"}


@rule(
    "budget_doc.balance",
    Severity.ERROR,
    "收入总计与支出总计不等",
    "收入总计 {expected} 与支出总计 {found} 不相等（收入总计 = 本年收入合计 + 上年结转结余；"
    "支出总计 = 本年支出合计 + 年终结转结余）",
    "收支总表：收入总计必须等于支出总计。",
    ("budget_doc", "收支总表"),
    kind=_K,
)
def balance(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    inc = [getattr(ds.income, f) for f in type(ds.income).model_fields]
    inc += [getattr(ds.carryover, f) for f in type(ds.carryover).model_fields]
    out = [i.total for i in ds.items()] + [ds.closing]
    if not ctx.agree(sum(inc, ZERO), out):
        report("income", expected=ds.total, found=ds.expenditure_total + ds.closing)


@rule(
    "budget_doc.hierarchy",
    Severity.ERROR,
    "类、款合计与所含科目之和不符",
    "{code} {name} 的{column} {found} 与所含下级科目之和 {expected} 不符",
    "支出总表：类（3 位）、款（5 位）科目的数字应等于其所含项级科目之和（给出类、款行时）。",
    ("budget_doc", "支出总表"),
    kind=_K,
)
def hierarchy(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    items = ds.items()
    for idx, line in enumerate(ds.expenditure):
        if line.level == 3:
            continue
        subs = [i for i in items if i.code.startswith(line.code)]
        if not subs:
            continue
        for col, label in (("basic", "基本支出"), ("project", "项目支出")):
            if col not in line.model_fields_set:
                continue  # a 类/款 row without this figure: only its name is given
            stated = getattr(line, col)
            parts = [getattr(i, col) for i in subs]
            if not ctx.agree(stated, parts):
                report(f"expenditure[{idx}].{col}", expected=sum(parts, ZERO), found=stated,
                       code=line.code, name=line.name, column=label)


@rule(
    "budget_doc.personnel_public",
    Severity.ERROR,
    "基本支出与人员经费、公用经费之和不符",
    "{code} {name}：基本支出 {found} 与人员经费、公用经费之和 {expected} 不符",
    "财政拨款支出表（功能科目）：每一行的基本支出 = 人员经费 + 公用经费（给出这两列时）。",
    ("budget_doc", "支出表"),
    kind=_K,
)
def personnel_public(ctx: Context, report: Reporter) -> None:
    for idx, line in enumerate(ctx.dataset.expenditure):
        if line.level != 3 or line.personnel is None or line.public is None:
            continue
        if not ctx.agree(line.basic, [line.personnel, line.public]):
            report(f"expenditure[{idx}].basic", expected=line.personnel + line.public, found=line.basic,
                   code=line.code, name=line.name)


@rule(
    "budget_doc.appropriation",
    Severity.ERROR,
    "财政拨款收支不平衡",
    "{fund}：本年收入与上年结转之和 {expected} 与本年支出 {found} 不符",
    "财政拨款收支总表：每种财政拨款（一般公共预算、政府性基金、国有资本经营）本年收入 + 上年结转 = 本年支出"
    "（各行给出资金来源，或部门只有一般公共预算拨款时）。",
    ("budget_doc", "财政拨款收支总表"),
    kind=_K,
)
def appropriation(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    if not ds.fund_split_given():
        ctx.skipped.append(("budget_doc.appropriation", "各行未给出财政拨款的资金来源，且部门另有非财政拨款收入"))
        return
    for kind in FundKind:
        field = _INCOME_OF[kind]
        left = [getattr(ds.income, field), getattr(ds.carryover, field)]
        spent = ds.appropriation_of(kind)
        rows = [v for i in ds.items() for v in (i.fund(kind).basic, i.fund(kind).project)]
        if not ctx.agree(sum(left, ZERO), rows):
            report(f"income.{field}", expected=sum(left, ZERO), found=spent.total, fund=FUND_LABELS[kind])


@rule(
    "budget_doc.basic_econ",
    Severity.ERROR,
    "基本支出经济分类合计与功能分类不符",
    "一般公共预算基本支出按经济分类合计 {found}，按功能分类为 {expected}",
    "一般公共预算基本支出表的合计应等于各功能科目一般公共预算基本支出之和；人员经费、公用经费分别相等（给出时）。",
    ("budget_doc", "一般公共预算基本支出表"),
    kind=_K,
)
def basic_econ(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    if not ds.basic_econ or not ds.fund_split_given():
        return
    top = [e for e in ds.basic_econ if e.level == 1] or ds.basic_econ
    econ = [e.amount for e in top]
    func = [i.fund(FundKind.GENERAL).basic for i in ds.items()]
    if not ctx.agree(sum(econ, ZERO), func):
        report("basic_econ", expected=sum(func, ZERO), found=sum(econ, ZERO))
        return
    pers = [i.personnel for i in ds.items() if i.personnel is not None]
    if pers and len(pers) == len(ds.items()) and ds.fund_split_given() and all(i.funds is None for i in ds.items()):
        econ_pers = [e.amount for e in top if e.econ_kind().value == "人员经费"]
        if not ctx.agree(sum(econ_pers, ZERO), pers):
            report("basic_econ", expected=sum(pers, ZERO), found=sum(econ_pers, ZERO))


@rule(
    "budget_doc.econ_hierarchy",
    Severity.ERROR,
    "经济分类类合计与所含款之和不符",
    "经济分类 {code} {name} 为 {found}，所含款之和为 {expected}",
    "一般公共预算基本支出表：经济分类类级科目等于其所含款级科目之和（给出款级时）。",
    ("budget_doc", "一般公共预算基本支出表"),
    kind=_K,
)
def econ_hierarchy(ctx: Context, report: Reporter) -> None:
    lines = ctx.dataset.basic_econ
    for idx, e in enumerate(lines):
        if e.level != 1:
            continue
        parts = [s.amount for s in lines if s.level == 2 and s.code.startswith(e.code)]
        if parts and not ctx.agree(e.amount, parts):
            report(f"basic_econ[{idx}].amount", expected=sum(parts, ZERO), found=e.amount, code=e.code, name=e.name)


def _econ(ctx: Context, code: str) -> Decimal | None:
    found = [e.amount for e in ctx.dataset.basic_econ if e.code == code]
    return found[0] if found else None


@rule(
    "budget_doc.three_public_econ",
    Severity.WARNING,
    "“三公”经费、会议费、培训费预算小于基本支出中的同一经济科目",
    "{what}预算 {found} 小于一般公共预算基本支出中的{econ} {expected}",
    "“三公”经费、会议费、培训费支出表反映一般公共预算安排的全部（基本和项目）支出，"
    "不应小于基本支出经济分类中的公务接待费（30217）、会议费（30215）、培训费（30216）。",
    ("budget_doc", "三公"),
    kind=_K,
)
def three_public_econ(ctx: Context, report: Reporter) -> None:
    tp = ctx.dataset.three_public
    if "budget" not in tp.model_fields_set:
        return  # the “三公” budget is not given (a dataset recovered from the tables alone)
    for code, econ, what, value, path in (
            ("30217", "公务接待费（30217）", "公务接待费", tp.budget.reception, "three_public.budget.reception"),
            ("30215", "会议费（30215）", "会议费", tp.meetings, "three_public.meetings"),
            ("30216", "培训费（30216）", "培训费", tp.training, "three_public.training")):
        basic = _econ(ctx, code)
        if basic is None or value is None:
            continue
        if ctx.iv(value).hi < ctx.iv(basic).lo:
            report(path, expected=basic, found=value, what=what, econ=econ)


@rule(
    "budget_doc.operating_cost",
    Severity.WARNING,
    "机关运行经费大于公用经费",
    "机关运行经费预算 {found} 大于一般公共预算基本支出中的公用经费 {expected}",
    "机关运行经费是一般公共预算基本支出中的日常公用经费，不应大于公用经费（经济分类 302、310 等非人员经费之和）。",
    ("budget_doc", "机关运行经费"),
    kind=_K,
)
def operating_cost(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    amount = ds.operating_cost.amount
    top = [e for e in ds.basic_econ if e.level == 1]
    if amount is None or not top:
        return
    public = sum((e.amount for e in top if e.econ_kind().value == "公用经费"), ZERO)
    if ctx.iv(amount).lo > ctx.iv(public).hi:
        report("operating_cost.amount", expected=public, found=amount)


@rule(
    "budget_doc.last_year",
    Severity.WARNING,
    "缺少上年预算数",
    "未给出{what}的上年预算数，情况说明无法写出与上年预算的比较",
    "情况说明把收支总计、财政拨款、一般公共预算支出、“三公”经费和机关运行经费与上年预算相比：应给出上年预算数。",
    ("budget_doc", "上年预算"),
    kind=_K,
)
def last_year(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    ly = ds.last_year
    for path, what, value in (("last_year.total", "收支总计", ly.total),
                              ("last_year.general_expenditure", "一般公共预算支出", ly.general_expenditure),
                              ("three_public.last_year", "“三公”经费", ds.three_public.last_year),
                              ("operating_cost.last_year", "机关运行经费",
                               ds.operating_cost.last_year if ds.operating_cost.amount is not None else 0)):
        if value is None:
            report(path if ctx.provenance.get(path).line else "last_year", what=what)


_QUANT = re.compile(r"^[≥≤<>=＞＜]?\s*-?\d+(?:\.\d+)?\s*%?$")
_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")


@rule(
    "budget_doc.targets",
    Severity.ERROR,
    "绩效目标不完整",
    "项目“{project}”的绩效目标{problem}",
    "项目支出绩效目标表：每个项目有年度目标和至少一个指标；每个指标有一级指标（产出/效益/满意度/成本指标）、"
    "三级指标名称和指标值；定量指标（方向为 ≥、≤、=）的指标值是数字并写明计量单位。",
    ("budget_doc", "绩效目标"),
    kind=_K,
)
def targets(ctx: Context, report: Reporter) -> None:
    for t_idx, t in enumerate(ctx.dataset.performance.targets):
        where = f"performance.targets[{t_idx}]"
        if not t.indicators:
            report(where, project=t.project, problem="没有绩效指标")
            continue
        if not t.goal.strip():
            report(where, project=t.project, problem="没有年度绩效目标", severity=Severity.WARNING)
        for i_idx, ind in enumerate(t.indicators):
            at = f"{where}.indicators[{i_idx}]"
            if not ind.name.strip() or not ind.target.strip():
                report(at, project=t.project, problem=f"的指标“{ind.name or ind.level2}”没有名称或指标值")
            elif not ind.level1.startswith(_LEVEL1):
                report(f"{at}.level1", project=t.project,
                       problem=f"的指标“{ind.name}”一级指标“{ind.level1}”不是产出、效益、满意度或成本指标")
            elif ind.direction in ("≥", "≤", "=", "＝") and not _QUANT.match(ind.target.strip()):
                report(f"{at}.target", project=t.project,
                       problem=f"的定量指标“{ind.name}”指标值“{ind.target}”不是数字")
            elif ind.direction in ("≥", "≤", "=", "＝") and not ind.unit.strip() and not ind.target.endswith("%"):
                report(f"{at}.unit", project=t.project, problem=f"的定量指标“{ind.name}”没有计量单位",
                       severity=Severity.WARNING)


@rule(
    "budget_doc.targets_amount",
    Severity.WARNING,
    "绩效目标涉及资金超过项目支出",
    "纳入绩效目标管理的项目资金 {found} 超过项目支出预算 {expected}",
    "预算绩效目标设置情况：纳入绩效目标管理的项目涉及资金不应超过项目支出预算。",
    ("budget_doc", "绩效目标"),
    kind=_K,
)
def targets_amount(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    amount = ds.performance.projects_amount
    if amount is None:
        amount = sum((t.amount for t in ds.performance.targets), ZERO) if ds.performance.targets else None
    project = ds.spending("project")
    if amount is not None and ctx.iv(amount).lo > ctx.iv(project).hi:
        report("performance", expected=project, found=amount)


@rule(
    "budget_doc.required",
    Severity.ERROR,
    "缺少必填内容",
    "缺少{what}",
    "部门名称和至少一个支出科目是预算公开的必填内容。",
    ("budget_doc", "必填"),
    kind=_K,
)
def required(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    if not ds.department.name.strip():
        report("department.name", what="部门名称")
    if not ds.items():
        report("expenditure", what="支出科目（项级，7 位编码）")
