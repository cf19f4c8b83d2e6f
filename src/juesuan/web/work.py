"""What the pages and the API do with the store: a department-year's dataset with the texts
the forms collected laid over it, its check, its build, the reviewers' dashboard.

Pure of HTTP: every function takes the store and plain values, so the pages, the
JSON API and the benchmarks call the same code.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.store import Store, StoreError

__all__ = ["FormInvalid", "Workspace", "build_files", "check_path", "dashboard", "last_year_prose", "load_workspace",
           "save_forms"]

STATUSES = ("未提交", "已提交", "有问题", "已通过", "已公开")


@dataclass
class Workspace:
    department: str
    year: int
    dataset: Any  # Dataset, forms laid over it
    provenance: Any
    findings: list[Any]
    skipped: list[tuple[str, str]]
    notes: list[str]
    source: str
    forms: dict[str, str]


def check_dataset(ds, prov) -> tuple[list[Any], list[tuple[str, str]]]:  # noqa: ANN001
    from juesuan.rules.engine import Context, run_rules

    ctx = Context(ds, prov)
    return run_rules(ctx), ctx.skipped


def check_path(path: Path, label: str) -> dict[str, Any]:
    """The JSON of ``juesuan check -f json`` for one dataset file (InputError when unreadable)."""
    from juesuan.cli.check import check_report
    from juesuan.readers.loader import load_dataset

    ds, prov = load_dataset(path)
    findings, skipped = check_dataset(ds, prov)
    return check_report(label, ds, findings, skipped)


def _current_version(s, department: str, year: int):  # noqa: ANN001, ANN202
    from sqlalchemy import select

    from juesuan.store.schema import DatasetVersion, Organisation

    return s.scalar(select(DatasetVersion).join(Organisation).where(
        Organisation.name == department, DatasetVersion.year == year, DatasetVersion.kind == "决算",
        DatasetVersion.current.is_(True)))


def forms_of(store: Store, department: str, year: int) -> dict[str, str]:
    from sqlalchemy import select

    from juesuan.store.schema import FormEntry

    with store.session() as s:  # type: ignore[attr-defined]
        return {e.key: e.value for e in s.scalars(select(FormEntry).where(
            FormEntry.department == department, FormEntry.year == year))}


def overlay(ds, forms: dict[str, str]):  # noqa: ANN001, ANN201 - Dataset
    """The dataset with the forms' texts: ``reason:<code>``, ``reasons:<key>``, ``dept:<field>``,
    ``texts:<key>``, and the figures and texts of ``web.forms`` (procurement, assets, performance);
    an empty form leaves the dataset's own."""
    from juesuan.web import forms as extra

    data = ds.model_dump(mode="python", by_alias=True)
    for key, value in forms.items():
        value = value.strip()
        if not value:
            continue
        kind, _, name = key.partition(":")
        if kind == "reason":
            for row in data["expenditure"]:
                if row["code"] == name:
                    row["reason"] = value
        elif kind == "reasons":
            data["reasons"][name] = value
        elif kind == "texts":
            data["texts"][name] = value
        elif kind == "dept" and name in ("functions", "structure"):
            data["department"][name] = value
        elif kind == "dept" and name in ("main_work", "duties"):
            data["department"][name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif kind in extra.KINDS:
            extra.apply(data, key, value)
    return type(ds).model_validate(data)


def load_workspace(store: Store, department: str, year: int) -> Workspace | None:
    """The current 决算 version of a department-year, the forms over it, its findings; None if none.

    When the imported file is still there unchanged it is read again, so the findings keep
    their sheet and cell; otherwise the stored copy is used (located by model path)."""
    from juesuan.model.accounts import Dataset
    from juesuan.model.findings import Provenance
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import load_dataset
    from juesuan.store.reuse import fill_from_store

    with store.session() as s:  # type: ignore[attr-defined]
        v = _current_version(s, department, year)
        if v is None:
            return None
        source, digest, data = v.source, v.content_hash, v.data
    ds = prov = None
    p = Path(source)
    try:
        if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json", ".xlsx", ".xlsm") and \
                hashlib.sha256(p.read_bytes()).hexdigest() == digest:
            ds, prov = load_dataset(p)
    except (InputError, OSError):
        ds = None
    if ds is None:
        ds, prov = Dataset.model_validate_json(data), Provenance()
    forms = forms_of(store, department, year)
    ds = overlay(ds, forms)
    ds, notes = fill_from_store(store, ds)
    findings, skipped = check_dataset(ds, prov)
    return Workspace(department, year, ds, prov, findings, skipped, notes, source, forms)


def last_year_prose(store: Store, ds) -> dict[str, str]:  # noqa: ANN001 - Dataset
    """The performance texts of the department's previous year in the store, by form key
    (the whole department's, and each self-evaluation's matched by project name); {} when none."""
    from juesuan.store.reuse import _versions
    from juesuan.web import forms as extra

    previous = next((d for y, d in _versions(store, ds.department.name, "决算", ds.year) if y == ds.year - 1), None)
    if previous is None:
        return {}
    out: dict[str, str] = {}
    data = previous.model_dump(mode="python", by_alias=True)
    names = {e.name for e in ds.performance.self_evaluations}
    for sec in extra.sections(previous):
        for f in sec["fields"]:
            kind, field, _, project = extra.split_key(f.key)
            if field in extra.PROSE and kind in ("perf", "eval") and (kind == "perf" or project in names):
                text = extra.current(data, f.key)
                if text:
                    out[f.key] = str(text)
    return out


def variances(ds) -> list[dict[str, Any]]:  # noqa: ANN001 - Dataset
    """Every 项 whose final account differs from its 年初预算: each needs a reason."""
    out = []
    for row in ds.expenditure:
        if row.budget is None or len(row.code) != 7:
            continue
        actual = row.basic + row.project + row.to_superior + row.operating + row.affiliated
        if actual != row.budget:
            out.append({"code": row.code, "name": row.name, "budget": row.budget, "actual": actual,
                        "diff": actual - row.budget, "reason": row.reason})
    return out


class FormInvalid(StoreError):
    """Values the forms refused, each message naming its field; nothing was saved."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


def form_errors(values: dict[str, str]) -> list[str]:
    """Why the values of ``web.forms``' fields among ``values`` are refused (Chinese, by field)."""
    from juesuan.web import forms as extra

    return [m for k, v in values.items() if k.partition(":")[0] in extra.KINDS
            and (m := extra.validate(k, v)) is not None]


def save_forms(store: Store, department: str, year: int, values: dict[str, str], who: str) -> int:
    """Keep the forms' texts and figures (only the known kinds of key); each change is logged.
    ``FormInvalid`` (and nothing saved) when a figure or text is refused."""
    from sqlalchemy import select

    from juesuan.store.schema import FormEntry
    from juesuan.web import forms as extra
    from juesuan.web.users import log_change

    errors = form_errors(values)
    if errors:
        raise FormInvalid(errors)
    changed = 0
    with store.session.begin() as s:  # type: ignore[attr-defined]
        for key, value in values.items():
            if key.partition(":")[0] not in ("reason", "reasons", "texts", "dept", *extra.KINDS) or len(key) > 300:
                continue
            value = value[:20000]
            row = s.scalar(select(FormEntry).where(FormEntry.department == department, FormEntry.year == year,
                                                   FormEntry.key == key))
            if row is not None and row.value == value:
                continue
            if row is None:
                if not value.strip():
                    continue
                row = FormEntry(department=department, year=year, key=key, value=value,
                                updated_at=datetime.now(), updated_by=who)
                s.add(row)
            row.value, row.updated_at, row.updated_by = value, datetime.now(), who
            log_change(s, who, "填写", f"{department} {year} {key}", value[:200])
            changed += 1
    return changed


def set_status(store: Store, department: str, year: int, status: str, who: str, errors: int = 0) -> None:
    from sqlalchemy import select

    from juesuan.store.schema import Submission
    from juesuan.web.users import log_change

    if status not in STATUSES:
        raise StoreError(f"未知的状态：{status}")
    with store.session.begin() as s:  # type: ignore[attr-defined]
        row = s.scalar(select(Submission).where(Submission.department == department, Submission.year == year))
        if row is None:
            row = Submission(department=department, year=year, status=status, errors=errors,
                             updated_at=datetime.now(), updated_by=who)
            s.add(row)
        row.status, row.errors, row.updated_at, row.updated_by = status, errors, datetime.now(), who
        log_change(s, who, "状态", f"{department} {year}", status)


def build_files(ws: Workspace, formats: tuple[str, ...], draft: bool = False) -> tuple[Path, list[Path]]:
    """Build the disclosure into a new temporary folder; ``BuildRefused`` when errors block it."""
    from juesuan.render.build import build

    tmp = Path(tempfile.mkdtemp(prefix="juesuan-web-build-"))
    result = build(ws.dataset, ws.findings, tmp / "out", formats=formats, draft=draft)
    return result.out_dir, result.files


def zip_folder(folder: Path, files: list[Path]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, f.relative_to(folder).as_posix())
    return buf.getvalue()


def dashboard(store: Store, sort: str = "department") -> dict[str, Any]:
    """Every department × year with its status, the check's errors and the published audits'."""
    from sqlalchemy import func, select

    from juesuan.store.schema import (
        AuditRecord,
        DatasetVersion,
        Dismissal,
        FindingRow,
        Organisation,
        Submission,
    )

    with store.session() as s:  # type: ignore[attr-defined]
        orgs = {i: n for i, n in s.execute(select(Organisation.id, Organisation.name)
                                           .where(Organisation.parent_id.is_(None)))}
        have = {(orgs[o], y) for o, y in s.execute(select(DatasetVersion.organisation_id, DatasetVersion.year)
                                                   .where(DatasetVersion.current.is_(True))) if o in orgs}
        subs = {(r.department, r.year): r for r in s.scalars(select(Submission))}
        dismissed = {(d, r, p, line) for d, r, p, line in s.execute(
            select(Dismissal.doc_hash, Dismissal.rule, Dismissal.page, Dismissal.line))}
        audits: dict[tuple[str, int], list[int]] = {}
        q = (select(AuditRecord.id, AuditRecord.department, AuditRecord.year, AuditRecord.doc_hash,
                    FindingRow.rule, FindingRow.page, FindingRow.line, func.count())
             .join(FindingRow, FindingRow.audit_id == AuditRecord.id, isouter=True)
             .where((FindingRow.severity == "error") | FindingRow.id.is_(None))
             .group_by(AuditRecord.id, AuditRecord.department, AuditRecord.year, AuditRecord.doc_hash,
                       FindingRow.rule, FindingRow.page, FindingRow.line))
        for aid, dept, year, h, rule, page, line, n in s.execute(q):
            if dept is None or year is None:
                continue
            cell = audits.setdefault((dept, year), [aid, 0])
            if rule is not None and (h, rule, page, line) not in dismissed:
                cell[1] += n
    keys = have | set(subs) | set(audits)
    years = sorted({y for _, y in keys})
    rows = []
    for dept in sorted({d for d, _ in keys} | set(orgs.values())):
        for year in years:
            sub = subs.get((dept, year))
            audit = audits.get((dept, year))
            status = sub.status if sub is not None else ("已公开" if audit else "未提交")
            if status == "已提交" and sub.errors:
                status = "有问题"
            rows.append({"department": dept, "year": year, "status": status, "has_data": (dept, year) in have,
                         "check_errors": sub.errors if sub else None,
                         "audit_id": audit[0] if audit else None, "audit_errors": audit[1] if audit else None,
                         "updated_by": sub.updated_by if sub else "", "updated_at": sub.updated_at if sub else None})
    order = {"department": lambda r: (r["department"], r["year"]),
             "year": lambda r: (r["year"], r["department"]),
             "status": lambda r: (STATUSES.index(r["status"]), r["department"], r["year"])}
    rows.sort(key=order.get(sort, order["department"]))
    counts = {st: sum(r["status"] == st for r in rows) for st in STATUSES}
    return {"rows": rows, "years": years, "counts": counts, "sort": sort}


def dashboard_xlsx(board: dict[str, Any]) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "报送情况"
    ws.append(["部门", "年度", "状态", "检查错误", "公开文档审核错误", "最后操作人", "最后操作时间"])
    for r in board["rows"]:
        ws.append([r["department"], r["year"], r["status"], r["check_errors"], r["audit_errors"], r["updated_by"],
                   r["updated_at"].strftime("%Y-%m-%d %H:%M") if r["updated_at"] else None])
    ws.column_dimensions["A"].width = 36
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
