"""The perf.* rules: quiet on the seed's tables and on any table scored by the rule,
and each fires on a crafted bad case."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.compute import scoring as sc
from juesuan.model.accounts import Dataset, Indicator, Performance, Rating, SelfEvaluation
from juesuan.model.findings import Finding, Severity
from juesuan.model.money import ZERO, Unit, round2
from juesuan.rules.engine import Context, Options, run_rules
from juesuan.rules.registry import all_rules
from tests.helpers import mini_raw
from tests.test_scoring import seed_tables

PERF_IDS = {
    "perf.funds_rate", "perf.funds_score", "perf.indicator_score", "perf.qualitative_band",
    "perf.total", "perf.total_rule", "perf.weights", "perf.unscorable", "perf.direction",
    "perf.appropriation", "perf.fund_parts", "perf.summary_figures",
}


@lru_cache(maxsize=1)
def _mini() -> Dataset:
    return Dataset.model_validate(mini_raw())


def seed_raw() -> list[dict[str, Any]]:
    return [t["table"] for t in seed_tables()]


def run_perf(tables: list[dict[str, Any]] | list[SelfEvaluation], overrun: str = "ratio",
             **performance: Any) -> list[Finding]:
    evs = [t if isinstance(t, SelfEvaluation) else SelfEvaluation.model_validate(t) for t in tables]
    perf = Performance(self_evaluations=evs, **performance)
    ds = _mini().model_copy(update={"performance": perf})
    return run_rules(Context(ds, options=Options(negative_overrun=overrun, select=("perf.",))))


def test_rules_are_registered_and_documented():
    ids = {r.id for r in all_rules() if r.id.startswith("perf.")}
    assert ids == PERF_IDS
    for r in all_rules():
        if r.id in PERF_IDS:
            assert r.description and r.title and r.message and "performance" in r.tags


@pytest.mark.parametrize("overrun", sc.OVERRUN_CONVENTIONS)
def test_seed_tables_are_quiet(overrun: str):
    assert run_perf(seed_raw(), overrun) == []


def test_seed_summary_is_quiet_and_few_tables_is_not_an_error():
    # the seed: 13 projects self-evaluated, 5 tables published; mini spends 60.00 on projects
    found = run_perf(seed_raw()[:1], general_projects_l2=13, general_amount=D("60.00"))
    assert found == []


# --- crafted bad cases ------------------------------------------------------

Mutation = Callable[[list[dict[str, Any]]], None]


def _ind(t: int, i: int, **values: Any) -> Mutation:
    def mutate(tables: list[dict[str, Any]]) -> None:
        tables[t]["indicators"][i].update(values)
    return mutate


def _table(t: int, **values: Any) -> Mutation:
    def mutate(tables: list[dict[str, Any]]) -> None:
        tables[t].update(values)
    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(tables: list[dict[str, Any]]) -> None:
        for m in mutations:
            m(tables)
    return mutate


def findings_after(mutate: Mutation, overrun: str = "ratio", **performance: Any) -> list[Finding]:
    tables = seed_raw()
    mutate(tables)
    return run_perf(tables, overrun, **performance)


CASES: list[tuple[str, Mutation, str]] = [
    ("perf.funds_rate",
     _table(0, funds={"initial_budget": D("0"), "annual_budget": D("0"), "executed": D("5.00")},
            appropriation=None),
     "performance.self_evaluations[0].funds.executed"),
    ("perf.funds_score", _table(0, funds_score=D("9.00")), "performance.self_evaluations[0].funds_score"),
    ("perf.indicator_score", _ind(0, 0, score=D("2.5")),
     "performance.self_evaluations[0].indicators[0].score"),
    ("perf.qualitative_band", _ind(0, 9, score=D("3")),
     "performance.self_evaluations[0].indicators[9].score"),
    ("perf.total", _table(1, total_score=D("96.86")), "performance.self_evaluations[1].total_score"),
    ("perf.total_rule", _both(_ind(2, 0, score=D("2")), _table(2, total_score=D("96.6"))),
     "performance.self_evaluations[2].total_score"),
    ("perf.weights", _ind(3, 0, weight=D("3"), score=D("1.5")),
     "performance.self_evaluations[3].indicators"),
    ("perf.unscorable", _ind(4, 1, target="本年内", score=None),
     "performance.self_evaluations[4].indicators[1]"),
    ("perf.direction", _ind(4, 0, direction="大于等于"),
     "performance.self_evaluations[4].indicators[0].direction"),
    ("perf.appropriation",
     _table(0, appropriation={"initial_budget": D("50.00"), "annual_budget": D("50.00"),
                              "executed": D("60.00")}),
     "performance.self_evaluations[0].appropriation.executed"),
    ("perf.fund_parts",
     _table(0, carryover={"initial_budget": D("0"), "annual_budget": D("0"), "executed": D("1.00")}),
     "performance.self_evaluations[0].funds.executed"),
]


@pytest.mark.parametrize(("rule_id", "mutate", "path"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires(rule_id: str, mutate: Mutation, path: str):
    found = [f for f in findings_after(mutate) if f.rule == rule_id]
    assert found, rule_id
    assert path in {f.location.path for f in found}
    assert all(f.message and "{" not in f.message for f in found)


def test_indicator_score_error_says_what_rule_expects():
    (f,) = [f for f in findings_after(_ind(0, 0, score=D("2.5"))) if f.rule == "perf.indicator_score"]
    assert f.severity is Severity.ERROR
    assert f.expected == "2.4分" and f.found == "2.5分"
    assert "购买办公用品" in f.message and "按完成值与指标值的比例" in f.message


def test_indicator_score_is_rounding_aware():
    # 5 × 3/8 = 1.875: 1.88 (half-up) and 1.87 (round-half-even/float) both pass; 1.8 is a warning
    base = _both(_ind(1, 0, actual="3"), _table(1, total_score=None))
    for ok in ("1.88", "1.87", "1.875", "1.8750"):
        found = findings_after(_both(base, _ind(1, 0, score=D(ok))))
        assert "perf.indicator_score" not in {f.rule for f in found}, ok
    one_decimal = findings_after(_both(base, _ind(1, 0, score=D("1.9"))))
    assert [f.severity for f in one_decimal if f.rule == "perf.indicator_score"] == [Severity.WARNING]
    integer = findings_after(_both(base, _ind(1, 0, score=D("2"))))
    assert [f.severity for f in integer if f.rule == "perf.indicator_score"] == [Severity.ERROR]
    finer = findings_after(_both(base, _ind(1, 0, score=D("1.870"))))
    assert [f.severity for f in finer if f.rule == "perf.indicator_score"] == [Severity.ERROR]


def test_over_achievement_reduction_is_a_warning():
    # 下企业调研: target 10, actual 20; 10号 allows reducing the score of a target set too low
    found = findings_after(_ind(0, 4, score=D("2.5")))
    (f,) = [f for f in found if f.rule == "perf.indicator_score"]
    assert f.severity is Severity.WARNING


def test_qualitative_band_follows_rating():
    ok = findings_after(_both(_ind(0, 9, score=D("3.5"), rating=Rating.PARTLY),
                              _table(0, total_score=D("95.21"))))
    assert ok == []
    low = findings_after(_ind(0, 9, score=D("4"), rating=Rating.PARTLY))
    assert "perf.qualitative_band" in {f.rule for f in low}


def test_unscorable_with_filled_score_is_info():
    found = findings_after(_ind(0, 0, target="十批"))
    (f,) = [f for f in found if f.rule == "perf.unscorable"]
    assert f.severity is Severity.INFO
    assert {x.rule for x in found} == {"perf.unscorable"}


def test_level1_weights_off_default_is_info():
    # 产出 49 / 效益 31: the total is still 100
    mutate = _both(_ind(0, 9, weight=D("4"), score=D("4")), _ind(0, 15, weight=D("6"), score=D("6")))
    found = findings_after(mutate)
    assert [(f.rule, f.severity) for f in found] == [("perf.weights", Severity.INFO)]


def test_negative_overrun_convention_is_an_option():
    # 进行材料印刷成本: target 100000, weight 2; actual 125000 -> ratio 1.6, linear 1.5
    mutate = _both(_ind(0, 12, actual="125000", score=D("1.6")), _table(0, total_score=D("96.31")))
    assert findings_after(mutate, "ratio") == []
    linear = {f.rule for f in findings_after(mutate, "linear")}
    assert {"perf.indicator_score", "perf.total_rule"} <= linear


def test_summary_figures():
    one = seed_raw()[:1]  # executed 49.32, within mini's project spending of 60.00
    over = run_perf(one, general_amount=D("61.00"))
    assert [(f.rule, f.severity) for f in over] == [("perf.summary_figures", Severity.ERROR)]
    assert over[0].location.path == "performance.general_amount"
    under = run_perf(one, general_amount=D("50.00"))
    assert ("perf.summary_figures", Severity.INFO) in {(f.rule, f.severity) for f in under}
    many = findings_after(lambda t: None, general_projects_l2=3)
    assert [(f.rule, f.severity) for f in many] == [("perf.summary_figures", Severity.WARNING)]
    spent = findings_after(lambda t: None, general_projects_l2=13, general_amount=D("60.00"))
    assert [(f.rule, f.severity) for f in spent] == [("perf.summary_figures", Severity.WARNING)]
    assert "80.43" in spent[0].message


def test_summary_figures_converts_table_amounts_to_dataset_unit():
    """Tables are in 万元: in a dataset kept in 元, 80.43万元 executed is 804,300 元."""
    yuan = _mini().model_copy(update={"unit": Unit.YUAN})
    perf = Performance(self_evaluations=[SelfEvaluation.model_validate(t) for t in seed_raw()],
                       general_amount=D("900000"))
    ds = yuan.model_copy(update={"performance": perf})
    found = run_rules(Context(ds, options=Options(select=("perf.summary_figures",))))
    assert not any("执行数合计" in f.message for f in found)
    perf = perf.model_copy(update={"general_amount": D("800")})  # 800 元 < 80.43 万元
    found = run_rules(Context(ds.model_copy(update={"performance": perf}),
                              options=Options(select=("perf.summary_figures",))))
    assert any("执行数合计" in f.message for f in found)


# --- property: a table scored by the rule raises nothing ----------------------

def _split(total: int) -> st.SearchStrategy[list[int]]:
    """Positive integer weights adding up to ``total``."""
    cuts = st.sets(st.integers(1, total - 1), max_size=min(6, total - 1))
    return cuts.map(lambda c: [b - a for a, b in zip([0, *sorted(c)], [*sorted(c), total], strict=True)])


@st.composite
def _indicator(draw: st.DrawFn, level1: str, weight: int, overrun: str) -> Indicator:
    kind = draw(st.sampled_from(["ge", "eq", "le", "qual"]))
    w = D(weight)
    if kind == "qual":
        rating = draw(st.sampled_from(list(Rating)))
        lo, hi = sc.qualitative_band(w, rating)
        top = int(hi * 100) if rating is Rating.ACHIEVED else int(hi * 100) - 1
        cents = draw(st.integers(int(lo * 100), top))
        score = None if rating is Rating.ACHIEVED and draw(st.booleans()) else D(cents) / 100
        return Indicator(level1=level1, level2="时效指标", name="定性", nature="定性", target="本年内",
                         actual="本年内", weight=w, score=score, rating=rating)
    target = draw(st.integers(0 if kind == "eq" else 1, 1000))
    actual = draw(st.integers(0, 2500))
    nature, direction = {"ge": ("正向", "大于等于"), "eq": ("正向", "等于"), "le": ("反向", "小于等于")}[kind]
    unit = draw(st.sampled_from(["%", "次", "元", "元/次", ""]))
    base = Indicator(level1=level1, level2="数量指标", name="定量", nature=nature, direction=direction,
                     target=f"{target:,}" if draw(st.booleans()) else str(target), actual=str(actual),
                     unit=unit, weight=w)
    expected = sc.score_indicator(base, overrun).expected
    assert expected is not None
    if draw(st.booleans()):  # printed with trailing zeros dropped: "2.4", "3" rather than "2.40", "3.00"
        expected = expected.quantize(D(1)) if expected == expected.to_integral() else expected.normalize()
    return base.model_copy(update={"score": expected})


@st.composite
def consistent_table(draw: st.DrawFn, overrun: str) -> SelfEvaluation:
    indicators: list[Indicator] = []
    for level1, total in sc.DEFAULT_LEVEL1_WEIGHTS.items():
        for w in draw(_split(int(total))):
            indicators.append(draw(_indicator(level1, w, overrun)))
    budget = D(draw(st.integers(0, 10_000_000))) / 100
    executed = D(draw(st.integers(0, int(budget * 100)))) / 100 if budget else D("0.00")
    funds = {"initial_budget": budget, "annual_budget": budget, "executed": executed}
    ev = SelfEvaluation(name="随机项目", funds=funds, indicators=indicators)
    ts = sc.score_table(ev, overrun)
    assert ts.total is not None
    scores = [ts.funds_score] + [i.score if i.score is not None else ZERO for i in indicators]
    filled_total = sum(scores, ZERO) + sum(
        (s.expected for i, s in zip(indicators, ts.indicators, strict=True) if i.score is None), ZERO
    )
    return ev.model_copy(update={"funds_score": ts.funds_score, "total_score": round2(filled_total)})


@pytest.mark.parametrize("overrun", sc.OVERRUN_CONVENTIONS)
def test_consistent_random_tables_raise_nothing(overrun: str):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(consistent_table(overrun), min_size=1, max_size=3))
    def check(tables: list[SelfEvaluation]) -> None:
        assert run_perf(tables, overrun) == []

    check()
