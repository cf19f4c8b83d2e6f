"""The narrative of a disclosure: every part and section of a profile, as blocks.

``build_narrative(dataset, profile)`` walks the profile's parts in order and
calls one builder per section topic (``juesuan.render.sections``).  Tables,
charts and self-evaluation tables are built elsewhere and come in through
hooks, so this module writes only text:

- ``tables``: ``{table id: block or blocks}`` placed under the table's heading
  in the tables part (t01 …; ids name the content, see the profiles);
- ``charts``: ``{chart id: Figure}`` placed after the section the profile's
  ``charts`` entry names (``income`` after s2, ``expenditure`` after s3 …);
- ``perf_tables``: ``SelfEvaluation -> block(s)`` placed after each project's
  summary in explanation 十四.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from juesuan.model.accounts import Dataset
from juesuan.profiles import Part, Profile, Section, load_profile
from juesuan.render.blocks import Block, Heading, PageBreak, Toc
from juesuan.render.sections import (
    Ctx,
    PerfTables,
    general,
    other,
    overview,
    performance,
    three_public,
    totals,
)

Builder = Callable[[Ctx], list[Block]]

BUILDERS: dict[str, Builder] = {
    "p1.functions": overview.functions,
    "p1.structure": overview.structure,
    "p1.units": overview.structure,
    "p1.main_work": overview.main_work,
    "s1": totals.s1,
    "s2": totals.s2,
    "s3": totals.s3,
    "s4": totals.s4,
    "s5": general.s5,
    "s6": general.s6,
    "s7": general.s7,
    "s8": three_public.s8,
    "s9": other.s9,
    "s10": other.s10,
    "s11": other.s11,
    "s12": other.s12,
    "s13": other.s13,
    "s14": performance.s14,
}


def document_title(dataset: Dataset, profile: Profile) -> str:
    ctx = Ctx(dataset, profile)
    from juesuan import patterns

    return patterns.render(profile.document_title, ctx.base())


def build_narrative(
    dataset: Dataset,
    profile: Profile | str | None = None,
    *,
    charts: Mapping[str, Block] | None = None,
    tables: Mapping[str, Block | Sequence[Block]] | None = None,
    perf_tables: PerfTables | None = None,
) -> list[Block]:
    """Cover, 目录 and every part of the profile (default: the dataset's own profile)."""
    if profile is None or isinstance(profile, str):
        profile = load_profile(profile or dataset.profile)
    ctx = Ctx(dataset, profile, charts or {}, tables or {}, perf_tables)
    blocks: list[Block] = [*overview.cover(ctx), PageBreak(), Toc(), PageBreak()]
    for part in profile.parts:
        blocks += _part(ctx, part)
    return blocks


def _title(ctx: Ctx, pattern: str) -> str:
    from juesuan import patterns

    return patterns.render(pattern, ctx.base())


def _part(ctx: Ctx, part: Part) -> list[Block]:
    out: list[Block] = [Heading(1, _title(ctx, part.title), anchor=part.kind)]
    if part.kind in ("overview", "explanations"):
        for section in part.sections:
            out += _section(ctx, section, level=2)
    elif part.kind == "glossary":
        out += overview.glossary(ctx)
    elif part.kind == "contact":
        out += overview.contact(ctx)
    elif part.kind == "tables":
        for spec in ctx.profile.tables:
            out.append(Heading(2, f"{spec.number}、{spec.title}", anchor=spec.id))
            out += ctx.hook(ctx.tables.get(spec.id))
    out.append(PageBreak())
    return out


def _section(ctx: Ctx, section: Section, level: int) -> list[Block]:
    number = section.number
    sep = "" if number.startswith("（") or not number else "、"
    anchor = section.topic or number
    out: list[Block] = [Heading(level, f"{number}{sep}{_title(ctx, section.title)}", anchor=anchor)]
    if section.topic:
        out += BUILDERS[section.topic](ctx)
    for sub in section.subsections:
        out += _section(ctx, sub, level + 1)
    for chart in ctx.profile.charts:
        if chart.after == section.topic and chart.id in ctx.charts:
            out.append(ctx.charts[chart.id])
    return out
