"""Incidents: problems gain a status, owner, note, public status text and the detector's fields;
problem_members links an incident's conversations and posts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 21:20:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("problems") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=16), server_default="confirmed", nullable=False)
        )
        batch.add_column(
            sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("status_text", sa.String(length=280), server_default="", nullable=False))
        batch.add_column(
            sa.Column("detected_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("summary", sa.String(length=500), server_default="", nullable=False))
        batch.add_column(sa.Column("keywords", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("detector_key", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column("resolved_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.create_foreign_key(op.f("fk_problems_owner_id_users"), "users", ["owner_id"], ["id"])
        batch.create_index("ix_problems_status", ["workspace_id", "status"], unique=False)
    op.create_table(
        "problem_members",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("problem_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("conversation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("added_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("removed_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["added_by"], ["users.id"], name=op.f("fk_problem_members_added_by_users")),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name=op.f("fk_problem_members_problem_id_problems")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_problem_members_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_members")),
    )
    op.create_index("ix_problem_members_problem", "problem_members", ["workspace_id", "problem_id"])
    op.create_index("ix_problem_members_conversation", "problem_members", ["workspace_id", "conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_problem_members_conversation", table_name="problem_members")
    op.drop_index("ix_problem_members_problem", table_name="problem_members")
    op.drop_table("problem_members")
    with op.batch_alter_table("problems") as batch:
        batch.drop_index("ix_problems_status")
        batch.drop_constraint(op.f("fk_problems_owner_id_users"), type_="foreignkey")
        for column in (
            "resolved_at",
            "detector_key",
            "keywords",
            "summary",
            "detected_at",
            "status_text",
            "note",
            "owner_id",
            "status",
        ):
            batch.drop_column(column)
