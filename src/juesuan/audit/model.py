"""What the audit recovers from a published document, before and beside the dataset.

The pipeline: ``document.read_document`` → ``recognize.recognize`` (what the
document is, where its parts, sections and tables are) → ``tables`` (the
standard tables' cells) and ``claims`` (the narrative's sentences, read with the
profile's sentence patterns) → ``extract.to_dataset`` (the same model the
publish side uses, with a Provenance of page/line locations) → checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.model.findings import Location, Provenance


@dataclass(frozen=True)
class Span:
    """Where a recognised element starts and ends (indices into SourceDoc.lines)."""

    key: str  # part kind, section topic (s1 … s14) or table id (t01 …)
    title: str  # the title as found in the document
    start: int  # index of the title line
    end: int  # index one past the last line
    location: Location


@dataclass
class Recognition:
    """What the document is and where its pieces are."""

    department: str | None = None
    year: int | None = None
    kind: str | None = None  # 部门决算, 单位决算 (audit.kind)
    kind_reason: str | None = None
    profile: str | None = None  # e.g. neimenggu-2023, shanghai-2024, national
    profile_ref: str | None = None  # what load_profile takes: the name, or the file a user forced
    profile_score: float | None = None  # share of the profile's titles the document prints
    profile_basis: str | None = None  # why this profile: matched, forced, or the baseline fallback
    parts: dict[str, Span] = field(default_factory=dict)
    sections: dict[str, Span] = field(default_factory=dict)
    tables: dict[str, Span] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # why something was not recognised


@dataclass(frozen=True)
class Claim:
    """One sentence of the narrative read back with a pattern: what it asserts and where."""

    key: str  # the pattern key, e.g. s1.total_vs_budget
    section: str  # section topic, e.g. s1
    values: dict[str, Any]  # slot → value (Decimal, int, str, list)
    locations: dict[str, Location]  # slot → where that value is printed
    location: Location  # the sentence
    context: dict[str, Any] = field(default_factory=dict)  # e.g. {"code": "2080501"} for an item sentence


@dataclass(frozen=True)
class Cell:
    value: Decimal | str | None
    location: Location


LABEL_KEYS = frozenset({"code", "name", "row", "side"})  # a table row's keys that are not figures


def has_figure(row: dict[str, Cell]) -> bool:
    """Whether a table row holds a figure (not only its code, name or side)."""
    return any(k not in LABEL_KEYS and c.value is not None for k, c in row.items())


@dataclass
class RecoveredTable:
    """A standard table's cells: rows keyed by code (or a named row), columns by key."""

    id: str  # t01 …
    title: str
    location: Location
    rows: list[dict[str, Cell]] = field(default_factory=list)  # each row: "code"/"name" + column keys
    empty_statement: str | None = None  # the "本表无数据" text when the table is empty
    problems: list[str] = field(default_factory=list)  # what could not be read
    # set when the table, as read, does not add up to its own totals (``tables_check``):
    # the reason; no check uses the figures of an uncertain table
    uncertain: str | None = None
    # False when read from plain text, which leaves no trace of a blank cell: the figures of a
    # row with blanks are placed in order, and may stand in a neighbouring column
    blanks_known: bool = True

    @property
    def usable(self) -> bool:
        """Whether the checks may take figures from this table: it adds up, and something was
        read from it (a figure, or its "本表无数据" statement).  A table found by its title but
        from which no figure could be read is no source: its blank model fields would stand
        for the document's figures as placeholder zeros."""
        if self.uncertain:
            return False
        return self.empty_statement is not None or any(has_figure(r) for r in self.rows)


@dataclass
class Skipped:
    """A check that could not run, and why: 'no finding' must never hide 'not checked'."""

    check: str
    reason: str
    location: Location | None = None


@dataclass
class Extraction:
    """Everything recovered from one document."""

    path: str
    recognition: Recognition
    tables: dict[str, RecoveredTable] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # raw Dataset dict (model_validate later)
    provenance: Provenance = field(default_factory=Provenance)
    skipped: list[Skipped] = field(default_factory=list)


def base_key(claim: Claim) -> str:
    """The profile key a claim was read with (a read-only variant names its base key)."""
    return claim.key.split("~")[0]
