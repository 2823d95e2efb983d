"""Knowledge-base suggestions shown, inserted and sent in the composer; the unscripted guard's checks

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 23:00:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = socialdesk.storage.types.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "kb_suggestions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("conversation_id", _ID, nullable=False),
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("shown_at", _AT, nullable=False),
        sa.Column("inserted_at", _AT, nullable=True),
        sa.Column("inserted_text", sa.Text(), nullable=True),
        sa.Column("sent_at", _AT, nullable=True),
        sa.Column("message_id", _ID, nullable=True),
        _fk("kb_suggestions", "workspace_id", "workspaces"),
        _fk("kb_suggestions", "conversation_id", "conversations"),
        _fk("kb_suggestions", "article_id", "kb_articles"),
        _fk("kb_suggestions", "user_id", "users"),
        _fk("kb_suggestions", "message_id", "messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_suggestions")),
        sa.UniqueConstraint("conversation_id", "article_id", "user_id", name="uq_kb_suggestions_shown"),
    )
    op.create_index("ix_kb_suggestions_shown", "kb_suggestions", ["workspace_id", "shown_at"])
    op.create_table(
        "public_reply_checks",
        sa.Column("id", _ID, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("message_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("near_identical", sa.Boolean(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        _fk("public_reply_checks", "workspace_id", "workspaces"),
        _fk("public_reply_checks", "message_id", "messages"),
        _fk("public_reply_checks", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_reply_checks")),
    )
    op.create_index(
        "ix_public_reply_checks_brand", "public_reply_checks", ["workspace_id", "brand", "created_at"]
    )
    op.create_index("ix_public_reply_checks_at", "public_reply_checks", ["workspace_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_public_reply_checks_at", table_name="public_reply_checks")
    op.drop_index("ix_public_reply_checks_brand", table_name="public_reply_checks")
    op.drop_table("public_reply_checks")
    op.drop_index("ix_kb_suggestions_shown", table_name="kb_suggestions")
    op.drop_table("kb_suggestions")
