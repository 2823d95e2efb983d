"""Follower counts are 64-bit on PostgreSQL, as on SQLite

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 18:15:00

The post schema accepts `author.followers` up to 2^63-1 and SQLite stores that; PostgreSQL's INTEGER
stopped at 2^31-1, so a post the API answered "queued" in scale-out was dead-lettered later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (
    ("contact_handles", "followers"),
    ("conversations", "author_followers"),
    ("messages", "author_followers"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite's INTEGER already holds 64 bits
    op.execute("SET LOCAL lock_timeout = '10s'")
    for table, column in COLUMNS:
        # INTEGER to BIGINT rewrites the table under an exclusive lock: on a large `messages`, run it
        # in a quiet hour (docs/deploy.md).
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
