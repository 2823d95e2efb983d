"""The desk's inbox: snooze on cases, each user's preferences, saved inbox views, macros

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 23:00:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialdesk.storage.schema_base import Id
from socialdesk.storage.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _ws() -> sa.Column[int]:
    return sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("snoozed_until", UTCDateTime))
        batch.add_column(sa.Column("snoozed_at", UTCDateTime))
    op.create_table(
        "user_preferences",
        sa.Column("id", Id, primary_key=True),
        _ws(),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("workspace_id", "user_id", name="uq_user_preferences_user"),
    )
    op.create_table(
        "inbox_views",
        sa.Column("id", Id, primary_key=True),
        _ws(),
        sa.Column("owner_id", Id, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("team_id", Id, sa.ForeignKey("teams.id")),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_inbox_views_owner", "inbox_views", ["workspace_id", "owner_id"])
    op.create_table(
        "macros",
        sa.Column("id", Id, primary_key=True),
        _ws(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("status", sa.String(24)),
        sa.Column("assign", sa.String(20)),
        sa.Column("follow_up_hours", sa.Integer),
        sa.Column("created_by", Id, sa.ForeignKey("users.id")),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_macros_name"),
    )


def downgrade() -> None:
    op.drop_table("macros")
    op.drop_index("ix_inbox_views_owner", table_name="inbox_views")
    op.drop_table("inbox_views")
    op.drop_table("user_preferences")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("snoozed_at")
        batch.drop_column("snoozed_until")
