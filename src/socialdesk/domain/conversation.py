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


# The inbox's orders: each names its sort key, which is also the keyset cursor of the list API.
SORTS = ("urgency", "waiting", "deadline")
SortKey = tuple[int | datetime, ...]
_SLA_RANK = {"breached": 0, "warning": 1, "ok": 2, "paused": 3}
NO_SLA_RANK = 4  # done, or no SLA at all


def sla_rank(sla_state: str | None) -> int:
    return _SLA_RANK.get(sla_state or "", NO_SLA_RANK)


def sort_key(
    sort: str, conv: Conversation, sla_state: str | None, sla_next_check_at: datetime | None
) -> SortKey:
    """The row's place in an order: ``urgency`` (most urgent, then longest waiting), ``waiting``
    (longest waiting first), ``deadline`` (SLA breached, then at risk, then ok, each by its next SLA
    time, then longest waiting). The conversation id breaks every tie."""
    waited = conv.waiting_since or NOT_WAITING
    if sort == "waiting":
        return (waited, conv.id)
    if sort == "deadline":
        return (sla_rank(sla_state), sla_next_check_at or NOT_WAITING, waited, conv.id)
    return inbox_sort_key(conv)
