"""舍位平衡: the built disclosure's tables add up and one figure prints one value.

Real values: the seed (乌海市工业和信息化局 2023, in 万元, whose printed 项 sum to
4,499.44 against 本年收入 4,499.46) and Putuo 2024 (whose 01表 states
2,940.05 against 项 that sum to 2,940.06).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from juesuan.compute import derive as d
from juesuan.compute.balance import _scale, balance_dataset
from juesuan.model.money import Unit
from juesuan.readers.loader import load_dataset
from juesuan.render.blocks import TableView
from juesuan.render.build import assemble
from juesuan.rules.balance import balance_findings, balance_note
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def wuhai():
    return load_dataset(EXAMPLES / "wuhai-gxj-2023")[0]


@pytest.fixture(scope="module")
def putuo():
    return load_dataset(EXAMPLES / "putuo-czj-2024")[0]


def _tables(ds) -> dict[str, TableView]:
    return {t.id: t for t in assemble(ds).tables()}


def _row(table: TableView, label: str) -> list:
    return next([c.value for c in r.cells] for r in table.body if r.cells[0].value == label)


def _amounts(row, n: int) -> list[D]:
    return [c.value or D(0) for c in row.cells[-n:]]


def assert_function_table_adds_up(table: TableView) -> None:
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, column by column (t02, t03, t05)."""
    classes = [r for r in table.body if r.kind == "class"]
    n = len(classes[0].cells) - 4
    total = next(r for r in table.body if r.kind == "total")
    sums = [sum(col, D(0)) for col in zip(*(_amounts(r, n) for r in classes), strict=True)]
    assert _amounts(total, n) == sums, table.title
    for parent, child in (("class", "kuan"), ("kuan", "item")):
        current, acc = None, []
        for r in [*table.body, None]:
            if r is None or r.kind == parent:
                if current is not None:
                    got = [sum(col, D(0)) for col in zip(*acc, strict=True)]
                    assert _amounts(current, n) == got, (table.title, current.cells[3].value)
                current, acc = r, []
            elif r.kind == child and current is not None:
                acc.append(_amounts(r, n))


def test_seed_totals_table_sides_equal(wuhai):
    t04 = _tables(wuhai)["t04"]
    row = _row(t04, "本年收入合计")
    assert row[1] == row[3] == D("4499.46")  # income side = expenditure side (was 4,499.44)
    t01 = _tables(wuhai)["t01"]
    row = _row(t01, "本年收入合计")
    assert row[1] == row[3] == D("4499.46")


def test_seed_income_table_total_is_its_parts(wuhai):
    tables = _tables(wuhai)
    t02 = tables["t02"]
    total = next(r for r in t02.body if r.kind == "total")
    assert [c.value for c in total.cells[1:3]] == [D("4499.46"), D("4499.46")]  # 本年收入合计 = 财政拨款收入
    for tid in ("t02", "t03", "t05"):
        assert_function_table_adds_up(tables[tid])


def test_seed_adjustments_are_the_largest_parts(wuhai):
    result = balance_dataset(wuhai)
    moved = {a.label: (a.before, a.after) for a in result.adjustments}
    # 0.02 万元 of basic spending: one cent each on the two largest basic 项 of different 类
    assert moved["支出功能分类 2150801 行政运行（基本支出）"] == (D("432.47"), D("432.48"))
    assert moved["支出功能分类 2111001 能源节约利用（基本支出）"] == (D("273.16"), D("273.17"))
    # 人员经费 1,180.72 → stated 1,180.71, 公用经费 54.65 → 54.64, both by their largest 款
    assert moved["基本支出经济分类 30101 基本工资"] == (D("315.82"), D("315.81"))
    assert moved["基本支出经济分类 30239 其他交通费用"] == (D("19.44"), D("19.43"))
    assert all(abs(a.after - a.before) == D("0.01") for a in result.adjustments)
    assert result.unbalanced == []
    ds = result.dataset
    assert d.spending_total(ds) == ds.income.total == D("4499.46")
    assert d.spending_by_kind(ds)["basic"] == D("1235.35")
    assert d.dsum(e.amount for e in d.econ_kuan(ds.basic_econ)) == D("1235.35")
    # the real inconsistency (年初预算 1,348.37 against 项 summing to 1,077.34) is not hidden
    budget = next(s for s in ds.stated if s.table == "t05" and s.row == "total" and s.column == "budget")
    assert budget.value == D("1348.37")
    # the source dataset is untouched
    assert d.spending_total(wuhai) == D("4499.44")


def test_seed_findings_and_note(wuhai):
    result = balance_dataset(wuhai)
    _, prov = load_dataset(EXAMPLES / "wuhai-gxj-2023")
    found = balance_findings(result, prov)
    assert {f.rule for f in found} == {"balance.adjusted"}  # and no balance.unbalanced
    line = next(f for f in found if "2150801" in f.message)
    assert line.location.line is not None and line.found == "432.47" and line.expected == "432.48"
    assert balance_note(result)[0].startswith("舍位平衡：调整了 9 个数字")


def test_putuo_prints_stated_totals_and_adds_up(putuo):
    tables = _tables(putuo)
    row = _row(tables["t01"], "本年收入合计")
    assert row[3] == D("2940.05")  # 01表 as Putuo states it (项 summed to 2,940.06)
    row = _row(tables["t01"], "总计")
    assert row[1] == row[3] == D("2995.39")
    for tid in ("t02", "t03", "t05"):
        assert_function_table_adds_up(tables[tid])
    result = balance_dataset(putuo)
    assert result.unbalanced == []
    assert {a.label for a in result.adjustments} >= {"支出功能分类 2080501 行政单位离退休（基本支出）"}


def test_yuan_dataset_largest_remainder_absorbs(wuhai):
    """A dataset in 元: each figure rounded to 万元, the total kept, the largest remainder absorbs."""
    ds = wuhai.model_copy(deep=True)
    for part in ("income", "balances", "appropriation_balances", "expenditure", "basic_econ",
                 "project_econ", "three_public", "operating_cost", "procurement"):
        setattr(ds, part, _scale(getattr(ds, part), part, lambda _p, v: v * 10000))
    ds.unit, ds.stated = Unit.YUAN, []
    items = {i.code: i for i in ds.items()}
    items["2150803"].basic = D("1006649")  # 100.6649 万元: remainder 0.0049
    items["2150801"].basic = D("4324740")  # 432.4740: remainder 0.0040
    items["2080501"].basic = D("728245")   # 72.8245: remainder 0.0045
    ds.income.general_budget = d.spending_total(ds)  # 44,994,534 元 = 4,499.4534 万元
    result = balance_dataset(ds)
    out = result.dataset
    assert out.unit is Unit.WAN
    assert d.spending_total(out) == out.income.total == D("4499.45")
    moved = {a.label: (a.before, a.after) for a in result.adjustments if a.path.startswith("expenditure")}
    assert moved == {"支出功能分类 2150803 机关服务（基本支出）": (D("100.66"), D("100.67"))}


def test_what_cannot_be_balanced_is_reported(putuo):
    """Putuo's 项 sum to 2,940.06 against an income side of 2,940.05; when no 项 may move (each
    gives its own income split, which balancing does not touch) the difference is reported."""
    ds = putuo.model_copy(deep=True)
    for line in ds.items():
        line.income = line.row_income()
    result = balance_dataset(ds)
    found = balance_findings(result)
    unbalanced = [f for f in found if f.rule == "balance.unbalanced"]
    assert unbalanced and "收入支出决算总表 收入总计 = 支出总计：相差 +0.01 万元" in unbalanced[0].message
    assert "仍有" in balance_note(result)[0]
