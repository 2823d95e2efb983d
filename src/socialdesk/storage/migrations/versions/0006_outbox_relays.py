"""Outbox claims held by a relay with a heartbeat, and each item's first send attempt

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:40:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_relays",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_outbox_relays")),
    )
    # Nullable columns without a default: no table rewrite, and the running release ignores them.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("attempted_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # An item the previous release claimed or retried may already be on the network: look first.
    op.execute(
        "UPDATE outbox SET attempted_at = COALESCE(claimed_at, created_at) "
        "WHERE status = 'sending' OR (status = 'pending' AND attempts > 0)"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attempted_at")
        batch.drop_column("claimed_by")
    op.drop_table("outbox_relays")
