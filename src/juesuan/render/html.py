"""HTML output: one self-contained page (CSS inline, images as data: URIs, SVG inline).

The page is read offline on intranets, so nothing is fetched: no CDN, no web
fonts, only font-family stacks naming the fonts Windows and Chinese Linux
distributions ship.  The same HTML, with its print CSS (@page A4, page-number
counters, ``target-counter`` in the TOC), is what ``juesuan.render.pdf`` feeds
to WeasyPrint.

Also home to the small helpers every renderer shares: how a cell prints, how
it aligns, where merged cells sit in the grid, which anchor each heading gets.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from juesuan.model.money import fmt_amount
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
from juesuan.render.fonts import css_stack

# ----------------------------------------------------------------- shared helpers


def cell_text(cell: Cell) -> str:
    """A cell as printed: amounts with thousands separators and fixed decimals."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):  # bool is an int: never print True/False as 1/0
        return "是" if v else "否"
    if isinstance(v, Decimal):
        return fmt_amount(v, cell.places)
    if isinstance(v, int):
        return str(v)
    return str(v)


def cell_align(cell: Cell) -> str:
    """Explicit alignment, else right for numbers and left for text."""
    if cell.align:
        return cell.align
    return "right" if isinstance(cell.value, (Decimal, int)) and not isinstance(cell.value, bool) else "left"


def table_grid(rows: list[Row] | tuple[Row, ...], ncols: int) -> dict[tuple[int, int], Cell]:
    """Where each cell of rows with colspan/rowspan sits: {(row, col): cell}.

    Cells fill the first free column, skipping columns taken by a rowspan from
    above (the HTML table model).  Cells beyond ``ncols`` or beyond the last
    row are clipped rather than raising, so a malformed table still renders.
    """
    taken: set[tuple[int, int]] = set()  # positions below their row that a rowspan covers
    placed: dict[tuple[int, int], Cell] = {}
    nrows = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            if c >= ncols:
                break
            placed[(r, c)] = cell
            span = cell.colspan if cell.colspan > 1 else 1
            if cell.rowspan > 1:
                for rr in range(r + 1, min(r + cell.rowspan, nrows)):
                    for cc in range(c, min(c + span, ncols)):
                        taken.add((rr, cc))
            c += span
    return placed


def heading_anchors(doc: Document) -> dict[int, str]:
    """A unique anchor for every heading, by block index (the heading's own when set)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    n = 0
    for i, b in enumerate(doc.blocks):
        if not isinstance(b, Heading):
            continue
        n += 1
        anchor = b.anchor or f"h{n}"
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        out[i] = anchor
    return out


# ----------------------------------------------------------------- view for the template


@dataclass(frozen=True)
class _CellView:
    text: str
    colspan: int
    rowspan: int
    align: str
    bold: bool
    indent: int
    header: bool


def _table_view(t: TableView) -> dict[str, Any]:
    def row_view(row: Row, header: bool) -> dict[str, Any]:
        cells = [
            _CellView(cell_text(c), max(c.colspan, 1), max(c.rowspan, 1),
                      c.align or ("center" if header else cell_align(c)),
                      c.bold or (row.kind == "total" and not header), c.indent, header)
            for c in row.cells
        ]
        return {"kind": row.kind, "cells": cells}

    widths = list(t.widths)
    ncols = t.columns
    cols = []
    if widths and len(widths) >= ncols > 0:
        total = sum(widths[:ncols]) or 1.0
        cols = [round(100 * w / total, 2) for w in widths[:ncols]]
    return {
        "id": t.id, "number": t.number, "title": t.title, "org": t.org, "unit": t.unit_label,
        "header": [row_view(r, True) for r in t.header],
        "body": [row_view(r, False) for r in t.body],
        "note": t.note, "empty": t.empty_statement, "landscape": t.landscape, "cols": cols,
        # landscape tables and self-evaluation tables (ten columns of text) take the width they need
        "wide": t.landscape or t.id.startswith("perf-") or ncols >= 8,
    }


def _figure_view(f: Figure, prefer_svg: bool) -> dict[str, Any]:
    svg = f.svg.strip()
    if svg.startswith("<?xml"):
        svg = svg[svg.find("?>") + 2:].lstrip()
    if svg.startswith("<!DOCTYPE"):
        svg = svg[svg.find(">") + 1:].lstrip()
    use_svg = bool(svg) and (prefer_svg or not f.png)
    src = "data:image/png;base64," + base64.b64encode(f.png).decode("ascii") if f.png else ""
    return {"id": f.chart_id, "title": f.title, "svg": svg if use_svg else "",
            "src": "" if use_svg else src, "width_cm": f.width_cm}


def document_view(doc: Document, prefer_svg: bool = True) -> list[dict[str, Any]]:
    """The blocks as plain dictionaries the template iterates over."""
    anchors = heading_anchors(doc)
    toc = [{"level": b.level, "text": b.text, "anchor": anchors[i]}
           for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.in_toc]
    out: list[dict[str, Any]] = []
    pending_lead: dict[str, Any] | None = None
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if isinstance(b, Heading):
            heading = {"kind": "heading", "level": min(max(b.level, 1), 3), "text": b.text,
                       "anchor": anchors[i]}
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(nxt, TableBlock) and nxt.table.landscape:
                pending_lead = heading  # printed on the table's landscape page, not alone before it
                continue
            out.append(heading)
        elif isinstance(b, Paragraph):
            out.append({"kind": "paragraph", "style": b.style, "text": b.text,
                        "bold_prefix": b.bold_prefix, "key": b.key})
        elif isinstance(b, TableBlock):
            lead = pending_lead
            pending_lead = None
            out.append({"kind": "table", "t": _table_view(b.table), "lead": lead})
        elif isinstance(b, Figure):
            out.append({"kind": "figure", "f": _figure_view(b, prefer_svg)})
        elif isinstance(b, PageBreak):
            out.append({"kind": "pagebreak"})
        elif isinstance(b, Toc):
            out.append({"kind": "toc", "title": b.title, "entries": toc})
    return out


# ----------------------------------------------------------------- rendering


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("juesuan.render", "templates"),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_css(for_print: bool = False) -> str:
    """The stylesheet, with font stacks that work on Windows and Linux."""
    return _env().get_template("style.css.j2").render(
        body_font=css_stack("fangsong"), serif_font=css_stack("serif"),
        heading_font=css_stack("sans"), kai_font=css_stack("kai"), for_print=for_print)


def render_html(doc: Document, *, watermark: str = "", for_print: bool = False) -> str:
    """The whole disclosure as one self-contained HTML page.

    ``watermark`` (e.g. "草稿：数据未通过检查") is shown as a banner at the top,
    a diagonal mark on every printed page and in every page header.
    ``for_print`` tunes the page for WeasyPrint (PNG figures; no screen-only styles).
    """
    return _env().get_template("document.html.j2").render(
        doc=doc, blocks=document_view(doc, prefer_svg=not for_print),
        css=render_css(for_print), watermark=watermark, for_print=for_print)
