"""The built-in classification code lists and the changes between years.

The lists are package data (``data/*.csv``, documented in
``data/SOURCES.md``); this module only reads them.  Loads are cached because
every rule of a run, and every dataset of a batch, asks for the same lists.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from juesuan.refdata.names import same_name

Kind = Literal["func", "econ"]
KINDS: tuple[Kind, ...] = ("func", "econ")
KIND_LABELS = {"func": "支出功能分类", "econ": "部门预算支出经济分类"}
LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True)
class CodeEntry:
    """One 科目 of a list: its code, its official name and where that rests."""

    code: str
    name: str
    level: str  # 类 / 款 / 项
    parent: str  # the code one level up; "" for a 类
    source: str  # tags explained in data/SOURCES.md; "U:<file>" for a user list
    kind: str = ""  # econ only: 人员经费 / 公用经费 (the basic-expenditure split)


@dataclass(frozen=True)
class CodeChange:
    """A rename, addition or retirement of a code between two years."""

    kind: str
    code: str
    year_from: int | None  # None: some earlier year
    year_to: int  # first year the change is in force
    change: str  # added / renamed / retired
    old_name: str
    new_name: str
    source: str


class CodeList:
    """An immutable mapping from code to entry, with the hierarchy on top."""

    def __init__(self, kind: Kind, year: int, entries: Mapping[str, CodeEntry],
                 requested_year: int | None = None) -> None:
        self.kind = kind
        self.year = year  # the year of the built-in file actually used
        self.requested_year = requested_year if requested_year is not None else year
        self._entries = dict(entries)
        self._children: dict[str, list[str]] = {}
        for code, entry in sorted(self._entries.items()):
            self._children.setdefault(entry.parent, []).append(code)

    @property
    def fallback(self) -> bool:
        """True when no built-in file of the requested year exists and ``year`` stood in."""
        return self.year != self.requested_year

    def get(self, code: str) -> CodeEntry | None:
        return self._entries.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CodeEntry]:
        return iter(self._entries[c] for c in sorted(self._entries))

    def name(self, code: str) -> str | None:
        entry = self._entries.get(code)
        return entry.name if entry else None

    def parent(self, code: str) -> CodeEntry | None:
        entry = self._entries.get(code)
        return self._entries.get(entry.parent) if entry and entry.parent else None

    def children(self, code: str) -> list[CodeEntry]:
        return [self._entries[c] for c in self._children.get(code, [])]

    def find_by_name(self, name: str, parent: str | None = None) -> list[CodeEntry]:
        """Entries whose name is ``name`` (normalised), optionally under one parent.

        Used to tell a wrong name from a wrong code: when the written name is
        the name of a sibling code, the code is probably what was mistyped.
        """
        pool = self.children(parent) if parent is not None else list(self)
        return [e for e in pool if same_name(name, e.name)]


def parent_code(code: str) -> str:
    """The code one level up by the digit structure (3 + 2 + 2)."""
    return {7: code[:5], 5: code[:3]}.get(len(code), "")


_FILE = re.compile(r"^(func|econ)_(\d{4})\.csv$")


def _data_dir() -> resources.abc.Traversable:
    return resources.files("juesuan.refdata").joinpath("data")


@cache
def available_years(kind: Kind) -> tuple[int, ...]:
    """The years for which a built-in list of ``kind`` exists."""
    years = []
    for item in _data_dir().iterdir():
        m = _FILE.match(item.name)
        if m and m.group(1) == kind:
            years.append(int(m.group(2)))
    return tuple(sorted(years))


def nearest_year(kind: Kind, year: int) -> int:
    """The built-in year closest to ``year``; on a tie the later list wins."""
    years = available_years(kind)
    if not years:
        raise LookupError(f"no built-in {kind} code list")
    return min(years, key=lambda y: (abs(y - year), -y))


def _read_rows(name: str) -> list[dict[str, str]]:
    text = _data_dir().joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def builtin_entries(kind: Kind, year: int) -> Mapping[str, CodeEntry]:
    """The built-in entries of ``kind`` for the file of exactly ``year``."""
    out: dict[str, CodeEntry] = {}
    for row in _read_rows(f"{kind}_{year}.csv"):
        out[row["code"]] = CodeEntry(
            code=row["code"], name=row["name"], level=row["level"], parent=row["parent"],
            source=row["source"], kind=row.get("kind", "") or "",
        )
    return out


@lru_cache(maxsize=1)
def _all_changes() -> tuple[CodeChange, ...]:
    rows = _read_rows("changes.csv")
    return tuple(
        CodeChange(
            kind=r["kind"], code=r["code"],
            year_from=int(r["year_from"]) if r["year_from"] else None,
            year_to=int(r["year_to"]), change=r["change"],
            old_name=r["old_name"], new_name=r["new_name"], source=r["source"],
        )
        for r in rows
    )


def changes(kind: Kind, year: int, since: int | None = None) -> tuple[CodeChange, ...]:
    """Changes of ``kind`` in force by ``year`` (and after ``since``, if given).

    ``changes("func", 2024, since=2023)`` are those between last year and
    this year; without ``since`` the whole known history up to ``year``.
    """
    return tuple(
        c for c in _all_changes()
        if c.kind == kind and c.year_to <= year and (since is None or c.year_to > since)
    )


def load_code_list(kind: Kind, year: int, extra: Sequence[str | Path] = ()) -> CodeList:
    """The code list of ``kind`` for ``year``, with the user's lists on top.

    Built-in files exist for 2019–2026 (see ``available_years``); the nearest
    built-in year stands in for a year outside them, and the list says which
    (``year`` is the file used, ``requested_year`` the year asked for,
    ``fallback`` whether they differ).  ``extra`` files
    (CSV with at least ``code,name``) add or override entries; an unusable
    file raises ``juesuan.readers.errors.InputError``.
    """
    from juesuan.refdata.userlists import file_key

    keys = tuple(file_key(Path(p)) for p in extra)
    return _load(kind, year, keys)


@lru_cache(maxsize=64)
def _load(kind: Kind, year: int, keys: tuple[tuple[str, int, int], ...]) -> CodeList:
    from juesuan.refdata.userlists import read_user_list

    used = nearest_year(kind, year)
    entries = dict(builtin_entries(kind, used))
    for path, _mtime, _size in keys:
        entries.update(read_user_list(Path(path), kind))
    return CodeList(kind, used, entries, requested_year=year)
