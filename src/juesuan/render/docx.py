"""Word output: a ``Document`` of blocks as an official-style .docx (python-docx).

Layout follows the conventions of Chinese official documents (GB/T 9704):
A4, margins 3.7/3.5/2.8/2.6 cm, body 仿宋 三号 (16 pt) at a fixed 28 pt line
pitch, headings 黑体 (level 3 楷体), page numbers "— 1 —" in 四号宋体.

Word picks the font of Chinese characters from ``w:rFonts/@w:eastAsia`` only;
without it Chinese text falls back to the theme's East Asian font whatever the
"font name" says.  So every style *and* every run gets an explicit eastAsia
font, and the theme attributes (``w:asciiTheme`` …, which override explicit
names) are removed from the built-in styles.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

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
from juesuan.render.html import cell_align, cell_text, heading_anchors, table_grid
from juesuan.render.pages import (
    COVER_BELOW,
    cover_length,
    orientation_plan,
    page_blocks,
    split_inner_header,
)


@dataclass(frozen=True)
class DocxFonts:
    """Font names written into the file (Word has no fallback lists: one name each).

    ``仿宋`` (simfang.ttf) ships with every Windows since Vista and with UOS /
    Kylin; 仿宋_GB2312 is often missing on new machines, so it is not the default.
    """

    body: str = "仿宋"
    heading: str = "黑体"
    heading3: str = "楷体"
    title: str = "黑体"  # 方正小标宋简体 where installed
    table: str = "宋体"
    latin: str = "Times New Roman"


A4 = (Cm(21.0), Cm(29.7))
MARGINS = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
LANDSCAPE_MARGINS = {"top": 2.6, "bottom": 2.4, "left": 2.5, "right": 2.5}
BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号
TABLE_SMALL_PT = 9  # 小五, for tables too wide for 五号
CELL_PAD_PT = 5.4  # left and right cell margin of the Table Grid style (108 twips)
LINE_PT = 28  # GB/T 9704: 22 lines a page
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)


def write_docx(doc: Document, path: Path | str, *, watermark: str = "",
               fonts: DocxFonts | None = None) -> Path:
    """Write ``doc`` as a Word file at ``path``; ``watermark`` (e.g. 草稿) goes in every page header."""
    writer = _Writer(doc, fonts or DocxFonts(), watermark)
    writer.run()
    path = Path(path)
    writer.save(path)
    return path


# ----------------------------------------------------------------- fonts & styles


def set_run_fonts(run_or_style_rpr, east_asia: str, latin: str) -> None:
    """Give an ``w:rPr`` explicit ascii/hAnsi/eastAsia fonts and drop theme fonts."""
    rpr = run_or_style_rpr
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _style_font(style, east_asia: str, latin: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_run_fonts(style.element.get_or_add_rPr(), east_asia, latin)


def _setup_styles(d, f: DocxFonts) -> None:
    styles = d.styles
    normal = styles["Normal"]
    _style_font(normal, f.body, f.latin, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    # East Asian defaults for the whole document (docDefaults), so anything
    # python-docx creates without a style still gets Chinese fonts.
    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            set_run_fonts(rpr, f.body, f.latin)
            _declare_chinese(rpr)
    specs = {1: (f.heading, True), 2: (f.heading, False), 3: (f.heading3, False)}
    for level, (font, centered) in specs.items():
        st = styles[f"Heading {level}"]
        _style_font(st, font, f.latin, BODY_PT, bold=False)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.LEFT
        st.paragraph_format.first_line_indent = None if centered else Pt(BODY_PT * 2)
        st.paragraph_format.space_before = Pt(LINE_PT / 2 if level == 1 else 0)
        st.paragraph_format.space_after = Pt(LINE_PT / 2 if level == 1 else 0)
        st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        st.paragraph_format.line_spacing = Pt(LINE_PT)
        st.paragraph_format.keep_with_next = True
        # the same look without an outline level: headings kept out of the TOC
        # (a TOC field refreshed by Word/WPS lists every paragraph with a level)
        plain = styles.add_style(_no_toc_style(level), WD_STYLE_TYPE.PARAGRAPH)
        plain.base_style = st
        _outline_level(plain.element.get_or_add_pPr(), 9)
    toc_heading = styles["TOC Heading"]  # 目录 itself: looks like a part title, not in the TOC
    toc_heading.base_style = styles["Heading 1"]
    _style_font(toc_heading, f.heading, f.latin, BODY_PT)
    _outline_level(toc_heading.element.get_or_add_pPr(), 9)
    title = styles["Title"]
    _style_font(title, f.title, f.latin, 22)  # 二号
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_after = Pt(LINE_PT)
    _remove_border(title)
    for name in ("Footer", "Header", "Caption", "Subtitle"):
        _style_font(styles[name], f.table if name in ("Footer", "Header") else f.body, f.latin,
                    14 if name == "Footer" else 10.5 if name == "Header" else 14)
    for level in (1, 2, 3):
        name = f"toc {level}"
        try:
            st = styles[name]
        except KeyError:
            st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = normal
        _style_font(st, f.body, f.latin, BODY_PT, bold=False)
        st.paragraph_format.left_indent = Pt(BODY_PT * (level - 1))


def _no_toc_style(level: int) -> str:
    return f"Heading {level} (not in TOC)"


def _outline_level(ppr, level: int) -> None:
    """Set ``w:outlineLvl`` (9 = body text) in the schema's place inside ``w:pPr``."""
    for el in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(el)
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _remove_border(style) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for el in ppr.findall(qn("w:pBdr")):
            ppr.remove(el)


# ----------------------------------------------------------------- fields & helpers


def _field(paragraph, instr: str, placeholder: str = "", *, begin: bool = True, end: bool = True,
           dirty: bool = True):
    """Append a complex field (``PAGE``, ``TOC …``) to ``paragraph``; either end may be left open
    (``begin=False`` / ``end=False``) for a field whose result spans paragraphs."""
    def fld(kind: str):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin" and dirty:
            el.set(qn("w:dirty"), "true")
        r._r.append(el)
        return r

    if begin:
        fld("begin")
        r = paragraph.add_run()
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = f" {instr} "
        r._r.append(it)
        fld("separate")
    if placeholder:
        paragraph.add_run(placeholder)
    if end:
        fld("end")


def _bookmark(paragraph, name: str, bid: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    stop = OxmlElement("w:bookmarkEnd")
    stop.set(qn("w:id"), str(bid))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(stop)


def _bookmark_name(anchor: str) -> str:
    """Word bookmarks: ≤ 40 chars, start with a letter, letters/digits/underscore."""
    return ("h_" + re.sub(r"[^0-9A-Za-z_]", "_", anchor))[:40]


def _internal_link(paragraph, anchor: str, text: str):
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = paragraph.add_run(text)
    paragraph._p.remove(run._r)
    link.append(run._r)
    paragraph._p.append(link)
    return run


def _cell_shading(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _row_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def document_settings(d, doc: Document) -> None:
    """The document's properties, language and settings (``settings.xml``), in one place.

    Its title and author; Chinese as the East-Asian language of the theme fonts
    (python-docx's template declares ``ja-JP``, which makes LibreOffice pick
    Japanese glyph forms for CJK characters); no "update fields?" prompt:
    ``w:updateFields`` is not set, since it makes Word ask on opening whether to
    update fields; the TOC's page numbers are ``PAGEREF`` fields, which every
    reader computes anyway.
    """
    core = d.core_properties
    core.title = doc.title
    core.author = doc.department
    core.language = "zh-CN"
    settings = d.settings.element
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
    _declare_chinese(settings, "w:themeFontLang")


def _declare_chinese(parent, tag: str = "w:lang") -> None:
    """``w:lang`` (or ``w:themeFontLang``) with zh-CN as the East-Asian language (line breaking,
    glyph forms); Latin text stays en-US."""
    lang = parent.find(qn(tag))
    if lang is None:
        lang = OxmlElement(tag)
        parent.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# ----------------------------------------------------------------- column widths


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Estimated printed width of ``text``, on the generous side.

    CJK characters are 1 em in every font; for digits and Latin letters the
    estimate is that of the widest likely font (DejaVu Serif, where Times New
    Roman is missing: digits 0.64 em, bold 0.70 em) rather than Times (0.5 em),
    so an amount does not wrap on a machine without Times New Roman either.
    """
    return sum(map(_char_em, text)) * size * (1.09 if bold else 1.0)


@lru_cache(maxsize=4096)
def _char_em(ch: str) -> float:
    """The estimated width of one character in em (``text_width_pt``)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in ",.:;'!|iljtf()[] ":
        return 0.33
    if ch.isupper() or ch in "%mwMW":
        return 0.8
    return 0.64


_TOKEN = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def _unbreakable(cell: Cell, text: str, header: bool) -> str:
    """The part of a cell that must not wrap: a whole amount, a code, a short word."""
    if isinstance(cell.value, (Decimal, int)) and not isinstance(cell.value, bool):
        return text
    tokens = _TOKEN.findall(text)
    longest = max(tokens, key=len, default="")
    short = text.strip()
    if header:
        # a header may wrap, but not into a column of single characters
        short = short[:2] if len(short) > 3 else short
    elif len(short) > 4:
        short = ""
    return max((longest, short), key=lambda x: text_width_pt(x, 1))


def column_widths(t: TableView, rows: list[Row], ncols: int, width_pt: float,
                  size: float) -> tuple[list[float], bool]:
    """Column widths (pt) summing to ``width_pt``, and whether every column got its minimum.

    Starts from ``TableView.widths`` (or, without them, from the length of each
    column's content) and widens any column whose amounts, codes or short words
    would otherwise wrap, taking the room from the columns that have it to spare.
    """
    placed = table_grid(rows, ncols)
    nheader = len(t.header)
    mins = [2 * CELL_PAD_PT + size] * ncols
    longest = [0.0] * ncols
    for (r, c), cell in placed.items():
        text = cell_text(cell)
        if not text:
            continue
        bold = cell.bold or rows[r].kind == "total"
        indent = size * cell.indent
        full = text_width_pt(text, size, bold) + 2 * CELL_PAD_PT + indent
        span = min(max(cell.colspan, 1), ncols - c)
        if span > 1:
            continue
        if r >= nheader:
            longest[c] = max(longest[c], min(full, size * 16))
        need = text_width_pt(_unbreakable(cell, text, r < nheader), size, bold) + 2 * CELL_PAD_PT + indent
        mins[c] = max(mins[c], need * 1.05 + 1)
    if len(t.widths) >= ncols and sum(t.widths[:ncols]) > 0:
        base = [max(float(w), 0.0) for w in t.widths[:ncols]]
    else:
        base = [max(w, m) for w, m in zip(longest, mins, strict=True)]
    total_min = sum(mins)
    if total_min >= width_pt:
        return [width_pt * m / total_min for m in mins], False
    fixed: set[int] = set()
    while True:
        free = [c for c in range(ncols) if c not in fixed]
        room = width_pt - sum(mins[c] for c in fixed)
        weight = sum(base[c] for c in free) or 1.0
        widths = [mins[c] if c in fixed else room * base[c] / weight for c in range(ncols)]
        short = [c for c in free if widths[c] < mins[c]]
        if not short:
            return widths, True
        fixed.update(short)


ROOM = 0.9  # share of a page's text height a table kept whole may take (headings above it)
LINE_EM = 1.45  # a line of CJK text in Word / LibreOffice (Noto CJK, SimSun: ascent + descent)


def row_height_pt(size: float) -> float:
    """The least height of a table row (``w:trHeight``, at least): one line and a little air
    (五号 16.8 pt, 小五 13.5 pt)."""
    return size * (1.6 if size > TABLE_SMALL_PT else 1.5)


def table_height_pt(t: TableView, rows: list[Row], ncols: int, widths: list[float], size: float) -> float:
    """An estimate of the printed height of the table with its title, unit line and notes: each
    row as high as its cell with the most lines (a cell spanning rows left out)."""
    placed = table_grid(rows, ncols)
    line = size * LINE_EM
    heights = [row_height_pt(size)] * len(rows)
    for (r, c), cell in placed.items():
        if cell.rowspan > 1:
            continue
        text = cell_text(cell)
        if not text:
            continue
        span = min(max(cell.colspan, 1), ncols - c)
        room = max(sum(widths[c:c + span]) - 2 * CELL_PAD_PT - size * cell.indent, size)
        lines = -(-text_width_pt(text, size) // room)
        heights[r] = max(heights[r], lines * line)
    notes = sum(-(-text_width_pt(x, TABLE_PT) // sum(widths)) * TABLE_PT * LINE_EM + 2
                for x in (t.empty_statement, t.note) if x)
    return sum(heights) + 16 * LINE_EM + 9 + TABLE_PT * LINE_EM + 2 + notes


# ----------------------------------------------------------------- the writer


class _Writer:
    def __init__(self, doc: Document, fonts: DocxFonts, watermark: str) -> None:
        self.doc = doc
        self.f = fonts
        self.watermark = watermark
        self.d = new_docx()
        self.anchors = heading_anchors(doc)
        self.bookmark_id = 0
        self.landscape = False
        self.page_start = True  # nothing written on the current page yet
        self.break_before = False  # start the next paragraph on a new page
        self.tables: list[Iterator[bytes]] = []  # each table's rows, written by ``save``
        self.style_ids: dict[str, str | None] = {}

    # -- setup
    def run(self) -> None:
        _setup_styles(self.d, self.f)
        section = self.d.sections[0]
        self._page(section, landscape=False)
        self._footer(section)
        if self.watermark:
            self._header(section)
        blocks = page_blocks(self.doc.blocks)  # the page plan shared with the PDF (render.pages)
        plan = orientation_plan(blocks)
        cover = cover_length(blocks)
        for i, block in enumerate(blocks):
            orient = plan[i]
            if isinstance(block, PageBreak):  # kept (None): only where no new page starts anyway
                nxt = next((o for o in plan[i + 1:] if o is not None), None)
                if orient is None and nxt is not None and nxt == self.landscape and not self.page_start:
                    self.break_before = True
                continue
            self._set_orientation(orient)
            p = self._block(block, i)
            self.page_start = False
            if orient and p is not None:  # a landscape table's lead-in stays with it
                p.paragraph_format.keep_with_next = True
            if i == 0 and cover and p is not None:  # the cover in the middle of its page (a little above)
                free = self._text_height_pt() - sum(self._height_pt(b) for b in blocks[:cover])
                p.paragraph_format.space_before = Pt(max(free, 0) / (1 + COVER_BELOW))
        document_settings(self.d, self.doc)

    def save(self, path: Path) -> None:
        """Save the package, the table rows streamed into ``word/document.xml`` (never held in memory).

        python-docx writes the package with a comment where each table's rows go;
        the rows are then written as text, row by row, into that part of the zip.
        """
        import zipfile

        buf = io.BytesIO()
        self.d.save(buf)
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                data = src.read(info)
                if info.filename != "word/document.xml":
                    out.writestr(info, data)
                    continue
                part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                with out.open(part, "w") as w:
                    for piece in _ROWS_MARK.split(data):
                        if piece.isdigit():
                            for chunk in self.tables[int(piece)]:
                                w.write(chunk)
                        else:
                            w.write(piece)

    def _page(self, section, landscape: bool) -> None:
        w, h = A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (h, w) if landscape else (w, h)
        m = LANDSCAPE_MARGINS if landscape else MARGINS
        section.top_margin, section.bottom_margin = Cm(m["top"]), Cm(m["bottom"])
        section.left_margin, section.right_margin = Cm(m["left"]), Cm(m["right"])
        section.header_distance = Cm(1.5)
        section.footer_distance = Cm(2.0 if not landscape else 1.2)

    def _footer(self, section) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("— ")
        _field(p, "PAGE", "1")
        p.add_run(" —")
        for r in p.runs:
            self._fonts(r, self.f.table)

    def _header(self, section) -> None:
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(self.watermark)
        r.bold = True
        r.font.size = Pt(14)
        r.font.color.rgb = DRAFT_RED
        self._fonts(r, self.f.heading)

    def _fonts(self, run, east_asia: str | None = None) -> None:
        set_run_fonts(run._r.get_or_add_rPr(), east_asia or self.f.body, self.f.latin)

    def _text_run(self, p, text: str, east_asia: str | None = None, bold: bool | None = None,
                  size: float | None = None):
        r = p.add_run(text)
        self._fonts(r, east_asia)
        if bold is not None:
            r.bold = bold
        if size is not None:
            r.font.size = Pt(size)
        return r

    def _add_paragraph(self, style: str | None = None):
        """``add_paragraph(style=…)`` with the style id looked up once per name.

        python-docx looks the name up among all styles for every paragraph (a
        third of a 1,000-row build); the id it would write is the same.
        """
        p = self.d.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.d.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            if self.style_ids[style] is not None:
                p._p.style = self.style_ids[style]
        return p

    def _para(self, style: str | None = None):
        """A new paragraph; the first after a page break starts the new page."""
        p = self._add_paragraph(style)
        if self.break_before:
            p.paragraph_format.page_break_before = True
            self.break_before = False
        return p

    def _set_orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        self._section_break()
        self._page(self.d.sections[-1], landscape)
        self.landscape = landscape
        self.page_start = True
        self.break_before = False

    def _section_break(self) -> None:
        """End the current section (the next one starts a new page) on a 1 pt paragraph.

        python-docx's ``add_section`` carries the break on an empty paragraph
        of body size, which spills onto a page of its own when the page is
        full; here that paragraph is 1 pt high.  (Not on the last paragraph
        written: LibreOffice then turns the page a table runs onto into the
        next section's orientation.)
        """
        sect = self.d.element.body.sectPr
        p = self.d.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(1)
        ppr = p._p.get_or_add_pPr()
        mark = _el(ppr, "w:rPr")
        _el(mark, "w:sz", {"w:val": "2"})
        ppr._insert_sectPr(sect.clone())
        # the body's sectPr now describes the new section; it starts on a new page
        for t in sect.findall(qn("w:type")):
            sect.remove(t)

    # -- blocks
    def _block(self, block, index: int):
        """Write one block; a paragraph block's paragraph is returned."""
        if isinstance(block, TableBlock):
            self._table(block.table)
        elif isinstance(block, Heading):
            self._heading(block, index)
        elif isinstance(block, Paragraph):
            return self._paragraph(block)
        elif isinstance(block, Toc):
            self._toc(block)
        elif isinstance(block, Figure):
            self._figure(block)
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")

    def _heading(self, h: Heading, index: int) -> None:
        level = min(max(h.level, 1), 3)
        p = self._para(f"Heading {level}" if h.in_toc else _no_toc_style(level))
        font = self.f.heading3 if level == 3 else self.f.heading
        self._text_run(p, h.text, font)
        anchor = self.anchors.get(index)
        if anchor:
            self.bookmark_id += 1
            _bookmark(p, _bookmark_name(anchor), self.bookmark_id)

    def _paragraph(self, para: Paragraph):
        style = "Title" if para.style == "title" else "Normal"
        p = self._para(style)
        pf = p.paragraph_format
        font = self.f.title if para.style == "title" else self.f.body
        size = None
        if para.style == "body":
            pf.first_line_indent = Pt(BODY_PT * 2)
            pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif para.style in ("center", "subtitle"):
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if para.style == "subtitle":
                font = self.f.heading3
        elif para.style == "signature":
            pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif para.style == "meta":
            pf.left_indent = Pt(BODY_PT * 4)
            pf.space_after = Pt(LINE_PT / 2)
        elif para.style == "note":
            size = 12
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            pf.first_line_indent = Pt(24)
        if para.bold_prefix:
            self._text_run(p, para.bold_prefix, self.f.heading, bold=False, size=size)
        if para.text:
            self._text_run(p, para.text, font, size=size)
        return p

    def _toc(self, toc: Toc) -> None:
        """The table of contents as a real ``TOC`` field whose stored result is complete.

        Word lists it as its contents (References → Update Table rebuilds it);
        the stored entries are each heading linked to its bookmark with a
        ``PAGEREF`` page number, as Word itself writes them, because
        LibreOffice and WPS show the stored result as it is: ``PAGEREF``
        fields are computed by every reader.
        """
        p = self._para("TOC Heading")
        self._text_run(p, toc.title, self.f.heading)
        entries = [(i, b) for i, b in enumerate(self.doc.blocks)
                   if isinstance(b, Heading) and b.in_toc and b.level <= 3]
        tab = self._text_width_cm()
        for k, (i, h) in enumerate(entries):
            p = self._add_paragraph(f"toc {min(h.level, 3)}")
            p.paragraph_format.tab_stops.add_tab_stop(Cm(tab), WD_TAB_ALIGNMENT.RIGHT, _leader_dots())
            if k == 0:  # the TOC field opens before the first entry …
                _field(p, 'TOC \\o "1-3" \\h \\z \\u', end=False, dirty=False)
            anchor = self.anchors.get(i)
            font = self.f.heading if h.level == 1 else self.f.body
            if not anchor:  # pragma: no cover - heading_anchors names every heading
                self._fonts(p.add_run(h.text), font)
            else:
                name = _bookmark_name(anchor)
                self._fonts(_internal_link(p, name, h.text), font)
                self._fonts(p.add_run("\t"), font)
                _field(p, f"PAGEREF {name} \\h")  # no stored number: every reader computes it
                for r in p.runs[-4:]:
                    self._fonts(r, font)
            if k == len(entries) - 1:  # … and closes after the last
                _field(p, "", begin=False)
        self.break_before = True

    def _figure(self, fig: Figure) -> None:
        if fig.png:
            p = self._para()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.keep_with_next = True
            width = min(fig.width_cm, self._text_width_cm() - 1.0)
            p.add_run().add_picture(io.BytesIO(fig.png), width=Cm(width))
        cap = self._para("Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.space_after = Pt(LINE_PT / 2)
        self._text_run(cap, fig.title, self.f.body, size=14)
        cap.runs[0].font.color.rgb = RGBColor(0, 0, 0)

    # -- tables
    def _table(self, t: TableView) -> None:
        width_cm = self._text_width_cm()
        ncols = t.columns or max((sum(c.colspan for c in r.cells) for r in t.body), default=1)
        rows = list(t.header) + list(t.body)
        size = TABLE_PT
        widths: list[float] = []
        whole = False  # the whole table kept on one page
        if rows:
            width_pt = width_cm / 2.54 * 72
            widths, fits = column_widths(t, rows, ncols, width_pt, size)
            if not fits:  # 五号 does not fit: 小五
                size = TABLE_SMALL_PT
                widths, _ = column_widths(t, rows, ncols, width_pt, size)
            page = self._text_height_pt()
            tall = table_height_pt(t, rows, ncols, widths, size)
            whole = tall <= page * ROOM
            if not whole and size > TABLE_SMALL_PT:
                # 小五 rows where they save a page: a table a little taller than a page kept
                # whole, a long one without its last rows alone on a page of their own
                small, _ = column_widths(t, rows, ncols, width_pt, TABLE_SMALL_PT)
                low = table_height_pt(t, rows, ncols, small, TABLE_SMALL_PT)
                if low <= page * ROOM:
                    size, widths, whole = TABLE_SMALL_PT, small, True
                elif math.ceil(low / page) < math.ceil(tall / page):
                    size, widths = TABLE_SMALL_PT, small
        title = self._para()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = title.paragraph_format
        pf.keep_with_next = True
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before = Pt(6)
        pf.space_after = Pt(3)
        self._text_run(title, t.title, self.f.heading, size=16)
        meta = self.d.add_paragraph()
        meta.paragraph_format.keep_with_next = True
        meta.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        meta.paragraph_format.space_after = Pt(2)
        meta.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT)
        left = f"编制单位：{t.org}" if t.org else ""
        right = "\u3000".join(x for x in (t.number, t.unit_label) if x)  # one line, as in the HTML
        self._text_run(meta, left + ("\t" + right if right else ""), self.f.table, size=TABLE_PT)
        texts = [x for x in (t.empty_statement, t.note) if x]
        parts = split_inner_header(t) if rows else None
        if parts:  # the indicators' heads repeat on every page the table continues on
            upper, lower = parts
            self._table_grid(upper, list(upper.header) + list(upper.body), ncols, widths, size,
                             note_follows=False, whole=True)
            self._gap()  # Word joins two tables that touch (and then repeats only the first heads)
            self._table_grid(lower, list(lower.header) + list(lower.body), ncols, widths, size,
                             note_follows=bool(texts), whole=whole)
        elif rows:
            self._table_grid(t, rows, ncols, widths, size, note_follows=bool(texts), whole=whole)
        for text in texts:
            p = self.d.add_paragraph()
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.space_before = Pt(2)
            self._text_run(p, text, self.f.table, size=TABLE_PT)

    def _height_pt(self, p: Paragraph) -> float:
        """The printed height of a cover paragraph (as ``_paragraph`` sets it)."""
        if p.style == "title":
            width = self._text_width_cm() / 2.54 * 72
            return -(-text_width_pt(p.text, 22) // width) * 22 * LINE_EM + LINE_PT
        lines = -(-text_width_pt(p.bold_prefix + p.text, BODY_PT) // (self._text_width_cm() / 2.54 * 72 - 4 * BODY_PT))
        return lines * LINE_PT + (LINE_PT / 2 if p.style == "meta" else 0)

    def _gap(self) -> None:
        """A paragraph 1 pt high between two tables set edge to edge (the second may start a page:
        its heads are repeated header rows)."""
        p = self.d.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(1)
        _el(_el(p._p.get_or_add_pPr(), "w:rPr"), "w:sz", {"w:val": "2"})

    def _text_height_pt(self) -> float:
        m = LANDSCAPE_MARGINS if self.landscape else MARGINS
        return ((21.0 if self.landscape else 29.7) - m["top"] - m["bottom"]) / 2.54 * 72

    def _text_width_cm(self) -> float:
        m = LANDSCAPE_MARGINS if self.landscape else MARGINS
        return (29.7 if self.landscape else 21.0) - m["left"] - m["right"]

    def _table_grid(self, t: TableView, rows: list[Row], ncols: int, widths_pt: list[float],
                    size: float, note_follows: bool, whole: bool = False) -> None:
        """The table body, written as WordprocessingML directly.

        python-docx's cell API (and ``merge``) walks the whole table for every
        call; building ``w:tr``/``w:tc`` elements ourselves is ~10x faster and
        states the merges plainly: ``w:gridSpan`` for colspan, ``w:vMerge`` for rowspan.

        The table is as wide as the text; rows never split across pages; the
        header rows repeat on every page and stay with the first body rows; a
        short table (and the last rows of a long one) stays on one page.
        """
        # python-docx's ``add_table`` and ``table.style`` search all the styles twice per table
        # (a tenth of the Putuo build); the body's own ``add_table`` and the id, once per build
        table = self.d._body.add_table(0, ncols, self.d._block_width)
        if "Table Grid" not in self.style_ids:
            self.style_ids["Table Grid"] = self.d.part.get_style_id(self.d.styles["Table Grid"],
                                                                    WD_STYLE_TYPE.TABLE)
        table._tbl.tblPr.style = self.style_ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        twips = [int(round(w * 20)) for w in widths_pt]
        for col, w in zip(table.columns, twips, strict=False):
            col.width = w * 635  # EMU
        tblpr = table._tbl.tblPr
        tblw = tblpr.find(qn("w:tblW"))
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(twips)))
        placed = table_grid(rows, ncols)
        cont: dict[tuple[int, int], int] = {}  # (row, col) continuing a rowspan -> its colspan
        for (r, c), cell in placed.items():
            span = min(max(cell.colspan, 1), ncols - c)
            for rr in range(r + 1, min(r + max(cell.rowspan, 1), len(rows))):
                cont[(rr, c)] = span
        nheader = len(t.header)
        n = len(rows)
        if whole or n <= 18:
            keep = set(range(n - 1))  # the whole table on one page
        else:
            keep = set(range(min(nheader + 2, n))) | set(range(n - 3, n - 1))
        if note_follows:
            keep.add(n - 1)
        table._tbl.append(etree.Comment(f"{_ROWS_TAG}{len(self.tables)}"))
        self.tables.append(self._rows_xml(rows, placed, cont, twips, ncols, nheader, keep, size))

    def _rows_xml(self, rows: list[Row], placed: dict[tuple[int, int], Cell],
                  cont: dict[tuple[int, int], int], twips: list[int], ncols: int, nheader: int,
                  keep: set[int], size: float) -> Iterator[bytes]:
        """The ``w:tr`` elements of a table as UTF-8 text, one row at a time.

        The text is what lxml would serialize for the same elements, so the file is
        the same as if they had been built; writing text keeps the memory flat
        (a 1,000-row department has millions of table elements).
        """
        height = str(int(row_height_pt(size) * 20))
        half_points = str(int(round(size * 2)))
        sizes = f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        latin = _attr(self.f.latin)
        run_xml = {header: (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{_attr(font)}" '
                            f'w:cs="{latin}" w:hint="eastAsia"/>', sizes)
                   for header, font in ((True, self.f.heading), (False, self.f.table))}
        for r, row in enumerate(rows):
            out = ['<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="', height, '" w:hRule="atLeast"/>']
            if r < nheader:
                out.append("<w:tblHeader/>")
            out.append("</w:trPr>")
            fmt = _CellFormat(r < nheader, row.kind, r in keep, size, run_xml[r < nheader])
            c = 0
            while c < ncols:
                cell = placed.get((r, c))
                if cell is not None:
                    span = min(max(cell.colspan, 1), ncols - c)
                    merge = "restart" if cell.rowspan > 1 and r + 1 < len(rows) else None
                    self._tc(out, cell, sum(twips[c:c + span]), span, merge, fmt)
                elif (r, c) in cont:
                    span = cont[(r, c)]
                    self._tc(out, None, sum(twips[c:c + span]), span, "continue", fmt)
                else:
                    span = 1
                    self._tc(out, None, twips[c], 1, None, fmt)
                c += span
            out.append("</w:tr>")
            yield "".join(out).encode("utf-8")

    def _tc(self, out: list[str], cell: Cell | None, width: int, span: int, vmerge: str | None,
            fmt: _CellFormat) -> None:
        """Append one ``w:tc`` (as text) to ``out``."""
        out += ['<w:tc><w:tcPr><w:tcW w:w="', str(width), '" w:type="dxa"/>']
        if span > 1:
            out += ['<w:gridSpan w:val="', str(span), '"/>']
        if vmerge == "restart":
            out.append('<w:vMerge w:val="restart"/>')
        elif vmerge == "continue":
            out.append("<w:vMerge/>")
        if fmt.header:
            out.append('<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>')
        out.append('<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>')
        if fmt.keep:
            out.append("<w:keepNext/>")
        out.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
        fonts, sizes = fmt.run_xml
        text = cell_text(cell) if cell is not None else ""
        if cell is not None:
            align = "center" if fmt.header and cell.align is None else cell_align(cell)
            if cell.indent and align == "left":
                out += ['<w:ind w:left="', str(int(fmt.size * 20 * cell.indent)), '"/>']
            out += ['<w:jc w:val="', {"left": "left", "center": "center", "right": "right"}[align], '"/>']
        if not text:
            # the paragraph mark sets an empty row's height: table size, not 三号
            out += ["<w:rPr>", fonts, sizes, "</w:rPr></w:pPr></w:p></w:tc>"]
            return
        out += ["</w:pPr><w:r><w:rPr>", fonts]
        if not fmt.header and (cell.bold or fmt.kind == "total"):
            out.append("<w:b/>")
        out += [sizes, '</w:rPr><w:t xml:space="preserve">', _text(text), "</w:t></w:r></w:p></w:tc>"]


_ROWS_TAG = "juesuan-table-rows-"
_ROWS_MARK = re.compile(rb"<!--" + _ROWS_TAG.encode() + rb"(\d+)-->")
_XML_SPECIAL = re.compile(r"[&<>\r]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text as lxml serializes it (``&``, ``<``, ``>`` and CR escaped)."""
    if _XML_INVALID.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    if not _XML_SPECIAL.search(value):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    """An attribute value as lxml serializes it."""
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


@dataclass(frozen=True)
class _CellFormat:
    header: bool
    kind: str
    keep: bool  # keep with the next row
    size: float
    run_xml: tuple[str, str]  # the cells' w:rFonts and w:sz/w:szCs elements


def _el(parent, tag: str, attrs: dict[str, str] | None = None):
    """Append a namespaced child element (fast path, no python-docx bookkeeping)."""
    el = etree.SubElement(parent, qn(tag))
    for k, v in (attrs or {}).items():
        el.set(qn(k), v)
    return el


def _leader_dots():
    from docx.enum.text import WD_TAB_LEADER

    return WD_TAB_LEADER.DOTS
