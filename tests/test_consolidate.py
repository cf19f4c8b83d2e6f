"""部门汇总 from unit datasets, and last year's figures from last year's dataset."""

from decimal import Decimal as D

import pytest

from juesuan.compute import derive as d
from juesuan.readers.errors import InputError
from juesuan.readers.loader import load_dataset
from tests.conftest import DATA


def test_units_are_summed_in_the_department_unit():
    ds, _ = load_dataset(DATA / "dept")
    assert ds.income.general_budget == D("300")
    assert ds.income.business == D("5")
    assert ds.balances.closing == D("5")
    lines = {i.code: i for i in ds.items()}
    assert lines["2010501"].basic == D("150")  # merged by code across units
    assert lines["2010550"].basic == D("100")
    assert d.spending_total(ds) == D("300")
    assert {e.code: e.amount for e in ds.basic_econ} == {"30101": D("210"), "30201": D("40")}
    assert ds.assets.vehicles.law_enforcement == 3
    assert ds.three_public.counts.receptions == 2
    assert ds.department.name == "示例市统计局"  # the department's own texts win


def test_last_year_comes_from_its_dataset():
    ds, _ = load_dataset(DATA / "dept")
    assert ds.last_year.expenditure == D("250.00")
    assert ds.last_year.income.general_budget == D("250.00")
    assert ds.three_public.last_year.reception == D("1.50")
    assert ds.operating_cost.last_year == D("250.00")


def test_consolidated_department_checks_clean():
    from juesuan.rules.engine import Context, run_rules

    ds, prov = load_dataset(DATA / "dept")
    errors = [f for f in run_rules(Context(ds, prov)) if f.severity.value == "error"]
    assert errors == []


def test_member_of_another_year_is_refused(tmp_path):
    (tmp_path / "u.yaml").write_text("year: 2022\ndepartment: {name: u}\n", encoding="utf-8")
    (tmp_path / "dataset.yaml").write_text(
        "year: 2023\ndepartment:\n  name: d\n  units: [{name: u, accounts: u.yaml}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="年度"):
        load_dataset(tmp_path)


def test_the_average_score_of_the_sum_is_weighted_by_projects_not_summed(tmp_path):
    unit = ("year: 2023\nunit: {unit}\ndepartment: {{name: {name}}}\n"
            "performance: {{self_eval_projects: {n}, average_score: {score}}}\n")
    (tmp_path / "a.yaml").write_text(unit.format(unit="万元", name="a", n=4, score="90.00"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(unit.format(unit="元", name="b", n=1, score="80.00"), encoding="utf-8")
    (tmp_path / "dataset.yaml").write_text(
        "year: 2023\nunit: 万元\ndepartment:\n  name: d\n"
        "  units: [{name: a, accounts: a.yaml}, {name: b, accounts: b.yaml}]\n", encoding="utf-8")
    ds, _ = load_dataset(tmp_path)
    assert ds.performance.self_eval_projects == 5
    assert str(ds.performance.average_score) == "88.00"  # (4 × 90 + 1 × 80) / 5, in no money unit
