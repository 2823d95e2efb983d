"""Conversations: a thread of posts and replies with one customer on one channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# Conversations nobody waits on sort after every waiting one.
NOT_WAITING = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    workspace_id: int
    channel: str
    contact_id: int | None
    subject: str
    created_at: datetime
    last_message_at: datetime
    # The oldest customer message still waiting for an answer; None when the brand spoke last.
    waiting_since: datetime | None
    message_count: int = 0
    current_case_id: int | None = None
    # The customer as last seen, and the last message, kept here so lists need no joins.
    author_handle: str = ""
    author_name: str = ""
    author_followers: int | None = None
    last_text: str = ""
    # The highest urgency (0-100, from triage) among customer messages waiting for an answer.
    urgency: int = 0
    # The brand account the customer addressed; replies leave through it. None when unknown.
    brand_account_id: int | None = None


def subject_of(text: str, limit: int = 120) -> str:
    """The first line of a post, shortened for lists."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


InboxKey = tuple[int, datetime, int]


def inbox_sort_key(conv: Conversation) -> InboxKey:
    """The inbox order: most urgent first, then oldest waiting, then id (never follower count).

    Also the keyset cursor of the list API.
    """
    return (-conv.urgency, conv.waiting_since or NOT_WAITING, conv.id)
