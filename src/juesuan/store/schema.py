"""The store's tables (SQLAlchemy 2 typed mappings); Alembic migrations create them.

One organisation (a department or one of its budget units) has, for each year
and kind (决算 / 预算), every dataset version imported — the current one marked —
and each version's figures as queryable line items with where they came from.
Every audit of a published document is kept with its findings; dismissals of a
finding as a false alarm are kept by the document's content hash, so they
survive re-audits of the same document.

The web application (``juesuan serve``) adds its users and their API tokens, a
log of every change (who, when, what), the submission status of each
department-year, the texts its forms collect beside a dataset, its settings (the key
that signs session cookies) and its sessions (so that a logout ends one on the server).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["ApiToken", "AuditRecord", "Base", "ChangeLog", "DatasetVersion", "Dismissal", "FindingRow", "FormEntry",
           "LineItem", "Organisation", "Setting", "Submission", "User", "WebSession"]


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


# --- the web application (migration 0003) ---------------------------------------------------


class User(Base):
    """A person who logs in: admin, filler (of one department), reviewer or reader."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # admin / filler / reviewer / reader
    department: Mapped[str | None] = mapped_column(String(200))  # a filler's own department
    password_hash: Mapped[str] = mapped_column(Text)  # argon2
    created_at: Mapped[datetime]
    disabled: Mapped[bool] = mapped_column(default=False)  # a disabled user cannot log in; their sessions end


class WebSession(Base):
    """A logged-in browser: the cookie carries a random key, only its SHA-256 is kept; every
    request checks it is here and not revoked (logout, a new password, a disabled user)."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer``); only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class ChangeLog(Base):
    """Every change made through the web application or ``juesuan user``: who, when, what."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    who: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")


class Submission(Base):
    """Where a department-year stands with the finance bureau: 已提交, 已通过, 已公开."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("department", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    errors: Mapped[int] = mapped_column(default=0)  # error-level findings of the check when submitted
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class FormEntry(Base):
    """A text a filler wrote in a form (a variance reason, the functions, main work …) for a
    department-year: laid over the dataset when it is checked, previewed and built."""

    __tablename__ = "form_entry"
    __table_args__ = (UniqueConstraint("department", "year", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int]
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class Setting(Base):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
