"""Finding things in a worksheet: sheets by name, headers and row labels by their text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from juesuan.readers import workbook_layout as L
from juesuan.readers.workbook_cells import is_blank, norm, norm_label

HEADER_SEARCH_ROWS = 15


def match_sheets(titles: list[str], specs: list[L.Sheet | str],
                 heads: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Spec name -> worksheet title: exact names first, then a sheet whose title line (one of its
    first rows, ``heads``) is a spec's title — an official export pasted into a sheet of any name,
    “公开06表” or “Sheet3” — else the longest name a sheet's name contains."""
    def names(spec: L.Sheet | str) -> list[str]:
        if isinstance(spec, str):
            return [norm(spec)]
        return [norm(n) for n in (spec.name, spec.title, *spec.aliases)]

    out: dict[str, str] = {}
    taken: set[str] = set()

    def first_pass(text_of: Any) -> None:
        for spec in specs:
            key = spec if isinstance(spec, str) else spec.name
            if key in out:
                continue
            for title in titles:
                if title not in taken and any(t in names(spec) for t in text_of(title)):
                    out[key] = title
                    taken.add(title)
                    break

    first_pass(lambda title: [norm(title)])
    first_pass(lambda title: (heads or {}).get(title, []))
    for title in titles:
        if title in taken:
            continue
        best: tuple[int, str] | None = None
        for spec in specs:
            key = spec if isinstance(spec, str) else spec.name
            if key in out:
                continue
            for n in names(spec):
                if n and n in norm(title) and (best is None or len(n) > best[0]):
                    best = (len(n), key)
        if best:
            out[best[1]] = title
            taken.add(title)
    return out


def head_texts(ws: Worksheet, rows: int = 4, cols: int = 12) -> list[str]:
    """The texts of a sheet's first rows (where an export prints its title), normalised."""
    out = []
    for row in ws.iter_rows(max_row=rows, max_col=cols):
        out.extend(norm(c.value) for c in row if isinstance(c.value, str) and c.value.strip())
    return out


def data_extent(ws: Worksheet) -> tuple[int, int]:
    """The last row and column holding a value: empty and format-only cells (a stray one at
    XFD1048576) do not count, unlike ``ws.max_row``/``max_column``."""
    rows = cols = 0
    for (r, c), cell in ws._cells.items():  # noqa: SLF001 - the stored cells, not the declared dimension
        if cell.value is not None:
            rows, cols = max(rows, r), max(cols, c)
    return rows, cols


def rows_of(ws: Worksheet) -> list[list[Any]]:
    """The worksheet's cells as a list of rows (each a list of openpyxl cells), up to the data's extent."""
    rows, cols = data_extent(ws)
    if not rows:
        return []
    return [list(r) for r in ws.iter_rows(max_row=rows, max_col=cols)]


def is_empty(rows: list[list[Any]]) -> bool:
    return all(is_blank(c.value) for r in rows for c in r)


@dataclass
class Header:
    """Where a table's columns are: key -> column indexes (one per side-by-side block)."""

    row: int  # 0-based index of the key-label row
    last_row: int  # 0-based index of the last header row
    blocks: list[dict[str, int]] = field(default_factory=list)
    split: bool = False  # code in 类/款/项 columns (keys "类", "款", "项")


def _matches(rows: list[list[Any]], labels: tuple[str, ...]) -> list[tuple[int, int]]:
    wanted = {norm(x) for x in labels}
    out = []
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for j, c in enumerate(row):
            if isinstance(c.value, str) and norm(c.value) in wanted:
                out.append((i, j))
    return out


def _split_starts(rows: list[list[Any]]) -> tuple[int, list[int], dict[str, list[tuple[int, int]]]] | None:
    """Where split code columns are: (header row, the 类 column of each side-by-side block, all hits).

    The official exports split a code into 类/款/项 columns (function codes) or 类/款 (economic
    codes); a block is one 类 column with a 款 column after it in the same row.
    """
    hits = {p: _matches(rows, (p,)) for p in L.SPLIT_CODE}
    for i, j in hits["类"]:
        if any(ii == i and jj > j for ii, jj in hits["款"]):
            starts = sorted(jj for ii, jj in hits["类"] if ii == i
                            and any(k == i and jk > jj for k, jk in hits["款"]))
            return i, starts, hits
    return None


def find_header(rows: list[list[Any]], columns: tuple[L.Col, ...], key: str) -> Header | None:
    """Locate a table header by its labels; a key column repeated in one row means blocks."""
    key_col = next(c for c in columns if c.key == key)
    split = _split_starts(rows) if key_col.field and key_col.field.kind is L.Kind.CODE else None
    if split:
        r, starts, parts = split
    else:
        hits = _matches(rows, key_col.labels)
        if not hits:
            return None
        r = hits[0][0]
        starts = sorted(j for i, j in hits if i == r)
    header = Header(row=r, last_row=r, split=bool(split))
    for b, start in enumerate(starts):
        end = starts[b + 1] if b + 1 < len(starts) else 10**6
        block: dict[str, int] = {}
        if split:
            for p in L.SPLIT_CODE:
                js = sorted(j for i, j in parts[p] if i == r and start <= j < end)
                if js:
                    block[p] = js[0]
        else:
            block[key] = start
        for col in columns:
            if col.key == key:
                continue
            near = [(abs(i - r), i, j) for i, j in _matches(rows, col.labels)
                    if abs(i - r) <= 2 and start <= j < end and j not in block.values()]
            if near:
                _, i, j = min(near)
                block[col.key] = j
                header.last_row = max(header.last_row, i)
        header.blocks.append(block)
    return header


def grid_value_columns(rows: list[list[Any]], grid: L.Grid) -> dict[str, list[int]]:
    """Column indexes where each value column's header appears (first rows only)."""
    return {c.key: sorted({j for _, j in _matches(rows, c.labels)}) for c in grid.columns}


def grid_labels(grid: L.Grid) -> dict[str, L.Row]:
    out: dict[str, L.Row] = {}
    for row in grid.rows:
        for label in row.labels:
            out.setdefault(norm_label(label), row)
    return out
