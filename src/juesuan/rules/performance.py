"""Checks of explanation 十四 (预算绩效) and its 项目支出绩效自评表.

A self-evaluation table is checked twice: against its own arithmetic (the
filled-in total is the sum of the filled-in scores) and against the scoring
rule (``juesuan.compute.scoring``).  Every comparison is rounding-aware: a
score is printed to 2 decimals with trailing zeros dropped (7.6, 96.1, 3), so
a filled-in score x stands for [x − 0.005, x + 0.005], or the finer interval
of the precision written (2.400); amounts of the funds block are printed in
万元 to 2 decimals and their ratio is an interval too.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute import scoring as sc
from juesuan.model.accounts import Nature, Rating, SelfEvaluation
from juesuan.model.findings import Severity
from juesuan.model.money import HUNDRED, ZERO, Interval, Unit, convert, round2
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule

HALF_CENT = Decimal("0.005")
HALF_TENTH = Decimal("0.05")
TAGS = ("performance", "t14")


def _base(i: int) -> str:
    return f"performance.self_evaluations[{i}]"


def _pts(value: Decimal) -> str:
    """A score as the tables print it: up to 2 decimals, trailing zeros dropped."""
    q = round2(value)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}分"


def _wan(value: Decimal) -> str:
    return f"{round2(value):,.2f}万元"


def _pct(value: Decimal) -> str:
    return f"{round2(value):.2f}%"


def _decimals(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return max(-exp, 0) if isinstance(exp, int) else 0


def _tol(filled: Decimal) -> Decimal:
    """Rounding tolerance of a filled-in score: 2 decimals, or finer when written finer.

    Scores are printed with trailing zeros dropped ("3", "7.6"), so fewer than two
    written decimals still mean two-decimal rounding, never ±0.5.
    """
    places = _decimals(filled)
    return HALF_CENT if places <= 2 else Decimal(5).scaleb(-places - 1)


def _scores(ctx: Context) -> list[sc.TableScore]:
    """Every table scored once per run (the rules share it)."""
    key = f"perf.scores.{ctx.options.negative_overrun}"
    if key not in ctx.cache:
        ctx.cache[key] = [sc.score_table(ev, ctx.options.negative_overrun)
                          for ev in ctx.dataset.performance.self_evaluations]
    return ctx.cache[key]


def _tables(ctx: Context) -> list[tuple[int, SelfEvaluation, sc.TableScore]]:
    evs = ctx.dataset.performance.self_evaluations
    return [(i, ev, ts) for i, (ev, ts) in enumerate(zip(evs, _scores(ctx), strict=True))]


def funds_score_interval(ev: SelfEvaluation) -> Interval:
    """The funds scores the printed 全年执行数 and 全年预算数 allow (rounded or not)."""
    cap = sc.FUNDS_WEIGHT
    budget = Interval.printed(ev.funds.annual_budget)
    if ev.funds.annual_budget == 0:
        return Interval.exact(ZERO)
    ratio = Interval.printed(ev.funds.executed) / budget
    if ratio is None:  # a budget of 0.00x: any score is possible
        return Interval(ZERO, cap)
    lo = min(max(ratio.lo * cap, ZERO), cap)
    hi = min(max(ratio.hi * cap, ZERO), cap)
    return Interval(min(lo, round2(lo)), max(hi, round2(hi)))


@rule(
    "perf.funds_rate",
    Severity.ERROR,
    "绩效自评表预算执行率有误",
    "项目“{project}”：{what}",
    "项目支出绩效自评表：执行率 = 全年执行数 ÷ 全年预算数（不是年初预算数）；全年预算数为0时不应有执行数；"
    "执行数超过全年预算数时执行率超过100%，得分按10分封顶（警告）。若数据载有印刷的执行率（funds_rate），"
    "按四舍五入区间与计算值比较。",
    TAGS,
)
def funds_rate(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        f = ev.funds
        path = f"{_base(i)}.funds"
        if f.annual_budget == 0:
            if f.executed > 0:
                report(f"{path}.executed", expected="0.00万元", found=_wan(f.executed), project=ev.name,
                       what=f"全年预算数为0，却有全年执行数 {_wan(f.executed)}，执行率无法计算")
            continue
        if Interval.printed(f.executed).lo > Interval.printed(f.annual_budget).hi:
            report(f"{path}.executed", expected=f"不超过 {_wan(f.annual_budget)}", found=_wan(f.executed),
                   severity=Severity.WARNING, project=ev.name,
                   what=f"全年执行数 {_wan(f.executed)} 超过全年预算数 {_wan(f.annual_budget)}，"
                        f"执行率 {_pct(ts.funds_rate)} 超过100%，预算执行率得分按10分封顶")
        printed = getattr(ev, "funds_rate", None)  # a printed-rate field, should the model gain one
        if isinstance(printed, Decimal):
            ratio = Interval.printed(f.executed) / Interval.printed(f.annual_budget)
            if ratio is not None and not ratio.scale(HUNDRED).overlaps(Interval.printed(printed)):
                report(f"{_base(i)}.funds_rate", expected=_pct(ts.funds_rate), found=_pct(printed),
                       project=ev.name,
                       what=f"执行率填为 {_pct(printed)}，按全年执行数 ÷ 全年预算数应为 {_pct(ts.funds_rate)}")


@rule(
    "perf.funds_score",
    Severity.ERROR,
    "预算执行率得分不符合评分规则",
    "项目“{project}”：预算执行率得分填为 {found}，按 10 × 执行率（{rate}，封顶10分）应为 {expected}",
    "预算执行率分值10分，得分 = 10 × 全年执行数 ÷ 全年预算数，最高10分，四舍五入保留两位小数；"
    "考虑金额四舍五入后，超出可能范围才报告。",
    TAGS,
)
def funds_score(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        filled = ev.funds_score
        if filled is None:
            continue
        allowed = funds_score_interval(ev)
        tol = _tol(filled)
        if not Interval(allowed.lo - tol, allowed.hi + tol).contains(filled):
            report(f"{_base(i)}.funds_score", expected=_pts(ts.funds_score), found=_pts(filled),
                   project=ev.name, rate=_pct(ts.funds_rate))


@rule(
    "perf.indicator_score",
    Severity.ERROR,
    "指标得分不符合评分规则",
    "项目“{project}”：{level2}“{name}”（{nature}，指标值 {target}，完成值 {actual}，分值 {weight}）"
    "得分填为 {found}，按评分规则应为 {expected}：{reason}",
    "定量指标：正向（大于等于）得分 = 分值 × min(完成值 ÷ 指标值, 1)；等于：相等得满分，否则同正向；"
    "反向（小于等于）：未超过指标值得满分，超出时按所选口径（ratio：指标值 ÷ 完成值 × 分值；"
    "linear：按超出比例线性扣分，两倍指标值时为0）。得分四舍五入保留两位小数，按填写精度比较。"
    "只按一位小数取整（如 3.75 填 3.8）或超额完成后酌情调减分值（财预〔2020〕10号允许）的，报警告。",
    TAGS,
)
def indicator_score(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        for j, (ind, s) in enumerate(zip(ev.indicators, ts.indicators, strict=True)):
            if ind.nature is Nature.QUALITATIVE or ind.score is None or s.exact is None:
                continue
            diff = abs(s.exact - ind.score)
            if diff <= _tol(ind.score):
                continue
            severity = None
            reason = s.reason
            if _decimals(ind.score) == 1 and diff <= HALF_TENTH:
                severity, reason = Severity.WARNING, f"{reason}；填写值只保留一位小数，应保留两位"
            elif s.over_achieved and ind.score < s.exact:
                severity = Severity.WARNING
                reason = f"{reason}；完成值高于指标值较多时可按偏离度适度调减分值，但须说明原因"
            report(f"{_base(i)}.indicators[{j}].score", expected=_pts(s.exact), found=_pts(ind.score),
                   severity=severity, project=ev.name, level2=ind.level2, name=ind.name,
                   nature=ind.nature.value, target=ind.target or "（空）", actual=ind.actual or "（空）",
                   weight=_pts(ind.weight), reason=reason)


@rule(
    "perf.qualitative_band",
    Severity.ERROR,
    "定性指标得分超出评价档次区间",
    "项目“{project}”：定性指标“{name}”评为“{rating}”，得分 {found} 不在该档区间 {expected} 内{hint}",
    "定性指标按达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，分别在分值的"
    "100%–80%（含）、80%–60%（含）、60%–0% 区间内确定得分（财预〔2020〕10号）。",
    TAGS,
)
def qualitative_band(ctx: Context, report: Reporter) -> None:
    for i, ev, _ts in _tables(ctx):
        for j, ind in enumerate(ev.indicators):
            if ind.nature is not Nature.QUALITATIVE or ind.score is None:
                continue
            if sc.in_band(ind.score, ind.weight, ind.rating):
                continue
            lo, hi = sc.qualitative_band(ind.weight, ind.rating)
            right = "]" if ind.rating is Rating.ACHIEVED else ")"
            band = f"[{_pts(lo)}, {_pts(hi)}{right}"
            report(f"{_base(i)}.indicators[{j}].score", expected=band, found=_pts(ind.score),
                   project=ev.name, name=ind.name, rating=ind.rating.value,
                   hint="（评价档次未填时按“达成”；部分达成或未达成的请填写档次）"
                   if ind.rating is Rating.ACHIEVED and ind.score < lo else "")


def _filled_parts(ev: SelfEvaluation, ts: sc.TableScore) -> list[Decimal] | None:
    """The scores as the table states them (computed where a cell was left empty)."""
    parts = [ev.funds_score if ev.funds_score is not None else ts.funds_score]
    for ind, s in zip(ev.indicators, ts.indicators, strict=True):
        value = ind.score if ind.score is not None else s.expected
        if value is None:
            return None
        parts.append(value)
    return parts


@rule(
    "perf.total",
    Severity.ERROR,
    "自评表总分与各项得分合计不符",
    "项目“{project}”：总分填为 {found}，而预算执行率得分与各指标得分合计为 {expected}",
    "项目支出绩效自评表自身的算术：总分 = 预算执行率得分 + 各指标得分。带小数的得分各按0.005的舍入误差累计容差。",
    TAGS,
)
def total(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        if ev.total_score is None:
            continue
        parts = _filled_parts(ev, ts)
        if parts is None:
            continue
        s = sum(parts, ZERO)
        tol = _tol(ev.total_score) + HALF_CENT * sum(1 for p in parts if p != p.to_integral_value())
        if abs(s - ev.total_score) > tol:
            report(f"{_base(i)}.total_score", expected=_pts(s), found=_pts(ev.total_score),
                   tolerance=_pts(tol), project=ev.name)


@rule(
    "perf.total_rule",
    Severity.ERROR,
    "自评表总分不符合评分规则",
    "项目“{project}”：总分填为 {found}，按评分规则应为 {expected}（预算执行率 {funds} + 指标 {indicators}，{grade}）",
    "按评分规则计算的总分 = 预算执行率得分 + 各指标得分（各自四舍五入保留两位小数后相加；预算执行率得分"
    "不先取整的口径也接受）。无法计分的指标按填写得分计入。",
    TAGS,
)
def total_rule(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        if ev.total_score is None or ts.indicator_sum is None or ts.total is None:
            continue
        funds = funds_score_interval(ev)
        tol = _tol(ev.total_score)
        allowed = Interval(ts.indicator_sum + funds.lo - tol, ts.indicator_sum + funds.hi + tol)
        if not allowed.contains(ev.total_score):
            report(f"{_base(i)}.total_score", expected=_pts(ts.total), found=_pts(ev.total_score),
                   project=ev.name, funds=_pts(ts.funds_score), indicators=_pts(ts.indicator_sum),
                   grade=f"评价等级“{ts.grade}”")


@rule(
    "perf.weights",
    Severity.ERROR,
    "自评表分值设置有误",
    "项目“{project}”：{what}",
    "各指标分值之和加上预算执行率10分应为100分（错误）。一级指标分值与财预〔2020〕10号的原则性设置"
    "（产出50、效益30、满意度10）不同的，仅作提示；未设满意度指标而其权重并入产出和效益的，不提示。",
    TAGS,
)
def weights(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        if not ev.indicators:
            continue
        if ts.weight_total != sc.TOTAL_WEIGHT:
            report(f"{_base(i)}.indicators", expected=_pts(sc.TOTAL_WEIGHT), found=_pts(ts.weight_total),
                   project=ev.name,
                   what=f"分值合计（含预算执行率10分）为 {_pts(ts.weight_total)}，应为100分")
            continue
        got = dict(ts.level1_weights)
        default = sc.DEFAULT_LEVEL1_WEIGHTS
        if got == default:
            continue
        no_satisfaction = "满意度指标" not in got and set(got) <= {"产出指标", "效益指标"}
        if no_satisfaction and sum(got.values(), ZERO) == 90:
            continue
        text = "、".join(f"{k}{_pts(v)}" for k, v in ts.level1_weights)
        report(f"{_base(i)}.indicators", expected="产出指标50分、效益指标30分、满意度指标10分", found=text,
               severity=Severity.INFO, project=ev.name,
               what=f"一级指标分值为 {text}，与原则性设置（产出50、效益30、满意度10）不同")


@rule(
    "perf.unscorable",
    Severity.WARNING,
    "指标无法按规则计分",
    "项目“{project}”：指标“{name}”{reason}{consequence}",
    "正向/反向指标的指标值或完成值不是数字（如“2023年内”），或定性指标评为部分达成/未达成却未填得分时，"
    "无法按规则计分。已填得分的仅提示（得分无法核对）；未填得分的警告（总分无法核对）。",
    TAGS,
)
def unscorable(ctx: Context, report: Reporter) -> None:
    for i, ev, ts in _tables(ctx):
        for j, (ind, s) in enumerate(zip(ev.indicators, ts.indicators, strict=True)):
            if s.scorable:
                continue
            filled = ind.score is not None
            report(f"{_base(i)}.indicators[{j}]", found=f"{ind.target} / {ind.actual}",
                   severity=Severity.INFO if filled else None, project=ev.name, name=ind.name,
                   reason=f"：{s.reason}",
                   consequence="，所填得分无法核对" if filled else "，又未填得分，总分无法核对")


@rule(
    "perf.direction",
    Severity.WARNING,
    "指标性质与指标方向矛盾",
    "项目“{project}”：指标“{name}”性质为{nature}，方向却是“{found}”；按方向计分",
    "正向指标的方向应为大于等于（或等于），反向指标应为小于等于。两者矛盾时按指标方向计分并提示。",
    TAGS,
)
def direction(ctx: Context, report: Reporter) -> None:
    for i, ev in enumerate(ctx.dataset.performance.self_evaluations):
        for j, ind in enumerate(ev.indicators):
            d = sc.parse_direction(ind.direction)
            bad = (ind.nature is Nature.POSITIVE and d is sc.Direction.LE) or (
                ind.nature is Nature.NEGATIVE and d is sc.Direction.GE)
            if bad:
                report(f"{_base(i)}.indicators[{j}].direction", found=ind.direction, project=ev.name,
                       name=ind.name, nature=ind.nature.value)


_FUND_FIELDS = (("initial_budget", "年初预算数"), ("annual_budget", "全年预算数"), ("executed", "全年执行数"))


@rule(
    "perf.appropriation",
    Severity.ERROR,
    "其中财政拨款超过年度资金总额",
    "项目“{project}”：其中财政拨款的{column} {found} 超过年度资金总额的 {expected}",
    "项目支出绩效自评表：“其中：财政拨款”是年度资金总额的一部分，任何一列都不能超过总额。",
    TAGS,
)
def appropriation(ctx: Context, report: Reporter) -> None:
    for i, ev in enumerate(ctx.dataset.performance.self_evaluations):
        if ev.appropriation is None:
            continue
        for field, label in _FUND_FIELDS:
            part, whole = getattr(ev.appropriation, field), getattr(ev.funds, field)
            if Interval.printed(part).lo > Interval.printed(whole).hi:
                report(f"{_base(i)}.appropriation.{field}", expected=_wan(whole), found=_wan(part),
                       related=(f"{_base(i)}.funds.{field}",), project=ev.name, column=label)


@rule(
    "perf.fund_parts",
    Severity.WARNING,
    "年度资金总额与其构成不符",
    "项目“{project}”：年度资金总额的{column}为 {found}，而财政拨款、上年结转资金、其他资金合计为 {expected}",
    "年度资金总额 = 其中财政拨款 + 上年结转资金 + 其他资金（仅在财政拨款行已填写时检查）。"
    "各地表式对上年结转是否含在财政拨款内写法不一，故只作警告。",
    TAGS,
)
def fund_parts(ctx: Context, report: Reporter) -> None:
    for i, ev in enumerate(ctx.dataset.performance.self_evaluations):
        if ev.appropriation is None:
            continue
        for field, label in _FUND_FIELDS:
            parts = [getattr(r, field) for r in (ev.appropriation, ev.carryover, ev.other_funds)]
            whole = getattr(ev.funds, field)
            if not ctx.agree(whole, parts):
                report(f"{_base(i)}.funds.{field}", expected=_wan(sum(parts, ZERO)), found=_wan(whole),
                       project=ev.name, column=label)


@rule(
    "perf.summary_figures",
    Severity.ERROR,
    "预算绩效管理工作开展情况的数字有误",
    "{what}",
    "十四（一）：自评涉及的一般公共预算资金不能超过一般公共预算财政拨款项目支出（错误）；少于时提示覆盖率。"
    "公开的自评表数目少于自评项目数属正常（只需公开部分项目），多于时警告；公开自评表的全年执行数合计"
    "超过自评涉及资金时警告。自评表金额按万元，与数据单位换算后比较。",
    TAGS,
    needs=('spending_split',),
)
def summary_figures(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    perf = ds.performance
    project = [item.general().project for item in ds.items()]
    spending = sum(project, ZERO)
    if perf.general_amount is not None and project:
        amount = Interval.printed(perf.general_amount)
        whole = sum((Interval.printed(p) for p in project), Interval.exact(ZERO))
        share = perf.general_amount / spending * HUNDRED if spending else ZERO
        if amount.lo > whole.hi:
            report("performance.general_amount", expected=f"不超过 {ctx.fmt(spending)}",
                   found=ctx.fmt(perf.general_amount),
                   what=f"自评涉及一般公共预算资金 {ctx.fmt(perf.general_amount)} 超过一般公共预算财政拨款"
                        f"项目支出 {ctx.fmt(spending)}（占 {_pct(share)}）")
        elif amount.hi < whole.lo:
            report("performance.general_amount", expected=ctx.fmt(spending), found=ctx.fmt(perf.general_amount),
                   severity=Severity.INFO,
                   what=f"自评涉及一般公共预算资金 {ctx.fmt(perf.general_amount)}，占一般公共预算财政拨款项目支出 "
                        f"{ctx.fmt(spending)} 的 {_pct(share)}，未全面覆盖")
    evs = perf.self_evaluations
    counted = perf.general_projects_l1 + perf.general_projects_l2 + perf.fund_projects_l1 + perf.fund_projects_l2
    if counted and len(evs) > counted:
        report("performance.self_evaluations", expected=f"不超过 {counted} 个", found=f"{len(evs)} 个",
               severity=Severity.WARNING,
               what=f"公开了 {len(evs)} 张项目自评表，多于开展自评的项目数 {counted} 个")
    covered = [a for a in (perf.general_amount, perf.fund_amount) if a is not None]
    if evs and perf.general_amount is not None:
        executed = convert(sum((ev.funds.executed for ev in evs), ZERO), Unit.WAN, ds.unit)
        limit = sum(covered, ZERO)
        tol = ctx.tol(covered) + convert(ctx.tol([ev.funds.executed for ev in evs]), Unit.WAN, ds.unit)
        if executed > limit + tol:
            report("performance.self_evaluations", expected=f"不超过 {ctx.fmt(limit)}",
                   found=ctx.fmt(executed), severity=Severity.WARNING,
                   what=f"公开的自评表全年执行数合计 {ctx.fmt(executed)} 超过自评涉及资金 {ctx.fmt(limit)}")
