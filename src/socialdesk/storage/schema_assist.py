"""Tables of what the composer told the agent: knowledge-base suggestions (shown, inserted, sent) and
the unscripted guard's check of each public reply against the brand's recent public replies."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from socialdesk.storage.schema_base import Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

__all__ = ["kb_suggestions", "public_reply_checks"]

kb_suggestions = Table(
    "kb_suggestions",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("conversation_id", Id, ForeignKey("conversations.id"), nullable=False),
    Column("article_id", Id, ForeignKey("kb_articles.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),  # the agent it was shown to
    Column("rank", Integer, nullable=False),  # 1 = the best suggestion when first shown
    Column("score", Float, nullable=False),
    Column("shown_at", UTCDateTime, nullable=False),
    Column("inserted_at", UTCDateTime),
    Column("inserted_text", Text),  # what the insert put in the composer (to tell whether it was sent)
    Column("sent_at", UTCDateTime),
    Column("message_id", Id, ForeignKey("messages.id")),  # the reply that carried it
    UniqueConstraint("conversation_id", "article_id", "user_id", name="uq_kb_suggestions_shown"),
    Index("ix_kb_suggestions_shown", "workspace_id", "shown_at"),
)

public_reply_checks = Table(
    "public_reply_checks",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("message_id", Id, ForeignKey("messages.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id")),
    Column("brand", String(200), nullable=False),  # the brand account's handle it went out as
    Column("body", Text, nullable=False),  # the agent's text, without the signature
    Column("similarity", Float, nullable=False),  # the highest against the brand's last 24 hours
    Column("near_identical", Boolean, nullable=False),  # similarity at or over the threshold then
    Column("confirmed", Boolean, nullable=False),  # the agent saw the warning and sent anyway
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_public_reply_checks_brand", "workspace_id", "brand", "created_at"),
    Index("ix_public_reply_checks_at", "workspace_id", "created_at"),
)
