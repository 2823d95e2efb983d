"""Tables of listening: monitors and their matches, spam rules and agents' triage corrections."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from socialdesk.storage.schema.base import Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

monitors = Table(
    "monitors",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # brand, product, competitor, topic
    Column("mode", String(16), nullable=False),  # care (opens conversations) or listening (counted only)
    Column("exclude_authors", JSON, nullable=False),
    Column("exclude_terms", JSON, nullable=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The brand accounts (ids, at most one per network) a conversation the monitor opens answers from.
    Column("brand_account_ids", JSON),
    # Soft delete: a deleted monitor matches nothing and leaves the lists; its matches stay.
    Column("deleted_at", UTCDateTime),
    # Names are unique among monitors not deleted: a new monitor may take a deleted one's name.
    Index(
        "uq_monitors_name",
        "workspace_id",
        "name",
        unique=True,
        sqlite_where=text("deleted_at IS NULL"),
        postgresql_where=text("deleted_at IS NULL"),
    ),
)

monitor_matches = Table(
    "monitor_matches",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("monitor_id", Id, ForeignKey("monitors.id"), nullable=False),
    Column("message_id", Id, ForeignKey("messages.id"), nullable=False),
    Column("matched_at", UTCDateTime, nullable=False),
    UniqueConstraint("monitor_id", "message_id", name="uq_monitor_matches_pair"),
    Index("ix_monitor_matches_monitor", "workspace_id", "monitor_id", "matched_at"),
)

spam_rules = Table(
    "spam_rules",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("kind", String(16), nullable=False),  # term, author, link
    Column("value", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace_id", "kind", "value", name="uq_spam_rules_rule"),
)

triage_feedback = Table(
    "triage_feedback",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("message_id", Id, ForeignKey("messages.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("field", String(24), nullable=False),
    Column("label", String(24), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
