"""Batch results into the store (``--db``), from the parent process as each one finishes.

A worker never opens the database: its record carries what the store keeps (for an audit
the report, the findings and the recovered dataset with the place of each figure), and
the parent writes it, one transaction per document, *before* the record's line is written
to the output.  An interrupted run therefore never has a line for a document the store
lacks; a document already in the store (the same content hash) is not written twice, so
``--resume`` skips what the store has (``done``) and redoes the rest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["StoreSink"]

# what a worker adds to a record for the store only (not written to the output line)
STORE_ONLY = ("dataset_json", "dataset_sources")


class StoreSink:
    """Writes each finished record of ``job`` into the store at ``url``."""

    def __init__(self, url: str, job: str, who: str | None = None) -> None:
        from juesuan.store import open_store
        from juesuan.store.importing import _who

        self.store = open_store(url)  # StoreError: the caller says why in Chinese
        self.job, self.who = job, _who(who)
        self.stored = self.unchanged = 0

    def describe(self) -> str:
        return self.store.describe()

    def done(self) -> set[str]:
        """The content hashes the store already holds for this job (``--resume``)."""
        from sqlalchemy import select

        from juesuan.store.schema import AuditRecord, DatasetVersion

        col = AuditRecord.doc_hash if self.job == "audit" else DatasetVersion.content_hash
        with self.store.session() as s:  # type: ignore[attr-defined]
            return set(s.scalars(select(col)))

    def __call__(self, rec: dict[str, Any]) -> None:
        """Store one record (in place: the store-only parts are taken out of it)."""
        extra = {k: rec.pop(k) for k in STORE_ONLY if k in rec}
        if not rec.get("sha256"):
            return  # an input that could not be read: nothing to keep
        if self.job == "audit":
            self._audit(rec, extra)
        elif self.job == "build" and rec.get("status") in ("ok", "refused"):
            self._dataset(rec)

    def _audit(self, rec: dict[str, Any], extra: dict[str, Any]) -> None:
        from sqlalchemy import select
        from sqlalchemy.exc import IntegrityError

        from juesuan.store.schema import AuditRecord, FindingRow

        digest = rec["sha256"]
        with self.store.session() as s:  # type: ignore[attr-defined]
            if s.scalar(select(AuditRecord.id).where(AuditRecord.doc_hash == digest)) is not None:
                self.unchanged += 1
                return
        report = {k: v for k, v in rec.items() if k not in ("sha256", "key", "status", "counts", "pages", "figures",
                                                                "seconds", "worker_peak_mb", "reason")}
        record = AuditRecord(
            doc_hash=digest, path=str(rec.get("path")), kind=rec.get("kind"), profile=rec.get("profile"),
            profile_score=rec.get("profile_score"), department=rec.get("department"), year=rec.get("year"),
            audited_at=datetime.now(), audited_by=self.who, error=rec.get("error") or rec.get("reason"),
            report=json.dumps(report, ensure_ascii=False, default=str), extracted=extra.get("dataset_json"),
            findings=[FindingRow(rule=f["rule"], severity=f["severity"], message=f["message"],
                                 page=(f.get("location") or {}).get("page"), line=(f.get("location") or {}).get("line"),
                                 expected=f.get("expected"), found=f.get("found")) for f in rec.get("findings") or ()])
        try:
            with self.store.session.begin() as s:  # type: ignore[attr-defined]
                s.add(record)
        except IntegrityError:  # another process stored the same content meanwhile
            self.unchanged += 1
            return
        self.stored += 1
        if extra.get("dataset_json") and rec.get("kind") in ("部门决算", "单位决算"):
            self._recovered(rec, digest, extra)

    def _recovered(self, rec: dict[str, Any], digest: str, extra: dict[str, Any]) -> None:
        """The figures recovered from the document become that department-year's version, as
        ``juesuan db import`` of the document makes it, each at its page and line."""
        from sqlalchemy.exc import IntegrityError

        from juesuan.model.accounts import Dataset
        from juesuan.store.importing import _copy, _write_dataset, figures
        from juesuan.store.schema import LineItem

        ds = Dataset.model_validate_json(extra["dataset_json"])
        data = ds.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        where = extra.get("dataset_sources") or {}
        items = [LineItem(part=part, code=code, name=name, column=column, amount=amount, unit=ds.unit, path=p,
                          source=where.get(p)) for p, part, code, name, column, amount in figures(ds)]
        path = Path(str(rec.get("path")))
        try:
            _write_dataset(self.store, path, digest, self.who, ds, "决算", data, items)
        except IntegrityError:
            _write_dataset(self.store, path, digest, self.who, ds, "决算", data, _copy(items))

    def _dataset(self, rec: dict[str, Any]) -> None:
        """A built dataset becomes a version of its department-year, as ``juesuan db import`` makes it
        (read again here, with the sheet and cell of every figure).  A unit split from a many-unit
        workbook is known by the export's content and the unit, not by its rewritten copy."""
        from juesuan.readers.errors import InputError
        from juesuan.store.importing import _import_dataset

        source = Path(str(rec.get("source") or rec.get("path")))
        digest = hashlib.sha256(str(rec["key"]).encode()).hexdigest() if rec.get("book") else rec["sha256"]
        try:
            done = _import_dataset(self.store, source, digest, self.who)
        except InputError:
            return  # the build's record already says why it could not be read
        if done.status == "未变化":
            self.unchanged += 1
        else:
            self.stored += 1
