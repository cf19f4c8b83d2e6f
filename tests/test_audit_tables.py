"""Table recovery on the real documents, compared item by item with the hand transcriptions."""

from __future__ import annotations

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


def _add_table(d, rows: list[list[str]]) -> None:  # noqa: ANN001 - a python-docx Document
    """A Word table holding ``rows`` (strings), as finance staff paste the official tables."""
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v


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
    _add_table(d, rows)
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


# --- our own PDFs: the two-block 基本支出 table ------------------------------------------------

@pytest.fixture(scope="module", params=["typst", "typst-draft", "weasyprint"])
def own_pdf(request, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001
    """The Wuhai example printed by ``juesuan build`` (Typst, plain or draft) and by WeasyPrint."""
    from juesuan.compute.balance import balance_dataset
    from juesuan.readers.yaml_io import load_yaml
    from juesuan.render.build import DRAFT_MARK, assemble
    from juesuan.render.pdf import PdfEngineMissing, write_pdf
    from juesuan.render.typst import write_pdf_typst

    ds, _ = load_yaml(EXAMPLES / "wuhai-gxj-2023" / "dataset.yaml")
    ds = balance_dataset(ds).dataset  # the figures as the build prints them (舍位平衡)
    path = tmp_path_factory.mktemp("own") / f"{request.param}.pdf"
    try:
        if request.param == "weasyprint":
            write_pdf(assemble(ds), path)
        else:
            write_pdf_typst(assemble(ds), path, watermark=DRAFT_MARK if request.param == "typst-draft" else "")
    except PdfEngineMissing as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no PDF engine: {exc}")
    doc = read_document(path)
    rec = recognize(doc)
    return ds, doc, recover_tables(doc, rec), rec


def test_own_pdf_basic_econ_blocks(own_pdf):
    """301/303 on the left, 302/310 on the right, over two pages: every amount in its block, nothing else."""
    ds, doc, tables, rec = own_pdf
    t06 = tables["t06"]
    assert not t06.problems
    coded = [r for r in t06.rows if "code" in r]
    got = {r["code"].value: r["amount"].value for r in coded if "amount" in r}
    items = {e.code: e.amount for e in ds.basic_econ if e.amount}
    assert {c: v for c, v in got.items() if len(c) == 5} == items
    for cls in ("301", "302", "303"):  # the 类 rows print the sum of their 款
        assert got[cls] == sum(v for c, v in items.items() if c.startswith(cls)), cls
    sides = {r["code"].value[:3]: r["side"].value for r in coded}
    assert sides == {"301": "left", "303": "left", "302": "right", "310": "right"}
    # the page number under a block (“— 62 —”) is no figure of its last row
    assert {r["code"].value for r in coded} >= {"30209", "30231"}
    totals = {r["name"].value: r["amount"].value for r in t06.rows if "code" not in r}
    stated = {s.row: s.value for s in ds.stated if s.table == "t06"}
    assert totals["人员经费合计"] == stated["personnel"] and totals["公用经费合计"] == stated["public"]
    for r in coded:  # every cell located on a page of the table
        assert r["amount"].location.page if "amount" in r else True
    data, _prov, skipped = tables_to_data(tables, rec)
    assert not [s for s in skipped if s.check == "table.t06"]


def test_own_pdf_words_inside_cells(own_pdf):
    """Titles, unit line and page numbers are outside the ruled cells: no table reads them."""
    _ds, doc, tables, _rec = own_pdf
    for tid in ("t01", "t02", "t03", "t04", "t05", "t06"):
        for r in tables[tid].rows:
            for k, c in r.items():
                if k not in ("code", "name", "row", "side"):
                    assert "—" not in c.location.excerpt[:2], (tid, k, c)
    assert not any(line.text == "草稿：数据未通过检查" for line in doc.lines)


def test_own_pdf_tables_add_up(own_pdf):
    """Every table of our own PDFs, as read back, adds up to its own totals."""
    from juesuan.audit.tables_check import self_check

    _ds, _doc, tables, _rec = own_pdf
    for tid, table in tables.items():
        if not tid.startswith("se"):
            assert self_check(table) is None, (tid, self_check(table))


# --- values that cannot be valid: reported where printed, never a crash ------------------------

def _copy(tables):  # noqa: ANN001, ANN202
    import copy

    return copy.deepcopy(tables)


def test_negative_figure_is_skipped_with_its_location(putuo):
    _doc, rec, tables, _data, _prov, _skipped = putuo
    tables = _copy(tables)
    row = next(r for r in tables["t01"].rows if r["row"].value == "general_budget")
    printed = row["amount"]
    row["amount"] = type(printed)(Decimal("-135.25"), printed.location)
    data, prov, skipped = tables_to_data(tables, rec)
    hit = [s for s in skipped if "-135.25" in s.reason]
    assert hit and hit[0].check == "table.t01" and hit[0].location.page == printed.location.page
    ds = Dataset.model_validate(data)  # the negative figure is not in the data
    assert ds.income.general_budget == 0
    assert not [f for f in run_rules(Context(ds, prov)) if f.rule == "engine.crash"]


@pytest.mark.parametrize("with_income_table", [True, False])
def test_misread_split_above_spending_no_crash(putuo, with_income_table: bool):
    """A 财政拨款 split read above the line's spending (a figure in the wrong column) implies a
    negative income: with the 收入决算表 row the income is the printed one (and the rules report
    the mismatch), without it the split is skipped where printed; no rule crashes."""
    _doc, rec, tables, _data, _prov, _skipped = putuo
    tables = _copy(tables)
    row = next(r for r in tables["t05"].rows if r.get("code") and r["code"].value == "2010607")
    row["basic"] = type(row["project"])(Decimal("135.25"), row["project"].location)
    if not with_income_table:
        del tables["t02"]
    data, prov, skipped = tables_to_data(tables, rec)
    ds = Dataset.model_validate(data)
    findings = run_rules(Context(ds, prov))
    assert not [f for f in findings if f.rule == "engine.crash"]
    line = next(e for e in ds.expenditure if e.code == "2010607")
    assert all(v >= 0 for v in line.row_income().model_dump().values())
    if with_income_table:
        assert line.income is not None and line.income.general_budget == Decimal("135.25")
        assert any(f.rule == "identity.line_funds" and f.location.page for f in findings)
    else:
        hit = [s for s in skipped if s.check == "table.t05" and "2010607" in s.reason]
        assert hit and hit[0].location.page == row["code"].location.page
        assert line.appropriation is None


def test_docx_row_numbers_and_column_numbers(tmp_path: Path):
    """A Word table of the national template: 行次 columns and a 栏次 row are never figures."""
    docx = pytest.importorskip("docx")
    from juesuan.audit.tables_check import self_check

    d = docx.Document()
    d.add_paragraph("2024年度某某局部门决算")
    d.add_paragraph("收入支出决算总表")
    rows = [["项目", "行次", "金额", "项目", "行次", "金额"],
            ["栏次", "", "1", "栏次", "", "2"],
            ["一、一般公共预算财政拨款收入", "1", "100.50", "一、一般公共服务支出", "32", "90.00"],
            ["二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "33", ""],
            ["本年收入合计", "27", "100.50", "本年支出合计", "58", "90.00"],
            ["年初结转和结余", "29", "9.50", "年末结转和结余", "60", "20.00"],
            ["总计", "31", "110.00", "总计", "62", "110.00"]]
    table = d.add_table(rows=len(rows), cols=6)
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    d.add_paragraph("支出决算表")
    rows = [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
            ["", "栏次", "1", "2", "3"],
            ["", "合计", "90.00", "80.00", "10.00"],
            ["201", "一般公共服务支出", "90.00", "80.00", "10.00"]]
    _add_table(d, rows)
    path = tmp_path / "t.docx"
    d.save(str(path))
    doc = read_document(path)
    tables = recover_tables(doc, recognize(doc, profile="shanghai-2024"))
    t01 = {(r["row"].value, r["side"].value): r for r in tables["t01"].rows}
    assert t01[("general_budget", "left")]["amount"].value == Decimal("100.50")
    assert "amount" not in t01[("gov_fund", "left")] and "amount" not in t01[("202", "right")]
    assert t01[("total", "right")]["amount"].value == Decimal("110.00")
    assert self_check(tables["t01"]) is None
    t03 = tables["t03"]
    assert [r["name"].value for r in t03.rows] == ["合计", "一般公共服务支出"]
    assert self_check(t03) is None
