"""Cover, part one (部门概况), glossary and contact."""

from __future__ import annotations

from juesuan.patterns import cn_number
from juesuan.render.blocks import Block, Cell, Paragraph, Row, TableBlock, TableView
from juesuan.render.sections import Ctx


def cover(ctx: Ctx) -> list[Block]:
    """Title and the meta lines (部门名称, 单位负责人 …) the profile lists; empty ones are left out."""
    dept = ctx.dataset.department
    values = {
        "cover.head": dept.head,
        "cover.finance_head": dept.finance_head,
        "cover.preparer": dept.preparer,
    }
    out: list[Block] = []
    for line in ctx.profile.cover:
        if line.key in values:
            if not values[line.key]:
                continue
            text = ctx.say(line.key, name=values[line.key])
        elif line.key == "cover.report_date":
            if not dept.report_date:
                continue
            text = ctx.say(line.key, date=dept.report_date)
        else:
            text = ctx.say(line.key)
        out.append(Paragraph(text, style=line.style, key=line.key))
    return out


def _numbered(ctx: Ctx, key: str, texts: list[str]) -> list[Block]:
    return [Paragraph(ctx.say(key, n=i, text=t), key=key) for i, t in enumerate(texts, 1)]


def functions(ctx: Ctx) -> list[Block]:
    dept = ctx.dataset.department
    out: list[Block] = []
    if ctx.profile.has("p1.functions_heading"):
        out.append(ctx.heading("p1.functions_heading"))
    if dept.functions:
        out += [Paragraph(p.strip(), key="p1.functions") for p in dept.functions.split("\n") if p.strip()]
    if ctx.profile.has("p1.duties_heading"):
        out.append(ctx.heading("p1.duties_heading"))
    key = "p1.duty"
    if ctx.shanghai:
        out += [Paragraph(ctx.say(key, text=t), key=key) for t in dept.duties]
    else:
        out += _numbered(ctx, key, dept.duties)
    return out


def units_table(ctx: Ctx) -> TableBlock:
    """The small 决算单位构成 table (序号, 单位名称, 单位性质 or 备注)."""
    head = ctx.say("p1.units_header").split("|")
    third = "note" if ctx.shanghai else "nature"
    body = tuple(
        Row((Cell(i, align="center"), Cell(u.name), Cell(getattr(u, third) or None)))
        for i, u in enumerate(ctx.dataset.department.units, 1)
    )
    view = TableView(
        id="units",
        number="",
        title="决算单位构成",
        org=ctx.dataset.department.name,
        unit_label="",
        header=(Row(tuple(Cell(h, align="center", bold=True) for h in head), kind="header"),),
        body=body,
        widths=(1, 5, 4),
    )
    return TableBlock(view)


def structure(ctx: Ctx) -> list[Block]:
    """二、部门机构设置及决算单位构成情况 (neimenggu) / 部门决算单位构成 (shanghai)."""
    dept = ctx.dataset.department
    out: list[Block] = []
    if ctx.shanghai:
        out.append(Paragraph(ctx.say("p1.units_intro"), key="p1.units_intro"))
        out.append(Paragraph(ctx.say("p1.units_scope"), key="p1.units_scope"))
    else:
        if dept.structure:
            out.append(Paragraph(ctx.say("p1.structure", text=dept.structure), key="p1.structure"))
        if dept.scope:
            out.append(Paragraph(dept.scope, key="p1.scope"))
        else:
            names = [u.name for u in dept.units]
            out.append(Paragraph(ctx.say("p1.scope", n=len(names), units=names), key="p1.scope"))
    if dept.units:
        out.append(units_table(ctx))
    return out


def main_work(ctx: Ctx) -> list[Block]:
    return _numbered(ctx, "p1.work", ctx.dataset.department.main_work)


def glossary(ctx: Ctx) -> list[Block]:
    return [
        Paragraph(t.definition, bold_prefix=f"{cn_number(i)}、{t.term}：", key="glossary")
        for i, t in enumerate(ctx.profile.glossary, 1)
    ]


def contact(ctx: Ctx) -> list[Block]:
    c = ctx.dataset.contact
    intro = c.feedback or ctx.say("contact.intro")
    out: list[Block] = [Paragraph(intro, key="contact.intro")]
    out.append(Paragraph(ctx.say("contact.person", person=c.person or "—", phone=c.phone or "—"), key="contact.person"))
    for key, value, slot in (
        ("contact.address", c.address, "address"),
        ("contact.email", c.email, "email"),
    ):
        if value and ctx.profile.has(key):
            out.append(Paragraph(ctx.say(key, **{slot: value}), key=key))
    return out
