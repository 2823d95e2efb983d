"""Each channel account's API spend per month (reads, billed writes, dollars) for pay-per-use networks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:30:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "channel_spend",
        sa.Column("id", _ID, nullable=False),
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("reads", _ID, nullable=False),
        sa.Column("writes", _ID, nullable=False),
        sa.Column("usd_micros", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["channel_accounts.id"], name=op.f("fk_channel_spend_account_id_channel_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_channel_spend_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_spend")),
        sa.UniqueConstraint("account_id", "month", name="uq_channel_spend_month"),
    )


def downgrade() -> None:
    op.drop_table("channel_spend")
