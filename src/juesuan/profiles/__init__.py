"""Disclosure profiles: one YAML file per province style (adding a province = adding a file).

A profile holds everything that differs between provinces: the parts and
their order, the explanation sections and their titles, the standard tables
(ids, numbers, titles, notes), the chart positions, every sentence pattern of
the narrative keyed by a stable key, the glossary and the contact wording.

Pattern keys name the *topic*, numbered as the national explanations are
(DOMAIN §4: ``s1`` 收入支出决算总体情况 … ``s14`` 预算绩效), whatever number
the province prints: Shanghai's section 七 (“三公”经费) uses ``s8.*`` keys.
Shared clauses use ``cmp.*`` (comparisons), ``empty.*`` (本部门无…),
``cover.*``, ``p1.*`` (part one), ``contact.*``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from juesuan import patterns

__all__ = ["Profile", "list_profiles", "load_profile"]

PartKind = Literal["overview", "explanations", "glossary", "contact", "tables"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(_Model):
    """A section of a part: a topic (builder) with its printed number and title."""

    topic: str = Field(description="builder key: p1.functions …, s1 … s14, or '' for a group")
    number: str = Field("", description="printed number: 一 … 十四 (or （一）… for a subsection)")
    title: str = Field(description="title pattern (slots: year, dept, last_year)")
    subsections: list[Section] = Field(default_factory=list)


class Part(_Model):
    kind: PartKind
    title: str = Field(description="title pattern, e.g. 第二部分 部门决算情况说明")
    sections: list[Section] = Field(default_factory=list)


class TableSpec(_Model):
    id: str = Field(description="t01 …")
    number: str = Field(description="as printed in the list of tables: 一 …")
    code: str = Field("", description="table code, e.g. 公开01表")
    title: str
    note: str = ""
    empty_note: str = Field("", description="statement when the table has no data (pattern: dept, year)")


class GlossaryTerm(_Model):
    term: str
    definition: str


class Chart(_Model):
    id: str = Field(description="chart id: income, expenditure, three_public")
    title: str
    after: str = Field(description="topic of the section the chart follows")


class CoverLine(_Model):
    key: str = Field(description="pattern key")
    style: Literal["title", "subtitle", "meta", "center"] = "meta"


class LabelledField(_Model):
    field: str = Field(description="model field (or derived name: appropriation)")
    label: str


class Options(_Model):
    layout: Literal["neimenggu", "shanghai"] = Field(
        "neimenggu", description="which sentence sequence the narrative builders follow"
    )
    amount_grouping: bool = Field(True, description="print 4,499.46 (True) or 4499.46")
    omit_zero_items: bool = Field(False, description="leave out income/spending items of 0 (不涉及的不列)")
    rate_when_no_budget: bool = Field(
        False, description="print a completion rate for a 项 with a zero budget (the seed omits it)"
    )
    flat_when_zero: bool = Field(False, description="use the *_flat patterns (持平) when a change is 0")
    empty_fund_share: str = Field("100", description="self-evaluation coverage printed when there is nothing to cover")


class Profile(_Model):
    name: str
    province: str
    year: int = Field(description="the first year the profile's wording applies to")
    description: str = ""
    options: Options = Field(default_factory=Options)
    document_title: str = Field(description="pattern: dept, year")
    cover: list[CoverLine] = Field(default_factory=list)
    parts: list[Part]
    tables: list[TableSpec] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    income_items: list[LabelledField] = Field(default_factory=list)
    spending_items: list[LabelledField] = Field(default_factory=list)
    patterns: dict[str, str]
    glossary: list[GlossaryTerm] = Field(default_factory=list)

    @model_validator(mode="after")
    def _patterns_parse(self) -> Profile:
        for key, pat in self.patterns.items():
            try:
                patterns.slots(pat)
            except patterns.PatternError as exc:
                raise ValueError(f"pattern {key}: {exc}") from None
        return self

    def pattern(self, key: str) -> str:
        try:
            return self.patterns[key]
        except KeyError:
            raise KeyError(f"profile {self.name} has no pattern {key!r}") from None

    def has(self, key: str) -> bool:
        return key in self.patterns

    def part(self, kind: str) -> Part | None:
        return next((p for p in self.parts if p.kind == kind), None)

    def sections(self) -> list[Section]:
        """Every section and subsection, depth first."""
        out: list[Section] = []

        def walk(items: list[Section]) -> None:
            for s in items:
                out.append(s)
                walk(s.subsections)

        for p in self.parts:
            walk(p.sections)
        return out


def _files():  # noqa: ANN202 - importlib Traversable
    return resources.files(__name__)


def list_profiles() -> list[str]:
    """Names of the profiles shipped with the package."""
    return sorted(f.name.removesuffix(".yaml") for f in _files().iterdir() if f.name.endswith(".yaml"))


@lru_cache(maxsize=16)
def load_profile(name: str) -> Profile:
    """Load a shipped profile by name (e.g. ``neimenggu-2023``)."""
    res = _files() / f"{name}.yaml"
    if not res.is_file():
        raise KeyError(f"未知的公开样式“{name}”：可用的有 {', '.join(list_profiles())}")
    return Profile.model_validate(yaml.safe_load(res.read_text(encoding="utf-8")))
