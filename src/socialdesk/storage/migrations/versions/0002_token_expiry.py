"""API tokens may expire

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: no table rewrite, and the running release ignores it.
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column("expires_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
