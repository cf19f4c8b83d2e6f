"""项目支出绩效自评表 of one project as a ``TableView``, in the seed's layout.

Twelve columns: 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标方向 |
年度指标值 | 实际完成值 | 计量单位 | 分值 | 得分 | 偏差原因分析及改进措施.  The
funds block above (项目资金) and the 总分 row below use the same grid.

A score filled in by the department is printed as filled in; a missing one
is computed by ``juesuan.compute.scoring`` (the rules check the filled ones).
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.model.accounts import FundRow, Indicator, SelfEvaluation
from juesuan.model.money import ZERO, round2
from juesuan.render.blocks import Cell, Row, TableView
from juesuan.render.tables_common import hcell, tcell

DASH = "——"
INDICATOR_HEADS = ("绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标方向",
                   "年度指标值", "实际完成值", "计量单位", "分值", "得分", "偏差原因分析及改进措施")
WIDTHS = (0.9, 1.0, 1.0, 2.2, 0.8, 0.9, 1.2, 1.2, 0.8, 0.7, 0.7, 1.6)


def _scores(ev: SelfEvaluation) -> tuple[list[Decimal | None], Decimal | None, Decimal | None]:
    """(indicator scores, funds score, total): filled in where given, else computed."""
    filled = [i.score for i in ev.indicators]
    computed: list[Decimal | None] = [None] * len(filled)
    funds: Decimal | None = ev.funds_score
    total: Decimal | None = ev.total_score
    try:
        from juesuan.compute.scoring import score_table
    except ImportError:  # scoring not available: print what was filled in
        score_table = None  # type: ignore[assignment]
    if score_table is not None:
        result = score_table(ev)
        computed = [s.expected for s in result.indicators]
        funds = funds if funds is not None else result.funds_score
        if total is None:
            total = result.total
    scores = [f if f is not None else c for f, c in zip(filled, computed, strict=True)]
    if total is None and funds is not None and all(s is not None for s in scores):
        total = funds + sum((s for s in scores if s is not None), ZERO)
    return scores, funds, total


def _rate(row: FundRow) -> Decimal:
    """执行率 in percent (全年执行数 ÷ 全年预算数), 0 when there was no budget."""
    if row.annual_budget == 0:
        return ZERO
    return round2(row.executed / row.annual_budget * 100)


def _num(value: Decimal | None, places: int = 2) -> Cell:
    return Cell(value, align="right", places=places)


def _fund_row(label: str, row: FundRow, score: Decimal | None, total_row: bool) -> Row:
    """年度资金总额 (with 分值 10 and its 得分) or one of its parts (—— in those columns)."""
    return Row((
        tcell(label, 2, "center"),
        Cell(row.initial_budget, colspan=2, align="right"),
        Cell(row.annual_budget, colspan=2, align="right"),
        _num(row.executed),
        Cell(Decimal(10), align="center", places=0) if total_row else Cell(DASH, align="center"),
        _num(_rate(row)),
        _num(score) if total_row else Cell(DASH, align="center"),
    ), "data")


def _group_spans(values: list[str]) -> list[int]:
    """Row spans for consecutive equal values (0 = merged into the cell above)."""
    spans = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def _indicator_rows(inds: list[Indicator], scores: list[Decimal | None]) -> list[Row]:
    l1 = [i.level1 for i in inds]
    l2 = [f"{i.level1}\u0000{i.level2}" for i in inds]
    s1, s2 = _group_spans(l1), _group_spans(l2)
    rows = []
    for k, (ind, score) in enumerate(zip(inds, scores, strict=True)):
        cells: list[Cell] = []
        if s1[k]:
            cells.append(tcell(ind.level1, align="center", rowspan=s1[k]))
        if s2[k]:
            cells.append(tcell(ind.level2, align="center", rowspan=s2[k]))
        cells += [
            tcell(ind.name),
            tcell(ind.nature.value, align="center"),
            tcell(ind.direction, align="center"),
            tcell(ind.target, align="center"),
            tcell(ind.actual, align="center"),
            tcell(ind.unit, align="center"),
            Cell(ind.weight, align="right", places=_places(ind.weight)),
            Cell(score, align="right", places=_places(score)),
            tcell(ind.deviation),
        ]
        rows.append(Row(tuple(cells), "item"))
    return rows


def _places(value: Decimal | None) -> int:
    """Print a score as the seed does: 3, 2.4, 2.25 (no trailing zeros)."""
    if value is None:
        return 0
    exp = value.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def build_perf_table(ev: SelfEvaluation, year: int | None = None, number: str = "",
                     table_id: str = "perf-1") -> TableView:
    """The self-evaluation table of one project (title: 《name》项目支出绩效自评表（year年度）)."""
    scores, funds_score, total = _scores(ev)
    approp = ev.appropriation or ev.funds
    header = (Row((hcell("项目名称", 2), tcell(ev.name, 10)), "header"),)
    body: list[Row] = [
        Row((hcell("主管部门", 2), tcell(ev.department, 4), hcell("实施单位", 2),
             tcell(ev.implementer, 4)), "data"),
        Row((hcell("项目资金（万元）", 2, 5), tcell("", 2), hcell("年初预算数", 2), hcell("全年预算数", 2),
             hcell("全年执行数"), hcell("分值"), hcell("执行率（%）"), hcell("得分")), "data"),
        _fund_row("年度资金总额", ev.funds, funds_score, True),
        _fund_row("其中：财政拨款", approp, None, False),
        _fund_row("上年结转资金", ev.carryover, None, False),
        _fund_row("其他资金", ev.other_funds, None, False),
        Row((hcell("年度总体目标", 2, 2), hcell("预期目标", 5), hcell("实际完成情况", 5)), "data"),
        Row((tcell(ev.goal, 5), tcell(ev.achieved, 5)), "data"),
    ]
    n = len(ev.indicators)
    heads = list(INDICATOR_HEADS)
    body.append(Row((hcell(heads[0], rowspan=n + 1), *[hcell(h) for h in heads[1:]]), "header"))
    body += _indicator_rows(ev.indicators, scores)
    weight_total = Decimal(10) + sum((i.weight for i in ev.indicators), ZERO)
    body.append(Row((hcell("总分", 9), Cell(weight_total, align="right", places=_places(weight_total)),
                     Cell(total, align="right", places=2 if total is not None else 0),
                     tcell("")), "total"))
    suffix = f"（{year}年度）" if year else ""
    return TableView(
        id=table_id, number=number, title=f"{ev.name}项目支出绩效自评表{suffix}",
        org=ev.department, unit_label="", header=header, body=tuple(body),
        widths=WIDTHS, landscape=True,
    )


def build_perf_tables(evaluations: list[SelfEvaluation], year: int | None = None) -> list[TableView]:
    """One table per self-evaluated project, ids perf-1, perf-2, …"""
    return [build_perf_table(ev, year, table_id=f"perf-{k}") for k, ev in enumerate(evaluations, 1)]
