"""Audits keep the dataset recovered from the document (what `juesuan extract` gives).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("extracted", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("extracted")
