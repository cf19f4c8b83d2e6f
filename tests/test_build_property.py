"""Property: any consistent dataset builds in every format, and the HTML shows its 项 and total.

The datasets are the mini dataset (tests/data/mini.yaml) with generated 项
rows: real or invented names, basic and project amounts from 0.01 to a
billion, and every figure that depends on them (income, basic and project
economic classification, initial budget) recomputed so that the accounts
balance.  tests/strategies.py generates valid but not consistent datasets, so
the consistent ones are composed here.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("docx")
pytest.importorskip("jinja2")
pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from juesuan.model.accounts import Dataset  # noqa: E402
from juesuan.model.findings import Severity  # noqa: E402
from juesuan.model.money import fmt_amount  # noqa: E402
from juesuan.render.build import build  # noqa: E402
from juesuan.rules.engine import Context, run_rules  # noqa: E402
from tests.helpers import mini_raw  # noqa: E402
from tests.strategies import name as generated_name  # noqa: E402
from tests.test_render_common import docx_text, html_text, normalise  # noqa: E402

ITEMS = [  # real 项 codes and names
    ("2010101", "行政运行"), ("2010102", "一般行政管理事务"), ("2010501", "行政运行"),
    ("2010502", "一般行政管理事务"), ("2010599", "其他统计信息事务支出"),
    ("2080501", "行政单位离退休"), ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("2080506", "机关事业单位职业年金缴费支出"), ("2101101", "行政单位医疗"),
    ("2101103", "公务员医疗补助"), ("2210201", "住房公积金"), ("2130101", "行政运行"),
]
CENT = Decimal("0.01")
FIXED_BASIC = Decimal("60.00")  # the mini dataset's 302 lines: 办公费 40, 接待 1, 公务用车 19


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n) * CENT)


@st.composite
def consistent_datasets(draw: st.DrawFn) -> Dataset:
    raw: dict[str, Any] = copy.deepcopy(_MINI)
    picked = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=8, unique_by=lambda x: x[0]))
    lines = []
    for code, real in picked:
        label = draw(st.one_of(st.just(real), generated_name().filter(lambda s: s.strip() == s)))
        basic = draw(st.one_of(st.just(Decimal(0)), cents(1, 10**11)))
        project = draw(st.one_of(st.just(Decimal(0)), cents(1, 10**11)))
        if basic == project == 0:
            basic = Decimal("1.00")
        lines.append({"code": code, "name": label, "basic": str(basic), "project": str(project)})
    basic_total = sum((Decimal(x["basic"]) for x in lines), Decimal(0))
    project_total = sum((Decimal(x["project"]) for x in lines), Decimal(0))
    if basic_total < FIXED_BASIC + CENT:  # room for the fixed 302 lines and some 基本工资
        extra = FIXED_BASIC + Decimal(1) - basic_total
        lines[0]["basic"] = str(Decimal(lines[0]["basic"]) + extra)
        basic_total += extra
    total = basic_total + project_total
    raw["expenditure"] = lines
    raw["income"] = {"general_budget": str(total)}
    raw["balances"] = {"opening": "0", "closing": "0"}
    raw["appropriation_balances"] = {"general": {"opening": "0", "closing": "0"}}
    raw["budget"] = {"total": str(total), "appropriation_total": str(total)}
    raw["basic_econ"] = [
        {"code": "30101", "name": "基本工资", "amount": str(basic_total - FIXED_BASIC)},
        {"code": "30201", "name": "办公费", "amount": "40.00"},
        {"code": "30217", "name": "公务接待费", "amount": "1.00"},
        {"code": "30231", "name": "公务用车运行维护费", "amount": "19.00"},
    ]
    raw["project_econ"] = ([{"code": "30202", "name": "印刷费", "amount": str(project_total)}]
                           if project_total else [])
    raw["stated"] = []
    return Dataset.model_validate(raw)


_MINI = mini_raw()


def _build(ds: Dataset, out: Path, formats: tuple[str, ...]):
    findings = run_rules(Context(ds))
    return build(ds, findings, out, formats=formats, draft=True, force=True), findings


def _check(ds: Dataset, result) -> None:
    files = {f.suffix: f for f in result.files if f.parent == result.out_dir}
    assert {".docx", ".html", ".xlsx"} <= set(files)
    html = html_text(files[".html"].read_text(encoding="utf-8"))
    word = docx_text(files[".docx"])
    total = fmt_amount(sum((x.total for x in ds.items()), Decimal(0)), 2)
    assert total in html and total in word, total
    for item in ds.items():
        label = normalise(item.name).strip()
        assert label in html, (item.code, item.name)
        assert label in word, (item.code, item.name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(ds=consistent_datasets())
def test_consistent_dataset_builds_docx_html_xlsx(ds: Dataset, tmp_path: Path) -> None:
    result, findings = _build(ds, tmp_path / "out", ("docx", "html", "xlsx"))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert not errors, [f"{f.rule}: {f.message}" for f in errors]
    _check(ds, result)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                              HealthCheck.too_slow])
@given(ds=consistent_datasets())
def test_consistent_dataset_builds_pdf(ds: Dataset, tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2")
    result, _ = _build(ds, tmp_path / "out", ("docx", "pdf", "html", "xlsx"))
    pdf = next(f for f in result.files if f.suffix == ".pdf")
    assert pdf.stat().st_size > 1000
    _check(ds, result)
