"""The bundled seed example: 乌海市工业和信息化局 2023 年度部门决算, transcribed in full.

The seed prints no tables (its part five says they are attached), so the
dataset's table data was rebuilt from the narrative (see the example's
NOTES.md).  These tests assert the figures the seed prints, computed through
``juesuan.compute`` wherever the dataset holds the parts; sums of printed
parts are compared with printed totals through the intervals the printed
figures stand for.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from juesuan.compute import derive as d
from juesuan.compute.scoring import score_table
from juesuan.model.accounts import REASON_KEYS, Dataset, EconKind, FundKind
from juesuan.model.money import Interval, round2
from juesuan.readers.loader import load_dataset
from juesuan.rules.engine import Context, run_rules
from tests.conftest import EXAMPLES
from tests.helpers import agrees, printed, stated

FOLDER = EXAMPLES / "wuhai-gxj-2023"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    dataset, _ = load_dataset(FOLDER)
    return dataset






def pct_agrees(part, whole, pct: str) -> bool:
    """part ÷ whole (each a printed figure) can round to the printed percentage."""
    p, w = Interval.printed(part), Interval.printed(whole)
    lo, hi = p.lo / w.hi * 100, p.hi / w.lo * 100
    return printed(pct).overlaps(Interval(lo, hi))




def item(ds: Dataset, code: str):
    (line,) = [i for i in ds.items() if i.code == code]
    return line


def test_header(ds):
    dep = ds.department
    assert (ds.profile, ds.year, ds.unit.value) == ("neimenggu-2023", 2023, "万元")
    assert dep.name == "乌海市工业和信息化局"
    assert dep.display_name == "乌海市工业和信息化局（部门）"
    assert (dep.head, dep.finance_head, dep.preparer) == ("杨庆远", "钱红霞", "白凌宇")
    assert len(dep.duties) == 15
    assert dep.duties[-1] == "承办乌海市人民政府交办的其它事项。"
    assert len(dep.main_work) == 10
    assert [u.nature for u in dep.units] == ["财政拨款的行政单位", "公益一类事业单位"]
    assert "2022 年部门汇总决算" in dep.scope  # printed so (a copied year)
    assert ds.contact.phone == "0473-8991998-"  # truncated as printed


def test_free_texts_have_no_page_break_artifacts(ds):
    texts = [*ds.department.duties, *ds.department.main_work, *ds.texts.values(),
             *(e.reason for e in ds.expenditure), *ds.reasons.values()]
    for ev in ds.performance.self_evaluations:
        texts += [ev.goal, ev.achieved, ev.summary, ev.problems, ev.improvements]
    assert all("\n" not in t for t in texts)
    assert "拟订工业行业规划" in ds.department.duties[3]
    assert "全市规上工业企业 211 户" in ds.department.main_work[0]


def test_income_and_balances(ds):
    assert ds.income.general_budget == D("4499.46")
    assert ds.income.total == D("4499.46")
    assert ds.income.appropriation == D("4499.46")
    assert d.income_total_all(ds) == D("4499.46")
    assert d.appropriation_total(ds) == D("4499.46")
    b = ds.balances
    assert (b.use_of_balance, b.opening, b.distribution, b.closing) == (0, 0, 0, 0)
    assert ds.budget.total == ds.budget.appropriation_total == D("1348.37")
    assert D("4499.46") - ds.budget.total == D("3151.09")  # 增加3,151.09万元
    assert round2(d.change_pct(D("4499.46"), ds.budget.total)) == D("233.70")


def test_expenditure_items(ds):
    items = ds.items()
    assert len(items) == 17  # the seed names 17 项 (1 + 4 + 2 + 1 + 7 + 1 + 1)
    assert [i.code[:3] for i in items].count("215") == 7
    # the 项 add up to 4,499.44; the printed total 4,499.46 is within their rounding
    assert d.spending_total(ds) == D("4499.44")
    assert agrees([i.total for i in items], "4499.46")
    kinds = d.spending_by_kind(ds)
    assert agrees([i.basic for i in items], "1235.35")
    assert kinds["project"] == D("3264.11")  # exact: every project amount is printed
    assert all(i.appropriation is None for i in items)  # all 一般公共预算
    assert d.fund_spending(ds, FundKind.GENERAL).project == D("3264.11")
    assert item(ds, "2150899").total == D("3029.50")  # printed "3029.5"
    assert item(ds, "2150899").project + item(ds, "2150805").project == D("3174.50")  # 对企业补助
    assert item(ds, "2150502").basic == D("148.39")  # 年中追加抚恤金
    assert item(ds, "2299901").reason.startswith("为2022年全市争取上级资金先进单位工作经费")


def test_class_totals_as_printed(ds):
    classes = {n.code: n for n, _ in d.hierarchy(ds)}
    assert list(classes) == ["201", "208", "210", "211", "215", "221", "229"]
    for code, node in classes.items():
        assert node.total == stated(ds, "t05", code, "total"), code
    assert classes["208"].total == D("161.28")  # 72.82 + 0.78 + 79.05 + 8.63
    assert classes["215"].total == D("3929.26")
    # 215: the 项 budgets sum to 549.50, the printed change (+3,108.76) implies 820.50
    assert classes["215"].budget == D("549.50")
    assert stated(ds, "t05", "215", "budget") == D("820.50")
    assert d.dsum(i.budget for i in ds.items()) == D("1077.34")  # vs 年初预算 1,348.37


def test_completion_rates(ds):
    rates = {"2080501": "131.52", "2080502": "98.73", "2080505": "96.67", "2101101": "96.10",
             "2111001": "123.59", "2150517": "98.64", "2150801": "114.17", "2150802": "71.61",
             "2150803": "98.00", "2210201": "103.10"}
    for code, rate in rates.items():
        i = item(ds, code)
        assert round2(d.completion(i.total, i.budget)) == D(rate), code
    # printed 21.10 and 100.87: not the exact quotient, but within rounding
    for code, rate in (("2080506", "21.10"), ("2101102", "100.87")):
        i = item(ds, code)
        assert round2(d.completion(i.total, i.budget)) != D(rate)
        assert pct_agrees(i.total, i.budget, rate), code
    assert round2(d.completion(D("4499.46"), ds.budget.total)) == D("333.70")


def test_basic_and_project_econ(ds):
    by_kind = d.econ_by_kind(ds.basic_econ)
    assert by_kind[EconKind.PERSONNEL] == D("1180.72")  # printed 1,180.71
    assert by_kind[EconKind.PUBLIC] == D("54.65")  # printed 54.64
    assert agrees([e.amount for e in d.econ_kuan(ds.basic_econ) if e.econ_kind() is EconKind.PERSONNEL], "1180.71")
    assert agrees([e.amount for e in d.econ_kuan(ds.basic_econ) if e.econ_kind() is EconKind.PUBLIC], "54.64")
    assert len(ds.basic_econ) == 15 + 12
    classes = d.econ_classes(ds.project_econ)
    assert list(classes) == ["301", "302", "310", "312"]
    assert d.dsum(e.amount for e in d.econ_kuan(ds.project_econ)) == D("3264.10")
    assert agrees([e.amount for e in d.econ_kuan(ds.project_econ)], "3264.11")
    assert d.econ_amount(ds.project_econ, "31204") == D("3174.50")
    # the mirrors: pension, annuity and housing fund
    assert d.econ_amount(ds.basic_econ, "30108") == item(ds, "2080505").total == D("79.05")
    assert d.econ_amount(ds.basic_econ, "30109") == item(ds, "2080506").total == D("8.63")
    assert d.econ_amount(ds.basic_econ, "30113") == item(ds, "2210201").total == D("67.77")


def test_three_public(ds):
    tp = ds.three_public
    assert tp.actual.total == D("2.34")
    assert tp.budget.total == D("5.78")
    assert tp.actual.vehicle == D("2.31") and tp.budget.vehicle == D("5.48")
    assert tp.actual.reception == D("0.03") and tp.budget.reception == D("0.30")
    assert tp.last_year.vehicle_operation == D("3.05")  # 2.31 + 0.74
    assert tp.last_year.reception == D("0.10")  # 0.03 + 0.07
    c = tp.counts
    assert (c.vehicles_held, c.receptions, c.reception_people, c.abroad_groups) == (4, 1, 3, 0)
    # percentages printed from unrounded (yuan) figures: within rounding, not exact
    assert round2(d.completion(tp.actual.total, tp.budget.total)) == D("40.48")
    assert pct_agrees(tp.actual.total, tp.budget.total, "40.54")
    assert pct_agrees(tp.actual.vehicle, tp.actual.total, "98.74")
    assert round2(-d.change_pct(tp.actual.reception, tp.last_year.reception)) == D("70.00")
    assert pct_agrees(D("0.07"), tp.last_year.reception, "71.48")


def test_operating_cost_procurement_assets(ds):
    assert d.operating_cost(ds) == D("54.64")
    assert ds.operating_cost.last_year == D("58.62")
    assert round2(-d.change_pct(d.operating_cost(ds), ds.operating_cost.last_year)) == D("6.79")
    p = ds.procurement
    assert p.total == D("8.92") and p.sme == p.small_micro == D("8.92")
    assert (p.goods_sme, p.works_sme, p.services_sme) == (D("5.50"), D("0.00"), D("3.42"))
    # the printed 61.66 % / 38.34 % are goods ÷ total and services ÷ total
    assert round2(d.share(p.goods, p.total)) == D("61.66")
    assert round2(d.share(p.services, p.total)) == D("38.34")
    assert round2(d.share(p.goods_sme, p.goods)) == D("100.00")
    a = ds.assets
    assert a.vehicles.total == a.vehicles_total == 4
    assert (a.vehicles.confidential, a.vehicles.law_enforcement, a.vehicles.special) == (1, 2, 1)
    assert a.equipment_1m == 0


def test_last_year(ds):
    ly = ds.last_year
    assert ly.expenditure == D("4591.65")  # 4,499.46 + 92.19
    assert ly.appropriation_total == D("4595.34")  # 4,499.46 + 95.88
    assert ly.balances.opening == ly.balances.closing == D("3.70")
    assert round2(-d.change_pct(D("4499.46"), ly.appropriation_total)) == D("2.09")
    assert round2(-d.change_pct(ds.income.total, ly.income.total)) == D("2.01")
    # last year's 收入总计 from its parts is 4,595.35: within rounding of 4,595.34
    assert agrees([ly.income.total, ly.balances.opening], "4595.34")


def test_performance(ds):
    perf = ds.performance
    assert (perf.general_projects_l1, perf.general_projects_l2) == (0, 13)
    assert perf.general_amount == D("3264.11") == d.spending_by_kind(ds)["project"]
    assert perf.dept_eval_general == D("69.52")
    assert len(perf.dept_evaluations) == 3
    evs = perf.self_evaluations
    assert [e.total_score for e in evs] == [D("96.71"), D("95.86"), D("96.1"), D("92.28"), D("96.47")]
    assert [len(e.indicators) for e in evs] == [24, 18, 17, 18, 23]
    # 部门评价 money = 执行数 of the three projects evaluated
    by_name = {e.name: e for e in evs}
    assert (by_name["促进产业转型高质量发展工作经费"].funds.executed
            + by_name["市工信局市“十四五”新材料产业发展规划编制经费"].funds.executed
            + by_name["节能监察、考核及对标经费"].funds.executed) == perf.dept_eval_general


@pytest.mark.parametrize("index", range(5))
def test_self_evaluation_tables_add_up(ds, index):
    ev = ds.performance.self_evaluations[index]
    assert d.dsum(i.weight for i in ev.indicators) + 10 == 100
    assert d.dsum(i.score for i in ev.indicators) + ev.funds_score == ev.total_score
    scored = score_table(ev)
    assert scored.funds_score == ev.funds_score
    assert scored.total == ev.total_score
    assert scored.grade == "优"


def test_reasons_keys_are_known(ds):
    assert set(ds.reasons) <= set(REASON_KEYS)
    assert ds.reasons["total_vs_budget"] == "对企业补助不计入年初预算中"
    assert ds.reasons["reception_content"] == "自治区节能中心核查接待"


def test_check_finds_only_the_seeds_own_problems(ds):
    findings = run_rules(Context(ds))
    rules = {f.rule for f in findings}
    assert "required.phone_format" in rules  # "0473-8991998-"
    assert "year.consistent" in rules  # "2022 年部门汇总决算"
    assert "budget.items" in rules  # 项 budgets 1,077.34 vs 年初预算 1,348.37
    errors = {(f.rule, f.location.path) for f in findings if f.severity.value == "error"}
    assert {r for r, _ in errors} <= {"stated.total"}  # only the 215 / total budget gap
