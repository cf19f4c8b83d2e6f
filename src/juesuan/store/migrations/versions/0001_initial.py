"""The first schema: organisations, dataset versions and their line items, audits, findings, dismissals.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("code", sa.String(50)),
        sa.Column("region", sa.String(100)),
        sa.Column("nature", sa.String(50)),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("organisation.id")),
    )
    op.create_table(
        "dataset_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisation.id"), nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.UniqueConstraint("organisation_id", "year", "kind", "content_hash"),
    )
    op.create_table(
        "line_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("part", sa.String(50), nullable=False, index=True),
        sa.Column("code", sa.String(20), index=True),
        sa.Column("name", sa.String(200)),
        sa.Column("column", sa.String(100), nullable=False),
        sa.Column("amount", sa.Numeric(20, 4), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20)),
        sa.Column("profile", sa.String(100)),
        sa.Column("profile_score", sa.Float),
        sa.Column("department", sa.String(200), index=True),
        sa.Column("year", sa.Integer),
        sa.Column("audited_at", sa.DateTime, nullable=False),
        sa.Column("audited_by", sa.String(100), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audit.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("rule", sa.String(100), nullable=False, index=True),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("line", sa.Integer),
        sa.Column("expected", sa.Text),
        sa.Column("found", sa.Text),
    )
    op.create_table(
        "dismissal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_hash", sa.String(64), nullable=False, index=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("line", sa.Integer),
        sa.Column("found", sa.Text),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("doc_hash", "rule", "page", "line", "found"),
    )


def downgrade() -> None:
    for table in ("dismissal", "finding", "audit", "line_item", "dataset_version", "organisation"):
        op.drop_table(table)
