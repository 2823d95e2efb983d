"""Tables of the inbox: conversations (with the indexes of the inbox's orders), cases, messages, the
outbox and the relays that drain it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from socialdesk.storage.schema_base import BigCount, Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime, waiting_key

conversations = Table(
    "conversations",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("channel", String(32), nullable=False),
    Column("contact_id", Id, ForeignKey("contacts.id")),
    Column("current_case_id", Id),
    Column("subject", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_message_at", UTCDateTime, nullable=False),
    Column("waiting_since", UTCDateTime),
    Column("message_count", Integer, nullable=False, default=0),
    Column("author_handle", String(200), nullable=False, default=""),
    Column("author_name", String(200), nullable=False, default=""),
    Column("author_followers", BigCount),
    Column("last_text", Text, nullable=False, default=""),
    Column("urgency", Integer, nullable=False, default=0),
    # The brand account the customer addressed (mentioned, messaged, or the agent's choice); replies
    # go out through it. NULL when unknown: the composer then asks which brand answers.
    Column("brand_account_id", Id),
    Index("ix_conversations_brand", "workspace_id", "brand_account_id"),
)
# The inbox's orders (storage/inbox_order.py), so that a page of 50 rows comes by index, in order, and
# the database stops there instead of sorting every matching conversation.
Index(
    "ix_conversations_urgency_order",
    conversations.c.workspace_id,
    conversations.c.urgency.desc(),
    waiting_key(conversations.c.waiting_since),
    conversations.c.id,
)
Index(
    "ix_conversations_waiting_order",
    conversations.c.workspace_id,
    waiting_key(conversations.c.waiting_since),
    conversations.c.id,
)

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("conversation_id", Id, ForeignKey("conversations.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("assignee_id", Id, ForeignKey("users.id")),
    Column("team_id", Id),
    Column("priority", String(16), nullable=False, default="normal"),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("first_response_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    # Care workflow: routing tags, the SLA clocks (JSON) and their summary for queries, merge, problem.
    Column("tags", JSON),
    Column("facts", JSON),  # what routing saw: {"language", "products", "urgency"}, for queue pulls
    Column("sla", JSON),
    Column("sla_state", String(12)),
    Column("sla_next_check_at", UTCDateTime),
    Column("merged_into_id", Id),
    Column("problem_id", Id),
    # Snoozed until then: the inbox leaves the conversation out until this time passes (migration 0017).
    Column("snoozed_until", UTCDateTime),
    Column("snoozed_at", UTCDateTime),  # when it was snoozed: a customer writing after it wakes it
    Index("ix_cases_conversation", "workspace_id", "conversation_id"),
    Index("ix_cases_status", "workspace_id", "status"),
    Index("ix_cases_sla_check", "workspace_id", "sla_next_check_at"),
    Index("ix_cases_queue", "workspace_id", "team_id", "assignee_id"),
    Index("ix_cases_problem", "workspace_id", "problem_id"),
    # The inbox views filtered on cases are read from these (storage/sql_threads.py, migration 0010).
    Index("ix_cases_assignee", "workspace_id", "assignee_id", "status"),
    Index("ix_cases_team", "workspace_id", "team_id", "status"),
    Index("ix_cases_sla_state", "workspace_id", "sla_state", "status"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    # NULL for posts only counted by listening monitors (they open no conversation).
    Column("conversation_id", Id, ForeignKey("conversations.id")),
    Column("channel", String(32), nullable=False),
    Column("external_id", String(200)),
    Column("direction", String(8), nullable=False),
    Column("visibility", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("author_handle", String(200), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("author_followers", BigCount),
    Column("contact_handle_id", Id, ForeignKey("contact_handles.id")),
    Column("in_reply_to", String(200)),
    Column("lang", String(8)),
    Column("url", Text),
    Column("is_repost", Boolean, nullable=False, default=False),
    Column("sent_by_user_id", Id, ForeignKey("users.id")),
    Column("delivery", String(20), nullable=False, default="received"),
    Column("raw", JSON),
    # Triage and listening results (filled by later stages of the pipeline).
    Column("needs_reply", Boolean),
    Column("category", String(24)),
    Column("sentiment", String(10)),
    Column("sentiment_score", Float),
    Column("urgency", Integer),
    Column("triage", JSON),
    Column("monitors", JSON),
    # Same author, same text: the key noise control uses to fold repeats into one conversation.
    Column("dedupe_key", String(32)),
    # A review's stars, 1 to 5 (NULL: not a review).
    Column("rating", SmallInteger),
    UniqueConstraint("workspace_id", "channel", "external_id", name="uq_messages_key"),
    Index("ix_messages_dedupe", "workspace_id", "dedupe_key", "created_at"),
    Index("ix_messages_conversation", "workspace_id", "conversation_id", "created_at"),
    Index("ix_messages_created", "workspace_id", "created_at"),
    Index("ix_messages_reply_to", "workspace_id", "channel", "in_reply_to"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("message_id", Id, ForeignKey("messages.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("payload", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("external_id", String(200)),
    Column("last_error", Text),
    # When a relay took the item (status "sending"), and which relay (its `outbox_relays.token`): a
    # claim is taken over only once that relay stops beating, and only its holder may record the result.
    Column("claimed_at", UTCDateTime),
    Column("claimed_by", String(64)),
    # When a send was first attempted, committed before the first network call: an item with one may
    # already be on the network, so the relay looks (`find_sent`, back to this time) before sending.
    Column("attempted_at", UTCDateTime),
    # Not to be sent before this time (migration 0014): an incident's replies are spaced out at the pace
    # each network allows (SOCIALDESK_INCIDENT_REPLY_PACE). NULL: at once.
    Column("not_before", UTCDateTime),
    Index("ix_outbox_status", "status", "id"),
)

# The outbox relays (dispatchers) alive now: each beats every few tenths of a second. Not tenant data:
# a relay sends for every workspace, so this is the one table besides `workspaces` without one.
outbox_relays = Table(
    "outbox_relays",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("host", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("heartbeat_at", UTCDateTime, nullable=False),
)
