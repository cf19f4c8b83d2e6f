"""Completeness: every part, section and table the profile requires is in the document.

A province's profile requires its sections and tables (completeness: strict);
the national baseline only requires each topic to be mentioned somewhere
(completeness: mention), so that one province's template is never demanded
of another province's document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.audit.auditor import Auditor
from juesuan.audit.checks_roles import first_with_role
from juesuan.model.findings import Location

__all__ = ["ROW_META", "check_completeness"]

ROW_META = {"row", "code", "name", "side"}  # a table row's keys that are not amounts


def check_completeness(a: Auditor) -> None:
    rec, prof = a.ex.recognition, a.profile
    if prof.options.completeness == "mention":
        _check_mentions(a)
        return
    default = Location(file=a.ex.path, line=1)
    for part in prof.parts:
        # a part is missing when its content is: tables printed without their part title are there
        content = (part.kind == "tables" and rec.tables) or any(s.topic in rec.sections for s in _flat(part.sections))
        if part.kind not in rec.parts and not content:
            a.emit("audit.missing_part", default, title=_title(part.title, rec))
        for s in _flat(part.sections):
            if s.topic and (s.topic.startswith("s") and s.topic[1:].isdigit()) and s.topic not in rec.sections:
                where = rec.parts.get(part.kind)
                a.emit("audit.missing_section", where.location if where else default,
                       title=_title(s.title, rec), number=s.number)
    tables_part = rec.parts.get("tables")
    if prof.tables and tables_part is not None:
        found = rec.tables
        if not found:
            a.emit("audit.tables_absent", tables_part.location, None, _part_text(a, tables_part) or "无表格")
        else:
            for t in prof.tables:
                if t.id not in found:
                    a.emit("audit.missing_table", tables_part.location, title=t.title)
                    continue
                tbl = a.ex.tables.get(t.id)
                if tbl is not None and t.empty_note and not _has_figures(tbl) and not tbl.empty_statement:
                    a.emit("audit.empty_table_statement", tbl.location, title=t.title)
    if prof.part("contact") is not None:
        c = first_with_role(a, "contact")
        loc = rec.parts["contact"].location if "contact" in rec.parts else default
        if c is None:
            a.emit("audit.missing_contact", loc, what="联系人和联系电话")


def _has_figures(tbl: Any) -> bool:
    """Whether a recovered table holds any amount (a printed 合计 row without figures is empty)."""
    return any(isinstance(c.value, Decimal) for row in tbl.rows for k, c in row.items() if k not in ROW_META)


def _check_mentions(a: Auditor) -> None:
    """The baseline's completeness: each topic of the explanations is mentioned somewhere.

    A document in a style the audit does not know may merge, split, rename and
    reorder its sections; what it may not do is leave a topic out altogether
    (not even “本部门无政府性基金预算财政拨款收支”).  A table of the nine is
    only looked for when the document prints tables at all."""
    from juesuan.audit.recognize import normalise

    rec, prof = a.ex.recognition, a.profile
    lines = getattr(a, "doc_lines", None) or []
    span = rec.parts.get("explanations")
    lo, hi = (span.start, span.end) if span else (0, len(lines))
    text = normalise("".join(lines[lo:hi]))
    whole = normalise("".join(lines))
    where = span.location if span else Location(file=a.ex.path, line=1)
    for part in prof.parts:
        if part.kind != "explanations":
            continue
        for s in _flat(part.sections):
            if not s.topic or s.topic in rec.sections:
                continue
            words = [k for kw in s.keywords for k in kw.split("+")]
            if any(w in text for w in words) or any(w in whole for w in words if len(w) >= 4):
                continue
            a.emit("audit.topic_absent", where, title=_title(s.title, rec))
    if rec.tables and len(rec.tables) >= len(prof.tables) // 2:
        tables_part = rec.parts.get("tables")
        for t in prof.tables:
            if t.id not in rec.tables:
                a.emit("audit.table_not_found", tables_part.location if tables_part else where, title=t.title)


def _part_text(a: Auditor, span: Any) -> str:
    doc_lines = getattr(a, "doc_lines", None)
    if doc_lines is None:
        return ""
    return "".join(t.strip() for t in doc_lines[span.start + 1:span.end])[:40]


def _flat(sections: list) -> list:  # noqa: ANN001 - list[Section]
    out = []
    for s in sections:
        out.append(s)
        out += _flat(s.subsections)
    return out


def _title(pattern: str, rec: Any) -> str:
    from juesuan import patterns

    try:
        return patterns.render(pattern, {"year": rec.year or 0, "dept": rec.department or "", "last_year": (rec.year or 1) - 1})
    except Exception:  # noqa: BLE001 - a title is only for the message
        return pattern
