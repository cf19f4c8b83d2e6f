"""Real documents audited as the text ``pdftotext`` (with and without ``-layout``) or a PDF
viewer's copy (pypdfium2's text) makes of them.

Reviewers often have a disclosure only as text: copied from a web page, or laid out from
the PDF by poppler.  The text is the same document, so its audit must not report what the
PDF's does not: a table row whose name is wrapped around its figures, a 合计 spaced out
across its cell, a page number between two halves of a sentence, a page's trailing blank
lines, a table whose first columns are last year's.  Each test audits the text of one real
document of ../shared/corpus and asserts what it reads and that no false error is left.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest

from juesuan.audit.budget import _all_names
from juesuan.audit.budget_tables import read_budget_tables
from juesuan.audit.checks_run import audit_document
from juesuan.audit.document import read_document
from juesuan.audit.extract import extract
from tests.conftest import shared_file


def _layout_text(relative: str, tmp_path: Path, *options: str) -> Path:
    pdf = shared_file(relative)
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler-utils is installed by setup.sh
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / (pdf.stem + ".txt")
    subprocess.run(["pdftotext", *(options or ("-layout",)), str(pdf), str(out)], check=True)
    return out


def _reading_order_text(relative: str, tmp_path: Path) -> Path:
    """pdftotext without -layout: the text in reading order, a table one cell per line."""
    return _layout_text(relative, tmp_path, "-enc", "UTF-8")


def _viewer_text(relative: str, tmp_path: Path) -> Path:
    """What copying the whole text out of a PDF viewer gives (PDFium's text), pages by form feeds."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(shared_file(relative))
    out = tmp_path / "viewer.txt"
    out.write_text("\f".join(pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))),
                   encoding="utf-8")
    pdf.close()
    return out


def _errors(path: Path) -> list[str]:
    res = audit_document(path)
    assert res.error is None, res.error
    return [f"{f.rule}: {f.message}" for f in res.findings if f.severity.value == "error"]


def _row(path: Path, tid: str, code: str):  # noqa: ANN202
    tables = read_budget_tables(read_document(path), _all_names())
    return next(r for r in tables[tid].rows if r.key == code)


def test_a_row_whose_name_wraps_around_its_figures_is_read(tmp_path: Path) -> None:
    """珠海市商务局 2026: “机关事业单位基本养老保险缴 / 2080505 402.46 … / 费支出” is one row."""
    txt = _layout_text("corpus/guangdong-zhuhai-commerce-bureau-2026-budget.pdf", tmp_path)
    row = _row(txt, "t03", "2080505")
    assert row.name == "机关事业单位基本养老保险缴费支出"
    assert row.amounts[0][0] == D("402.46")
    assert not [e for e in _errors(txt) if e.startswith("budget_doc.table_sum")]


def test_quanzhou_wrapped_item_adds_to_the_total(tmp_path: Path) -> None:
    """泉州市人民政府办公室 2026: 2010399 (3,942.61, its name on the lines around) is read, so the
    一般公共预算拨款支出预算表 adds up to its 合计 10,984.81."""
    txt = _layout_text("corpus/fujian-quanzhou-gov-office-2026-budget.pdf", tmp_path)
    tables = read_budget_tables(read_document(txt), _all_names())
    t = tables["t07"]  # 2026年度一般公共预算拨款支出预算表
    row = next(r for r in t.rows if r.key == "2010399")
    assert row.name == "其他政府办公厅(室)及相关机构事务支出"  # a name is read in NFKC form
    assert row.amounts[0][0] == D("3942.61")
    assert _errors(txt) == []


def test_a_table_of_last_years_columns_first_is_not_compared_by_its_first_figure(tmp_path: Path) -> None:
    """国家信访局 2026 budget: the 一般公共预算支出表 prints 2025年执行数 before 2026年预算数, and its
    合计 is spaced out (“合   计”): it is read, but its first figure is not this year's total."""
    txt = _layout_text("corpus/central-petition-bureau-2026-budget.pdf", tmp_path)
    tables = read_budget_tables(read_document(txt), _all_names())
    t07 = tables["t07"]
    assert t07.other_years()
    assert t07.total() is not None and t07.total().amounts[0][0] == D("37241.42")
    assert t07.first_total() is None
    # its one error is the explanations' own (委托业务费 1,391.68, 比2025年预算增加 333.83: 31.56 %, not 31.35 %)
    errors = _errors(txt)
    assert len(errors) == 1 and errors[0].startswith("narrative.change_pct: 国家信访局2026年委托业务费") \
        and "31.56%" in errors[0]


def test_page_numbers_and_page_ends_do_not_cut_the_items(tmp_path: Path) -> None:
    """国家信访局 2024 final accounts: items 3 and 9 of 五（三） run over a page number and a page's
    blank end; all 14 are read, and only the document's own error is left (收支总计 35.74%,
    judged real on the PDF)."""
    txt = _layout_text("corpus/central-petition-bureau-2024-final.pdf", tmp_path)
    items = [c for c in extract(txt).claims if c.key in ("s5.item", "s5.item_no_budget")]
    assert sorted(c.values["n"] for c in items) == list(range(1, 15))
    nine = next(c for c in items if c.values["n"] == 9)
    assert (nine.values["budget"], nine.values["actual"]) == (D("899.34"), D("659.05"))
    errors = _errors(txt)
    assert len(errors) == 1 and errors[0].startswith("narrative.change_pct") and "35.74%" in errors[0]


def test_a_list_with_an_unread_item_is_not_summed(tmp_path: Path) -> None:
    """With item 9 cut out of the same text, the list's sum is not checked (said as a skip)
    instead of reported as wrong by the missing 899.34 / 659.05."""
    txt = _layout_text("corpus/central-petition-bureau-2024-final.pdf", tmp_path)
    text = txt.read_text(encoding="utf-8")
    start = text.index("9.社会保障和就业（类）")
    end = text.index("10.社会保障和就业（类）")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[:start] + text[end:], encoding="utf-8")
    res = audit_document(cut)
    assert not [f for f in res.findings if f.rule == "narrative.sum"]
    assert any(s.check == "narrative.sum" and "第 9 项" in s.reason for s in res.skipped)


def test_reading_order_text_finds_the_contents_and_its_sections(tmp_path: Path) -> None:
    """Putuo 2024 in reading order: the contents' first entry is printed over two lines in the body
    (“第一部分” / “上海市普陀区财政局概况”), so the contents are told from the body and no section
    is reported missing; the document's own errors are found as on the PDF."""
    txt = _reading_order_text("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf", tmp_path)
    rules = sorted(e.split(":")[0] for e in _errors(txt))
    assert rules == ["narrative.appropriation_total", "narrative.flat_with_reason", "narrative.share"]


def test_reading_order_contents_title_over_two_lines(tmp_path: Path) -> None:
    """The Shanghai template in reading order prints “目” and “录” on lines of their own."""
    txt = _reading_order_text("samples/shanghai-2024-juesuan-template.pdf", tmp_path)
    assert _errors(txt) == []


def test_a_table_printed_one_cell_per_line_is_not_summed(tmp_path: Path) -> None:
    """珠海市商务局 2026 in reading order: each cell of a table on its own line; which figure is
    whose row is a guess, so the table is not checked (and the skip says so)."""
    txt = _reading_order_text("corpus/guangdong-zhuhai-commerce-bureau-2026-budget.pdf", tmp_path)
    res = audit_document(txt)
    assert not [f for f in res.findings if f.severity.value == "error"]
    assert any(s.check == "budget_doc.table_sum" and "每行只有一格" in s.reason for s in res.skipped)


def test_figures_glued_to_a_name_are_not_part_of_it(tmp_path: Path) -> None:
    """国家信访局 2024 as a viewer copies it: “住房公积金586.32586.32” (no gap between the cells)
    is the row 住房公积金; no name is reported as differing from the code list."""
    txt = _viewer_text("corpus/central-petition-bureau-2024-final.pdf", tmp_path)
    res = audit_document(txt)
    assert not [f for f in res.findings if f.rule == "codes.name_mismatch"]
    errors = [f for f in res.findings if f.severity.value == "error"]
    assert [f.rule for f in errors] == ["narrative.change_pct"]


def _texts_of(pdf: Path, tmp_path: Path) -> list[Path]:
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler-utils is installed by setup.sh
        pytest.skip("pdftotext (poppler-utils) is not installed")
    import pypdfium2 as pdfium

    out = []
    for name, opts in (("layout", ["-layout"]), ("reading", [])):
        target = tmp_path / f"{name}.txt"
        subprocess.run(["pdftotext", *opts, str(pdf), str(target)], check=True)
        out.append(target)
    doc = pdfium.PdfDocument(pdf)
    viewer = tmp_path / "viewer.txt"
    viewer.write_text("\f".join(doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc))),
                      encoding="utf-8")
    doc.close()
    return [*out, viewer]


def test_our_own_inner_mongolia_pdf_as_text_has_no_false_error(tmp_path: Path) -> None:
    """The Wuhai example made consistent (its two transcribed 公开05表 年初预算 errors dropped), built
    to PDF, then read as the three texts: its self-evaluation tables lose their columns there,
    so a table whose 年度资金总额 was not read, or whose 分值 none were, is left out (not read as
    zeros), and a project summary the text breaks is not counted as missing."""
    from juesuan.model.accounts import Dataset
    from juesuan.model.findings import Provenance
    from juesuan.readers.yaml_io import load_yaml
    from juesuan.rules.engine import Context, run_rules
    from tests.conftest import EXAMPLES
    from tests.test_audit_roundtrip import _write

    d = load_yaml(EXAMPLES / "wuhai-gxj-2023" / "dataset.yaml")[0].model_dump(by_alias=True)
    d["stated"] = [s for s in d["stated"] if s["table"] != "t05"]
    ds = Dataset.model_validate(d)
    assert not [f for f in run_rules(Context(ds, Provenance())) if f.severity.value == "error"]
    pdf = _write(ds, tmp_path, ("typst",)).get("typst")
    if pdf is None:  # pragma: no cover - the publish extra is installed by the test command
        pytest.skip("no Typst engine")
    assert _errors(pdf) == []
    for text in _texts_of(pdf, tmp_path):
        assert _errors(text) == [], text.name


def test_a_budget_table_title_without_its_unit_line_nearby(tmp_path: Path) -> None:
    """Our Wuxi budget in reading order: “政府采购支出表” is followed by “编制单位：…”, its unit line far
    away; it is still found (no missing-table error)."""
    from juesuan.readers.loader import load_dataset
    from juesuan.render.budget_doc import assemble_budget
    from juesuan.render.typst import write_pdf_typst
    from tests.conftest import EXAMPLES

    ds = load_dataset(EXAMPLES / "wuxi-tjj-2026-budget" / "dataset.yaml")[0]
    pdf = tmp_path / "wuxi.pdf"
    write_pdf_typst(assemble_budget(ds), pdf)
    for text in _texts_of(pdf, tmp_path):
        from juesuan.audit.budget import read_and_audit

        res = read_and_audit([text])
        assert [f.rule for f in res.findings if f.severity.value == "error"] == [], text.name


def test_a_plain_text_table_with_blanks_that_does_not_add_up_is_not_reported(tmp_path: Path) -> None:
    """Plain text leaves no trace of a blank cell, so a row's figures are placed in order and
    may sit one column off.  Putuo's 支出决算表 in pdftotext's layout text, 西南大学's 表4 in
    both pdftotext texts and its 表3 in the viewer's copy then do not add up as read (“201
    一般公共服务支出”行：上缴上级支出 0.00 ≠ 各款之和 1,503.52; the PDFs' tables add up): each is
    a skip that says why, not a warning, and none of its figures is used."""
    cases = [
        (_layout_text("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf", tmp_path), "t03"),
        (_layout_text("corpus/chongqing-swu-university-2023-final.pdf", tmp_path), "t05"),
        (_viewer_text("corpus/chongqing-swu-university-2023-final.pdf", tmp_path), "t03"),
    ]
    for path, tid in cases:
        res = audit_document(path)
        assert res.error is None, res.error
        assert not [f for f in res.findings if f.rule == "audit.table_uncertain"], path.name
        skips = [s.reason for s in res.skipped if s.check == "audit.table_uncertain"]
        assert any("纯文本不标出空白单元格" in s for s in skips), (path.name, skips)
        assert tid in extract(path).tables and extract(path).tables[tid].uncertain, (path.name, tid)


def test_a_placeholder_row_of_a_template_is_no_misnamed_subject(tmp_path: Path) -> None:
    """Shanghai's blank template prints “20799 其他文化旅游体育与传媒支出” wrapped around its code,
    then placeholder rows of “……”; the layout text glues them into the name “支出............”.
    No subject is named with an ellipsis: the name is not compared (a skip), not misnamed."""
    text = _layout_text("samples/shanghai-2024-juesuan-template.pdf", tmp_path)
    res = audit_document(text)
    assert res.error is None, res.error
    assert not [f for f in res.findings if f.rule == "codes.name_mismatch"]
    assert any("省略号" in s.reason and "支出..." in s.reason for s in res.skipped if s.check == "codes.name_mismatch")


def test_a_share_list_the_text_broke_is_not_summed(tmp_path: Path) -> None:
    """pdftotext's layout of Putuo's page 21 loses the line holding “城乡社区支出（类）… 15.16%”
    and the share of 住房保障支出, so the list of classes under “主要用于以下方面：” ends with
    “住房保障支出（类）445.69万元，占”: three items read add up to 2,494.37, not 2,940.05.  An
    amount or a share left after a listed share item is an item no sentence read: the sum is
    skipped, naming it, not reported (the PDF's list adds up)."""
    res = audit_document(_layout_text("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf", tmp_path))
    assert res.error is None, res.error
    assert not [f for f in res.findings if f.rule == "narrative.sum"]
    assert any(s.check == "narrative.sum" and "住房保障支出（类）445.69万元" in s.reason for s in res.skipped)
    pdf = audit_document(shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"))
    assert not [s for s in pdf.skipped if s.check == "narrative.sum" and "未能按句式读出" in s.reason]
