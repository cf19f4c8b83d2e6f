"""The page plan shared by the PDF (Typst) and Word writers: which blocks print on landscape
pages, and which page breaks are left out so that no page holds a few lines only.

Pure computation on the blocks of a ``Document``; each writer turns the plan into its own
markup (Typst ``#page(flipped: true)`` runs, Word sections).

- A landscape table takes along onto its page the headings right before it and the short
  paragraphs before those (a self-evaluation summary of a few lines): left behind, they would
  stand alone on a portrait page holding a line or two.
- Landscape tables following one another (with only headings and page breaks between them)
  stay on landscape pages.
- A table without data (its "本表无数据" statement under the header rows) shares its page with
  the small table next to it instead of holding a fifth of a page alone, and is printed in
  that table's orientation.
"""

from __future__ import annotations

from dataclasses import replace

from juesuan.render.blocks import (
    Block,
    Cell,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    TableBlock,
    TableView,
)

SMALL_TABLE_ROWS = 15  # a table of fewer rows is never split over two pages
LEAD_IN_CHARS = 400  # short text right before a landscape table goes onto its page


COVER_STYLES = ("title", "subtitle", "meta", "center")
COVER_BELOW = 1.6  # the free height below the cover, for 1 above it (a little above the middle)


def cover_length(blocks: list[Block]) -> int:
    """How many blocks the cover has (its paragraphs before the first page break), 0 for none."""
    k = 0
    while k < len(blocks) and isinstance(blocks[k], Paragraph) and blocks[k].style in COVER_STYLES:
        k += 1
    return k if k < len(blocks) and isinstance(blocks[k], PageBreak) else 0


def _rows(b: TableBlock) -> int:
    return len(b.table.header) + len(b.table.body)


def is_small(b: Block | None) -> bool:
    """A table short enough never to be split (and to share a page with an empty one)."""
    return isinstance(b, TableBlock) and _rows(b) < SMALL_TABLE_ROWS


def is_empty(b: Block | None) -> bool:
    return isinstance(b, TableBlock) and bool(b.table.empty_statement)


def _adjacent_table(blocks: list[Block], k: int, step: int) -> int | None:
    """The index of the table next to block ``k`` (``step`` 1: after, -1: before) with only
    page breaks and headings between them, else None."""
    j = k + step
    while 0 <= j < len(blocks) and isinstance(blocks[j], PageBreak | Heading):
        j += step
    return j if 0 <= j < len(blocks) and isinstance(blocks[j], TableBlock) else None


def _empty_orientation(blocks: list[Block], k: int) -> bool:
    """An empty table's orientation: that of the nearest table with data it follows or precedes."""
    for step in (1, -1):
        j = _adjacent_table(blocks, k, step)
        while j is not None and is_empty(blocks[j]):
            j = _adjacent_table(blocks, j, step)
        if j is not None:
            return blocks[j].table.landscape  # type: ignore[union-attr]
    return blocks[k].table.landscape  # type: ignore[union-attr]


def joined_break(blocks: list[Block], k: int) -> bool:
    """Whether the page break at ``k`` is left out: it stands between an empty table and a small
    table (in either order), which then share a page."""
    if not isinstance(blocks[k], PageBreak) or k == 0:
        return False
    before, j = blocks[k - 1], _adjacent_table(blocks, k, 1)
    after = blocks[j] if j is not None else None
    return (is_empty(before) and is_small(after)) or (is_empty(after) and is_small(before))


def page_blocks(blocks: list[Block]) -> list[Block]:
    """``blocks`` as printed: empty tables in the orientation of their neighbour (the list keeps
    its length and order, so that indexes such as heading anchors stay valid)."""
    out = list(blocks)
    for k, b in enumerate(blocks):
        if is_empty(b):
            wide = _empty_orientation(blocks, k)
            if wide != b.table.landscape:  # type: ignore[union-attr]
                out[k] = TableBlock(replace(b.table, landscape=wide))  # type: ignore[union-attr]
    return out


def _wide(b: Block) -> bool:
    return isinstance(b, TableBlock) and b.table.landscape


def orientation_plan(blocks: list[Block]) -> list[bool | None]:
    """Per block of ``page_blocks(blocks)``: True on a landscape page, False on a portrait one,
    None for a page break that is kept (a page break left out, ``joined_break``, gets the
    orientation of the block before it)."""
    plan: list[bool | None] = [None if isinstance(b, PageBreak) else _wide(b) for b in blocks]
    for k, b in enumerate(blocks):
        if not _wide(b):
            continue
        j = k - 1
        if j >= 0 and plan[j] is True:
            continue  # inside a landscape run already
        while j >= 0 and isinstance(blocks[j], PageBreak | Heading):  # after a landscape table:
            j -= 1  # the headings and breaks between two landscape tables stay landscape
        if j >= 0 and _wide(blocks[j]):
            for i in range(j + 1, k):
                if plan[i] is not None:
                    plan[i] = True
            continue
        j, chars = k - 1, 0  # the lead-in: short paragraphs, then the headings before them
        while j >= 0 and isinstance(blocks[j], Paragraph) and blocks[j].style == "body" \
                and chars + len(blocks[j].text) <= LEAD_IN_CHARS:
            chars += len(blocks[j].text)
            plan[j] = True
            j -= 1
        while j >= 0 and isinstance(blocks[j], Heading):
            plan[j] = True
            j -= 1
    for k in range(len(blocks)):
        if joined_break(blocks, k):
            plan[k] = bool(plan[k - 1])
    return plan


def runs(blocks: list[Block]) -> list[tuple[bool, list[Block]]]:
    """``page_blocks(blocks)`` cut into portrait and landscape runs (a kept page break goes with
    the block after it; page breaks left out are dropped)."""
    blocks = page_blocks(blocks)
    plan = orientation_plan(blocks)
    out: list[tuple[bool, list[Block]]] = []
    pending: list[Block] = []
    for b, orient in zip(blocks, plan, strict=True):
        if isinstance(b, PageBreak):
            if orient is None:
                pending.append(b)
            continue  # left out
        if out and out[-1][0] == orient:
            out[-1][1].extend([*pending, b])
        else:
            out.append((bool(orient), [*pending, b]))
        pending = []
    if pending:
        if out:
            out[-1][1].extend(pending)
        else:
            out.append((False, pending))
    return out


def _inner_header(t: TableView) -> int | None:
    """The index of a header row inside the body whose first cell spans the rows below it
    (the self-evaluation table's 绩效指标 heads), else None."""
    for k, row in enumerate(t.body):
        if k and row.kind == "header" and row.cells and row.cells[0].rowspan > 1:
            return k
    return None


def split_inner_header(t: TableView) -> tuple[TableView, TableView] | None:
    """A table whose body holds its own header rows (a self-evaluation table's 绩效指标 block) as
    two tables set edge to edge: the top one (the project and its funds, never split) and the
    indicators, whose heads are the header rows repeated on every page they continue on.
    The 绩效指标 cell of the heads becomes one row high; a blank cell spans the rows below it.
    None for a table without such heads."""
    k = _inner_header(t)
    if k is None or k + 1 >= len(t.body):
        return None
    heads = t.body[k]
    first = heads.cells[0]
    inner = Row((replace(first, rowspan=1), *heads.cells[1:]), "header")
    rest = list(t.body[k + 1:])
    span = min(first.rowspan - 1, len(rest))
    rest[0] = Row((Cell("", rowspan=span), *rest[0].cells), rest[0].kind)
    top = replace(t, body=t.body[:k], note="", empty_statement="")
    return top, replace(t, header=(inner,), body=tuple(rest))
