"""The fast paths of issue 9 give the same answers as the plain ones, at any size.

The generated datasets (benchmarks/generate.py) are consistent at every size;
the stated figures from one pass of sums equal the sums taken row by row; a
PDF's rules are read in one opening; Word table rows written as text escape
as lxml would; and a 1,000-row department's own PDF audits without an error.
"""

from __future__ import annotations

import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compute.stated import StatedFigures
from juesuan.model.accounts import INCOME_FIELDS, SPENDING_FIELDS, FundKind
from juesuan.model.findings import Severity
from juesuan.readers.loader import load_dataset
from juesuan.rules.engine import Context, Options, run_rules

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

PUTUO_PDF = ROOT.parent / "shared" / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"


@pytest.mark.parametrize("rows", [1, 4, 100, 600])
def test_generated_dataset_checks_clean(rows: int, tmp_path: Path) -> None:
    path = generate.write(tmp_path, rows, seed=1)
    ds, prov = load_dataset(path)
    assert len(ds.items()) == rows
    codes = tmp_path / "codes.csv"
    opts = Options(code_lists=(str(codes),)) if codes.exists() else Options()
    findings = run_rules(Context(ds, prov, opts))
    assert [f.rule for f in findings] == []
    assert codes.exists() == (rows > 568)  # beyond the 568 real 项 codes of 2024, declared local codes


def test_generated_dataset_is_deterministic(tmp_path: Path) -> None:
    a = generate.write(tmp_path / "a", 50, seed=7).read_bytes()
    b = generate.write(tmp_path / "b", 50, seed=7).read_bytes()
    assert a == b
    assert a != generate.write(tmp_path / "c", 50, seed=8).read_bytes()


def _brute(ds, table: str, prefix: str, column: str) -> Decimal:  # noqa: ANN001
    """The stated figure of a code (or the total), summed row by row as the tables print it."""
    lines = [i for i in ds.items() if prefix == "total" or i.code.startswith(prefix)]
    if table == "t02":
        incomes = [i.row_income() for i in lines]
        if column == "total":
            return sum((x.total for x in incomes), Decimal(0))
        if column == "appropriation":
            return sum((x.appropriation for x in incomes), Decimal(0))
        return sum((getattr(x, column) for x in incomes), Decimal(0))
    if table == "t03":
        return sum((i.total if column == "total" else getattr(i, column) for i in lines), Decimal(0))
    if table == "t04":
        kinds = list(FundKind) if column == "total" else [FundKind(column)]
        return sum((i.funds()[k].total for i in lines for k in kinds if k in i.funds()), Decimal(0))
    if column == "budget":
        return sum((i.budget or Decimal(0) for i in lines), Decimal(0))
    return sum((getattr(i.general(), column) for i in lines), Decimal(0))


COLUMNS = {"t02": ("total", "appropriation", *INCOME_FIELDS), "t03": ("total", *SPENDING_FIELDS),
           "t04": ("total", "general", "gov_fund", "state_capital"),
           "t05": ("total", "basic", "project", "budget")}


@pytest.mark.parametrize("source", ["putuo", "generated"])
def test_stated_figures_equal_the_row_by_row_sums(source: str) -> None:
    if source == "putuo":
        ds, _ = load_dataset(ROOT / "examples" / "putuo-czj-2024")
    else:
        ds = generate.dataset(120, seed=2)
    sf = StatedFigures(ds)
    codes = {i.code[:n] for i in ds.items() for n in (3, 5, 7)} | {"total", "2999999"}
    for table, columns in COLUMNS.items():
        for code in codes:
            if table == "t04" and code == "total":
                continue  # the t04 total row adds the closing balances (not a sum of rows)
            for column in columns:
                assert sf.expected(table, code, column) == _brute(ds, table, code, column), (table, code, column)
    assert sf.count("total") == len(ds.items())


def test_stated_sums_follow_changed_rows() -> None:
    """``StatedFigures.update`` keeps the sums equal to those of a fresh pass (舍位平衡 relies on it)."""
    ds = generate.dataset(40, seed=3)
    sf = StatedFigures(ds)
    sf.sums("total")
    cent = Decimal("0.01")
    for n, line in enumerate(ds.items()[::3]):
        fld = SPENDING_FIELDS[n % 2]
        sf.update(line, lambda line=line, fld=fld: setattr(line, fld, getattr(line, fld) + cent))
    fresh = StatedFigures(ds)
    for code in {i.code[:n] for i in ds.items() for n in (3, 5, 7)} | {"total"}:
        for table, columns in COLUMNS.items():
            for column in columns:
                assert sf.expected(table, code, column) == fresh.expected(table, code, column), (table, code)
    assert sf.count("total") == len(ds.items())


def test_balancing_a_large_dataset_in_yuan_adjusts_and_adds_up() -> None:
    """舍位平衡 of 300 rows in 元 (no quadratic search): every standard total it balanced holds."""
    from juesuan.compute.balance import balance_dataset
    from juesuan.model.money import Unit

    ds = generate.dataset(300, seed=4)
    ds.unit = Unit.YUAN  # the same figures read as 元: each becomes a 万元 figure with 4 more places
    result = balance_dataset(ds)
    assert result.dataset.unit is Unit.WAN
    assert len(result.adjustments) > 0
    assert all(abs(a.after - a.before) <= Decimal("0.02") for a in result.adjustments)
    sf = StatedFigures(result.dataset)
    assert sf.sums("total").total == sum((i.total for i in result.dataset.items()), Decimal(0))


def test_pdf_rules_are_read_in_one_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    if not PUTUO_PDF.exists():
        pytest.skip(f"{PUTUO_PDF} absent")
    from juesuan.audit import pdf_grid

    opened: list[str] = []
    real = pdfium.PdfDocument

    def counting(path, *args, **kwargs):  # noqa: ANN001, ANN202
        opened.append(str(path))
        return real(path, *args, **kwargs)

    pdf_grid._read_rules.cache_clear()
    monkeypatch.setattr(pdfium, "PdfDocument", counting)
    pages = [pdf_grid.page_rules(str(PUTUO_PDF), n) for _ in range(3) for n in range(1, 26)]
    assert opened == [str(PUTUO_PDF)]
    assert sum(1 for hs, vs in pages[:25] if len(vs) >= 2) >= 10  # the table pages are ruled
    assert pdf_grid.page_rules(str(PUTUO_PDF), 99) == ((), ())
    pdf_grid._read_rules.cache_clear()


def test_pdf_text_reading_hands_its_rules_to_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the Putuo PDF's text keeps each page's rules: the tables do not open the file again."""
    pdfium = pytest.importorskip("pypdfium2")
    if not PUTUO_PDF.exists():
        pytest.skip(f"{PUTUO_PDF} absent")
    from juesuan.audit import pdf_grid
    from juesuan.audit.document import read_document

    pdf_grid._read_rules.cache_clear()
    pdf_grid._REMEMBERED.clear()
    fresh = pdf_grid._read_rules(str(PUTUO_PDF), *(lambda st: (st.st_mtime_ns, st.st_size))(PUTUO_PDF.stat()))
    pdf_grid._read_rules.cache_clear()
    doc = read_document(PUTUO_PDF)
    opened: list[str] = []
    real = pdfium.PdfDocument
    monkeypatch.setattr(pdfium, "PdfDocument", lambda *a, **k: opened.append("x") or real(*a, **k))
    assert pdf_grid.document_rules(doc.path) == fresh
    assert opened == []
    assert sum(1 for _, vs in fresh if len(vs) >= 2) >= 10
    pdf_grid._REMEMBERED.clear()


def test_docx_table_text_is_escaped(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    from docx import Document as load

    from juesuan.render.blocks import Cell, Document, Row, TableBlock, TableView
    from juesuan.render.docx import write_docx

    odd = 'A&B <C> "D" \'E\''
    table = TableView(id="t", number="", title="表", org="", unit_label="",
                      header=(Row((Cell("名称"), Cell("金额")), kind="header"),),
                      body=(Row((Cell(odd), Cell(Decimal("1.50")))),))
    path = write_docx(Document(title="T", department="D", year=2024, profile="x",
                               blocks=[TableBlock(table)]), tmp_path / "t.docx")
    t = load(str(path)).tables[0]
    assert [c.text for c in t.rows[1].cells] == [odd, "1.50"]
    with zipfile.ZipFile(path) as z:
        assert b"juesuan-table-rows" not in z.read("word/document.xml")


def test_1000_row_department_audits_its_own_pdf_without_error(tmp_path: Path) -> None:
    pytest.importorskip("typst")
    pytest.importorskip("pypdfium2")
    from juesuan.audit.checks_run import audit_document
    from juesuan.render.build import build

    ds = generate.dataset(1000, seed=0)
    findings = run_rules(Context(ds))
    assert not [f for f in findings if f.severity is Severity.ERROR]
    result = build(ds, findings, tmp_path / "out", formats=["pdf"], force=True)
    pdf = next(f for f in result.files if f.suffix == ".pdf")
    audit = audit_document(pdf, None, (), ())
    assert audit.error is None
    errors = [f"{f.rule}: {f.message}" for f in audit.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert len(audit.findings) > 0  # the local codes are reported (warnings), so the checks ran
