"""Inbox views filtered on cases ("Mine", a team's queue, SLA state) come by index on cases: the
database reads the few matching cases instead of walking every conversation

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 21:30:00

"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_assignee", "cases", ["workspace_id", "assignee_id", "status"])
    op.create_index("ix_cases_team", "cases", ["workspace_id", "team_id", "status"])
    op.create_index("ix_cases_sla_state", "cases", ["workspace_id", "sla_state", "status"])


def downgrade() -> None:
    op.drop_index("ix_cases_sla_state", table_name="cases")
    op.drop_index("ix_cases_team", table_name="cases")
    op.drop_index("ix_cases_assignee", table_name="cases")
