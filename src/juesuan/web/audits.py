"""Audited documents for the reviewers: the report view, the page image with the figure boxed,
dismissals, re-audits and the background audit of uploaded documents."""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.store import Store, StoreError
from juesuan.web.jobs import Outcome

__all__ = ["dismiss", "page_png", "report_of", "report_view", "store_figures", "store_reaudit", "store_upload"]


# PDFium is not thread-safe: every use of it in the server's process (page images and the
# document lines beside a finding) holds this lock; audits run in worker processes (web.jobs)
PDFIUM = threading.RLock()


@lru_cache(maxsize=16)
def _document(path: str, mtime: float):  # noqa: ANN202 - SourceDoc (mtime: a changed file is read again)
    from juesuan.audit.document import read_document

    with PDFIUM:
        return read_document(Path(path))


def document_lines(path: str):  # noqa: ANN201
    p = Path(path)
    try:
        return _document(str(p), p.stat().st_mtime).lines
    except Exception:  # noqa: BLE001 - the file is gone or unreadable now: the report still shows
        return []


def _record(s, audit_id: int):  # noqa: ANN001, ANN202
    from juesuan.store.schema import AuditRecord

    a = s.get(AuditRecord, audit_id)
    if a is None:
        raise LookupError(audit_id)
    return a


def report_view(store: Store, audit_id: int) -> dict[str, Any]:
    """The audit, its findings (dismissed ones apart, with their reasons) and the document's lines."""
    from sqlalchemy import select

    from juesuan.store.schema import Dismissal, FindingRow

    with store.session() as s:  # type: ignore[attr-defined]
        a = _record(s, audit_id)
        report = json.loads(a.report)
        rows = list(s.scalars(select(FindingRow).where(FindingRow.audit_id == a.id).order_by(FindingRow.id)))
        dismissed = {(d.rule, d.page, d.line): {"who": d.who, "why": d.why, "at": d.at}
                     for d in s.scalars(select(Dismissal).where(Dismissal.doc_hash == a.doc_hash))}
        head = {"id": a.id, "path": a.path, "name": Path(a.path).name, "kind": a.kind, "profile": a.profile,
                "department": a.department, "year": a.year, "error": a.error, "audited_at": a.audited_at,
                "audited_by": a.audited_by, "pdf": a.path.lower().endswith(".pdf")}
    extra = report.get("findings", [])
    findings = []
    for i, f in enumerate(rows):
        more = extra[i] if i < len(extra) and extra[i].get("rule") == f.rule else {}
        loc = more.get("location") or {}
        findings.append({"id": f.id, "rule": f.rule, "severity": f.severity, "message": f.message, "page": f.page,
                         "line": f.line, "expected": f.expected, "found": f.found, "excerpt": loc.get("excerpt"),
                         "related": more.get("related", []), "dismissed": dismissed.get((f.rule, f.page, f.line))})
    active = [f for f in findings if not f["dismissed"]]
    counts = {sev: sum(f["severity"] == sev for f in active) for sev in ("error", "warning", "info")}
    return {"audit": head, "findings": findings, "counts": counts,
            "dismissed": len(findings) - len(active), "summary": report.get("summary", {})}


def finding_context(store: Store, audit_id: int, finding_id: int, around: int = 4) -> dict[str, Any]:
    """One finding beside the page: the lines around it (the finding's marked) and its related lines."""
    view = report_view(store, audit_id)
    f = next((x for x in view["findings"] if x["id"] == finding_id), None)
    if f is None:
        raise LookupError(finding_id)
    lines = document_lines(view["audit"]["path"])
    at = [i for i, ln in enumerate(lines) if ln.page == f["page"] and ln.number == f["line"]]
    snippet = []
    if at:
        lo, hi = max(0, at[0] - around), min(len(lines), at[0] + around + 1)
        for ln in lines[lo:hi]:
            snippet.append(_marked(ln, f if (ln.page, ln.number) == (f["page"], f["line"]) else None))
    related = []
    for r in f["related"]:
        ln = next((x for x in lines if x.page == r.get("page") and x.number == r.get("line")), None)
        if ln is not None:
            related.append({"page": ln.page, "line": ln.number, "text": ln.text})
    return {**view, "finding": f, "snippet": snippet, "related_lines": related}


def needle(text: str, found: str | None) -> tuple[int, int] | None:
    """Where the finding's printed figure stands in ``text``: the value as found, else its number
    (``0.30万元`` is printed ``0.3万元``); None when it is not there."""
    import re

    found = (found or "").strip()
    if not found or len(found) > 60:
        return None
    tries = [found]
    number = re.search(r"-?\d[\d,]*(?:\.\d+)?", found)
    if number:
        n = number.group(0)
        tries += [n, n.rstrip("0").rstrip(".") if "." in n else n]
    for t in tries:
        m = re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", text)
        if m:
            return m.start(), m.end()
    return None


def _marked(ln, f: dict | None) -> dict[str, Any]:  # noqa: ANN001 - Line
    """A line split into (before, mark, after) around the finding's figure, for the template to escape."""
    text = ln.text
    if f is None:
        return {"page": ln.page, "line": ln.number, "parts": [text, "", ""], "hit": False}
    at = needle(text, f.get("found"))
    if at is None:
        return {"page": ln.page, "line": ln.number, "parts": ["", text, ""], "hit": True}
    return {"page": ln.page, "line": ln.number, "parts": [text[:at[0]], text[at[0]:at[1]], text[at[1]:]], "hit": True}


def page_png(path: str, page: int, line: int | None, found: str | None, scale: float = 1.5) -> bytes:
    """The PDF page as printed, with the finding's figure (else its whole line) boxed in red."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    document_lines(path)  # read (and cached) before the lock is taken for the page
    with PDFIUM:
        return _page_png(pdfium, ImageDraw, path, page, line, found, scale)


def _page_png(pdfium, ImageDraw, path: str, page: int, line: int | None, found: str | None,  # noqa: ANN001, N803
              scale: float) -> bytes:
    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page <= len(pdf):
            raise LookupError(page)
        p = pdf[page - 1]
        height = p.get_height()
        image = p.render(scale=scale).to_pil().convert("RGB")
        textpage = p.get_textpage()
        try:
            boxes = _boxes(textpage, path, page, line, found)
        finally:
            textpage.close()
            p.close()
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle([x0 * scale - 3, (height - y1) * scale - 3, x1 * scale + 3, (height - y0) * scale + 3],
                       outline=(220, 0, 0), width=3)
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _boxes(textpage, path: str, page: int, line: int | None,  # noqa: ANN001 - PdfTextPage
           found: str | None) -> list[tuple[float, float, float, float]]:
    """The figure's box on the page (PDFium's own character boxes of the figure where it is
    printed on the finding's line), else the whole line's."""
    ln = next((x for x in document_lines(path) if x.page == page and x.number == line), None)
    if ln is None:
        return []
    words = [w for w in ln.words if w.y1 > w.y0]
    at = needle(ln.text, found)
    if at is not None and words:
        lo, hi = min(w.y0 for w in words), max(w.y1 for w in words)
        searcher = textpage.search(ln.text[at[0]:at[1]], match_case=True)
        try:
            while (hit := searcher.get_next()) is not None:
                start, count = hit
                chars = [textpage.get_charbox(i) for i in range(start, start + count)]
                if chars and all(lo - 2 <= (b + t) / 2 <= hi + 2 for _, b, _, t in chars):
                    return [(min(c[0] for c in chars), min(c[1] for c in chars), max(c[2] for c in chars),
                             max(c[3] for c in chars))]
        finally:
            searcher.close()
    if not words:
        return []
    return [(min(w.x0 for w in words), min(w.y0 for w in words), max(w.x1 for w in words),
             max(w.y1 for w in words))]


def dismiss(store: Store, audit_id: int, finding_id: int, why: str, who: str) -> None:
    from sqlalchemy import select

    from juesuan.store.schema import Dismissal, FindingRow
    from juesuan.web.users import log_change

    why = why.strip()
    if not why:
        raise StoreError("请写明判为误报的理由")
    with store.session.begin() as s:  # type: ignore[attr-defined]
        a = _record(s, audit_id)
        f = s.get(FindingRow, finding_id)
        if f is None or f.audit_id != a.id:
            raise LookupError(finding_id)
        same = select(Dismissal.id).where(Dismissal.doc_hash == a.doc_hash, Dismissal.rule == f.rule,
                                          Dismissal.page == f.page, Dismissal.line == f.line)
        if s.scalar(same) is None:
            s.add(Dismissal(doc_hash=a.doc_hash, rule=f.rule, page=f.page, line=f.line, found=f.found, who=who,
                            why=why[:2000], at=datetime.now()))
            log_change(s, who, "判为误报", f"{Path(a.path).name} {f.rule} 第{f.page}页第{f.line}行", why)


_BATCH_ONLY = ("status", "counts", "pages", "figures", "reason", "seconds", "worker_peak_mb")
_ACCOUNTS = ("部门决算", "单位决算")


def report_of(record: dict[str, Any], name: str) -> dict[str, Any]:
    """The ``juesuan audit -f json`` report of one document from a batch audit record."""
    report = {k: v for k, v in record.items() if k not in _BATCH_ONLY}
    report["path"] = name
    return report


def _fill(rec, record: dict[str, Any], who: str) -> None:  # noqa: ANN001 - AuditRecord
    from juesuan.store.schema import FindingRow

    rec.kind, rec.profile, rec.profile_score = record.get("kind"), record.get("profile"), record.get("profile_score")
    rec.department, rec.year, rec.error = record.get("department"), record.get("year"), record.get("error")
    rec.audited_at, rec.audited_by = datetime.now(), who
    rec.report = json.dumps(report_of(record, rec.path), ensure_ascii=False)
    rec.findings.extend(FindingRow(rule=f["rule"], severity=f["severity"], message=f["message"],
                                   page=f["location"]["page"], line=f["location"]["line"], expected=f.get("expected"),
                                   found=f.get("found")) for f in record["findings"])


def _summary(record: dict[str, Any]) -> str:
    sev = record.get("summary") or {}
    return (f"{record.get('kind')} {record.get('department') or ''} {record.get('year') or ''}：错误 {sev.get('error', 0)}，"
            f"警告 {sev.get('warning', 0)}")


def store_reaudit(store: Store, doc, record: dict[str, Any], who: str) -> Outcome:  # noqa: ANN001 - jobs.Doc
    """The record of a document audited again with the current rules: its findings replaced,
    dismissals kept (they are keyed by the document's content)."""
    from juesuan.web.users import log_change

    if "findings" not in record:
        return Outcome(doc.name, False, record.get("reason") or "重新审核失败")
    with store.session.begin() as s:  # type: ignore[attr-defined]
        rec = _record(s, doc.ref)
        rec.findings.clear()
        s.flush()
        _fill(rec, record, who)
        log_change(s, who, "重新审核", doc.name, f"{len(record['findings'])} 条问题")
    error = record.get("error")
    return Outcome(doc.name, not error, error or f"{len(record['findings'])} 条问题", f"/audits/{doc.ref}")


def store_upload(store: Store, doc, record: dict[str, Any], who: str):  # noqa: ANN001, ANN201 - jobs.Doc
    """The record of one uploaded document, audited in a worker process, stored as
    ``juesuan db import`` stores a document; a 决算 document asks for its figures
    (a second pass, ``extract``) to become that department-year's version."""
    from functools import partial

    from sqlalchemy import select

    from juesuan.store.schema import AuditRecord
    from juesuan.web.users import log_change

    if "findings" not in record:  # the worker gave no report: stopped past the time limit, crashed
        return Outcome(doc.name, False, record.get("reason") or "审核失败")
    with store.session.begin() as s:  # type: ignore[attr-defined]
        old = s.scalar(select(AuditRecord.id).where(AuditRecord.doc_hash == doc.ref))
        if old is not None:
            return Outcome(doc.name, True, "未变化：同一内容已审核并入库", f"/audits/{old}")
        rec = AuditRecord(doc_hash=doc.ref, path=doc.path)
        _fill(rec, record, who)
        s.add(rec)
        s.flush()
        link = f"/audits/{rec.id}"
        log_change(s, who, "审核入库", doc.name, _summary(record))
    error = record.get("error")
    if error:
        return Outcome(doc.name, False, error, link)
    outcome = Outcome(doc.name, True, f"新增：{_summary(record)}", link)
    if record.get("kind") in _ACCOUNTS:
        return outcome, ("extract", partial(store_figures, store, doc, who=who))
    return outcome


def store_figures(store: Store, doc, record: dict[str, Any], who: str) -> None:  # noqa: ANN001 - jobs.Doc
    """A 决算 document's recovered figures: the audit's ``extracted`` and a version of the
    department-year, so comparisons include published documents."""
    from pathlib import Path

    from sqlalchemy import select

    from juesuan.model.accounts import Dataset
    from juesuan.store.importing import _write_dataset, figures
    from juesuan.store.schema import AuditRecord, LineItem

    if record.get("status") != "ok" or not isinstance(record.get("dataset"), dict):
        return
    ds = Dataset.model_validate(record["dataset"])
    data = ds.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    with store.session.begin() as s:  # type: ignore[attr-defined]
        rec = s.scalar(select(AuditRecord).where(AuditRecord.doc_hash == doc.ref))
        if rec is not None:
            rec.extracted = json.dumps(data, ensure_ascii=False)
    items = [LineItem(part=part, code=code, name=name, column=column, amount=amount, unit=ds.unit, path=p)
             for p, part, code, name, column, amount in figures(ds)]
    _write_dataset(store, Path(doc.path), doc.ref, who, ds, "决算", data, items)
