"""Answering an incident's customers: incident_replies (one answer and one follow-up per incident and
conversation), problems.replies_need_approval, outbox.not_before (replies spaced out per network)

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07 23:00:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("problems") as batch:
        batch.add_column(
            sa.Column("replies_need_approval", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("not_before", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "incident_replies",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("problem_id", _ID, nullable=False),
        sa.Column("conversation_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message_id", _ID, nullable=True),
        sa.Column("follow_up_id", _ID, nullable=True),
        sa.Column("created_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name=op.f("fk_incident_replies_problem_id_problems")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_incident_replies_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_replies")),
        sa.UniqueConstraint(
            "workspace_id", "problem_id", "conversation_id", "kind", name="uq_incident_replies"
        ),
    )


def downgrade() -> None:
    op.drop_table("incident_replies")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("not_before")
    with op.batch_alter_table("problems") as batch:
        batch.drop_column("replies_need_approval")
