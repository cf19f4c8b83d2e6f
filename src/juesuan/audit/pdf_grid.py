"""PDF tables by their ruling lines: the words of a page placed in the cells the strokes draw.

A self-evaluation table wraps its cells over several text lines and centres
them vertically, so rows cannot be told from the words' heights alone.  The
table's strokes can: every horizontal rule bounds a row, every vertical rule
crossing a row bounds a cell.  ``grid_rows(doc, start, end)`` re-opens the PDF
(only the pages of lines ``start``…``end``), reads its thin path objects and
returns the rows as cells, like a Word table row: ``(line index, cells, line
index of each cell)``; None when the pages have no rules (then the caller
reads the text lines as they are).

``in_cells(doc, toks)`` keeps, on a page whose tables are ruled, only the words
inside a drawn cell (a vertical rule on each side at the word's height): the
title repeated over the table, the unit line, the note under it and the page
number (“— 62 —”) are outside every cell and cannot pass for a header word or a
figure.  Pages without vertical rules keep all their words.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from juesuan.audit.document import SourceDoc
from juesuan.audit.tables_grid import WATERMARKS, Tok

__all__ = ["grid_rows", "in_cells", "page_rules"]

_THIN = 2.0
_LONG = 5.0


@lru_cache(maxsize=64)
def page_rules(path: str, page_no: int) -> tuple[tuple[float, ...], tuple[tuple[float, float, float], ...]]:
    """(y of every horizontal rule, (x, y0, y1) of every vertical rule) of one page (1-based)."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - optional dependency
        return (), ()
    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001 - the file is gone or changed: no rules
        return (), ()
    hs: set[float] = set()
    vs: set[tuple[float, float, float]] = set()
    try:
        if not 1 <= page_no <= len(pdf):
            return (), ()
        page = pdf[page_no - 1]
        try:
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                if top - bottom < _THIN and right - left > _LONG:
                    hs.add(round((top + bottom) / 2 * 2) / 2)
                elif right - left < _THIN and top - bottom > _LONG:
                    vs.add((round((left + right) / 2, 1), bottom, top))
        finally:
            page.close()
    finally:
        pdf.close()
    return tuple(sorted(hs)), tuple(sorted(vs))


def grid_rows(doc: SourceDoc, start: int, end: int) -> list[tuple[int, list[str], list[int]]] | None:
    pages = sorted({doc.lines[li].page or 0 for li in range(start, end)})
    rules = {p: page_rules(doc.path, p) for p in pages if p}
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
    for t in toks:
        vs = page_rules(doc.path, t.page)[1] if t.page else ()
        if len(vs) < 2 or _inside(vs, t.xc, t.ym if t.ym is not None else t.y + 3.0):
            out.append(t)
    return out
