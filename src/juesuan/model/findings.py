"""Findings are data: what a rule found, where, and what it expected.

A finding never carries a Python exception; a rule that crashes becomes an
engine finding and the run goes on (see ``juesuan.rules.engine``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a figure or a text came from: a file line, a sheet cell, or a page line."""

    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    excerpt: str | None = None
    path: str | None = None  # the figure's path in the model, e.g. expenditure[3].basic

    def describe(self) -> str:
        """Chinese human-readable location."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.page is not None:
            parts.append(f"第 {self.page} 页")
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
        if not parts and self.path:
            parts.append(self.path)
        return "，".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    expected: str | None = None
    found: str | None = None
    tolerance: str | None = None
    related: tuple[Location, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "expected": self.expected,
            "found": self.found,
        }
        if self.tolerance is not None:
            out["tolerance"] = self.tolerance
        if self.related:
            out["related"] = [r.to_dict() for r in self.related]
        return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


class Provenance:
    """Maps a figure's model path (``expenditure[3].basic``) to where it came from.

    Kept beside the model rather than inside it, so the model stays plain data
    and the same rule reports a YAML line, a workbook cell or a PDF page line.
    """

    def __init__(self, default: Location | None = None,
                 pending: Callable[[], dict[str, Location | int]] | None = None) -> None:
        self._lines: dict[str, Location | int] = {}  # an int: that line of the default's file
        self._pending = pending
        self.default = default or Location()
        self.notes: list[tuple[str, Location]] = []  # what a reader could not take from its input (info)

    @property
    def _map(self) -> dict[str, Location | int]:
        """The recorded locations; a reader's ``pending`` function fills them on first use.

        A YAML reader keeps its node tree and reads the lines from it only when
        asked: a budget unit's dataset, summed into its department's and then
        dropped, never pays for them.
        """
        if self._pending is not None:
            fill, self._pending = self._pending, None
            lines = fill()
            lines.update(self._lines)  # what was set by hand wins
            self._lines = lines
        return self._lines

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_lines"], state["_pending"] = self._map, None
        return state

    def set(self, path: str, location: Location) -> None:
        self._lines[path] = location

    def set_line(self, path: str, line: int) -> None:
        """``path`` is at ``line`` of the default location's file (a reader's cheap form)."""
        self._lines[path] = line

    def _at(self, loc: Location | int) -> Location:
        return Location(file=self.default.file, line=loc) if isinstance(loc, int) else loc

    def get(self, path: str) -> Location:
        """The location of ``path``, or of its nearest recorded ancestor."""
        probe, lines = path, self._map
        while probe:
            loc = lines.get(probe)
            if loc is not None:
                return Location(**{**self._at(loc).to_dict(), "path": path})
            cut = max(probe.rfind("."), probe.rfind("["))
            if cut <= 0:
                break
            probe = probe[:cut]
        return Location(**{**self.default.to_dict(), "path": path})

    def __contains__(self, path: str) -> bool:
        return path in self._map

    def __len__(self) -> int:
        return len(self._map)

    def items(self) -> list[tuple[str, Location]]:
        return [(path, self._at(loc)) for path, loc in self._map.items()]
