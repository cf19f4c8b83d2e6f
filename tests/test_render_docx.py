"""Word renderer: text against golden, East Asian fonts on every run, merges, sections."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("docx")

from docx import Document as load  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from juesuan.render.blocks import Heading, PageBreak, TableBlock, TableView  # noqa: E402
from juesuan.render.docx import write_docx  # noqa: E402
from tests.test_render_common import check_golden, docx_text, merged_table, sample_document  # noqa: E402


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


def test_toc_links_and_page_references(docx_path: Path) -> None:
    d = load(str(docx_path))
    body = d.element.body
    instr = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    refs = [i.split()[1] for i in instr if i.startswith("PAGEREF")]
    links = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    names = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert links and set(links) <= names
    assert refs == links  # one page number per entry, pointing at the same heading
    # a real TOC field around the entries, and no "update fields?" prompt on opening
    assert sum(i.startswith("TOC ") for i in instr) == 1 and instr[0].startswith("TOC ")
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds.count("begin") == kinds.count("end")
    assert d.settings.element.find(qn("w:updateFields")) is None
    # the TOC title and headings kept out of the TOC have no outline level
    toc_title = next(p for p in d.paragraphs if p.text == "目录")
    assert toc_title.style.name == "TOC Heading"


def test_headings_before_landscape_table_share_its_page(tmp_path: Path) -> None:
    doc = sample_document()
    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, TableBlock) and b.table.landscape)
    doc.blocks.insert(i, PageBreak())  # a page break before a new section is dropped
    doc.blocks.insert(i + 1, Heading(2, "二、收入决算表"))
    d = load(str(write_docx(doc, tmp_path / "lead.docx")))
    body = list(d.element.body.iterchildren())
    heading = next(k for k, el in enumerate(body)  # the heading, not its TOC entry
                   if el.tag == qn("w:p") and "".join(t.text for t in el.iter(qn("w:t"))) == "二、收入决算表"
                   and el.find(".//" + qn("w:hyperlink")) is None)
    # the section break (a paragraph carrying w:sectPr) comes before the heading
    breaks = [k for k, el in enumerate(body) if el.tag == qn("w:p") and el.find(".//" + qn("w:sectPr")) is not None]
    assert any(k < heading for k in breaks)
    before = max(k for k in breaks if k < heading)
    assert d.sections[1].page_width > d.sections[1].page_height
    assert all(el.tag != qn("w:tbl") for el in body[before + 1:heading])
    # no empty page: no paragraph with a page break between the heading and its section start
    assert not any(el.find(".//" + qn("w:br")) is not None for el in body[before:heading + 1])


def test_tables_fill_text_width_and_amounts_do_not_wrap(docx_path: Path) -> None:
    from juesuan.render.docx import column_widths, text_width_pt

    d = load(str(docx_path))
    # the empty table shares the landscape page of the table before it (render.pages)
    for t, width_cm in zip(d.tables, (15.6, 24.7, 24.7), strict=True):
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) / 1440 * 2.54 - width_cm) < 0.05
        tblw = t._tbl.tblPr.find(qn("w:tblW"))
        assert tblw.get(qn("w:type")) == "dxa" and int(tblw.get(qn("w:w"))) == sum(grid)
        rows = t._tbl.findall(qn("w:tr"))
        assert all(r.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None for r in rows)
    # a narrow amount column is widened so that its widest amount fits on one line
    tv = merged_table()
    narrow = TableView(**{**tv.__dict__, "widths": (1.2, 6, 0.3, 0.3, 0.3, 0.3)})
    rows = list(narrow.header) + list(narrow.body)
    widths, fits = column_widths(narrow, rows, 6, 15.6 / 2.54 * 72, 10.5)
    assert fits and abs(sum(widths) - 15.6 / 2.54 * 72) < 0.01
    assert widths[2] > text_width_pt("12,345.68", 10.5) + 10.8
    assert widths[1] > widths[2]  # the room came from the wide text column


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


def test_chinese_is_the_east_asian_language(docx_path: Path) -> None:
    """zh-CN, not python-docx's ja-JP (LibreOffice then picks Japanese glyph forms)."""
    d = load(str(docx_path))
    theme = d.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"
    langs = list(d.styles.element.iter(qn("w:lang")))
    assert langs and all(x.get(qn("w:eastAsia")) == "zh-CN" for x in langs)
