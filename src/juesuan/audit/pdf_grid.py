"""PDF tables by their ruling lines: the words of a page placed in the cells the strokes draw.

A self-evaluation table wraps its cells over several text lines and centres
them vertically, so rows cannot be told from the words' heights alone.  The
table's strokes can: every horizontal rule bounds a row, every vertical rule
crossing a row bounds a cell.  ``grid_rows(doc, start, end)`` takes the thin path
objects of the pages of lines ``start``…``end`` (the PDF is opened once per
document, ``document_rules``, and the rules of all its pages kept) and
returns the rows as cells, like a Word table row: ``(line index, cells, line
index of each cell)``; None when the pages have no rules (then the caller
reads the text lines as they are).

``in_cells(doc, toks)`` keeps, on a page whose tables are ruled, only the words
inside a drawn cell (a vertical rule on each side at the word's height): the
title repeated over the table, the unit line, the note under it and the page
number (“— 62 —”) are outside every cell and cannot pass for a header word or a
figure.  Pages without vertical rules keep all their words.

``band_rows(doc, toks)`` groups a table's words into rows by the horizontal
rules (a name wrapped above and below its code is one row), and
``widen(doc, header_rows)`` stretches header words to the ruled cell that
holds them (a merged “预算数” cell heads six columns, not the width of its word).
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import replace
from functools import lru_cache

from juesuan.audit.document import SourceDoc, page_objects
from juesuan.audit.tables_grid import WATERMARKS, Tok, VRow, fold, is_figure, visual_rows

__all__ = ["band_rows", "document_rules", "grid_rows", "in_cells", "page_rules", "widen"]

_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|合计|总计|本年收入合计|本年支出合计)")
_THIN = 2.0
_LONG = 5.0


Rules = tuple[tuple[float, ...], tuple[tuple[float, float, float], ...]]
_NONE: Rules = ((), ())


def page_rules(path: str, page_no: int) -> Rules:
    """(y of every horizontal rule, (x, y0, y1) of every vertical rule) of one page (1-based)."""
    pages = document_rules(path)
    return pages[page_no - 1] if 1 <= page_no <= len(pages) else _NONE


def document_rules(path: str) -> tuple[Rules, ...]:
    """The rules of every page of a PDF, read in one opening of the file.

    Cached by path, modification time and size (a few documents): every table
    of a document asks for its pages' rules, often several times.  The text
    reader hands over the rules of the pages it loaded (``remember_rules``), so
    an audited PDF is usually not opened a second time.
    """
    try:
        st = os.stat(path)
    except OSError:  # the file is gone: no rules
        return ()
    key = (path, st.st_mtime_ns, st.st_size)
    if key in _REMEMBERED:
        return _REMEMBERED[key]
    return _read_rules(*key)


_REMEMBERED: dict[tuple[str, int, int], tuple[Rules, ...]] = {}


def remember_rules(path: str, size: int, rules: tuple[Rules, ...]) -> None:
    """Keep the rules of every page of the PDF at ``path`` (of ``size`` bytes), read by another pass."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if st.st_size != size:  # not the file that was read
        return
    while len(_REMEMBERED) >= 4:
        _REMEMBERED.pop(next(iter(_REMEMBERED)))
    _REMEMBERED[(path, st.st_mtime_ns, st.st_size)] = rules


def rules_of_page(page) -> Rules:  # noqa: ANN001 - PdfPage
    """(y of every horizontal rule, (x, y0, y1) of every vertical rule) drawn on a loaded page."""
    import ctypes

    import pypdfium2.raw as raw

    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    boxes = []
    for obj, kind, _level in page_objects(page, 3):
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if not raw.FPDFPageObj_GetBounds(obj, *refs):
                raise ValueError("PDFium could not place a path object")
            boxes.append(tuple(v.value for v in box))
    return rules_from_boxes(boxes)


def rules_from_boxes(boxes: list[tuple[float, float, float, float]]) -> Rules:
    """The rules among the bounds (left, bottom, right, top) of a page's paths: the thin long ones."""
    hs: set[float] = set()
    vs: set[tuple[float, float, float]] = set()
    for left, bottom, right, top in boxes:
        if top - bottom < _THIN and right - left > _LONG:
            hs.add(round((top + bottom) / 2 * 2) / 2)
        elif right - left < _THIN and top - bottom > _LONG:
            vs.add((round((left + right) / 2, 1), bottom, top))
    return tuple(sorted(hs)), tuple(sorted(vs))


@lru_cache(maxsize=4)
def _read_rules(path: str, mtime_ns: int, size: int) -> tuple[Rules, ...]:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - optional dependency
        return ()
    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001 - the file is gone or changed: no rules
        return ()
    out: list[Rules] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                out.append(rules_of_page(page))
            finally:
                page.close()
    finally:
        pdf.close()
    return tuple(out)


def _on(pages: tuple[Rules, ...], page: int | None) -> Rules:
    """The rules of page ``page`` (1-based) among ``document_rules``; none for no or another page."""
    return pages[page - 1] if page and page <= len(pages) else _NONE


def grid_rows(doc: SourceDoc, start: int, end: int) -> list[tuple[int, list[str], list[int]]] | None:
    pages = sorted({doc.lines[li].page or 0 for li in range(start, end)})
    all_pages = document_rules(doc.path)
    rules = {p: _on(all_pages, p) for p in pages if p}
    if not any(h for h, _ in rules.values()):
        return None
    # (page, band) → tokens (x0, x1, y, text, li)
    bands: dict[tuple[int, int], list[tuple[float, float, float, str, int]]] = {}
    for li in range(start, end):
        line = doc.lines[li]
        if line.text in WATERMARKS:
            continue
        hs = rules.get(line.page or 0, ((), ()))[0]
        if len(hs) < 2:
            continue
        for w in line.words:
            ym = w.ym
            k = bisect.bisect_left(hs, ym if ym is not None else line.y + 3.0)
            if k == 0 or k == len(hs):
                continue  # above or below the table (titles, page numbers)
            bands.setdefault((line.page or 0, k), []).append((w.x0, w.x1, line.y, w.text, li))
    out: list[tuple[int, list[str], list[int]]] = []
    for (page, k), toks in sorted(bands.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        hs, vs = rules[page]
        lo, hi = hs[k - 1], hs[k]
        mid = (lo + hi) / 2
        xs = sorted({x for x, y0, y1 in vs if y0 - 1 <= mid <= y1 + 1})
        cells: dict[int, list[tuple[float, float, float, str, int]]] = {}
        for t in toks:
            cells.setdefault(bisect.bisect_right(xs, (t[0] + t[1]) / 2), []).append(t)
        n = max(cells) + 1
        texts, lis = [""] * n, [0] * n
        first = min(t[4] for t in toks)
        for i in range(n):
            items = sorted(cells.get(i, []), key=lambda t: (-round(t[2]), t[0]))
            texts[i] = "".join(t[3] for t in items)
            lis[i] = items[0][4] if items else first
        while texts and not texts[0]:  # the table's left border: leading empty cells carry nothing
            texts.pop(0)
            lis.pop(0)
        out.append((first, texts, lis))
    return out


def _inside(vs: tuple[tuple[float, float, float], ...], x: float, y: float) -> bool:
    """A vertical rule crosses height ``y`` both left and right of ``x``."""
    left = right = False
    for vx, y0, y1 in vs:
        if y0 - 1 <= y <= y1 + 1:
            if vx < x:
                left = True
            elif vx > x:
                right = True
            if left and right:
                return True
    return False


def in_cells(doc: SourceDoc, toks: list[Tok]) -> list[Tok]:
    """The tokens inside a ruled cell (pages with no vertical rules: all tokens)."""
    out: list[Tok] = []
    pages = document_rules(doc.path)
    for t in toks:
        vs = _on(pages, t.page)[1]
        if len(vs) < 2 or _inside(vs, t.xc, t.ym if t.ym is not None else t.y + 3.0):
            out.append(t)
    return out


def _band_of(pages: tuple[Rules, ...], t: Tok) -> int | None:
    """The index of the ruled band (between two horizontal rules) holding ``t``; None off the rules."""
    hs = _on(pages, t.page)[0]
    if len(hs) < 2:
        return None
    y = t.ym if t.ym is not None else t.y + 3.0
    k = bisect.bisect_left(hs, y)
    if k == 0 or k == len(hs):
        return None
    return k


def _one_row(sub: list[VRow]) -> bool:
    """Text rows of one ruled band may be one table row (a name wrapped above and below its code).

    Not when two of them each lead with a code (or a numbered label, 合计 …) or
    each print a figure in the same place: then the rules between them are
    missing, and the text rows stay.
    """
    codes: list[Tok] = []
    figs: list[Tok] = []
    for r in sub:
        first = fold(r.toks[0].text)
        if (first.isdigit() and len(first) in (3, 5, 7)) or _NUMBERED.match(first):
            codes.append(r.toks[0])
        figs.extend(t for t in r.toks if is_figure(t.text))
    for group in (codes, figs):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if abs(a.y - b.y) > 1 and min(a.x1, b.x1) - max(a.x0, b.x0) > 0:
                    return False
    return True


def band_rows(doc: SourceDoc, toks: list[Tok]) -> list[VRow]:
    """Rows of a ruled PDF table: the words between two horizontal rules form one row.

    A cell whose text wraps over two or three lines (centred on the row's
    figures) is then one row, not a row and two orphan lines.  Words off the
    rules, and bands that hold more than one table row (see ``_one_row``), are
    grouped by their baselines as ``visual_rows`` does.  Each row's ``y`` is
    its top text line's; its words keep their own heights (their middles, where known).
    """
    bands: dict[tuple[int, int], list[Tok]] = {}
    loose: list[Tok] = []
    # a PDF text line may hold words of two rows: each word is placed by its own height
    toks = [replace(t, y=t.ym) if t.ym is not None else t for t in toks]
    pages = document_rules(doc.path)
    for t in toks:
        k = _band_of(pages, t)
        if k is None:
            loose.append(t)
        else:
            bands.setdefault((t.page, k), []).append(t)
    rows = visual_rows(loose)
    for band in bands.values():
        sub = visual_rows(band)
        if len(sub) > 1 and _one_row(sub):
            merged = VRow(sub[0].page, sub[0].y, sorted(band, key=lambda t: t.x0))
            rows.append(merged)
        else:
            rows.extend(sub)
    rows.sort(key=lambda r: (r.page, -r.y))
    return rows


def widen(doc: SourceDoc, rows: list[VRow]) -> list[VRow]:
    """Header words stretched to the ruled cell that holds them (the vertical rules left and right).

    A merged header cell (“预算数” over six columns) prints a short word in its
    middle: its cell, not the word, says which columns it heads.  Words with
    no rule on both sides keep their own extent.
    """
    out: list[VRow] = []
    pages = document_rules(doc.path)
    for r in rows:
        toks: list[Tok] = []
        for t in r.toks:
            vs = _on(pages, t.page)[1]
            y = t.ym if t.ym is not None else t.y + 3.0
            xs = [vx for vx, y0, y1 in vs if y0 - 1 <= y <= y1 + 1]
            left = max((x for x in xs if x <= t.xc), default=None)
            right = min((x for x in xs if x > t.xc), default=None)
            if left is not None and right is not None and left <= t.x0 + 1 and right >= t.x1 - 1:
                t = replace(t, x0=left + 0.5, x1=right - 0.5)
            toks.append(t)
        out.append(VRow(r.page, r.y, toks))
    return out
