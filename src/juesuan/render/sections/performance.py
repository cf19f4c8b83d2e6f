"""Explanation 十四 (Shanghai 十): 预算绩效, with a hook for the self-evaluation tables."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compute.derive import dsum, fund_spending, share
from juesuan.model.accounts import FundKind, SelfEvaluation
from juesuan.model.money import ZERO, round2
from juesuan.render.blocks import Block, Paragraph
from juesuan.render.sections import Ctx


def project_score(ev: SelfEvaluation) -> Decimal | None:
    """总分 as filled in, else as the scoring rule gives it."""
    if ev.total_score is not None:
        return ev.total_score
    from juesuan.compute.scoring import score_table

    return score_table(ev).total


def _coverage(ctx: Ctx, part: Decimal, whole: Decimal) -> Decimal:
    if whole == 0:
        return Decimal(ctx.profile.options.empty_fund_share)
    return share(part, whole)


def s14(ctx: Ctx) -> list[Block]:
    return _sh(ctx) if ctx.shanghai else _nm(ctx)


def _nm(ctx: Ctx) -> list[Block]:
    perf = ctx.dataset.performance
    project = fund_spending(ctx.dataset, FundKind.GENERAL).project
    general = perf.general_amount if perf.general_amount is not None else project
    out: list[Block] = [ctx.heading("s14.management_heading")]
    fund_project = fund_spending(ctx.dataset, FundKind.GOV_FUND).project
    values = {
        "l1": perf.general_projects_l1, "l2": perf.general_projects_l2,
        "amount": ctx.wan(general), "share": _coverage(ctx, general, project),
        "fund_n": perf.fund_projects_l1 + perf.fund_projects_l2,
        "fund_l1": perf.fund_projects_l1, "fund_l2": perf.fund_projects_l2,
        "fund_amount": ctx.wan(perf.fund_amount), "fund_share": _coverage(ctx, perf.fund_amount, fund_project),
    }  # fmt: skip
    out.append(ctx.para(("s14.self_eval", values)))
    if perf.dept_evaluations:
        names = [f"“{n}”" for n in perf.dept_evaluations]
        out.append(ctx.para(("s14.dept_eval", {"projects": names, "n": len(names),
                                               "general": ctx.wan(perf.dept_eval_general),
                                               "fund": ctx.wan(perf.dept_eval_fund)})))  # fmt: skip
    else:
        out.append(ctx.para("s14.dept_eval_none"))
    out.append(ctx.heading("s14.results_heading"))
    evs = perf.self_evaluations
    out.append(ctx.para(("s14.results", {"general_n": len(evs), "fund_n": 0, "n": len(evs)})))
    for n, ev in enumerate(evs, 1):
        out += project_blocks(ctx, n, ev)
    out.append(ctx.heading("s14.key_heading"))
    if perf.key_evaluation:
        out.append(Paragraph(perf.key_evaluation, key="s14.key_evaluation"))
    else:
        out.append(ctx.para("s14.key_none"))
    return out


def project_blocks(ctx: Ctx, n: int, ev: SelfEvaluation) -> list[Block]:
    """One project's summary (amounts of self-evaluation tables are in 万元 already), then its table."""
    f = ev.funds
    rate = share(f.executed, f.annual_budget)
    values = {"n": n, "name": ev.name, "score": project_score(ev) or ZERO,
              "budget": f.annual_budget, "executed": f.executed, "rate": rate}  # fmt: skip
    out: list[Block] = [ctx.para(("s14.project", values))]
    for key, text in (
        ("s14.project_summary", ev.summary or ev.achieved),
        ("s14.project_problems", ev.problems),
        ("s14.project_improvements", ev.improvements),
    ):
        if text:
            out.append(ctx.para((key, {"text": text})))
    if ctx.perf_tables is not None:
        out += ctx.hook(ctx.perf_tables(ev))
    return out


def _sh(ctx: Ctx) -> list[Block]:
    perf = ctx.dataset.performance
    evs = perf.self_evaluations
    scores = [s for s in (project_score(e) for e in evs) if s is not None]
    amount = dsum(e.funds.annual_budget for e in evs)  # 万元, as the tables print
    grades = {"excellent": 0, "good": 0, "pass": 0, "fail": 0}
    for s in scores:
        grades["excellent" if s >= 90 else "good" if s >= 80 else "pass" if s >= 60 else "fail"] += 1

    def field(name: str, default):  # noqa: ANN001, ANN202 - model fields newer than this module fall back
        value = getattr(perf, name, None)
        return default if value is None else value

    gc = field("grade_counts", {}) or {}
    if gc:
        grades = {"excellent": gc.get("优", 0), "good": gc.get("良", 0), "pass": gc.get("合格", 0), "fail": gc.get("不合格", 0)}
    n_self = field("self_eval_projects", len(evs))
    self_amount = field("self_eval_amount", amount)
    values = {
        "systems": perf.systems or "无", "mechanism": perf.mechanism or "无",
        "target_n": field("targets_projects", n_self), "target_amount": ctx.wan(field("targets_amount", self_amount)),
        "tracked_n": field("tracking_projects", n_self), "tracked_amount": ctx.wan(field("tracking_amount", self_amount)),
        "self_n": n_self, "self_amount": ctx.wan(self_amount),
        "average": field("average_score", round2(dsum(scores) / len(scores)) if scores else ZERO),
        **grades,
        "problems": field("problems_found", 0), "fixed": field("problems_fixed", 0),
        "fixing": field("problems_fixing", 0),
    }  # fmt: skip
    return [ctx.para(("s14.management", values))]
