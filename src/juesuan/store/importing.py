"""Importing into the store: datasets (YAML, JSON, workbooks) and published documents.

Each file is one unit of work (one transaction): it is read completely first,
then written; a file that cannot be read leaves the store as it was.  Content
is identified by its SHA-256, so importing the same content twice changes
nothing; a new version of a department-year replaces the current one
atomically (the old one is kept, no longer current).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from juesuan.store import Store

__all__ = ["DATASET_SUFFIXES", "DOCUMENT_SUFFIXES", "Imported", "import_paths"]

DATASET_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".html", ".htm")


@dataclass
class Imported:
    path: str
    what: str  # 数据集 / 文档
    status: str  # 新增, 新版本, 未变化, 失败
    detail: str = ""


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            if (p / "dataset.yaml").is_file():
                out.append(p / "dataset.yaml")
                continue
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in
                          DATASET_SUFFIXES + DOCUMENT_SUFFIXES and not f.name.startswith("."))
        else:
            out.append(p)
    return out


def _who(who: str | None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this machine
        return "unknown"


def import_paths(store: Store, paths: list[Path], who: str | None = None) -> list[Imported]:
    """Import every file (a folder: its dataset.yaml, or every dataset and document in it)."""
    by = _who(who)
    return [_import_one(store, f, by) for f in _files(paths)]


def _import_one(store: Store, path: Path, who: str) -> Imported:
    from juesuan.readers.errors import InputError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Imported(str(path), "文件", "失败", f"无法读取：{exc.strerror}")
    digest = hashlib.sha256(raw).hexdigest()
    suffix = path.suffix.lower()
    is_dataset = suffix in DATASET_SUFFIXES and not (suffix == ".json" and _is_report(raw))
    try:
        if is_dataset:
            return _import_dataset(store, path, digest, who)
        return _import_document(store, path, digest, who)
    except InputError as exc:
        return Imported(str(path), "数据集" if is_dataset else "文档", "失败", exc.describe())


def _is_report(raw: bytes) -> bool:
    return raw.lstrip().startswith(b'{"documents"')


# --- datasets ---------------------------------------------------------------------------


def _import_dataset(store: Store, path: Path, digest: str, who: str) -> Imported:
    from juesuan.readers.loader import load_dataset
    from juesuan.store.schema import LineItem

    ds, prov = load_dataset(path)  # InputError: nothing is written
    kind = getattr(ds, "kind", None) or "决算"
    data = ds.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    items = [LineItem(part=part, code=code, name=name, column=column, amount=amount, unit=ds.unit, path=p,
                      source=_where(prov, p)) for p, part, code, name, column, amount in figures(ds)]
    try:
        return _write_dataset(store, path, digest, who, ds, kind, data, items)
    except IntegrityError:
        # another process created the same organisation or version meanwhile: this transaction
        # was rolled back whole; once more sees what it wrote
        return _write_dataset(store, path, digest, who, ds, kind, data, _copy(items))


def _copy(items: list[Any]) -> list[Any]:
    from juesuan.store.schema import LineItem

    return [LineItem(part=i.part, code=i.code, name=i.name, column=i.column, amount=i.amount, unit=i.unit,
                     path=i.path, source=i.source) for i in items]


def _organisation(s: Any, name: str, parent: Any = None, nature: str | None = None) -> Any:
    from sqlalchemy import select

    from juesuan.store.schema import Organisation

    org = s.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, parent_id=parent.id if parent is not None else None, nature=nature or None)
        s.add(org)
        s.flush()
    elif nature and not org.nature:
        org.nature = nature
    return org


def _write_dataset(store: Store, path: Path, digest: str, who: str, ds: Any, kind: str, data: dict,
                   items: list[Any]) -> Imported:
    from sqlalchemy import select

    from juesuan.store.schema import DatasetVersion

    with store.session.begin() as s:  # type: ignore[attr-defined]
        org = _organisation(s, ds.department.name)
        for unit in ds.department.units:  # the department's budget units, as a tree under it
            if unit.name == org.name:
                org.nature = org.nature or unit.nature or None
            else:
                _organisation(s, unit.name, org, unit.nature)
        same = select(DatasetVersion).where(DatasetVersion.organisation_id == org.id,
                                            DatasetVersion.year == ds.year, DatasetVersion.kind == kind)
        if s.scalar(same.where(DatasetVersion.content_hash == digest)) is not None:
            return Imported(str(path), "数据集", "未变化", f"{org.name} {ds.year} 年{kind}")
        older = list(s.scalars(same.where(DatasetVersion.current.is_(True))))
        for v in older:
            v.current = False
        s.add(DatasetVersion(organisation_id=org.id, year=ds.year, kind=kind, source=str(path),
                             content_hash=digest, imported_at=datetime.now(), imported_by=who, current=True,
                             unit=ds.unit, data=json.dumps(data, ensure_ascii=False), items=items))
    status = "新版本" if older else "新增"
    return Imported(str(path), "数据集", status, f"{ds.department.name} {ds.year} 年{kind}，{len(items)} 个数")


def _where(prov: Any, path: str) -> str | None:
    try:
        return prov.get(path).describe() or None
    except Exception:  # noqa: BLE001 - a figure without a recorded place
        return None


def figures(ds: Any) -> list[tuple[str, str, str | None, str | None, str, Decimal]]:
    """Every amount of a dataset as (model path, part, code, name, column, amount).

    The model is walked, not listed by hand: a new field of the accounts becomes
    a line item without a change here."""
    out: list[tuple[str, str, str | None, str | None, str, Decimal]] = []

    def walk(value: Any, path: str, part: str, code: str | None, name: str | None, rel: str) -> None:
        if isinstance(value, Decimal):
            out.append((path, part, code, name, rel or part, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}", part, code, name, f"{rel}.{k}" if rel else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                row = v if isinstance(v, dict) else {}
                walk(v, f"{path}[{i}]", part, row.get("code") or code, row.get("name") or name, "")

    dump = ds.model_dump(mode="python", by_alias=False)
    for key, value in dump.items():
        if key not in ("department", "contact", "texts", "reasons", "last_year", "stated", "not_given"):
            walk(value, key, key, None, None, "")
    return out


# --- documents --------------------------------------------------------------------------


def _import_document(store: Store, path: Path, digest: str, who: str) -> Imported:
    from sqlalchemy import select

    from juesuan.audit.checks_run import audit_document
    from juesuan.audit.report import doc_data
    from juesuan.store.schema import AuditRecord, FindingRow, LineItem

    with store.session() as s:  # type: ignore[attr-defined]
        if s.scalar(select(AuditRecord.id).where(AuditRecord.doc_hash == digest)) is not None:
            return Imported(str(path), "文档", "未变化", "同一内容已审核并入库")
    a = audit_document(path)
    report = doc_data(a)
    record = AuditRecord(
        doc_hash=digest, path=str(path), kind=a.kind, profile=a.profile, profile_score=a.profile_score,
        department=a.department, year=a.year, audited_at=datetime.now(), audited_by=who, error=a.error,
        report=json.dumps(report, ensure_ascii=False),
        extracted=None if a.dataset is None else a.dataset.model_dump_json(by_alias=True, exclude_defaults=True),
        findings=[FindingRow(rule=f.rule, severity=f.severity.value, message=f.message, page=f.location.page,
                             line=f.location.line, expected=f.expected, found=f.found) for f in a.findings])
    with store.session.begin() as s:  # type: ignore[attr-defined]
        s.add(record)
    if a.dataset is not None and a.kind in ("部门决算", "单位决算"):
        # the figures recovered from the document become that department-year's version too,
        # located at their pages and lines, so comparisons include audited documents
        ds = a.dataset
        data = ds.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        items = [LineItem(part=part, code=code, name=name, column=column, amount=amount, unit=ds.unit, path=p,
                          source=_where(a.provenance, p)) for p, part, code, name, column, amount in figures(ds)]
        try:
            _write_dataset(store, path, digest, who, ds, "决算", data, items)
        except IntegrityError:
            _write_dataset(store, path, digest, who, ds, "决算", data, _copy(items))
    if a.error:
        return Imported(str(path), "文档", "新增", f"{a.kind or '未审核'}：{a.error.splitlines()[0][:60]}")
    sev = report["summary"]
    return Imported(str(path), "文档", "新增", f"{a.kind} {a.department or ''} {a.year or ''}：错误 {sev['error']}，"
                    f"警告 {sev['warning']}")
