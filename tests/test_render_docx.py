"""Word renderer: text against golden, East Asian fonts on every run, merges, sections."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("docx")

from docx import Document as load  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from juesuan.render.docx import write_docx  # noqa: E402
from tests.test_render_common import check_golden, docx_text, sample_document  # noqa: E402


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(sample_document(), tmp_path_factory.mktemp("docx") / "sample.docx")


def test_text_matches_golden(docx_path: Path) -> None:
    check_golden("sample.docx.txt", docx_text(docx_path))


def test_every_text_run_has_east_asian_font(docx_path: Path) -> None:
    d = load(str(docx_path))
    parts = [d.element.body] + [s.footer._element for s in d.sections]
    runs = [r for part in parts for r in part.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    assert runs
    for r in runs:
        fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), r.findtext(qn("w:t"))


def test_styles_have_east_asian_font_and_no_theme_font(docx_path: Path) -> None:
    d = load(str(docx_path))
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        rfonts = d.styles[name].element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")), name
        assert rfonts.get(qn("w:asciiTheme")) is None and rfonts.get(qn("w:eastAsiaTheme")) is None
    assert d.styles["Normal"].element.find(qn("w:rPr") + "/" + qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert d.styles["Heading 3"].element.find(qn("w:rPr") + "/" + qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"


def test_page_setup_and_page_number_field(docx_path: Path) -> None:
    d = load(str(docx_path))
    s = d.sections[0]
    assert round(s.page_width.cm, 1) == 21.0 and round(s.page_height.cm, 1) == 29.7
    assert round(s.top_margin.cm, 1) == 3.7 and round(s.left_margin.cm, 1) == 2.8
    footer = s.footer._element
    instr = "".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instr
    assert "— 1 —" in "".join(t.text or "" for t in footer.iter(qn("w:t")))


def test_landscape_section_for_wide_table(docx_path: Path) -> None:
    d = load(str(docx_path))
    orient = [s.page_width > s.page_height for s in d.sections]
    assert orient == [False, True, False]


def test_toc_field_prefilled(docx_path: Path) -> None:
    d = load(str(docx_path))
    body = d.element.body
    instr = "".join(t.text for t in body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-3"' in instr
    links = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    names = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert links and set(links) <= names
    assert d.settings.element.find(qn("w:updateFields")) is not None


def test_merged_cells_and_header_rows(docx_path: Path) -> None:
    d = load(str(docx_path))
    t = d.tables[0]
    assert len(t.columns) == 6 and len(t.rows) == 6
    # rowspan: 科目编码 covers both header rows; colspan: 本年支出 covers three columns
    assert t.cell(0, 0)._tc is t.cell(1, 0)._tc
    assert t.cell(0, 2)._tc is t.cell(0, 4)._tc
    assert t.cell(1, 2).text == "合计" and t.cell(1, 4).text == "项目支出"
    assert t.cell(2, 0)._tc is t.cell(2, 1)._tc and t.cell(2, 0).text == "合计"
    header_flags = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in t.rows]
    assert header_flags == [True, True, False, False, False, False]
    # amounts right-aligned, 10.5 pt
    amount = t.cell(3, 2).paragraphs[0]
    assert amount.alignment is not None and amount.alignment.name == "RIGHT"
    assert amount.runs[0].font.size.pt == 10.5
    assert t.cell(5, 2).text == "12,345.68"


def test_figure_embedded(docx_path: Path) -> None:
    d = load(str(docx_path))
    pictures = list(d.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"))
    assert len(pictures) == 2
    assert any("image" in r.reltype for r in d.part.rels.values())


def test_watermark_in_every_header(tmp_path: Path) -> None:
    path = write_docx(sample_document(), tmp_path / "draft.docx", watermark="草稿：数据未通过检查")
    d = load(str(path))
    for s in d.sections:
        assert "草稿：数据未通过检查" in s.header.paragraphs[0].text
