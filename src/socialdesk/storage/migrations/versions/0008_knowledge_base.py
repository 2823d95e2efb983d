"""Knowledge-base articles and their versions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:40:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import socialdesk.storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _content() -> list[sa.Column[object]]:
    return [
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("brand", sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "kb_articles",
        sa.Column("id", _ID, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        *_content(),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("author_id", _ID, nullable=True),
        sa.Column("created_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_kb_articles_author_id_users")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_kb_articles_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
        sa.UniqueConstraint("workspace_id", "key", name="uq_kb_articles_key"),
    )
    op.create_index("ix_kb_articles_state", "kb_articles", ["workspace_id", "state"], unique=False)
    op.create_table(
        "kb_article_versions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_content(),
        sa.Column("editor_id", _ID, nullable=True),
        sa.Column("created_at", socialdesk.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_articles.id"], name=op.f("fk_kb_article_versions_article_id_kb_articles")
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["users.id"], name=op.f("fk_kb_article_versions_editor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_kb_article_versions_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_article_versions")),
        sa.UniqueConstraint("article_id", "version", name="uq_kb_article_versions_version"),
    )


def downgrade() -> None:
    op.drop_table("kb_article_versions")
    op.drop_index("ix_kb_articles_state", table_name="kb_articles")
    op.drop_table("kb_articles")
