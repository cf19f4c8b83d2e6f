"""PDF output through Typst: the Document as Typst source, compiled in process.

The ``typst`` PyPI wheel carries the whole compiler, so nothing is fetched at
run time; the source never imports a package, and every piece of user text is
written as a Typst *string literal* (only ``\\`` and ``"`` need escaping there),
so no markup character in a department's text can ever be read as markup.

Fonts: only the folders holding the Chinese fonts that ``juesuan.render.fonts``
finds are loaded (system fonts are ignored, unless no Chinese font was found),
and each font stack lists only families actually present, in the order of
preference of the HTML/Word output (仿宋 body, 黑体 headings, 楷体 level-3,
宋体 tables).  Typst embeds the subsets it uses.

The layout follows the print CSS of the HTML/WeasyPrint output: A4, margins
3.7/3.5/2.8/2.6 cm, 16 pt body on a 28 pt line grid, page numbers "— n —"
from the second page, TOC with page numbers, tables with merged cells and
repeated header rows, landscape pages for wide tables (with the headings that
introduce them), and for drafts a diagonal mark and a red header on every page.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.render.blocks import (
    Block,
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
from juesuan.render.fonts import FALLBACK, PREFERRED, find_cjk_font_family
from juesuan.render.html import cell_align, cell_text, table_grid
from juesuan.render.pages import (
    COVER_BELOW,
    SMALL_TABLE_ROWS,
    cover_length,
    runs,
    split_inner_header,
)
from juesuan.render.typst_preamble import PREAMBLE

KINDS = ("fangsong", "sans", "kai", "serif")
TEXT_WIDTH_CM = {False: 21.0 - 2.8 - 2.6, True: 29.7 - 2.5 - 2.5}  # portrait, landscape
TEXT_HEIGHT_CM = {False: 29.7 - 3.7 - 3.5, True: 21.0 - 2.6 - 2.4}
# The least height of a table row (10.5 pt text on a 1 em line box, 3 pt inset above and below:
# 16.5 pt) and the most a table may be scaled down to fit a page (``FIT`` in the preamble: 1.08).
MIN_ROW_PT = 16.0
FIT_SLACK = 1.08


class TypstError(RuntimeError):
    """Typst rejected the generated source (a bug in this module, not in the data)."""


# ----------------------------------------------------------------- escaping


def lit(text: object) -> str:
    """``text`` as a Typst string literal: inert whatever it contains.

    Backslash and double quote are escaped, line breaks and tabs written as
    escapes, other control characters dropped (they have no printed form).
    """
    out = ['"']
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append(" ")
        elif ch == "\r":
            continue
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            continue
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_LONG_WORD = re.compile(r"[!-~]{17,}")


def _breakable(text: str) -> str:
    """Break opportunities (zero-width spaces) after . _ / : in long Latin runs (rule ids, paths),
    which Unicode line breaking would not split and which would overflow a narrow cell."""
    return _LONG_WORD.sub(lambda m: re.sub(r"([._/\\:])(?=.)", "\\1\u200b", m.group()), text)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r", "\n").split("\n")).strip()


one_line = _one_line


def _arr(items: list[str]) -> str:
    """A Typst array expression (a one-item array needs its trailing comma)."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


# ----------------------------------------------------------------- fonts


@dataclass(frozen=True)
class FontSetup:
    dirs: tuple[str, ...]  # folders handed to Typst
    system: bool  # whether Typst should also load the system fonts
    stacks: dict[str, tuple[str, ...]]  # kind -> family names present, best first
    book: Any = None  # a typst.Fonts, reused across compilations when the wheel has it


@lru_cache(maxsize=1)
def font_setup() -> FontSetup:
    """The font folders and the per-kind family stacks (computed once per process)."""
    import typst

    hits = {k: find_cjk_font_family(k) for k in KINDS}  # type: ignore[arg-type]
    dirs: list[str] = []
    for hit in hits.values():
        if hit and str(hit[1].parent) not in dirs:
            dirs.append(str(hit[1].parent))
    system = not dirs
    book = None
    present: dict[str, str] = {}
    by_path: dict[str, str] = {}
    if hasattr(typst, "Fonts"):
        book = typst.Fonts(include_system_fonts=system, include_embedded_fonts=True, font_paths=dirs)
        for info in book.fonts():
            present.setdefault(info.family.lower(), info.family)
            if info.path:
                by_path.setdefault(str(Path(info.path)), info.family)
    stacks: dict[str, tuple[str, ...]] = {}
    for kind in KINDS:
        names: list[str] = []
        for k in FALLBACK[kind]:
            names += [n for n in PREFERRED[k] if n not in names]
        if present:
            stack = [present[n.lower()] for n in names if n.lower() in present]
        else:  # no font book in this wheel: trust what fontconfig / the Windows folder said
            stack = [hits[k][0] for k in FALLBACK[kind] if hits.get(k)]
        for k in FALLBACK[kind]:  # whatever file was found, under the family Typst reads in it
            hit = hits.get(k)
            fam = by_path.get(str(hit[1])) if hit else None
            if fam and fam not in stack:
                stack.append(fam)
        stacks[kind] = tuple(dict.fromkeys(stack))
    return FontSetup(tuple(dirs), system, stacks, book)



# ----------------------------------------------------------------- blocks


# the parts of a title never broken across lines: the year, a bracketed name, the closing words
_TITLE_UNITS = re.compile(r"\d{4}\s*年度|（[^（）]{1,12}）|\([^()]{1,12}\)|部门决算公开|单位决算公开|决算公开"
                          r"|公开文档|部门决算|单位决算|项目支出绩效自评表|自评表")


def title_markup(text: str) -> str:
    """A title as Typst content whose protected units (``_TITLE_UNITS``) are unbreakable boxes.

    Typst, like Word, breaks Chinese between any two characters: "…（部门）公 / 开文档".
    """
    parts, pos = [], 0
    for m in _TITLE_UNITS.finditer(text):
        if m.start() > pos:
            parts.append(f"text({lit(text[pos:m.start()])})")
        parts.append(f"box({lit(m.group())})")
        pos = m.end()
    if pos < len(text):
        parts.append(f"text({lit(text[pos:])})")
    return " + ".join(parts) if parts else lit(text)


def _paragraph(p: Paragraph) -> str:
    prefix = f", prefix: {lit(p.bold_prefix)}" if p.bold_prefix else ""
    body = title_markup(p.text) if p.style == "title" else lit(p.text)
    return f"#P({lit(p.style)}, {body}{prefix})"


def _heading(h: Heading) -> str:
    level = min(max(h.level, 1), 3)
    outlined = "" if h.in_toc else ", outlined: false"
    return f"#H({level}, {lit(_one_line(h.text))}{outlined})"


def _fr(widths: tuple[float, ...], rows: list[Row], ncols: int) -> list[float]:
    """Relative column widths: the table's own, else estimated from the longest text."""
    if widths and len(widths) >= ncols:
        return [max(float(w), 0.05) for w in widths[:ncols]]
    longest = [2.0] * ncols
    for (_, c), cell in table_grid(rows, ncols).items():
        if cell.colspan == 1:
            text = cell_text(cell)
            n = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)
            longest[c] = max(longest[c], min(n, 24.0))
    return longest


def _cells(rows: tuple[Row, ...], ncols: int, header: bool, marks: dict[int, str] | None = None,
           numbered: tuple[str, int] | None = None) -> list[str]:
    """Every cell in grid order, gaps filled, spans clipped: Typst places them as HTML would;
    ``marks`` holds the mark of each body row (its group, for the continued labels,
    ``_group_marks``), set in the row's first cell; with ``numbered`` (the table's key and the
    index of the first row) each row's first cell also carries the key and its index in the
    table's body, for ``juesuan.render.typst_parts``."""
    rows = tuple(rows)
    placed = table_grid(rows, ncols)
    covered: set[tuple[int, int]] = set()
    out: list[str] = []
    for r, row in enumerate(rows):
        mark = marks.get(r) if marks else None
        number = None if numbered is None else f"({lit(numbered[0])}, {numbered[1] + r})"
        for c in range(ncols):
            cell = placed.get((r, c))
            if cell is None:
                if (r, c) not in covered:
                    extra = (f", m: {mark}" if mark else "") + (f", r: {number}" if number is not None else "")
                    out.append("HC(\"\")" if header else f"C(\"\"{extra})")
                    covered.add((r, c))
                    mark = number = None
                continue
            cs = min(max(cell.colspan, 1), ncols - c)
            cs = next((cc - c for cc in range(c, c + cs) if (r, cc) in covered), cs)
            rs = min(max(cell.rowspan, 1), len(rows) - r)
            covered.update((rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs))
            args = [lit(_breakable(_one_line(cell_text(cell))))]
            if cs > 1:
                args.append(f"cs: {cs}")
            if rs > 1:
                args.append(f"rs: {rs}")
            if header:
                align = cell.align or "center"
                if align != "center":
                    args.append(f"a: {align}")
                out.append(f"HC({', '.join(args)})")
            else:
                align = cell_align(cell)
                if align != "left":
                    args.append(f"a: {align}")
                if cell.bold or row.kind == "total":
                    args.append("b: true")
                if cell.indent:
                    args.append(f"i: {min(max(cell.indent, 0), 6)}")
                if mark:
                    args.append(f"m: {mark}")
                    mark = None
                if number is not None:
                    args.append(f"r: {number}")
                    number = None
                out.append(f"C({', '.join(args)})")
    return out


GROUP_LEVELS = {"class": 2, "kuan": 3}  # a 类 row opens a group, a 款 row a group inside it


def _group_marks(body: tuple[Row, ...], key: str) -> dict[int, str]:
    """The mark of each 类 and 款 row (which open a group), ``(table, level, label)``: level 2
    for a 类 row, 3 for a 款 row, the label their code and name.  From these and the header's
    markers (``_grid``) the page (``CONTS`` in the preamble) writes above the header rows of
    every page the table continues on the labels of the groups that go on there ("201
    一般公共服务支出（续）").  None in a table whose body has cells
    spanning rows, or two tables side by side (no group runs through them)."""
    if any(c.rowspan > 1 for row in body for c in row.cells) or any(map(_two_sided, body)):
        return {}
    out: dict[int, str] = {}
    for r, row in enumerate(body):
        level = GROUP_LEVELS.get(row.kind)
        if level:
            label = " ".join(t for t in (_one_line(cell_text(c)) for c in row.cells
                                         if not isinstance(c.value, Decimal | int)) if t)
            out[r] = f"({lit(key)}, {level}, {lit(label)})"
    return out


def _two_sided(row: Row) -> bool:
    """A row holding text after an amount: two tables side by side (基本支出 by economic class)."""
    seen = False
    for c in row.cells:
        if isinstance(c.value, Decimal | int):
            seen = True
        elif seen and cell_text(c):
            return True
    return False


def _grid(cols: str, header: tuple[Row, ...], body: tuple[Row, ...], ncols: int, key: str = "",
          numbered: tuple[str, int] | None = None) -> str:
    """A Typst table; with ``key`` (a table that may break across pages) its 类/款 groups carry
    continued labels: two header rows of no height mark where its header is on each page, and
    the page names above them the groups that continue on it."""
    parts = [f"columns: {cols}", "stroke: 0.5pt", "inset: (x: 3pt, y: 3pt)"]
    marks = _group_marks(body, key) if key and header else {}
    if header:
        cells = _cells(header, ncols, True)
        if marks:  # the header's top and bottom on every page it is on, for the continued labels
            top, bottom = (f"table.cell(colspan: {ncols}, inset: 0pt, stroke: none, [#metadata({lit(key)})<jh{e}>])"
                           for e in "tb")
            cells = [top, *cells, bottom]
        parts.append("table.header(" + ", ".join(cells) + ")")
    parts += _cells(body, ncols, False, marks, numbered)
    return "table(\n  " + ",\n  ".join(parts) + ")"


def _table_markup(t: TableView, ncols: int, labelled: bool = True) -> str:
    """The table; one whose body holds its own header rows (a self-evaluation table's 绩效指标
    block) is two tables set edge to edge, the second repeating those heads on every page.
    A table that may break across pages carries continued labels unless ``labelled`` is false."""
    fr = _fr(t.widths, list(t.header) + list(t.body), ncols)
    cols = _arr([f"{w:g}fr" for w in fr])
    parts = split_inner_header(t)
    if parts is None:
        small = len(t.header) + len(t.body) < SMALL_TABLE_ROWS
        return _grid(cols, t.header, t.body, ncols, "" if small or not labelled else t.id)
    upper, lower = parts
    rest = list(lower.body)
    span = rest[0].cells[0].rowspan
    last = rest[-1] if span < len(rest) else None
    if last is not None and span > 4 and last.kind == "total" and last.cells[0].colspan > 1:
        # the 总分 row keeps its last three indicators: a blank first-column cell spanning them
        # and it (unbreakable: rs ≤ 10 in the preamble) glues them to one page
        rest[0] = Row((Cell("", rowspan=span - 3), *rest[0].cells[1:]), rest[0].kind)
        rest[span - 3] = Row((Cell("", rowspan=4), *rest[span - 3].cells), rest[span - 3].kind)
        total = last.cells[0]
        rest[-1] = Row((replace(total, colspan=total.colspan - 1), *last.cells[1:]), last.kind)
    top = _grid(cols, upper.header, upper.body, ncols)
    bottom = _grid(cols, lower.header, tuple(rest), ncols)
    return f"{{ set block(spacing: 0pt); block(breakable: false, {top}); {bottom} }}"


def table_columns(t: TableView) -> int:
    return t.columns or max((sum(max(c.colspan, 1) for c in r.cells) for r in t.body), default=0)


def _table(t: TableView) -> str:
    ncols = table_columns(t)
    tbl = plain = "none"
    if ncols and (t.header or t.body):
        tbl = _table_markup(t, ncols)
        plain = _table_markup(t, ncols, labelled=False)
    org = f"编制单位：{t.org}" if t.org else ""
    right = t.number + ("　" if t.number and t.unit_label else "") + t.unit_label
    extra = ""
    if t.note:
        extra += f", note: {lit(t.note)}"
    if t.empty_statement:
        extra += f", empty: {lit(t.empty_statement)}"
    if len(t.header) + len(t.body) < SMALL_TABLE_ROWS:
        extra += ", small: true"
    elif may_fit(t):  # the page's text area, for FIT, which measures the table without its labels
        extra += f", fit: ({TEXT_WIDTH_CM[t.landscape]:.2f}cm, {TEXT_HEIGHT_CM[t.landscape]:.2f}cm)"
        if plain != tbl:
            extra += f", plain: {plain}"
    return f"#TB({lit(_one_line(t.title))}, {lit(org)}, {lit(right)}, {tbl}{extra})"


def may_fit(t: TableView) -> bool:
    """Whether ``t`` could fit on one page (scaled by ``FIT_SLACK`` at most): false when its rows
    at their least height are taller than that already.  Only such a table is measured by
    ``FIT``: measuring a table of many pages would lay it out once more (half the cost of a
    build with long tables) to learn what its row count says."""
    rows = len(t.header) + len(t.body)
    return rows * MIN_ROW_PT <= TEXT_HEIGHT_CM[t.landscape] / 2.54 * 72 * FIT_SLACK


def cuttable(t: TableView) -> bool:
    """Whether a PDF in parts (``juesuan.render.typst_parts``) may end a part between two body
    rows of ``t``: a long table (never measured to fit a page) with header rows, of one grid,
    no body cell spanning rows, not two tables side by side."""
    return (bool(t.header) and len(t.header) + len(t.body) >= SMALL_TABLE_ROWS and not may_fit(t)
            and split_inner_header(t) is None and not any(map(_two_sided, t.body))
            and not any(c.rowspan > 1 for row in t.body for c in row.cells))


def table_slice(t: TableView, start: int, end: int) -> str:
    """The ``TB`` line of body rows ``[start, end)`` of a ``cuttable`` table, each row's first
    cell carrying its index (``<jrow>``): the title and the unit above the first rows only (the
    rest continue a table on a page of their own, under its repeated header rows), the note
    after the last only.  Column widths are the whole table's."""
    ncols = table_columns(t)
    cols = _arr([f"{w:g}fr" for w in _fr(t.widths, list(t.header) + list(t.body), ncols)])
    # a cuttable table's group marks are its rows' own (``_group_marks``): a slice's are the same
    tbl = _grid(cols, t.header, t.body[start:end], ncols, t.id, numbered=(t.id, start))
    org = f"编制单位：{t.org}" if t.org else ""
    right = t.number + ("　" if t.number and t.unit_label else "") + t.unit_label
    extra = "" if start == 0 else ", cont: true"
    if end >= len(t.body):
        if t.note:
            extra += f", note: {lit(t.note)}"
        if t.empty_statement:
            extra += f", empty: {lit(t.empty_statement)}"
    return f"#TB({lit(_one_line(t.title))}, {lit(org)}, {lit(right)}, {tbl}{extra})"


def group_marks(t: TableView) -> dict[int, str]:
    """The group marks of ``t``'s body rows (``_group_marks``), for the continued labels."""
    return _group_marks(t.body, t.id)


def _figure(f: Figure, k: int, files: dict[str, bytes], landscape: bool) -> str:
    if f.png:
        name = f"fig{k}.png"
        files[name] = f.png
    elif f.svg:
        name = f"fig{k}.svg"
        files[name] = f.svg.encode("utf-8")
    else:
        return f"#P(\"center\", {lit(f.title)})"
    width = min(max(f.width_cm, 1.0), TEXT_WIDTH_CM[landscape])
    return f"#FIG({lit('/' + name)}, {width:g}cm, {lit(f.title)})"


def _block(b: Block, files: dict[str, bytes], landscape: bool) -> str | None:
    """The Typst line of one block (None for a kind of block Typst does not print)."""
    if isinstance(b, Heading):
        return _heading(b)
    if isinstance(b, Paragraph):
        return _paragraph(b)
    if isinstance(b, TableBlock):
        return _table(b.table)
    if isinstance(b, Figure):
        return _figure(b, len(files) + 1, files, landscape)
    if isinstance(b, PageBreak):
        return "#pagebreak(weak: true)"
    if isinstance(b, Toc):
        return f"#TOC({lit(b.title)})"
    return None


@dataclass(frozen=True)
class Piece:
    """One top-level line of the body: its markup and the block it sets (None for the cover's
    spacing)."""

    markup: str
    block: Block | None = None


WIDE_PAGE = "#page(flipped: true, margin: (top: 2.6cm, bottom: 2.4cm, x: 2.5cm))["


def body_runs(doc: Document, files: dict[str, bytes]) -> list[tuple[bool, list[Piece]]]:
    """The body as portrait and landscape runs of pieces, one per block (the page plan,
    ``juesuan.render.pages``, already left out the page breaks that would leave a page nearly
    empty); the figures' images go into ``files``."""
    out: list[tuple[bool, list[Piece]]] = []
    cover = cover_length(list(doc.blocks))
    for n, (wide, run) in enumerate(runs(list(doc.blocks))):
        pieces = [Piece(m, b) for b in run if (m := _block(b, files, wide)) is not None]
        if n == 0 and cover and not wide:  # the cover in the middle of its page (a little above)
            pieces = [Piece("#v(1fr)"), *pieces[:cover], Piece(f"#v({COVER_BELOW:g}fr)"), *pieces[cover:]]
        out.append((wide, pieces))
    return out


def head_source(doc: Document, watermark: str, stacks: dict[str, tuple[str, ...]]) -> str:
    """The preamble with the document's fonts, watermark, title and author filled in."""
    fonts = {k: _arr([lit(n) for n in stacks.get(k, ())]) if stacks.get(k) else '"Libertinus Serif"'
             for k in KINDS}
    head = PREAMBLE % {**fonts, "mark": lit(_one_line(watermark)), "title": lit(_one_line(doc.title)),
                       "author": lit(_one_line(doc.department))}
    return head.lstrip()


def typst_source(doc: Document, *, watermark: str = "",
                 stacks: dict[str, tuple[str, ...]] | None = None) -> tuple[str, dict[str, bytes]]:
    """The Typst source of ``doc`` and the files it refers to (figure images, by name)."""
    if stacks is None:
        stacks = font_setup().stacks
    files: dict[str, bytes] = {}
    lines = [head_source(doc, watermark, stacks)]
    for wide, pieces in body_runs(doc, files):
        if wide:
            lines.append(WIDE_PAGE)
        lines += [p.markup for p in pieces]
        if wide:
            lines.append("]")
    return "\n".join(lines) + "\n", files


# ----------------------------------------------------------------- compiling


IN_PROCESS = 3  # PDFs a process compiles itself; later ones in a child process (typst_worker)
_compiled = itertools.count()


def _compile_here() -> bool:
    """Whether this PDF is compiled in this process: the first ``IN_PROCESS`` of a process are
    (``JUESUAN_TYPST_IN_PROCESS`` sets how many; 0: none), later ones in a child process.

    Typst keeps every layout it made for as long as its process lives (45 MB for a 40-row
    department): a batch worker or the web application building one PDF after another would
    grow without end.  A child costs a start and the fonts' loading (about 0.3 s a PDF); the
    first PDFs, and a command that builds one, pay nothing for it.
    """
    try:
        limit = int(os.environ.get("JUESUAN_TYPST_IN_PROCESS", IN_PROCESS))
    except ValueError:
        limit = IN_PROCESS
    return next(_compiled) < limit


def write_pdf_typst(doc: Document, path: Path | str, *, watermark: str = "") -> Path:
    """Write ``doc`` as a PDF at ``path`` with Typst (A4, fonts embedded, page numbers, TOC).

    Raises ``juesuan.render.pdf.PdfEngineMissing`` when the ``typst`` package
    cannot be imported, ``TypstError`` when Typst rejects the source.
    """
    from juesuan.render.pdf import PdfEngineMissing

    try:
        import typst
    except ImportError as exc:
        raise PdfEngineMissing(f"无法加载 PDF 引擎 Typst：{exc}") from exc
    setup = font_setup()
    path = Path(path)
    from juesuan.render.typst_parts import document_cells, part_cells, write_in_parts

    budget = part_cells()
    if document_cells(doc) > budget and write_in_parts(doc, path, watermark=watermark, setup=setup,
                                                      budget=budget):
        return path
    source, files = typst_source(doc, watermark=watermark, stacks=setup.stacks)
    with tempfile.TemporaryDirectory(prefix="juesuan-typst-") as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        if not _compile_here():  # a process that builds many PDFs (batch, web): memory stays flat
            from juesuan.render.typst_worker import compile_in_child

            out = root / "main.pdf"
            try:
                compile_in_child(main, out, setup)
            except OSError:  # no child process can be started here: compiled in this one
                pass
            else:
                path.write_bytes(out.read_bytes())
                return path
        fonts: Any = setup.book if setup.book is not None else list(setup.dirs)
        try:
            compiler = typst.Compiler(str(main), root=str(root), font_paths=fonts,
                                      ignore_system_fonts=not setup.system)
            pdf = compiler.compile(format="pdf")
        except RuntimeError as exc:  # typst.TypstError
            detail = getattr(exc, "diagnostic", "") or ""
            raise TypstError(f"Typst 排版失败：{exc}\n{detail}".rstrip()) from exc
    path.write_bytes(pdf)
    return path
