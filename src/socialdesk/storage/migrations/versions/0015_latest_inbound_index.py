"""Each conversation's newest inbound message by index (whether the inbox shows it as private, its
triage): one seek per conversation instead of reading all its messages

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:20:00

"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_messages_inbound", "messages", ["workspace_id", "conversation_id", "direction", "id"])


def downgrade() -> None:
    op.drop_index("ix_messages_inbound", table_name="messages")
