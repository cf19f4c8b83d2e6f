"""Scoring of self-evaluation tables: the seed's five tables come out exactly as printed."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml

from juesuan.compute import scoring as sc
from juesuan.model.accounts import Indicator, Rating, SelfEvaluation
from juesuan.model.money import round2

SEED = Path(__file__).parent / "data" / "perf_seed.yaml"
PRINTED_TOTALS = [D("96.71"), D("95.86"), D("96.10"), D("92.28"), D("96.47")]


class _DecimalLoader(yaml.SafeLoader):
    """Numbers as Decimal, never float (2.25 must stay 2.25)."""


_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: D(loader.construct_scalar(node))
)


def seed_tables() -> list[dict[str, Any]]:
    return yaml.load(SEED.read_text(encoding="utf-8"), Loader=_DecimalLoader)["tables"]


def seed_evaluations() -> list[SelfEvaluation]:
    return [SelfEvaluation.model_validate(t["table"]) for t in seed_tables()]


def ind(nature: str, target: str, actual: str, weight: str = "4", direction: str = "",
        **kw: Any) -> Indicator:
    return Indicator(level1="产出指标", level2="数量指标", name="x", nature=nature, direction=direction,
                     target=target, actual=actual, weight=D(weight), **kw)


# --- the seed ---------------------------------------------------------------

def test_fixture_has_all_five_tables_and_every_indicator():
    evs = seed_evaluations()
    assert [len(e.indicators) for e in evs] == [24, 18, 17, 18, 23]
    assert [e.total_score for e in evs] == PRINTED_TOTALS


@pytest.mark.parametrize("overrun", sc.OVERRUN_CONVENTIONS)
@pytest.mark.parametrize("index", range(5))
def test_seed_table_scores_exactly(index: int, overrun: str):
    raw = seed_tables()[index]
    ev = SelfEvaluation.model_validate(raw["table"])
    ts = sc.score_table(ev, overrun)
    for i, (indicator, score) in enumerate(zip(ev.indicators, ts.indicators, strict=True)):
        assert score.expected == indicator.score, (i, indicator.name, score)
    assert round2(ts.funds_rate) == raw["printed"]["funds_rate"]
    assert ts.funds_score == ev.funds_score
    assert ts.total == PRINTED_TOTALS[index] == ev.total_score
    assert ts.grade == "优"
    assert ts.weight_total == 100
    assert dict(ts.level1_weights) == sc.DEFAULT_LEVEL1_WEIGHTS
    assert ts.assumed == ()


def test_seed_totals_also_with_unrounded_funds_score():
    """The other reading of the total (funds score not rounded first) gives the same five totals."""
    for ev, printed in zip(seed_evaluations(), PRINTED_TOTALS, strict=True):
        ts = sc.score_table(ev)
        assert ts.indicator_sum is not None
        assert round2(ts.indicator_sum + ts.funds_score_exact) == printed


def test_seed_project5_rate_comes_from_annual_budget():
    ev = seed_evaluations()[4]
    assert ev.funds.initial_budget == 0
    assert sc.score_table(ev).funds_rate == D("91.70")


def test_seed_score_count():
    matched = sum(
        s.expected == i.score
        for ev in seed_evaluations()
        for i, s in zip(ev.indicators, sc.score_table(ev).indicators, strict=True)
    )
    assert matched == 100


# --- funds ------------------------------------------------------------------

def test_funds_score_capped_and_zero_budget():
    assert sc.funds_score_exact(D("60"), D("50")) == 10
    assert sc.funds_rate(D("0"), D("0")) == 0  # the seed prints 0 on its all-zero rows
    assert sc.funds_score_exact(D("0"), D("0")) == 0
    assert round2(sc.funds_score_exact(D("11.03"), D("30.00"))) == D("3.68")


# --- indicators -------------------------------------------------------------

def test_positive_ratio_and_cap():
    assert sc.score_indicator(ind("正向", "10", "8", "3", "大于等于")).expected == D("2.40")
    s = sc.score_indicator(ind("正向", "10", "20", "3", "大于等于"))
    assert s.expected == 3 and s.over_achieved


def test_positive_rounds_half_up():
    # 5 × 3/8 = 1.875 -> 1.88 (half-up, as the seed rounds); 1 × 1/8 = 0.125 -> 0.13
    assert sc.score_indicator(ind("正向", "8", "3", "5")).expected == D("1.88")
    assert sc.score_indicator(ind("正向", "8", "1", "1")).expected == D("0.13")


def test_equal_direction():
    assert sc.score_indicator(ind("正向", "1", "1", "5", "等于")).expected == 5
    assert sc.score_indicator(ind("正向", "4", "3", "4", "等于")).expected == 3
    assert sc.score_indicator(ind("正向", "0", "0", "4", "等于")).expected == 4
    assert sc.score_indicator(ind("正向", "0", "2", "4", "等于")).expected == 0


@pytest.mark.parametrize(
    ("actual", "ratio", "linear"),
    [
        ("80", "4", "4"),  # within target: full marks either way
        ("100", "4", "4"),
        ("125", "3.20", "3.00"),  # 100/125 × 4 ; (1 − 0.25) × 4
        ("150", "2.67", "2.00"),
        ("200", "2.00", "0"),  # linear reaches zero at twice the target
        ("300", "1.33", "0"),
    ],
)
def test_negative_overrun_conventions(actual: str, ratio: str, linear: str):
    i = ind("反向", "100", actual, "4", "小于等于")
    assert sc.score_indicator(i, "ratio").expected == D(ratio)
    assert sc.score_indicator(i, "linear").expected == D(linear)


def test_negative_zero_target_and_unknown_convention():
    assert sc.score_indicator(ind("反向", "0", "5", "2")).expected == 0
    with pytest.raises(ValueError):
        sc.score_indicator(ind("反向", "10", "20", "2"), "quadratic")


def test_direction_decides_over_nature():
    # 性质 says 正向 but 方向 says 小于等于: scored as 反向 (a separate rule warns)
    assert sc.score_indicator(ind("正向", "10", "8", "3", "小于等于")).expected == 3
    assert sc.effective_direction(ind("反向", "1", "1")) is sc.Direction.LE


def test_qualitative():
    full = sc.score_indicator(ind("定性", "有效推进", "有效推进", "5"))
    assert full.expected == 5 and full.band == (D("4.0"), D("5"))
    filled = sc.score_indicator(ind("定性", "有效", "部分", "5", score=D("3.5"), rating=Rating.PARTLY))
    assert filled.expected == D("3.5") and filled.band == (D("3.0"), D("4.0"))
    missing = sc.score_indicator(ind("定性", "有效", "部分", "5", rating=Rating.PARTLY))
    assert missing.expected is None and not missing.scorable


def test_bands():
    w = D(5)
    assert sc.in_band(D(5), w, Rating.ACHIEVED) and sc.in_band(D(4), w, Rating.ACHIEVED)
    assert not sc.in_band(D("3.99"), w, Rating.ACHIEVED)
    assert sc.in_band(D(3), w, Rating.PARTLY) and not sc.in_band(D(4), w, Rating.PARTLY)
    assert sc.in_band(D(0), w, Rating.NOT_ACHIEVED) and not sc.in_band(D(3), w, Rating.NOT_ACHIEVED)


def test_unscorable_quantitative():
    s = sc.score_indicator(ind("正向", "2023年内", "2023年内", "5"))
    assert not s.scorable and s.expected is None and "2023年内" in s.reason


def test_table_with_unscorable_counts_filled_score():
    ev = seed_evaluations()[0]
    bad = ev.indicators[0].model_copy(update={"target": "十批"})
    ts = sc.score_table(ev.model_copy(update={"indicators": [bad, *ev.indicators[1:]]}))
    assert ts.assumed == (0,) and ts.total == D("96.71")
    bad = bad.model_copy(update={"score": None})
    ts = sc.score_table(ev.model_copy(update={"indicators": [bad, *ev.indicators[1:]]}))
    assert ts.total is None and ts.grade is None


# --- parsing and grades -----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("10", "批", "10"),
        ("１００", "", "100"),
        ("95%", "%", "95"),
        ("95％", "", "95"),
        ("≥95%", "%", "95"),
        ("不低于 90", "%", "90"),
        ("100,000", "元", "100000"),
        ("100，000元", "元", "100000"),
        ("3000元/次", "元/次", "3000"),
        ("3000", "元/次", "3000"),
        ("2.5万元", "元", "25000"),
        ("2.5万元", "万元", "2.5"),
        ("95%以上", "%", "95"),
        ("10 次", "", "10"),
        ("2023年内", "", None),
        ("有效推进", "", None),
        ("本年内", "", None),
        ("一项", "", None),
        ("", "", None),
        ("2023年内已完成", "", None),
    ],
)
def test_parse_number(text: str, unit: str, value: str | None):
    got = sc.parse_number(text, unit)
    assert got == (D(value) if value is not None else None)


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"),
     ("59.99", "差"), ("0", "差")],
)
def test_grade(total: str, grade: str):
    assert sc.grade(D(total)) == grade


def test_level1_key_normalises_extracted_labels():
    assert sc.level1_key("产出指 标") == "产出指标"
    assert sc.level1_key("满意度指标") == "满意度指标"
    assert sc.level1_key("其他") == "其他"
