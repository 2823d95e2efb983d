"""Tables of the agent's desk: each user's inbox preferences, saved inbox views, macros (migration 0017)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from socialdesk.storage.schema_base import Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

__all__ = ["inbox_views", "macros", "user_preferences"]

# One row per user: compact mode, chosen columns, time zone (actions/desk_preferences.py).
user_preferences = Table(
    "user_preferences",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace_id", "user_id", name="uq_user_preferences_user"),
)

# A saved inbox view: filters, columns and sort, its owner's; shared with a team when team_id is set.
inbox_views = Table(
    "inbox_views",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("owner_id", Id, ForeignKey("users.id"), nullable=False),
    Column("team_id", Id, ForeignKey("teams.id")),
    Column("name", String(80), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_inbox_views_owner", "workspace_id", "owner_id"),
)

# A macro: a saved reply that also sets tags, status, assignment and a follow-up (actions/macros.py).
macros = Table(
    "macros",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("name", String(80), nullable=False),
    Column("body", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("status", String(24)),
    Column("assign", String(20)),  # "me", "nobody", a user id as text; NULL: leave the assignment
    Column("follow_up_hours", Integer),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_macros_name"),
)
