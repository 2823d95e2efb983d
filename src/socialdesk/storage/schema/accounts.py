"""Tables of workspaces and the people in them: users, API tokens, web sessions, brand accounts, contacts
and their handles on each network."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from socialdesk.storage.schema.base import BigCount, Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Id, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("signature", String(40), nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    # Agent fields (routing): online/away/offline, open cases at most, replies need approval, skills.
    Column("status", String(8), nullable=False, default="offline"),
    Column("capacity", Integer, nullable=False, default=5),
    Column("in_training", Boolean, nullable=False, default=False),
    Column("skills", JSON, nullable=False, default=dict),  # {"languages": [], "products": [], "channels": []}
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime),  # NULL: until revoked (migration 0002)
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

brand_accounts = Table(
    "brand_accounts",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("channel", String(32), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("handle_key", String(200), nullable=False),
    Column("external_id", String(200)),
    UniqueConstraint("workspace_id", "channel", "handle_key", name="uq_brand_accounts_handle"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

contact_handles = Table(
    "contact_handles",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("contact_id", Id, ForeignKey("contacts.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("followers", BigCount),
    Column("verified", Boolean, nullable=False, default=False),
    UniqueConstraint("workspace_id", "channel", "external_id", name="uq_contact_handles_key"),
)
