"""A conversation knows the brand account the customer addressed

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: no table rewrite, and the running release ignores it.
    # Conversations stored before it have no brand; the composer asks the agent to choose one.
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(
            sa.Column("brand_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch.create_index("ix_conversations_brand", ["workspace_id", "brand_account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_brand")
        batch.drop_column("brand_account_id")
