"""messages.rating: a review's stars, 1 to 5 (NULL for every other post)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 23:55:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("rating", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("rating")
