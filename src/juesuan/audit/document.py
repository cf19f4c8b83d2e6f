"""Read a published disclosure (text, Markdown, Word, PDF, HTML) into located lines.

Every line keeps its page (None for plain text and HTML) and its 1-based line
number: the line of the file for text, the line on the page for PDF (and, for
Word, the paragraph on the page as Word last rendered it), the line of the
visible text for HTML.  PDF lines also keep
their words with x positions, so tables can be rebuilt from columns.
Unusable input raises ``InputError`` with a Chinese message (exit 2).
"""

from __future__ import annotations

import html
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.audit.deadline import deadline_check
from juesuan.model.findings import Location
from juesuan.readers.errors import InputError
from juesuan.readers.limits import check_zip, env_limit, raise_hint, read_bounded

# bytes read from a document; real disclosures are under 30 MB (JUESUAN_MAX_BYTES raises it)
MAX_BYTES = env_limit("JUESUAN_MAX_BYTES", 100 * 1024 * 1024)
MIN_TEXT_CHARS_PER_PAGE = 20
MAX_LINES = env_limit("JUESUAN_MAX_LINES", 1_000_000)  # lines of a text document; real ones have a few thousand
# PDF: real disclosures have under 300 pages of A3 at most and a few thousand characters a page
MAX_PDF_PAGES = env_limit("JUESUAN_MAX_PDF_PAGES", 5_000)
MAX_PDF_PAGE_SIZE = env_limit("JUESUAN_MAX_PDF_PAGE_SIZE", 5_000)  # millimetres, either side
MAX_PDF_PAGE_CHARS = env_limit("JUESUAN_MAX_PDF_CHARS", 200_000)  # characters on one page
MAX_PDF_CHARS = env_limit("JUESUAN_MAX_PDF_TOTAL_CHARS", 20_000_000)  # characters in the document
MAX_PDF_PAGE_OBJECTS = env_limit("JUESUAN_MAX_PDF_OBJECTS", 200_000)  # objects drawn on one page
MAX_PDF_STREAM = env_limit("JUESUAN_MAX_PDF_STREAM_BYTES", 32 * 1024 * 1024)  # one stream (not an image), inflated
_MM_PER_POINT = 25.4 / 72
_STREAM = re.compile(rb"stream\r?\n")

# the mark ``juesuan build --draft`` prints at the top of every page (and across it at a
# slant): not part of the text, and left in it would cut a sentence running over a page
WATERMARKS = frozenset({"草稿：数据未通过检查"})


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    y0: float = 0.0  # PDF: bottom and top of the word's glyphs (0, 0 when unknown)
    y1: float = 0.0

    @property
    def ym(self) -> float | None:
        """The word's middle height, None when unknown."""
        return (self.y0 + self.y1) / 2 if self.y1 > self.y0 else None


@dataclass(frozen=True)
class Line:
    text: str
    number: int  # 1-based: line of the file (text) or line on the page (PDF, Word)
    page: int | None = None  # 1-based page; None for plain text
    words: tuple[Word, ...] = ()  # PDF only: runs of characters separated by gaps
    y: float = 0.0  # PDF only: baseline height on the page (top = larger)
    cells: tuple[str, ...] = ()  # Word tables: the cells of a table row

    def location(self, file: str | None = None, excerpt: str | None = None) -> Location:
        return Location(file=file, page=self.page, line=self.number,
                        excerpt=(excerpt if excerpt is not None else self.text.strip())[:120])


@dataclass
class SourceDoc:
    path: str
    kind: str  # text | docx | pdf | html
    lines: list[Line] = field(default_factory=list)
    pages: int = 0
    warnings: list[tuple[str, Location]] = field(default_factory=list)  # read, with a caveat (bad bytes)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_document(path: Path) -> SourceDoc:
    """Dispatch on content (not only the extension) and read the document."""
    path = Path(path)
    file = str(path)
    raw = read_bounded(path, MAX_BYTES, "JUESUAN_MAX_BYTES")
    if not raw.strip():
        raise InputError("文件是空的", Location(file=file))
    if raw.startswith(b"%PDF"):
        return _read_pdf(path, raw)
    if raw.startswith(b"PK"):
        return _read_docx(path)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("这是旧版 Word（.doc）或加密的 Office 文件：请另存为 .docx 或 PDF 后再审核",
                         Location(file=file))
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<!--") and b"<html" in head):
        return _read_html(path, raw)
    return _read_text(path, raw)


def decode_text(raw: bytes) -> tuple[str | None, int]:
    """The text and the number of bytes that could not be decoded (each marked U+FFFD).

    UTF-8 and GB18030 are tried whole; when neither decodes, the one with the
    fewest bad bytes is kept if they are a few (at most 1 in 1,000), else None.
    """
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), 0
        except UnicodeDecodeError:
            continue
    best: tuple[str, int] | None = None
    for enc in ("utf-8-sig", "gb18030"):
        text = raw.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[1]:
            best = (text, bad)
    assert best is not None
    if best[1] > max(3, len(raw) // 1000):
        return None, best[1]
    return best


def _read_text(path: Path, raw: bytes) -> SourceDoc:
    file = str(path)
    text, bad = decode_text(raw)
    clean = text.replace("\ufffd", "") if text is not None else None
    if clean is None or _binary_share(clean) > 0.05:
        raise InputError("不是文本、Word 或 PDF 文件（内容无法识别）", Location(file=file))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # any line ending: CR-only too
    count = text.count("\n") + text.count("\f") + 1
    if count > MAX_LINES:
        raise InputError(f"文本行数过多（{count:,} 行，上限 {MAX_LINES:,} 行）" + raise_hint("JUESUAN_MAX_LINES"),
                         Location(file=file))
    pages = text.split("\f")
    lines: list[Line] = []
    number = 0
    for p_idx, page_text in enumerate(pages):
        for line_text in page_text.split("\n"):
            number += 1
            lines.append(Line(line_text.rstrip("\r"), number, p_idx + 1 if len(pages) > 1 else None))
    doc = SourceDoc(file, "text", lines, len(pages))
    if bad:
        first = next(line for line in lines if "\ufffd" in line.text)
        doc.warnings.append((f"文件中有 {bad} 处字节不是有效的文字编码，已标为“\ufffd”后继续读取"
                             f"（第一处在第 {first.number} 行）", first.location(file)))
    return doc


# control characters other than \t \n \f \r, and the replacement character
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _binary_share(text: str) -> float:
    """Share of characters no text file has (one regex scan, not a Python loop per character)."""
    sample = text[:20000]
    return len(_BINARY.findall(sample)) / max(len(sample), 1)


def _read_docx(path: Path) -> SourceDoc:
    file = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, file)  # the directory first: a zip bomb is refused before anything is unpacked
            if "word/document.xml" not in zf.namelist():
                raise InputError("压缩包中没有 Word 正文（不是 .docx 文件？）", Location(file=file))
            zf.testzip()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - zipfile and zlib raise many types on a damaged file
        raise InputError("Word 文件已损坏或不完整（无法解压）", Location(file=file)) from None
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:  # pragma: no cover - optional dependency
        raise InputError("读取 Word 需要 python-docx，它随 juesuan 安装：请重新安装（pip install --force-reinstall juesuan）或 pip install python-docx", Location(file=file)) from None
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx raises many types on bad XML
        raise InputError("Word 文件已损坏，无法读取（缺少必需的部分或 XML 不完整）", Location(file=file)) from None

    lines: list[Line] = []
    page, number = 1, 0
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            breaks = len(child.findall(".//" + qn("w:lastRenderedPageBreak"))) + sum(
                1 for br in child.findall(".//" + qn("w:br")) if br.get(qn("w:type")) == "page")
            if breaks and number:
                page += breaks
                number = 0
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            number += 1
            lines.append(Line(text, number, page))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                row: list[str] = []
                for tc in tr.iter(qn("w:tc")):
                    row.append("".join(t.text or "" for t in tc.iter(qn("w:t"))).strip())
                    span = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
                    if span is not None:  # a merged cell covers several grid columns: cell index = column
                        row += [""] * (_int(span.get(qn("w:val"))) - 1)
                cells = tuple(row)
                number += 1
                lines.append(Line("\t".join(cells), number, page, cells=cells))
    if not any(line.text.strip() for line in lines):
        raise InputError("Word 文件中没有文字", Location(file=file))
    return SourceDoc(file, "docx", lines, page)


def _read_pdf(path: Path, raw: bytes) -> SourceDoc:
    file = str(path)
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - optional dependency
        raise InputError("读取 PDF 需要 pypdfium2，它随 juesuan 安装：请重新安装（pip install --force-reinstall juesuan）或 pip install pypdfium2", Location(file=file)) from None
    _inflate_limit(raw, file)
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise InputError("PDF 已加密（需要密码），无法读取：请提供未加密的文件", Location(file=file)) from None
        raise InputError(f"PDF 文件已损坏，无法读取（{msg}）", Location(file=file)) from None
    lines: list[Line] = []
    text_chars = 0
    rules: list | None = []  # each page's ruling lines, for the tables (pdf_grid), while it is loaded
    try:
        n_pages = len(pdf)
        if n_pages > MAX_PDF_PAGES:
            raise InputError(f"PDF 页数过多（{n_pages:,} 页，上限 {MAX_PDF_PAGES:,} 页）"
                             + raise_hint("JUESUAN_MAX_PDF_PAGES"), Location(file=file))
        for p_idx in range(n_pages):
            deadline_check()
            page = pdf[p_idx]
            _page_limits(page, p_idx + 1, file)
            straight, boxes = _scan_objects(page)
            rules = _page_rules(boxes, rules)
            textpage = page.get_textpage()
            try:
                page_lines = _pdf_page_lines(textpage, p_idx + 1, file, straight)
            finally:
                textpage.close()
                page.close()
            page_lines = [line for line in page_lines if line.text not in WATERMARKS]
            text_chars += sum(len(line.text.strip()) for line in page_lines)
            if text_chars > MAX_PDF_CHARS:
                raise InputError(f"PDF 文字过多（到第 {p_idx + 1} 页已超过 {MAX_PDF_CHARS:,} 个字符的上限）"
                                 + raise_hint("JUESUAN_MAX_PDF_TOTAL_CHARS"), Location(file=file, page=p_idx + 1))
            lines.extend(page_lines)
    finally:
        pdf.close()
    if rules is not None:
        from juesuan.audit.pdf_grid import remember_rules

        remember_rules(file, len(raw), tuple(rules))
    if n_pages == 0:
        raise InputError("PDF 没有页面", Location(file=file))
    if text_chars < MIN_TEXT_CHARS_PER_PAGE * n_pages / 4:
        raise InputError(
            "PDF 没有文字层（可能是扫描件或图片）：本工具不做文字识别（OCR），请提供可复制文字的 PDF、Word 或文本文件",
            Location(file=file))
    return SourceDoc(file, "pdf", lines, n_pages)


def _inflate_limit(raw: bytes, file: str) -> None:
    """Refuse a PDF with a compressed stream that inflates past ``MAX_PDF_STREAM`` (a flate bomb),
    before PDFium parses a page of it.

    Every Flate stream that is not an image (images are not decoded to read
    text) is inflated once into a bounded buffer and thrown away; PDFium and
    pdfplumber would inflate the same bytes whole.
    """
    view = memoryview(raw)
    pos = 0
    while True:
        m = _STREAM.search(raw, pos)
        if m is None:
            return
        pos = m.end()
        head = raw[max(0, raw.rfind(b"obj", max(0, m.start() - 4096), m.start())):m.start()]
        if b"Flate" not in head or b"/Image" in head or _too_short_to_burst(raw, head, pos):
            continue
        if _inflated_past(view, pos, MAX_PDF_STREAM):
            raise InputError(f"PDF 中有一段压缩内容解压后超过 {MAX_PDF_STREAM // 2**20} MB 的上限（可能是压缩炸弹）"
                             + raise_hint("JUESUAN_MAX_PDF_STREAM_BYTES"), Location(file=file))


_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\s+\d+\s+R)")
_DEFLATE_RATIO = 1032  # the most Deflate can expand: 258 bytes from about 2 bits, 1032:1 at the limit


def _too_short_to_burst(raw: bytes, head: bytes, start: int) -> bool:
    """Whether the stream at ``start`` is too short to inflate past ``MAX_PDF_STREAM``: its
    dictionary gives its ``/Length`` directly and ``endstream`` follows right there (so
    PDFium reads that many bytes), and that many bytes cannot inflate so far."""
    m = _LENGTH.search(head)
    if m is None:
        return False
    length = int(m.group(1))
    if (length + 1) * _DEFLATE_RATIO + 1024 >= MAX_PDF_STREAM:
        return False
    return raw[start + length:start + length + 40].lstrip(b"\r\n \t\f\x00").startswith(b"endstream")


def _inflated_past(view: memoryview, start: int, limit: int) -> bool:
    """Whether the zlib stream at ``start`` inflates past ``limit`` bytes (fed in 64 KB slices; not zlib: False)."""
    import zlib

    inflater = zlib.decompressobj()
    total = 0
    for at in range(start, len(view), 65536):
        budget = limit - total
        try:
            total += len(inflater.decompress(view[at:at + 65536], budget))
        except zlib.error:
            return False
        if inflater.eof:
            return False
        if inflater.unconsumed_tail or total >= limit:
            return True
    return False


def _page_limits(page, page_no: int, file: str) -> None:  # noqa: ANN001 - PdfPage
    """A page's size and the number of objects drawn on it, checked before its text is extracted.

    PDFium inflates the page's content when it loads the page (a flate bomb is
    bounded by the objects it draws: their count is checked before any text is
    extracted, and the characters right after).
    """
    width, height = page.get_size()
    big = max(width, height) * _MM_PER_POINT  # PDFium gives points (a /UserUnit is not applied)
    if big > MAX_PDF_PAGE_SIZE:
        raise InputError(f"PDF 页面尺寸过大（{big / 1000:,.1f} 米，上限 {MAX_PDF_PAGE_SIZE / 1000:g} 米）"
                         + raise_hint("JUESUAN_MAX_PDF_PAGE_SIZE"), Location(file=file, page=page_no))
    try:
        import pypdfium2.raw as raw

        objects = raw.FPDFPage_CountObjects(page.raw)
    except Exception:  # noqa: BLE001 - an older PDFium: the character count below still bounds the work
        return
    if objects > MAX_PDF_PAGE_OBJECTS:
        raise InputError(f"PDF 页面内容过多（{objects:,} 个对象，上限 {MAX_PDF_PAGE_OBJECTS:,}），可能是压缩炸弹"
                         + raise_hint("JUESUAN_MAX_PDF_OBJECTS"), Location(file=file, page=page_no))


def _pdf_page_lines(textpage, page_no: int, file: str | None = None,  # noqa: ANN001 - PdfTextPage
                    straight: bool = False) -> list[Line]:
    """Group the page's characters into lines (by PDFium's line breaks) and words (by gaps);
    ``straight``: no character is printed at a slant (see ``_scan_objects``)."""
    n = textpage.count_chars()
    if n <= 0:
        return []
    if n > MAX_PDF_PAGE_CHARS:
        raise InputError(f"PDF 第 {page_no} 页文字过多（{n:,} 个字符，上限 {MAX_PDF_PAGE_CHARS:,}），可能是压缩炸弹"
                         + raise_hint("JUESUAN_MAX_PDF_CHARS"), Location(file=file, page=page_no))
    text = textpage.get_text_range(0, n)
    lines: list[Line] = []
    chars: list[tuple[str, float, float, float, float]] = []

    def flush() -> None:
        if not chars:
            return
        words: list[Word] = []
        cur = ""
        x0 = x1 = 0.0
        inf = float("inf")
        lo, hi = inf, -inf
        for ch, a, b, bottom, h in chars:
            if cur and (ch == " " or a - x1 > (h if h > 4.0 else 4.0)):
                words.append(Word(cur, x0, x1, *((lo, hi) if lo < hi else (0.0, 0.0))))
                cur = ""
            if ch == " ":
                continue
            if not cur:
                x0 = a
                lo, hi = inf, -inf
            cur += ch
            x1 = b
            if h > 0:
                if bottom < lo:
                    lo = bottom
                if bottom + h > hi:
                    hi = bottom + h
        if cur:
            words.append(Word(cur, x0, x1, *((lo, hi) if lo < hi else (0.0, 0.0))))
        y = max(c[3] for c in chars)
        line_text = "".join(c[0] for c in chars).strip()
        lines.append(Line(line_text, len(lines) + 1, page_no, tuple(words), y))
        chars.clear()

    box = _CharBoxes(textpage, straight)
    add = chars.append
    for i, ch in enumerate(text[:n]):
        if ch in "\r\n":
            if ch == "\n":
                flush()
            continue
        got = box(i)
        if got is not None:
            left, bottom, right, top = got
            add((ch, left, right, bottom, top - bottom))
    flush()
    return lines


class _CharBoxes:
    """``box(i)``: the (left, bottom, right, top) of character ``i`` of a text page, None for a
    character printed at a slant (not a multiple of 90°: a watermark across the page).

    The draft mark (“草稿：数据未通过检查” at 30°) would otherwise break the lines it
    crosses (a table-of-contents entry, a table row) with stray characters.  Two
    PDFium calls a character, straight to the library (the helpers' objects cost
    more than the calls).
    """

    def __init__(self, textpage, straight: bool = False) -> None:  # noqa: ANN001 - PdfTextPage
        import ctypes

        import pypdfium2.raw as raw

        self._page = textpage.raw
        # an older PDFium without the call: keep every character
        self._angle = None if straight else getattr(raw, "FPDFText_GetCharAngle", None)
        self._get = raw.FPDFText_GetCharBox
        self._lrbt = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(v) for v in self._lrbt]

    def __call__(self, i: int) -> tuple[float, float, float, float] | None:
        if self._angle is not None:
            angle = self._angle(self._page, i)
            if angle >= 0:  # a negative angle is PDFium's error value
                off = angle % _QUARTER
                if min(off, _QUARTER - off) > 0.02:
                    return None
        left, right, bottom, top = self._lrbt
        if not self._get(self._page, i, *self._refs):  # yes, l r b t
            return 0.0, 0.0, 0.0, 0.0
        return left.value, bottom.value, right.value, top.value


_QUARTER = math.pi / 2


def _page_rules(boxes: list | None, rules: list | None) -> list | None:
    """``rules`` with the ruling lines among a page's path ``boxes`` added; None once a page
    could not be read (pdf_grid then reads the file itself)."""
    if rules is None or boxes is None:
        return None
    from juesuan.audit.pdf_grid import rules_from_boxes

    rules.append(rules_from_boxes(boxes))
    return rules


def _scan_objects(page) -> tuple[bool, list | None]:  # noqa: ANN001 - PdfPage
    """One walk over a loaded page's objects: the text objects printed at a slant removed (a
    watermark such as the draft mark at 30°), and the bounds (left, bottom, right, top) of
    every path (None when one could not be placed), for the table rules (pdf_grid).

    Left in, slanted text makes PDFium break the lines it crosses anywhere
    (every leader dot of a contents entry on a line of its own) and join rows
    that are not one.  Only the page in memory changes.  The flag is True when
    every character left is upright or turned by a quarter for sure (no form
    XObject, every text object's matrix axis-aligned), so that no character's
    angle need be asked.
    """
    import ctypes

    import pypdfium2.raw as raw

    matrix = raw.FS_MATRIX()
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    get_bounds, get_matrix = raw.FPDFPageObj_GetBounds, raw.FPDFPageObj_GetMatrix
    path, text, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM
    slanted = []
    boxes: list | None = []
    straight = True
    for obj, kind, level in page_objects(page, 3):
        if kind == path:
            if boxes is not None:
                if get_bounds(obj, *refs):
                    boxes.append((box[0].value, box[1].value, box[2].value, box[3].value))
                else:
                    boxes = None
        elif kind == form:
            straight = False
        elif kind == text and level == 0:
            if not get_matrix(obj, matrix):
                straight = False
            elif abs(matrix.b) > 1e-3 and abs(matrix.a) > 1e-3:
                slanted.append(obj)
            elif matrix.a != 0 and matrix.b != 0:
                straight = False
    for obj in slanted:
        if raw.FPDFPage_RemoveObject(page.raw, obj):
            raw.FPDFPageObj_Destroy(obj)  # detached: the page no longer owns it
        else:
            straight = False
    return straight, boxes


def page_objects(page, max_depth: int):  # noqa: ANN001, ANN201 - PdfPage; yields (handle, type, level)
    """Every object drawn on a loaded page, those inside form XObjects down to ``max_depth``
    levels (1: the page's own), as raw PDFium handles with their type and level (0: the page's).

    What ``PdfPage.get_objects`` walks, without a helper object for each (a page of
    tables draws thousands of strokes).  An unreadable object ends the walk.
    """
    import pypdfium2.raw as raw

    def walk(count, get, parent, level: int):  # noqa: ANN001, ANN202
        for i in range(max(count(parent), 0)):
            obj = get(parent, i)
            if not obj:
                return
            kind = raw.FPDFPageObj_GetType(obj)
            yield obj, kind, level
            if kind == raw.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
                yield from walk(raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, obj, level + 1)

    yield from walk(raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page.raw, 0)


# --- HTML ---------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "tfoot", "thead", "ul", "body", "html", "center", "form", "fieldset", "legend",
})
_SKIP_TAGS = frozenset({"style", "script", "svg", "head", "template", "noscript", "math", "object", "iframe"})
_VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source", "area", "base",
                        "embed", "param", "track"})
_HWS = re.compile(r"[ \t\r\n\f]+")


def _read_html(path: Path, raw: bytes) -> SourceDoc:
    """Visible text of an HTML page: block elements → lines, table rows → ``Line.cells``.

    Merged cells are spread over the grid (colspan: empty cells after the text;
    rowspan: empty cells in the rows below), so cell index = column, as in Word.
    <style>, <script>, <svg> and <head> are skipped; page is None.
    """
    from html.parser import HTMLParser

    file = str(path)
    text = None
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.I)
    encodings = ([m.group(1).decode("ascii", "ignore")] if m else []) + ["utf-8-sig", "gb18030"]
    for enc in encodings:
        try:
            text = raw.decode(enc)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise InputError("网页文件的编码无法识别", Location(file=file))

    rows: list[str | tuple[str, ...]] = []

    class _Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.buf: list[str] = []
            self.skip = 0  # depth inside skipped elements
            self.cells: list[str] | None = None  # the current table row's cells
            self.cell: list[str] | None = None  # the current cell's text
            self.span = 1
            self.pending: list[dict[int, int]] = []  # per table: column → rows still spanned
            self.col = 0
            self.rowspan = 1

        # text of a block (outside table cells) or of a cell
        def flush(self) -> None:
            if self.cell is not None:
                self.cell.append("\n")
                return
            line = _HWS.sub(" ", "".join(self.buf)).strip()
            self.buf.clear()
            if line:
                rows.append(line)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if self.skip:
                if tag not in _VOID_TAGS:
                    self.skip += 1
                return
            if tag in _SKIP_TAGS:
                self.skip = 1
                return
            a = dict(attrs)
            if tag == "table":
                self.flush()
                self.pending.append({})
            elif tag == "tr":
                self.flush()
                self.cells = []
                self.col = 0
                self._spanned()
            elif tag in ("td", "th"):
                if self.cells is None:
                    self.cells = []
                    self._spanned()
                self.cell = []
                self.span = _int(a.get("colspan"))
                self.rowspan = _int(a.get("rowspan"))
            elif tag == "br":
                if self.cell is not None:
                    self.cell.append("\n")
                else:
                    self.flush()
            elif tag in _BLOCK_TAGS:
                self.flush()

        def _spanned(self) -> None:
            """Empty cells where a cell of a row above still spans."""
            if not self.pending or self.cells is None:
                return
            spans = self.pending[-1]
            while spans.get(len(self.cells), 0) > 0:
                spans[len(self.cells)] -= 1
                self.cells.append("")

        def handle_endtag(self, tag: str) -> None:
            if self.skip:
                if tag not in _VOID_TAGS:
                    self.skip -= 1
                return
            if tag in ("td", "th") and self.cell is not None and self.cells is not None:
                value = _HWS.sub(" ", "".join(self.cell)).strip()
                self.cell = None
                start = len(self.cells)
                self.cells.append(value)
                self.cells.extend([""] * (self.span - 1))
                if self.rowspan > 1 and self.pending:
                    for c in range(start, start + self.span):
                        self.pending[-1][c] = self.rowspan - 1
                self._spanned()
            elif tag == "tr":
                self._end_row()
            elif tag == "table":
                self._end_row()
                if self.pending:
                    self.pending.pop()
            elif tag in _BLOCK_TAGS:
                self.flush()

        def _end_row(self) -> None:
            if self.cells is not None:
                if any(self.cells):
                    rows.append(tuple(self.cells))
                self.cells = None

        def handle_data(self, data: str) -> None:
            if self.skip:
                return
            (self.cell if self.cell is not None else self.buf).append(data)

    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser rarely raises, but never crash the audit
        raise InputError("网页文件无法解析", Location(file=file)) from None
    parser.flush()
    lines: list[Line] = []
    for k, row in enumerate(rows, start=1):
        if isinstance(row, tuple):
            lines.append(Line("\t".join(row), k, None, cells=row))
        else:
            lines.append(Line(html.unescape(row) if "&" in row else row, k, None))
    if not any(line.text.strip() for line in lines):
        raise InputError("网页文件中没有可见文字", Location(file=file))
    return SourceDoc(file, "html", lines, 0)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1
