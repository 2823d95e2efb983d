"""Tables of the channel wiring: brand channel accounts, their cursors, hourly traffic, monthly API spend."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from socialdesk.storage.schema.base import BigCount, Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

__all__ = ["channel_accounts", "channel_cursors", "channel_spend", "channel_traffic"]

channel_accounts = Table(
    "channel_accounts",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("network", String(16), nullable=False),  # x, mastodon, bluesky, rss, webhook
    Column("handle", String(300), nullable=False),
    Column("settings", JSON, nullable=False, default=dict),  # never secrets
    Column("credentials", Text),  # Fernet token of a JSON object of secrets; never plaintext
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    # Health as last persisted by the runner (or a webhook receiver).
    Column("health_state", String(16), nullable=False, default="starting"),
    Column("health_reason", String(500), nullable=False, default=""),
    Column("health_until", UTCDateTime),
    Column("health_error", String(500), nullable=False, default=""),
    Column("health_changed_at", UTCDateTime),
    Column("last_post_at", UTCDateTime),
    # The read budget: at most budget_reads requests per window (NULL: counted, not limited).
    Column("budget_reads", Integer),
    Column("budget_window_seconds", Integer, nullable=False, default=900),
    Column("reads_spent", Integer, nullable=False, default=0),
    Column("window_started_at", UTCDateTime),
    UniqueConstraint("workspace_id", "network", "handle", name="uq_channel_accounts_handle"),
)

channel_cursors = Table(
    "channel_cursors",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("account_id", Id, ForeignKey("channel_accounts.id"), nullable=False),
    Column("key", String(500), nullable=False),
    Column("value", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "key", name="uq_channel_cursors_key"),
)

channel_traffic = Table(
    "channel_traffic",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("account_id", Id, ForeignKey("channel_accounts.id"), nullable=False),
    Column("hour", UTCDateTime, nullable=False),  # start of the hour (UTC)
    Column("posts", Integer, nullable=False, default=0),
    UniqueConstraint("account_id", "hour", name="uq_channel_traffic_hour"),
)

channel_spend = Table(
    "channel_spend",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("account_id", Id, ForeignKey("channel_accounts.id"), nullable=False),
    Column("month", String(7), nullable=False),  # "2026-12" (UTC)
    Column("reads", BigCount, nullable=False, default=0),  # resources read, as the network bills them
    Column("writes", BigCount, nullable=False, default=0),  # billed write requests
    Column("usd_micros", BigCount, nullable=False, default=0),  # millionths of a dollar, exact
    UniqueConstraint("account_id", "month", name="uq_channel_spend_month"),
)
