"""Table recovery on the real documents, compared item by item with the hand transcriptions."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from juesuan.audit.document import read_document
from juesuan.audit.recognize import recognize
from juesuan.audit.tables import recover_tables, tables_to_data
from juesuan.model.accounts import Dataset
from juesuan.rules.engine import Context, run_rules
from tests.conftest import EXAMPLES, shared_file

PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
SEED = "seed/000_1d4d631d9d557d27.txt"


def _load(name: str) -> Dataset:
    raw = yaml.safe_load((EXAMPLES / name / "dataset.yaml").read_text(encoding="utf-8"))
    return Dataset.model_validate(raw)


@pytest.fixture(scope="module")
def putuo():
    doc = read_document(shared_file(PUTUO))
    rec = recognize(doc)
    tables = recover_tables(doc, rec)
    data, prov, skipped = tables_to_data(tables, rec)
    return doc, rec, tables, data, prov, skipped


@pytest.fixture(scope="module")
def seed():
    doc = read_document(shared_file(SEED))
    rec = recognize(doc)
    tables = recover_tables(doc, rec)
    return tables, tables_to_data(tables, rec)


def test_putuo_tables_recovered(putuo):
    _doc, _rec, tables, _data, _prov, skipped = putuo
    for tid in ("t01", "t02", "t03", "t04", "t05", "t06", "t10"):
        assert tables[tid].rows, tid
        assert not tables[tid].problems, tid
    assert "故本表无数据" in tables["t08"].empty_statement
    assert "故本表无数据" in tables["t09"].empty_statement
    assert not tables["t08"].rows and not tables["t09"].rows
    assert not skipped


def test_putuo_expenditure_equals_transcription(putuo):
    data = putuo[3]
    ds, ref = Dataset.model_validate(data), _load("putuo-czj-2024")
    got = {e.code: e for e in ds.expenditure}
    assert set(got) == {e.code for e in ref.expenditure}
    for e in ref.expenditure:
        g = got[e.code]
        assert (g.name, g.basic, g.project) == (e.name, e.basic, e.project), e.code
        assert g.row_income() == e.row_income(), e.code
        assert g.funds() == e.funds(), e.code


def test_putuo_econ_income_balances_equal_transcription(putuo):
    ds, ref = Dataset.model_validate(putuo[3]), _load("putuo-czj-2024")
    assert [(e.code, e.name, e.amount) for e in ds.basic_econ] == [(e.code, e.name, e.amount) for e in ref.basic_econ]
    assert ds.income == ref.income
    assert ds.balances == ref.balances
    assert ds.appropriation_balances == ref.appropriation_balances
    assert ds.three_public.budget == ref.three_public.budget
    assert ds.three_public.actual == ref.three_public.actual


def test_putuo_stated_figures_equal_transcription(putuo):
    ds, ref = Dataset.model_validate(putuo[3]), _load("putuo-czj-2024")
    got = {(s.table, s.row, s.column, s.value) for s in ds.stated}
    tables = {"t01", "t02", "t03", "t04", "t06", "t10"}
    want = {(s.table, s.row, s.column, s.value) for s in ref.stated if s.table in tables}
    assert want <= got
    want05 = {(s.table, s.row, s.column, s.value) for s in ref.stated if s.table == "t05" and s.column != "budget"}
    assert want05 <= got


def test_putuo_cells_located(putuo):
    _doc, _rec, tables, data, prov, _skipped = putuo
    row = next(r for r in tables["t03"].rows if r.get("code") and r["code"].value == "2080506")
    assert row["basic"].value == Decimal("80.38")
    assert (row["basic"].location.page, row["basic"].location.line) == (10, 29)  # figures on their own line
    assert row["name"].value == "机关事业单位职业年金缴费支出"  # name wrapped onto the next line
    i = next(k for k, e in enumerate(data["expenditure"]) if e["code"] == "2010601")
    loc = prov.get(f"expenditure[{i}].basic")
    assert (loc.page, loc.line) == (10, 18) and "1,503.52" in loc.excerpt
    right = next(r for r in tables["t06"].rows if r.get("code") and r["code"].value == "30299")
    assert right["amount"].value == Decimal("11.53") and right["side"].value == "right"
    blank = next(r for r in tables["t03"].rows if r.get("code") and r["code"].value == "2010602")
    assert "basic" not in blank and blank["project"].value == Decimal("10.00")


def test_putuo_rules_report_pdf_locations(putuo):
    data, prov = putuo[3], putuo[4]
    findings = run_rules(Context(Dataset.model_validate(data), prov))
    table_findings = [f for f in findings if f.location.path and not f.location.path.startswith(("department", "contact"))]
    assert all(f.location.page is not None for f in table_findings)
    # break one cell: the 合计 check now reports the PDF page and line of the printed total
    broken = dict(data)
    broken["stated"] = [dict(s) for s in data["stated"]]
    k = next(k for k, s in enumerate(broken["stated"]) if (s["table"], s["row"], s["column"]) == ("t03", "total", "basic"))
    broken["stated"][k]["value"] = Decimal("2300.00")
    found = [f for f in run_rules(Context(Dataset.model_validate(broken), prov)) if f.location.path == f"stated[{k}].value"]
    assert found and (found[0].location.page, found[0].location.line) == (10, 15)


def test_putuo_speed(putuo):
    path = shared_file(PUTUO)
    start = time.perf_counter()
    doc = read_document(path)
    rec = recognize(doc)
    tables_to_data(recover_tables(doc, rec), rec)
    elapsed = time.perf_counter() - start
    assert doc.pages / elapsed >= 50


def test_seed_self_evaluations_equal_transcription(seed):
    tables, (data, prov, _skipped) = seed
    ref = _load("wuhai-gxj-2023").performance.self_evaluations
    got = Dataset.model_validate({**data, "department": {"name": "x"}}).performance.self_evaluations
    assert [e.name for e in got] == [e.name for e in ref]
    for g, e in zip(got, ref, strict=True):
        assert (g.funds, g.funds_rate, g.funds_score, g.total_score) == (e.funds, e.funds_rate, e.funds_score,
                                                                         e.total_score)
        assert [(i.level1, i.level2, i.name, i.nature, i.weight, i.score) for i in g.indicators] == [
            (i.level1, i.level2, i.name, i.nature, i.weight, i.score) for i in e.indicators]
        assert [(i.direction, i.target, i.actual, i.unit) for i in g.indicators] == [
            (i.direction, i.target, i.actual, i.unit) for i in e.indicators]
    loc = prov.get("performance.self_evaluations[0].total_score")
    assert loc.line is not None and "96.71" in loc.excerpt


def test_docx_table_recovered(tmp_path: Path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("2024年度某某局部门决算")
    d.add_paragraph("支出决算表")
    rows = [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
            ["", "合计", "110.50", "100.00", "10.50"],
            ["201", "一般公共服务支出", "110.50", "100.00", "10.50"],
            ["20101", "人大事务", "110.50", "100.00", "10.50"],
            ["2010101", "行政运行", "100.00", "100.00", ""],
            ["2010102", "一般行政管理事务", "10.50", "", "10.50"]]
    table = d.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    path = tmp_path / "t.docx"
    d.save(str(path))
    doc = read_document(path)
    rec = recognize(doc, profile="shanghai-2024")
    tables = recover_tables(doc, rec)
    got = {r["code"].value: (r.get("basic"), r.get("project")) for r in tables["t03"].rows if "code" in r}
    assert got["2010101"][0].value == Decimal("100.00") and got["2010101"][1] is None
    assert got["2010102"][1].value == Decimal("10.50") and got["2010102"][0] is None
    data, prov, _ = tables_to_data(tables, rec)
    ds = Dataset.model_validate(data)
    assert [e.code for e in ds.items()] == ["2010101", "2010102"]
    assert prov.get("expenditure[3].basic").line is not None
