"""Scoring of a project self-evaluation table (项目支出绩效自评表).

Pure computation: no I/O.  The rules (``juesuan.rules.performance``) compare
what a table states with what these functions compute, and the narrative of
explanation 十四 prints them.

Conventions, each checked against the five tables of the seed (Wuhai 2023):

* 预算执行率 = 全年执行数 ÷ 全年预算数 (not 年初预算数: the seed's project 5
  has 年初预算数 0.00, 全年预算数 10.00, rate 91.70 %).  When 全年预算数 is 0
  the rate is taken as 0, as the seed prints "0" on its all-zero rows.
* 预算执行率得分 = 10 × min(rate, 1), rounded half-up to 2 decimals.
* 正向 (大于等于/大于): weight × min(actual ÷ target, 1).
* 等于: full marks when equal; target 0 → full when actual ≤ 0, else 0;
  otherwise as 正向 (the vendor rule quoted in
  ``reference/rules_performance_self_eval.md``).
* 反向 (小于等于/小于): full when actual ≤ target; an over-run scores either
  ``"ratio"`` = target ÷ actual × weight (the 填报说明) or ``"linear"`` =
  (1 − (actual − target) ÷ target) × weight, zero at twice the target (the
  vendor system).  Configurable, ``"ratio"`` by default.
* 定性: full marks when rated 达成 and no score was filled in; a filled-in
  score is the evaluator's and must lie in its rating's band.
* Each indicator score and the funds score are rounded half-up to 2 decimals;
  the total is the sum of these *rounded* scores, i.e. the sum of the
  figures the table prints (96.71 = 9.86 + 86.85).  The other reading (sum of
  unrounded scores, rounded once) differs by at most a few 0.005 and gives the
  same five seed totals; the rules accept both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Literal

from juesuan.model.accounts import Indicator, Nature, Rating, SelfEvaluation
from juesuan.model.money import HUNDRED, ZERO, round2

NegativeOverrun = Literal["ratio", "linear"]
OVERRUN_CONVENTIONS: tuple[str, ...] = ("ratio", "linear")

ONE = Decimal(1)
FUNDS_WEIGHT = Decimal(10)
"""预算执行率 is worth 10 points (财预〔2020〕10号)."""

TOTAL_WEIGHT = Decimal(100)

DEFAULT_LEVEL1_WEIGHTS: dict[str, Decimal] = {
    "产出指标": Decimal(50),
    "效益指标": Decimal(30),
    "满意度指标": Decimal(10),
}
"""The 10号 default level-1 weights (with 10 for 预算执行率)."""

BANDS: dict[Rating, tuple[Decimal, Decimal]] = {
    Rating.ACHIEVED: (Decimal("0.8"), ONE),
    Rating.PARTLY: (Decimal("0.6"), Decimal("0.8")),
    Rating.NOT_ACHIEVED: (ZERO, Decimal("0.6")),
}
"""Share of the weight a 定性 score may take, by rating: 达成 [80 %, 100 %],
部分达成 [60 %, 80 %), 未达成 [0, 60 %) (upper bound inclusive only for 达成)."""


class Direction(str, Enum):
    """指标方向, reduced to the three ways of scoring."""

    GE = "大于等于"
    LE = "小于等于"
    EQ = "等于"


_DIRECTION_WORDS: tuple[tuple[str, Direction], ...] = (
    ("大于等于", Direction.GE), ("小于等于", Direction.LE), ("≥", Direction.GE),
    ("≤", Direction.LE), (">=", Direction.GE), ("<=", Direction.LE),
    ("不低于", Direction.GE), ("不少于", Direction.GE), ("不高于", Direction.LE),
    ("不超过", Direction.LE), ("不多于", Direction.LE), ("大于", Direction.GE),
    ("小于", Direction.LE), (">", Direction.GE), ("<", Direction.LE),
    ("等于", Direction.EQ), ("=", Direction.EQ), ("＝", Direction.EQ),
)


def parse_direction(text: str) -> Direction | None:
    """The scoring direction a 指标方向 cell stands for (None when empty/unknown)."""
    t = re.sub(r"\s+", "", text or "")
    for word, direction in _DIRECTION_WORDS:
        if t.startswith(word):
            return direction
    return None


def effective_direction(ind: Indicator) -> Direction | None:
    """How a quantitative indicator is scored: by its 方向 when given, else by its 性质.

    The direction decides because it is what the vendor systems score by
    (computesign); a contradiction with 性质 is a separate finding.
    """
    if ind.nature is Nature.QUALITATIVE:
        return None
    direction = parse_direction(ind.direction)
    if direction is not None:
        return direction
    return Direction.GE if ind.nature is Nature.POSITIVE else Direction.LE


# --- number parsing ---------------------------------------------------------

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％／：　（）", "0123456789.,-+%/: ()"
)
_PREFIX = re.compile(
    r"^(?:≥|≤|>=|<=|>|<|=|大于等于|小于等于|不低于|不少于|不高于|不超过|不多于|"
    r"大于|小于|等于|高于|低于|达到|约|超过)"
)
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)")
_UNIT_CHARS = set(
    "元万亿千百个次批人件项份天日月年周时小分钟秒家台套户座辆里米吨斤克平方立亩页册本"
    "期篇场所条张间处名位株棵头只公顷瓦度岁倍例宗起单轮课节门部组支队栋幢块箱袋道级"
    "%‰℃°·/²³"
)
_QUALIFIERS = ("及以上", "及以下", "以上", "以下", "以内", "左右")


def _unit_like(suffix: str) -> bool:
    """Whether the text after a number is a unit ("元/次", "%", "万元以上"), not prose ("年内")."""
    for q in _QUALIFIERS:
        if suffix.endswith(q):
            suffix = suffix[: -len(q)]
            break
    return all(c in _UNIT_CHARS or c.isascii() and c.isalnum() for c in suffix)


def parse_number(text: str, unit: str = "") -> Decimal | None:
    """Read a target or an actual value as a number, or None when it is not one.

    Accepts full-width digits, thousands separators, a leading comparison
    ("≥95%", "不低于95"), a trailing percent sign or unit ("3000元/次", "95％",
    "5万元" = 50000 unless the unit column is itself in 万).  Prose with a
    number in it ("2023年内", "有效推进") is not a number: scoring it would be a
    guess, so the indicator is reported as not scorable instead.
    """
    t = re.sub(r"\s+", "", (text or "").translate(_FULLWIDTH))
    t = _PREFIX.sub("", t)
    m = _NUMBER.match(t)
    if not m:
        return None
    suffix = t[m.end():]
    declared = re.sub(r"\s+", "", (unit or "").translate(_FULLWIDTH))
    if suffix and suffix != declared and not _unit_like(suffix):
        return None
    try:
        value = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    for prefix, factor in (("万", Decimal(10000)), ("亿", Decimal(10) ** 8)):
        if suffix.startswith(prefix) and not declared.startswith(prefix):
            value *= factor
    return value


# --- results ----------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    """The score one indicator should have.

    ``expected`` is rounded to 2 decimals (None when the rule cannot fix it:
    unparseable figures, or a 定性 indicator rated below 达成 with no score);
    ``exact`` is the unrounded value; ``band`` is the (lo, hi) score range of
    a 定性 indicator's rating (hi inclusive only for 达成).
    """

    expected: Decimal | None
    exact: Decimal | None
    band: tuple[Decimal, Decimal] | None
    reason: str
    scorable: bool = True
    target: Decimal | None = None
    actual: Decimal | None = None
    over_achieved: bool = False


@dataclass(frozen=True)
class TableScore:
    """The scores of one self-evaluation table by the rule.

    ``funds_rate`` is a percentage (98.64 for 98.64 %), unrounded.
    ``total`` = rounded funds score + Σ rounded indicator scores, where an
    indicator the rule cannot score counts with its filled-in score (its index
    is in ``assumed``); None when such an indicator has no score either.
    """

    funds_rate: Decimal
    funds_score: Decimal
    funds_score_exact: Decimal
    indicators: tuple[IndicatorScore, ...]
    indicator_sum: Decimal | None
    total: Decimal | None
    grade: str | None
    level1_weights: tuple[tuple[str, Decimal], ...]
    weight_total: Decimal
    assumed: tuple[int, ...] = ()


def grade(total: Decimal) -> str:
    """评价等级: ≥90 优, 80–90 良, 60–80 中, <60 差 (lower bounds inclusive)."""
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def funds_rate(executed: Decimal, annual_budget: Decimal) -> Decimal:
    """预算执行率 in percent: 全年执行数 ÷ 全年预算数 × 100 (0 when there was no budget)."""
    if annual_budget == 0:
        return ZERO
    return executed / annual_budget * HUNDRED


def funds_score_exact(executed: Decimal, annual_budget: Decimal) -> Decimal:
    """10 × 执行率, capped at 10 (over-execution earns no bonus)."""
    rate = funds_rate(executed, annual_budget) / HUNDRED
    return FUNDS_WEIGHT * min(max(rate, ZERO), ONE)


def qualitative_band(weight: Decimal, rating: Rating) -> tuple[Decimal, Decimal]:
    lo, hi = BANDS[rating]
    return weight * lo, weight * hi


def in_band(score: Decimal, weight: Decimal, rating: Rating) -> bool:
    """Whether a 定性 score lies in its rating's band (top closed only for 达成)."""
    lo, hi = qualitative_band(weight, rating)
    if rating is Rating.ACHIEVED:
        return lo <= score <= hi
    return lo <= score < hi


def _full(w: Decimal, reason: str, target: Decimal, actual: Decimal, over: bool = False) -> IndicatorScore:
    return IndicatorScore(round2(w), w, None, reason, True, target, actual, over)


def _partial(exact: Decimal, reason: str, target: Decimal, actual: Decimal) -> IndicatorScore:
    return IndicatorScore(round2(exact), exact, None, reason, True, target, actual)


def _positive(w: Decimal, target: Decimal, actual: Decimal) -> IndicatorScore:
    if actual >= target:
        return _full(w, "完成值达到指标值，得满分", target, actual, over=actual > target)
    if target <= 0:
        return _partial(ZERO, "指标值不大于0而完成值更低，得0分", target, actual)
    exact = w * max(actual, ZERO) / target
    return _partial(exact, "未完成指标值，按完成值与指标值的比例记分", target, actual)


def _equal(w: Decimal, target: Decimal, actual: Decimal) -> IndicatorScore:
    if actual == target:
        return _full(w, "完成值等于指标值，得满分", target, actual)
    if target == 0:
        if actual <= 0:
            return _full(w, "指标值为0且完成值不大于0，得满分", target, actual)
        return _partial(ZERO, "指标值为0而完成值大于0，得0分", target, actual)
    return _positive(w, target, actual)


def _negative(w: Decimal, target: Decimal, actual: Decimal, overrun: str) -> IndicatorScore:
    if actual <= target:
        return _full(w, "完成值未超过指标值，得满分", target, actual)
    if target <= 0:
        return _partial(ZERO, "指标值不大于0而完成值超出，得0分", target, actual)
    if overrun == "linear":
        exact = w * max(ONE - (actual - target) / target, ZERO)
        return _partial(exact, "完成值超出指标值，按线性扣分（两倍指标值时为0分）", target, actual)
    if overrun == "ratio":
        return _partial(w * target / actual, "完成值超出指标值，按指标值与完成值的比例记分",
                        target, actual)
    raise ValueError(f"unknown 反向 over-run convention {overrun!r}; use one of {OVERRUN_CONVENTIONS}")


def _qualitative(ind: Indicator) -> IndicatorScore:
    band = qualitative_band(ind.weight, ind.rating)
    if ind.score is not None:
        return IndicatorScore(ind.score, ind.score, band, f"定性指标，按“{ind.rating.value}”档评分")
    if ind.rating is Rating.ACHIEVED:
        return IndicatorScore(ind.weight, ind.weight, band, "定性指标达成年度指标，得满分")
    return IndicatorScore(None, None, band, f"定性指标评为“{ind.rating.value}”，须由评价人填写得分",
                          scorable=False)


def score_indicator(ind: Indicator, overrun: str = "ratio") -> IndicatorScore:
    """The score of one indicator by the rule (see the module docstring)."""
    if ind.nature is Nature.QUALITATIVE:
        return _qualitative(ind)
    target = parse_number(ind.target, ind.unit)
    actual = parse_number(ind.actual, ind.unit)
    if target is None or actual is None:
        bad = [f"{label}“{text}”" for label, text, v in
               (("年度指标值", ind.target, target), ("实际完成值", ind.actual, actual)) if v is None]
        return IndicatorScore(None, None, None, f"{'、'.join(bad)}不是数字，无法按{ind.nature.value}指标计分",
                              scorable=False, target=target, actual=actual)
    direction = effective_direction(ind)
    if direction is Direction.EQ:
        return _equal(ind.weight, target, actual)
    if direction is Direction.GE:
        return _positive(ind.weight, target, actual)
    return _negative(ind.weight, target, actual, overrun)


def level1_key(name: str) -> str:
    """Normalise a 一级指标 label ("产出指 标", "效益") to the 10号 name when recognisable."""
    compact = re.sub(r"\s+", "", name)
    for key, word in (("产出指标", "产出"), ("效益指标", "效益"), ("满意度指标", "满意")):
        if word in compact:
            return key
    return compact


def level1_weights(ev: SelfEvaluation) -> tuple[tuple[str, Decimal], ...]:
    """Σ weights per 一级指标, in order of first appearance."""
    sums: dict[str, Decimal] = {}
    for ind in ev.indicators:
        key = level1_key(ind.level1)
        sums[key] = sums.get(key, ZERO) + ind.weight
    return tuple(sums.items())


def score_table(ev: SelfEvaluation, overrun: str = "ratio") -> TableScore:
    """Score a whole table: funds block, every indicator, total and grade."""
    rate = funds_rate(ev.funds.executed, ev.funds.annual_budget)
    fexact = funds_score_exact(ev.funds.executed, ev.funds.annual_budget)
    fscore = round2(fexact)
    scores = tuple(score_indicator(i, overrun) for i in ev.indicators)
    total_parts: list[Decimal] = []
    assumed: list[int] = []
    complete = True
    for idx, (ind, sc) in enumerate(zip(ev.indicators, scores, strict=True)):
        if sc.expected is not None:
            total_parts.append(sc.expected)
        elif ind.score is not None:
            total_parts.append(ind.score)
            assumed.append(idx)
        else:
            complete = False
    isum = sum(total_parts, ZERO) if complete else None
    total = fscore + isum if isum is not None else None
    weights = level1_weights(ev)
    return TableScore(
        funds_rate=rate,
        funds_score=fscore,
        funds_score_exact=fexact,
        indicators=scores,
        indicator_sum=isum,
        total=total,
        grade=grade(total) if total is not None else None,
        level1_weights=weights,
        weight_total=FUNDS_WEIGHT + sum((w for _, w in weights), ZERO),
        assumed=tuple(assumed),
    )
