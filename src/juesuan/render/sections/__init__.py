"""Builders of the narrative, one module per group of sections.

Every builder takes a ``Ctx`` and returns blocks.  ``Ctx`` holds the dataset,
the profile and the hooks, converts amounts to 万元 for printing (exact: the
patterns round half-up when they print) and writes paragraphs from pattern
keys, so that every sentence of the narrative comes from the profile.

A paragraph made of several patterns carries their keys joined by ``+``
(``"s1.total+cmp.total_vs_budget"``), in order: the audit splits the key and
reads each pattern back from the paragraph's text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan import patterns
from juesuan.compute.derive import change_pct
from juesuan.model.accounts import Dataset, SelfEvaluation
from juesuan.model.money import ZERO, Unit, convert
from juesuan.profiles import Profile
from juesuan.render.blocks import Block, Heading, Paragraph

Clause = tuple[str, Mapping[str, Any]]
PerfTables = Callable[[SelfEvaluation], Block | Sequence[Block]]


@dataclass
class Ctx:
    dataset: Dataset
    profile: Profile
    charts: Mapping[str, Block] = field(default_factory=dict)
    tables: Mapping[str, Block | Sequence[Block]] = field(default_factory=dict)
    perf_tables: PerfTables | None = None

    # --- figures -------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.dataset.year

    @property
    def shanghai(self) -> bool:
        return self.profile.options.layout == "shanghai"

    def wan(self, value: Decimal | None) -> Decimal:
        """An amount of the dataset, in 万元, unrounded (0 for None)."""
        return convert(value if value is not None else ZERO, self.dataset.unit, Unit.WAN)

    def change(self, this: Decimal, last: Decimal | None) -> dict[str, Any]:
        """Slots of a comparison: dir/trend (sign), diff (万元), pct (% of last, unsigned)."""
        last = last if last is not None else ZERO
        d = this - last
        sign = (d > 0) - (d < 0)
        return {"dir": sign, "trend": sign, "cmp": sign, "diff": abs(self.wan(d)), "pct": abs(change_pct(this, last))}

    def stated(self, table: str, row: str, column: str, default: Decimal) -> Decimal:
        """A total as the official table states it (``dataset.stated``), else the derived one.

        Data transcribed in 万元 sums to a few 0.01 off the table's total; the
        table's figure is the one the disclosure prints.
        """
        for s in self.dataset.stated:
            if s.table == table and s.row == row and s.column == column:
                return s.value
        return default

    def reason(self, key: str, default: str = "") -> str:
        return self.dataset.reasons.get(key, "").strip() or default

    # --- text ----------------------------------------------------------------

    def base(self) -> dict[str, Any]:
        return {"dept": self.dataset.department.label, "year": self.year, "last_year": self.year - 1}

    def say(self, key: str, **values: Any) -> str:
        """One pattern of the profile, rendered."""
        return patterns.render(
            self.profile.pattern(key), {**self.base(), **values}, grouping=self.profile.options.amount_grouping
        )

    def para(self, *clauses: Clause | str, style: str = "body", end: str = "") -> Paragraph:
        """A paragraph of clauses (a bare string is a key without slots)."""
        keys: list[str] = []
        text: list[str] = []
        for c in clauses:
            key, values = (c, {}) if isinstance(c, str) else c
            keys.append(key)
            text.append(self.say(key, **values))
        return Paragraph("".join(text) + end, style=style, key="+".join(keys))  # type: ignore[arg-type]

    def listing(self, intro: Clause, key: str, items: Sequence[Mapping[str, Any]], sep: str = "；") -> Paragraph:
        """An intro clause then ``key`` once per item, joined by ``sep`` and closed by 。."""
        body = sep.join(self.say(key, **v) for v in items)
        first = self.say(intro[0], **intro[1])
        keys = intro[0] + ("+" + key if items else "")
        return Paragraph(first + body + ("。" if items else ""), key=keys)

    def heading(self, key_or_text: str, level: int = 3) -> Heading:
        """A sub-heading from a pattern without slots (or literal text)."""
        text = self.say(key_or_text) if self.profile.has(key_or_text) else key_or_text
        return Heading(level, text, in_toc=False)

    def hook(self, block: Block | Sequence[Block] | None) -> list[Block]:
        if block is None:
            return []
        return list(block) if isinstance(block, Sequence) else [block]


def pct_or_zero(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO
