"""A long document's PDF laid out in parts, each by Typst in a process of its own (issue 9).

Typst keeps every layout it made until its process ends, some 13 kB per table cell:
a department of 1,000 function rows (about 35,000 cells) needed 700 MB in one
compilation.  Above ``part_cells()`` cells the body is cut into parts of about that
many cells, each compiled by ``juesuan.render.typst_worker`` in a child process:

- at a page boundary the source already has (a kept page break, the start or the end
  of a landscape run), or
- between two rows of a long table (``typst.cuttable``), at the top of a page: a part
  that ends inside a table has its last page dropped, and the next part starts with the
  rows of that page on a fresh page, under the table's repeated header rows, as they
  were in one compilation.  Its first page, dropped too, holds the marks from which the
  continued labels ("201 一般公共服务支出（续）") above those rows are drawn.

Every part starts at the page number the parts before it end at.  The first part (the
cover and the table of contents) is laid out once more at the end with the headings of
all later parts at their pages, on trailing pages that are dropped, so that Typst's own
outline prints the contents.  pypdf puts the kept pages together and writes the
document's title, author and bookmarks.

Where a part does not come out as planned (a row of a cut table on an unexpected page,
a different count of headings), ``write_in_parts`` returns False and the document is
laid out in one compilation, as a small one is.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from juesuan.render.blocks import Document, Heading, PageBreak, TableBlock, TableView, Toc
from juesuan.render.typst import (
    WIDE_PAGE,
    FontSetup,
    Piece,
    body_runs,
    cuttable,
    group_marks,
    head_source,
    lit,
    one_line,
    table_columns,
    table_slice,
)

PART_CELLS = 8000  # a part's table cells at most (a table cut between rows): ~110 MB of Typst's
MIN_SLICE = 120  # rows of a table a part ends inside, at least: over three pages of them
MIN_TAIL = 40  # rows a table cut leaves to the next part, at least (else the part ends the table)
PLACEHOLDER_PAGE = 999  # the contents' page numbers in the first layout of the first part


def part_cells() -> int:
    """The cells of a part (``JUESUAN_TYPST_PART_CELLS`` overrides ``PART_CELLS``)."""
    value = os.environ.get("JUESUAN_TYPST_PART_CELLS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else PART_CELLS


def _cells(piece: Piece) -> int:
    if isinstance(piece.block, TableBlock):
        t = piece.block.table
        return (len(t.header) + len(t.body)) * max(table_columns(t), 1)
    return 1


def document_cells(doc: Document) -> int:
    """The table cells of ``doc`` (what a Typst layout's memory grows with)."""
    return sum((len(b.table.header) + len(b.table.body)) * max(table_columns(b.table), 1)
               for b in doc.blocks if isinstance(b, TableBlock))


@dataclass(frozen=True)
class Item:
    run: int  # the portrait or landscape run it is in
    wide: bool
    piece: Piece
    cells: int
    hard: bool  # a page starts before it in any layout

    @property
    def table(self) -> TableView | None:
        """The table when a part may end between two of its rows."""
        b = self.piece.block
        return b.table if isinstance(b, TableBlock) and cuttable(b.table) else None


@dataclass
class Part:
    entries: list[tuple[int, bool, str]]  # (run, wide, markup)
    headings: list[Heading]  # the headings it sets, in order
    end: int  # the item after its last
    cut: tuple[str, int, int] | None = None  # the table it ends inside: key, first and end row


def _items(runs: list[tuple[bool, list[Piece]]]) -> list[Item]:
    return [Item(n, wide, p, _cells(p), k == 0 or isinstance(p.block, PageBreak))
            for n, (wide, pieces) in enumerate(runs) for k, p in enumerate(pieces)]


def _to_boundary(items: list[Item]) -> list[int]:
    """For each item, the cells from it to the next page boundary."""
    out = [0] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        out[k] = items[k].cells + (0 if k + 1 < len(items) and items[k + 1].hard else out[k + 1])
    return out[:-1]


def _plan(items: list[Item], start: int, row: int, budget: int, ahead: list[int]) -> Part:
    """The part from item ``start`` (from body row ``row`` of its table when it goes on from the
    part before): whole items up to a page boundary where the next stretch would pass the
    budget, or a slice of a long table that does."""
    part = Part([], [], start)
    total = 0
    for j in range(start, len(items)):
        it = items[j]
        if j > start and it.hard and total > 0 and total + ahead[j] > budget:
            part.end = j
            return part
        first = row if j == start else 0
        t = it.table
        markup = it.piece.markup
        cells = it.cells
        if t is not None:
            ncols = max(table_columns(t), 1)
            cells = (len(t.body) - first) * ncols
            if total + cells > budget:
                end = first + max(MIN_SLICE, (budget - total) // ncols)
                if end <= len(t.body) - MIN_TAIL:
                    part.entries.append((it.run, it.wide, table_slice(t, first, end)))
                    part.cut = (t.id, first, end)
                    part.end = j
                    return part
            if first:
                markup = table_slice(t, first, len(t.body))
        if isinstance(it.piece.block, Heading):
            part.headings.append(it.piece.block)
        part.entries.append((it.run, it.wide, markup))
        total += cells
    part.end = len(items)
    return part


def _source(head: str, entries: list[tuple[int, bool, str]], lead: list[str], trail: list[str]) -> str:
    """A part's Typst source: its pieces in their runs; ``lead`` at the top of its first page
    (inside a landscape run's page), ``trail`` after the last run."""
    lines = [head]
    run: int | None = None
    wide = False
    for k, (r, w, markup) in enumerate(entries):
        if r != run:
            if wide:
                lines.append("]")
            if w:
                lines.append(WIDE_PAGE)
            run, wide = r, w
            if k == 0:
                lines += lead
        lines.append(markup)
    if wide:
        lines.append("]")
    lines += trail
    return "\n".join(lines) + "\n"


def _carry(t: TableView, row: int) -> list[str]:
    """The first page (dropped) of a part going on with ``t`` from ``row``: a header's markers
    of ``t`` and the marks of the 类 and 款 that row is in, as on the page before it."""
    key = lit(t.id)
    lines = [f"#metadata({key})<jht>", f"#metadata({key})<jhb>"]
    marks = group_marks(t)
    cls = max((r for r, m in marks.items() if r < row and m.split(",")[1].strip() == "2"), default=None)
    kuan = max((r for r, m in marks.items() if r < row and m.split(",")[1].strip() == "3"), default=None)
    for r in (cls, kuan if kuan is not None and (cls is None or kuan > cls) else None):
        if r is not None:
            lines.append(f"#metadata({marks[r]})<jgrp>")
    return [*lines, "#pagebreak()"]


class _Worker:
    """Compiles the parts in child processes (``juesuan.render.typst_worker``)."""

    def __init__(self, folder: Path, setup: FontSetup) -> None:
        self.folder = folder
        self.setup = setup
        self.count = 0

    def compile(self, source: str) -> tuple[Path, dict, int]:
        """The part's PDF, where its headings and marked rows landed, its page count."""
        from pypdf import PdfReader

        from juesuan.render.typst_worker import compile_in_child

        self.count += 1
        main = self.folder / f"part{self.count}.typ"
        out = self.folder / f"part{self.count}.pdf"
        main.write_text(source, encoding="utf-8")
        where = compile_in_child(main, out, self.setup)
        return out, where, len(PdfReader(str(out)).pages)


def write_in_parts(doc: Document, path: Path, *, watermark: str, setup: FontSetup, budget: int) -> bool:
    """Write ``doc``'s PDF at ``path`` laid out in parts of about ``budget`` cells; False (nothing
    written) where a part did not come out as planned."""
    files: dict[str, bytes] = {}
    items = _items(body_runs(doc, files))
    head = head_source(doc, watermark, setup.stacks)
    ahead = _to_boundary(items)
    toc = next((k for k, it in enumerate(items) if isinstance(it.piece.block, Toc)), None)
    first = 0 if toc is None else next((k for k in range(toc + 1, len(items)) if items[k].hard), len(items))
    front = [(it.run, it.wide, it.piece.markup) for it in items[:first]]
    front_heads = [it.piece.block for it in items[:first] if isinstance(it.piece.block, Heading)]
    later = [it.piece.markup for it in items[first:] if isinstance(it.piece.block, Heading)]
    before_toc = sum(isinstance(it.piece.block, Heading) for it in items[:toc or 0])
    with tempfile.TemporaryDirectory(prefix="juesuan-typst-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        worker = _Worker(folder, setup)

        def front_part(pages: list[int]) -> tuple[Path, dict, int] | None:
            """The cover and contents, the later headings on dropped pages at ``pages``."""
            trail = ["#pagebreak()"] if later else []
            for markup, page in zip(later, pages, strict=True):
                trail += [f"#counter(page).update({page})", markup]
            out, where, count = worker.compile(_source(head, front, [], trail))
            heads = where["headings"]  # the contents' own title is a heading too, at the contents
            if len(heads) != len(front_heads) + len(later) + 1:
                return None
            where["headings"] = heads[:before_toc] + heads[before_toc + 1:]
            return out, where, heads[-len(later)] - 1 if later else count

        kept: list[tuple[Path, int, int]] = []  # (part, first page, end page) in the document
        marks: list[tuple[Heading, int]] = []  # every heading and its page
        page = 1
        if first:
            got = front_part([PLACEHOLDER_PAGE] * len(later))
            if got is None:
                return False
            front_pages = got[2]
            page = front_pages + 1
        start, row = first, 0
        while start < len(items):
            part = _plan(items, start, row, budget, ahead)
            carried = row > 0
            lead = _carry(items[start].table, row) if carried and items[start].table is not None else []
            if carried and not lead:
                return False
            lead.append(f"#counter(page).update({page})")
            out, where, count = worker.compile(_source(head, part.entries, lead, []))
            skip = 1 if carried else 0
            rows = [(k, p) for key, k, p in where["rows"]]
            if carried and not any(k == row and p == 1 + skip for k, p in rows):
                return False
            end_page = count
            if part.cut is not None:
                key, lo, hi = part.cut
                pages = {k: p for tk, k, p in where["rows"] if tk == key and lo <= k < hi}
                last = [k for k, p in pages.items() if p == count]
                if len(pages) != hi - lo or not last or pages.get(lo, count) >= count:
                    return False
                row, end_page = min(last), count - 1
                if any(p == count for k, p in pages.items() if k < row):
                    return False
                start = part.end
            else:
                start, row = part.end, 0
            if len(where["headings"]) != len(part.headings):
                return False
            marks += [(h, page + p - 1 - skip) for h, p in zip(part.headings, where["headings"], strict=True)]
            kept.append((out, skip, end_page))
            page += end_page - skip
        if first:
            got = front_part([p for _, p in marks])
            if got is None or got[2] != front_pages:
                return False
            kept.insert(0, (got[0], 0, front_pages))
            own = got[1]["headings"][:len(front_heads)]
            marks = [*zip(front_heads, own, strict=True), *marks]
        _merge(kept, marks, doc, path)
    return True


def _merge(kept: list[tuple[Path, int, int]], marks: list[tuple[Heading, int]], doc: Document,
           path: Path) -> None:
    """The kept pages of the parts as one PDF, with the title, author and bookmarks (the
    headings in the contents, nested by level)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    lang = PdfReader(str(kept[0][0])).trailer["/Root"].get("/Lang") if kept else None
    if lang is not None:  # the language the parts were set in (zh-CN), for screen readers and search
        writer.root_object[NameObject("/Lang")] = lang
    for part, lo, hi in kept:
        writer.append(str(part), pages=(lo, hi), import_outline=False)
    parents: dict[int, object] = {}
    for h, page in marks:
        if not h.in_toc:
            continue
        level = min(max(h.level, 1), 3)
        parent = next((parents[k] for k in range(level - 1, 0, -1) if k in parents), None)
        parents = {k: v for k, v in parents.items() if k < level}
        parents[level] = writer.add_outline_item(title=one_line(h.text), page_number=page - 1, parent=parent)
    writer.add_metadata({"/Title": one_line(doc.title), "/Author": one_line(doc.department)})
    with open(path, "wb") as f:
        writer.write(f)
