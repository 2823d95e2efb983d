"""Monitors name their brand accounts and are deleted softly (their matches stay)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 19:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    # Nullable columns without defaults: no rewrite on PostgreSQL, and the running release ignores them.
    # The unique name moves from a constraint to a partial unique index over monitors not deleted, so
    # a new monitor may take a deleted one's name (SQLite rebuilds the small table in batch mode).
    with op.batch_alter_table("monitors") as batch:
        batch.add_column(sa.Column("brand_account_ids", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("deleted_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.drop_constraint("uq_monitors_name", type_="unique")
    op.create_index(
        "uq_monitors_name",
        "monitors",
        ["workspace_id", "name"],
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    # The older release removed a deleted monitor with its matches: so does the downgrade (a deleted
    # monitor's name may be taken again, which the plain unique constraint would refuse).
    op.drop_index("uq_monitors_name", table_name="monitors")
    op.execute(
        "DELETE FROM monitor_matches"
        " WHERE monitor_id IN (SELECT id FROM monitors WHERE deleted_at IS NOT NULL)"
    )
    op.execute("DELETE FROM monitors WHERE deleted_at IS NOT NULL")
    with op.batch_alter_table("monitors") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("brand_account_ids")
        batch.create_unique_constraint("uq_monitors_name", ["workspace_id", "name"])
