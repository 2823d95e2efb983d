"""The inbox's orders by index: a page of the inbox comes in index order instead of a sort of every
matching conversation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 20:30:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _not_waiting() -> str:
    """`storage.types.NotWaiting` as the dialect spells it (the queries must hold the same text)."""
    if op.get_bind().dialect.name == "sqlite":
        return "'9999-12-31 00:00:00.000000'"
    return "'9999-12-31 00:00:00+00'::timestamptz"


def upgrade() -> None:
    waited = sa.text(f"COALESCE(waiting_since, {_not_waiting()})")
    op.create_index(
        "ix_conversations_urgency_order",
        "conversations",
        ["workspace_id", sa.text("urgency DESC"), waited, "id"],
        unique=False,
    )
    op.create_index("ix_conversations_waiting_order", "conversations", ["workspace_id", waited, "id"])
    # It matched no order the inbox asks for (urgency descends, the waiting time ascends).
    op.drop_index("ix_conversations_inbox", table_name="conversations")


def downgrade() -> None:
    op.create_index(
        "ix_conversations_inbox", "conversations", ["workspace_id", "urgency", "waiting_since", "id"]
    )
    op.drop_index("ix_conversations_waiting_order", table_name="conversations")
    op.drop_index("ix_conversations_urgency_order", table_name="conversations")
