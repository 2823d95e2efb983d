"""Tables of the knowledge base: articles (their current content and state) and every version of them."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from socialdesk.storage.schema_base import Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

__all__ = ["kb_article_versions", "kb_articles"]

kb_articles = Table(
    "kb_articles",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("key", String(200)),  # the id it was imported with; NULL until set to kb-<id> on creation
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("questions", JSON, nullable=False),
    Column("links", JSON, nullable=False),
    Column("language", String(16)),
    Column("brand", String(200)),
    Column("state", String(16), nullable=False),  # draft, in_review, published, archived
    Column("version", Integer, nullable=False),  # of the content
    # Bumped by every change (content or state): the workspace's sum is the search index's version.
    Column("revision", Integer, nullable=False),
    Column("author_id", Id, ForeignKey("users.id")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("source", String(16)),  # reply, community; NULL: written by hand or imported
    Column("source_conversation_id", Id, ForeignKey("conversations.id")),
    UniqueConstraint("workspace_id", "key", name="uq_kb_articles_key"),
    Index("ix_kb_articles_state", "workspace_id", "state"),
)

kb_article_versions = Table(
    "kb_article_versions",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("article_id", Id, ForeignKey("kb_articles.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("questions", JSON, nullable=False),
    Column("links", JSON, nullable=False),
    Column("language", String(16)),
    Column("brand", String(200)),
    Column("editor_id", Id, ForeignKey("users.id")),  # NULL: an import from the command line
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("article_id", "version", name="uq_kb_article_versions_version"),
)
