"""The store's tables (SQLAlchemy 2 typed mappings); Alembic migrations create them.

One organisation (a department or one of its budget units) has, for each year
and kind (决算 / 预算), every dataset version imported — the current one marked —
and each version's figures as queryable line items with where they came from.
Every audit of a published document is kept with its findings; dismissals of a
finding as a false alarm are kept by the document's content hash, so they
survive re-audits of the same document.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["AuditRecord", "Base", "DatasetVersion", "Dismissal", "FindingRow", "LineItem", "Organisation"]


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(100))
    nature: Mapped[str | None] = mapped_column(String(50))  # 行政单位, 参公事业单位 …
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    versions: Mapped[list[DatasetVersion]] = relationship(back_populates="organisation")


class DatasetVersion(Base):
    __tablename__ = "dataset_version"
    __table_args__ = (UniqueConstraint("organisation_id", "year", "kind", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))  # 决算 / 预算
    source: Mapped[str] = mapped_column(Text)  # the file imported
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(100))
    current: Mapped[bool] = mapped_column(default=True)
    unit: Mapped[str] = mapped_column(String(10))  # 元 / 万元
    data: Mapped[str] = mapped_column(Text)  # the dataset as JSON, as imported

    organisation: Mapped[Organisation] = relationship(back_populates="versions")
    items: Mapped[list[LineItem]] = relationship(back_populates="version", cascade="all, delete-orphan")


class LineItem(Base):
    """One figure of a dataset version: its part of the accounts, classification code and column."""

    __tablename__ = "line_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(50), index=True)  # expenditure, income, three_public …
    code: Mapped[str | None] = mapped_column(String(20), index=True)  # function or economic code
    name: Mapped[str | None] = mapped_column(String(200))
    column: Mapped[str] = mapped_column(String(100))  # basic, project, actual.reception …
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    unit: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)  # the figure's model path
    source: Mapped[str | None] = mapped_column(Text)  # file and line, sheet and cell, page and line

    version: Mapped[DatasetVersion] = relationship(back_populates="items")


class AuditRecord(Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_hash: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    profile: Mapped[str | None] = mapped_column(String(100))
    profile_score: Mapped[float | None]
    department: Mapped[str | None] = mapped_column(String(200), index=True)
    year: Mapped[int | None]
    audited_at: Mapped[datetime]
    audited_by: Mapped[str] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str] = mapped_column(Text)  # the JSON report of `juesuan audit -f json`
    extracted: Mapped[str | None] = mapped_column(Text)  # the recovered dataset as JSON (`juesuan extract`)

    findings: Mapped[list[FindingRow]] = relationship(back_populates="audit", cascade="all, delete-orphan")


class FindingRow(Base):
    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(100), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None]
    line: Mapped[int | None]
    expected: Mapped[str | None] = mapped_column(Text)
    found: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[AuditRecord] = relationship(back_populates="findings")


class Dismissal(Base):
    """A finding judged a false alarm: kept by the document's hash, so a re-audit keeps it."""

    __tablename__ = "dismissal"
    __table_args__ = (UniqueConstraint("doc_hash", "rule", "page", "line", "found"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_hash: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(String(100))
    page: Mapped[int | None]
    line: Mapped[int | None]
    found: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(100))
    why: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
