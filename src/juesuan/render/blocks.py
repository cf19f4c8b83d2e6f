"""The document view model: what every output format renders.

Builders (narrative, tables, charts, self-evaluation tables) turn a dataset and
a profile into a ``Document`` of blocks; the docx, HTML, PDF and xlsx
renderers only format blocks.  Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = part (第一部分), 2 = section (一、), 3 = subsection (（一）)
    text: str
    anchor: str = ""
    in_toc: bool = True


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "note", "center", "title", "subtitle", "meta", "signature"] = "body"
    bold_prefix: str = ""  # e.g. a glossary term printed in bold before the text
    key: str = ""  # the sentence-pattern / section key that produced it (for tests and audit)


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | int | None = None  # Decimal = an amount in the table's unit
    colspan: int = 1
    rowspan: int = 1
    align: Align | None = None  # None = left for text, right for numbers
    bold: bool = False
    indent: int = 0  # 0 = 类 / top, 1 = 款, 2 = 项
    places: int = 2  # decimals for Decimal values


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: Literal["header", "total", "class", "kuan", "item", "data", "section"] = "data"


@dataclass(frozen=True)
class TableView:
    """One standard table (or a self-evaluation table) in its official layout."""

    id: str  # stable: t01 … t11, perf-1 …
    number: str  # as printed: 公开01表
    title: str  # 收入支出决算总表
    org: str  # 编制单位
    unit_label: str  # 单位：万元
    header: tuple[Row, ...]  # multi-level header rows with colspan/rowspan
    body: tuple[Row, ...]
    note: str = ""  # 注：本表反映…
    empty_statement: str = ""  # 本表无数据 statement, when the table has no data
    widths: tuple[float, ...] = ()  # relative column widths
    landscape: bool = False

    @property
    def columns(self) -> int:
        return sum(c.colspan for c in self.header[0].cells) if self.header else 0

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_statement)


@dataclass(frozen=True)
class TableBlock:
    table: TableView


@dataclass(frozen=True)
class Figure:
    chart_id: str  # income, expenditure, three_public
    title: str  # 图2. 支出决算图
    png: bytes = b""
    svg: str = ""
    width_cm: float = 14.0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Toc:
    title: str = "目录"


Block = Heading | Paragraph | TableBlock | Figure | PageBreak | Toc


@dataclass
class Document:
    title: str  # 2023 年度乌海市工业和信息化局（部门）决算公开
    department: str
    year: int
    profile: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def tables(self) -> list[TableView]:
        return [b.table for b in self.blocks if isinstance(b, TableBlock)]
