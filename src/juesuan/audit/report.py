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
from juesuan.model.findings import Severity

__all__ = ["render_html", "render_json", "render_text", "report_data"]


def _summary(a: DocAudit) -> dict[str, int]:
    return {s.value: sum(1 for f in a.findings if f.severity is s) for s in Severity}


def doc_data(a: DocAudit) -> dict[str, Any]:
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
            "location": {"page": f.location.page, "line": f.location.line, "excerpt": f.location.excerpt},
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
        for f in a.findings:
            where = _where(f.location.page, f.location.line)
            console.print(f"  [{_STYLE[f.severity]}]{f.severity.label}[/] [dim]{f.rule}[/]  {where}", markup=True)
            console.print(f"      {f.message}", markup=False)
            if f.location.excerpt:
                console.print(f"      [dim]原文：{escape(f.location.excerpt[:60])}[/]", markup=True)
        for s in a.skipped:
            console.print(f"  [dim]未检查 {escape(s.check)}：{escape(s.reason)}[/]", markup=True)
        s = _summary(a)
        verdict = "未发现问题。" if not a.findings else f"共 {len(a.findings)} 条：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}。"
        console.print(f"  {verdict}")


def _where(page: int | None, line: int | None) -> str:
    return "，".join(x for x in (f"第 {page} 页" if page else "", f"第 {line} 行" if line else "") if x) or "全文"


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
    for i, f in enumerate(a.findings):
        out.append(f"<li class=\"{f.severity.value}\"><a href=\"#f{n}-{i}\">{_where(f.location.page, f.location.line)}</a>"
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
    last_page = None
    for page, line, text in a.lines:
        if page != last_page and page is not None:
            out.append(f"<div class=\"page\">第 {page} 页</div>")
            last_page = page
        marks = at.get((page, line), [])
        body = _mark(text, marks, n)
        notes = "".join(f"<aside id=\"f{n}-{i}\" class=\"{f.severity.value}\">{e(f.severity.label)}：{e(f.message)}</aside>"
                        for i, f in marks)
        cls = " flagged" if marks else ""
        out.append(f"<div class=\"line{cls}\"><span class=\"no\">{line}</span><span class=\"t\">{body}</span>{notes}</div>")
    out.append("</div></section>")
    return "".join(out)


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
    out, pos = [], 0
    for a, b, f in spans:
        if a < pos:
            continue
        out.append(e(text[pos:a]))
        out.append(f"<mark class=\"{f.severity.value}\" title=\"{e(f.message)}\">{e(text[a:b])}</mark>")
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
