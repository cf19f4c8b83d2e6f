"""The sample document every renderer test uses, text extraction, golden files,
and tests of the helpers the renderers share (cell text, merged-cell grid)."""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import zlib
from decimal import Decimal
from pathlib import Path

from juesuan.render.blocks import (
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    TableBlock,
    TableView,
    Toc,
)
from juesuan.render.html import cell_align, cell_text, table_grid

GOLDEN = Path(__file__).parent / "golden" / "render"
D = Decimal


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A small valid PNG (a red/blue split), made without any imaging library."""
    raw = b"".join(
        b"\x00" + b"".join(b"\xc0\x00\x00" if x < width // 2 else b"\x1f\x4e\x79" for x in range(width))
        for _ in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


TINY_SVG = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect x="10" y="10" width="80" height="80" fill="#c00000"/>'
    '<text x="100" y="55" font-size="14">基本支出</text></svg>'
)


def merged_table(landscape: bool = False) -> TableView:
    """公开01表-like: a 2-level header with rowspan and colspan, class/kuan/item rows."""
    h = Cell
    header = (
        Row((h("科目编码", rowspan=2), h("科目名称", rowspan=2), h("本年支出", colspan=3),
             h("年末结转", rowspan=2)), kind="header"),
        Row((h("合计"), h("基本支出"), h("项目支出")), kind="header"),
    )
    body = (
        Row((Cell("合计", colspan=2, align="center", bold=True), Cell(D("4499.46")),
             Cell(D("1234.50")), Cell(D("3264.96")), Cell(D("0"))), kind="total"),
        Row((Cell("201"), Cell("一般公共服务支出"), Cell(D("1000.00")), Cell(D("600.00")),
             Cell(D("400.00")), Cell(None)), kind="class"),
        Row((Cell("20113"), Cell("商贸事务", indent=1), Cell(D("1000.00")), Cell(D("600.00")),
             Cell(D("400.00")), Cell(None)), kind="kuan"),
        Row((Cell("2011301"), Cell("行政运行", indent=2), Cell(D("12345.678")), Cell(D("600")),
             Cell(D("-0.5")), Cell(7)), kind="item"),
    )
    return TableView(
        id="t03", number="公开03表", title="支出决算表", org="乌海市工业和信息化局",
        unit_label="单位：万元", header=header, body=body, note="注：本表反映部门本年度各项支出情况。",
        widths=(1.2, 3, 1.5, 1.5, 1.5, 1.2), landscape=landscape,
    )


def empty_table() -> TableView:
    return TableView(
        id="t08", number="公开08表", title="政府性基金预算财政拨款收入支出决算表",
        org="乌海市工业和信息化局", unit_label="单位：万元",
        header=(Row((Cell("项目"), Cell("本年支出")), kind="header"),),
        body=(Row((Cell("合计"), Cell(None))),),
        empty_statement="注：本部门本年度无政府性基金预算财政拨款收入、支出及结转结余，故本表为空表。",
    )


def sample_document() -> Document:
    doc = Document(title="2023 年度乌海市工业和信息化局（部门）决算公开", department="乌海市工业和信息化局",
                   year=2023, profile="test")
    doc.add(
        Paragraph("2023 年度乌海市工业和信息化局（部门）决算公开", style="title"),
        Paragraph("部门名称：乌海市工业和信息化局（部门）", style="meta"),
        Paragraph("报送日期：2024 年 10 月", style="meta"),
        PageBreak(),
        Toc(),
        Heading(1, "第一部分 部门概况", anchor="part1"),
        Heading(2, "一、主要职能、职责"),
        Heading(3, "（一）部门职能"),
        Paragraph("乌海市工业和信息化局是乌海市人民政府主管工业经济和信息化建设综合部门。", key="profile.functions"),
        Paragraph("指按规定支出的因公出国（境）费。", bold_prefix="“三公”经费："),
        Paragraph("注：本部分金额单位为万元。", style="note"),
        Heading(1, "第二部分 部门决算情况说明"),
        Heading(2, "三、支出决算情况说明"),
        Paragraph("本年支出合计 4,499.46 万元，其中基本支出 1,234.50 万元，占 27.44%。"),
        Figure("expenditure", "图2. 支出决算图", png=tiny_png(), svg=TINY_SVG, width_cm=8),
        Figure("income", "图1. 收入决算图", png=tiny_png(), width_cm=6),
        Heading(1, "第五部分 部门决算表", anchor="part5"),
        TableBlock(merged_table()),
        TableBlock(merged_table(landscape=True)),
        TableBlock(empty_table()),
        Paragraph("乌海市工业和信息化局", style="signature"),
        Paragraph("2024 年 10 月", style="center"),
    )
    return doc


# ----------------------------------------------------------------- extraction & golden


def normalise(text: str) -> str:
    """NFKC, one space for any run of blanks, no blank lines, trimmed lines."""
    text = unicodedata.normalize("NFKC", text)
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", ln).strip() for ln in text.splitlines()]
    return "\n".join(ln for ln in lines if ln) + "\n"


def docx_text(path: Path) -> str:
    """Paragraphs and table rows in body order; merged cells printed once, cells joined by |."""
    from docx import Document as load
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    d = load(str(path))
    out: list[str] = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(DocxParagraph(el, d).text)
        elif el.tag == qn("w:tbl"):
            t = Table(el, d)
            for row in t.rows:
                seen: list[int] = []
                cells = []
                for c in row.cells:
                    if id(c._tc) in seen:
                        continue
                    seen.append(id(c._tc))
                    cells.append(c.text)
                out.append("|".join(cells))
    return normalise("\n".join(out))


def html_text(html: str) -> str:
    """Visible text, one line per block-level element; table cells joined by |."""
    from lxml import html as lh

    root = lh.fromstring(html)
    for bad in root.xpath("//style|//script|//head"):
        bad.getparent().remove(bad)
    for svg in root.xpath("//*[local-name()='svg']"):
        svg.getparent().remove(svg)
    lines: list[str] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "div" and el.get("class") == "table-meta":
            lines.append(" ".join(s.text_content() for s in el))
        elif tag == "tr":
            lines.append("|".join(c.text_content() for c in el if c.tag in ("td", "th")))
        elif tag in ("h1", "h2", "h3", "p", "li", "figcaption") or (
                tag == "div" and el.get("class") in ("table-title", "draft-banner")):
            if el.getparent() is not None and el.getparent().tag == "li":
                continue
            lines.append(" ".join(el.text_content().split()))
    return normalise("\n".join(lines))


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    return normalise("\n".join(pages))


def check_golden(name: str, text: str, loose: bool = False) -> None:
    """Compare ``text`` with tests/golden/render/<name>; JUESUAN_UPDATE_GOLDEN=1 rewrites it.

    ``loose`` ignores all whitespace: PDF line breaks depend on the installed fonts.
    """
    path = GOLDEN / name
    if os.environ.get("JUESUAN_UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if os.environ.get("JUESUAN_UPDATE_GOLDEN") != "1":
            raise AssertionError(f"golden file {path} was missing and has been written; rerun")
        return
    expected = path.read_text(encoding="utf-8")
    if loose:
        text, expected = re.sub(r"\s+", "", text), re.sub(r"\s+", "", expected)
    assert text == expected, f"{name} differs from its golden file (JUESUAN_UPDATE_GOLDEN=1 to update)"


# ----------------------------------------------------------------- shared helper tests


def test_cell_text_formats_amounts_and_counts() -> None:
    assert cell_text(Cell(D("4499.456"))) == "4,499.46"
    assert cell_text(Cell(D("3"), places=0)) == "3"
    assert cell_text(Cell(7)) == "7"
    assert cell_text(Cell(None)) == ""
    assert cell_text(Cell("合计")) == "合计"


def test_cell_align_defaults() -> None:
    assert cell_align(Cell(D("1"))) == "right"
    assert cell_align(Cell(3)) == "right"
    assert cell_align(Cell("文字")) == "left"
    assert cell_align(Cell(D("1"), align="center")) == "center"


def test_table_grid_places_merged_cells() -> None:
    t = merged_table()
    placed = table_grid(list(t.header) + list(t.body), t.columns)
    assert t.columns == 6
    # second header row starts after the two rowspan columns
    assert placed[(1, 2)].value == "合计"
    assert placed[(1, 4)].value == "项目支出"
    assert (1, 0) not in placed and (1, 5) not in placed
    assert placed[(0, 5)].value == "年末结转"
    # the total row's label spans two columns
    assert placed[(2, 2)].value == D("4499.46")


def test_table_grid_clips_overflow() -> None:
    rows = [Row((Cell("a", colspan=5), Cell("b"))), Row((Cell("c", rowspan=9),))]
    placed = table_grid(rows, 3)
    assert set(placed) == {(0, 0), (1, 0)}


def test_tiny_png_is_a_png() -> None:
    from PIL import Image

    img = Image.open(io.BytesIO(tiny_png()))
    assert img.size == (40, 20)
