"""Audit reports: text (rich), JSON, and a self-contained HTML page per run.

One view model (``report_data``) feeds the JSON and the HTML; the text report
prints the same findings.  The HTML shows the document's lines with each
finding's excerpt marked in place, the message beside it, and a summary on top.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import Any

from rich.markup import escape

from juesuan.audit.checks_run import DocAudit
from juesuan.audit.report_places import where, word_places
from juesuan.model.findings import Severity

__all__ = ["render_html", "render_json", "render_text", "report_data"]


def _summary(a: DocAudit) -> dict[str, int]:
    return {s.value: sum(1 for f in a.findings if f.severity is s) for s in Severity}


def _places(a: DocAudit) -> dict[tuple[int | None, int], str] | None:
    """Heading and paragraph of every line of a Word document (None for the others)."""
    return word_places(a.lines) if a.source_kind == "docx" else None


def doc_data(a: DocAudit) -> dict[str, Any]:
    places = _places(a)
    return {
        "path": a.path,
        "error": a.error,
        "kind": a.kind,
        "kind_reason": a.kind_reason,
        "profile": a.profile,
        "profile_score": None if a.profile_score is None else round(a.profile_score, 2),
        "profile_basis": a.profile_basis,
        "year": a.year,
        "department": a.department,
        "summary": _summary(a),
        "claims_read": a.claims,
        "claims_read_generic": a.claims_generic,
        "tables_read": a.tables,
        "tables_uncertain": a.tables_uncertain,
        "checks_run": sorted(set(a.run)),
        "checks_skipped": [{"check": s.check, "reason": s.reason,
                            **({"location": s.location.to_dict()} if s.location else {})} for s in a.skipped],
        "findings": [{
            "rule": f.rule, "severity": f.severity.value, "message": f.message,
            "location": {"page": f.location.page, "line": f.location.line, "excerpt": f.location.excerpt,
                         "place": where(f.location.page, f.location.line, places)},
            "expected": f.expected, "found": f.found,
            "related": [{"page": r.page, "line": r.line} for r in f.related],
        } for f in a.findings],
    }


def report_data(audits: list[DocAudit]) -> dict[str, Any]:
    return {"documents": [doc_data(a) for a in audits]}


def render_json(audits: list[DocAudit]) -> str:
    return json.dumps(report_data(audits), ensure_ascii=False, indent=2) + "\n"


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_text(audits: list[DocAudit], console) -> None:  # noqa: ANN001 - rich Console
    for a in audits:
        console.print(f"[bold]{escape(a.path)}[/]", markup=True)
        if a.error:
            console.print("  [bold red]无法审核[/]：" + escape(a.error), markup=True)
            continue
        console.print(f"  {a.kind or '决算'} · {a.department or '（部门未识别）'} {a.year or '?'} 年度 · "
                      f"样式 {a.profile}（{a.profile_basis or ''}） · "
                      f"运行检查 {len(set(a.run))} 项，未能运行 {len(a.skipped)} 项", markup=False)
        places = _places(a)
        for f in a.findings:
            place = escape(where(f.location.page, f.location.line, places))
            console.print(f"  [{_STYLE[f.severity]}]{f.severity.label}[/] [dim]{f.rule}[/]  {place}", markup=True)
            console.print(f"      {f.message}", markup=False)
            if f.location.excerpt:
                console.print(f"      [dim]原文：{escape(f.location.excerpt[:60])}[/]", markup=True)
        for s in a.skipped:
            console.print(f"  [dim]未检查 {escape(s.check)}：{escape(s.reason)}[/]", markup=True)
        s = _summary(a)
        verdict = "未发现问题。" if not a.findings else f"共 {len(a.findings)} 条：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}。"
        console.print(f"  {verdict}")


def render_html(audits: list[DocAudit]) -> str:
    """One self-contained page (inline CSS, no script or font from elsewhere)."""
    css = resources.files("juesuan.audit").joinpath("templates/audit.css").read_text(encoding="utf-8")
    parts = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>决算公开审核报告</title>"
             f"<style>{css}</style></head><body><h1>决算公开审核报告</h1>"]
    for n, a in enumerate(audits):
        parts.append(_doc_html(a, n))
    parts.append("</body></html>")
    return "".join(parts)


def _doc_html(a: DocAudit, n: int) -> str:
    e = html.escape
    out = [f"<section class=\"doc\"><h2>{e(a.path)}</h2>"]
    if a.error:
        kind = f"（{e(a.kind)}）" if a.kind else ""
        out.append(f"<p class=\"unusable\">无法审核{kind}：{e(a.error)}</p></section>")
        return "".join(out)
    s = _summary(a)
    basis = f"（{e(a.profile_basis)}）" if a.profile_basis else ""
    out.append(f"<div class=\"summary\"><p>{e(a.kind or '决算')} · {e(a.department or '')} {a.year or ''} 年度 · "
               f"样式 {e(a.profile or '')}{basis}</p>"
               f"<p><span class=\"error\">错误 {s['error']}</span> · <span class=\"warning\">警告 {s['warning']}</span>"
               f" · 提示 {s['info']} · 运行检查 {len(set(a.run))} 项 · 未能运行 {len(a.skipped)} 项</p><ol>")
    places = _places(a)
    for i, f in enumerate(a.findings):
        out.append(f"<li class=\"{f.severity.value}\"><a href=\"#f{n}-{i}\">"
                   f"{e(where(f.location.page, f.location.line, places))}</a>"
                   f" <code>{e(f.rule)}</code> {e(f.message)}</li>")
    out.append("</ol>")
    if a.skipped:
        out.append("<details><summary>未能运行的检查</summary><ul>")
        out += [f"<li><code>{e(x.check)}</code> {e(x.reason)}</li>" for x in a.skipped]
        out.append("</ul></details>")
    out.append("</div><div class=\"text\">")
    at: dict[tuple[int | None, int], list[tuple[int, Any]]] = {}
    for i, f in enumerate(a.findings):
        if f.location.line is not None:
            at.setdefault((f.location.page, f.location.line), []).append((i, f))
    from juesuan.audit.report_pages import page_images

    images = page_images(a)
    last_page, seen = None, 0
    for page, line, text in a.lines:
        if page != last_page and page is not None and places is None:  # Word has no pages of its own
            out.append(f"<div class=\"page\">第 {page} 页</div>")
            if page in images:
                out.append(f"<details class=\"page-image\" open><summary>第 {page} 页原样（问题数字已框出，"
                           f"编号同上方清单）</summary><img alt=\"第 {page} 页\" src=\"{images[page]}\"></details>")
            last_page = page
        seen += bool(text.strip())
        marks = at.get((page, line), [])
        body = _mark(text, marks, n)
        cls = " flagged" if marks else ""
        cls += " several" if len(marks) > 1 else ""
        no = seen if places is not None else line
        out.append(f"<div class=\"line{cls}\"><span class=\"no\">{no}</span><span class=\"t\">{body}</span>"
                   f"{_notes(marks, n)}</div>")
    out.append("</div></section>")
    return "".join(out)


def _notes(marks: list[tuple[int, Any]], n: int) -> str:
    """The messages beside a line: one note per finding, numbered as in the list above."""
    if not marks:
        return ""
    e = html.escape
    items = "".join(f"<p id=\"f{n}-{i}\" class=\"{f.severity.value}\"><b>{i + 1}</b> "
                    f"{e(f.severity.label)}：{e(f.message)}</p>" for i, f in marks)
    return f"<aside>{items}</aside>"


def _mark(text: str, marks: list[tuple[int, Any]], n: int) -> str:
    """The line with each finding's figure marked (the found value, else the whole line)."""
    e = html.escape
    spans: list[tuple[int, int, Any]] = []
    for _, f in marks:
        m = _locate(text, f.found)
        if m:
            spans.append((m[0], m[1], f))
    if not spans:
        return e(text) if not marks else f"<mark title=\"{e(marks[0][1].message)}\">{e(text)}</mark>"
    spans.sort(key=lambda s: s[0])
    number = {id(f): i + 1 for i, f in marks}
    out, pos = [], 0
    for a, b, f in spans:
        if a < pos:  # the same figure found by two findings: one mark, both numbers
            out[-1] = out[-1].replace("</sup></mark>", f",{number[id(f)]}</sup></mark>")
            continue
        out.append(e(text[pos:a]))
        out.append(f"<mark class=\"{f.severity.value}\" title=\"{e(f.message)}\">{e(text[a:b])}"
                   f"<sup>{number[id(f)]}</sup></mark>")
        pos = b
    out.append(e(text[pos:]))
    return "".join(out)


def _locate(text: str, found: str | None) -> tuple[int, int] | None:
    if not found:
        return None
    core = re.sub(r"万元$|%$", "", found).replace(",", "")
    if not core:
        return None
    digits = r"[\s,，]*".join(re.escape(ch) for ch in core)
    variants = [digits]
    if "." in core:  # 0.30 printed as 0.3, 0.00% as 0%
        short = core.rstrip("0").rstrip(".")
        variants.append(r"[\s,，]*".join(re.escape(ch) for ch in short) + r"(?![\d.])")
    for v in variants:
        m = re.search(r"(?<![\d.])" + v, text)
        if m:
            return m.span()
    return None
