"""The ports of the inbox: messages (posts in and replies out), conversations, cases, the outbox, and the
rows ingest writes and threads by."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from socialdesk.domain.case import Case, CaseStatus
from socialdesk.domain.conversation import Conversation, SortKey
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports_care import (
    CaseCare,
)

PostKey = tuple[str, str]  # (channel, external id)


@dataclass(frozen=True, slots=True)
class PostRef:
    id: int
    conversation_id: int | None


@dataclass(frozen=True, slots=True)
class ThreadLink:
    """A stored post as a link of its reply tree: where it is, what it answers, when it was written."""

    key: PostKey
    id: int
    conversation_id: int | None
    parent: PostKey | None  # the post it answers (None: it answers nothing)
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewMessage:
    conversation_id: int | None
    channel: str
    external_id: str | None
    direction: Direction
    visibility: Visibility
    text: str
    created_at: datetime
    author_handle: str
    author_name: str
    author_followers: int | None = None
    contact_handle_id: int | None = None
    in_reply_to: str | None = None
    lang: str | None = None
    url: str | None = None
    is_repost: bool = False
    sent_by_user_id: int | None = None
    delivery: str = "received"
    raw: dict[str, Any] | None = None
    monitors: tuple[str, ...] = ()
    triage: dict[str, Any] | None = None
    dedupe_key: str | None = None
    triage_json: str | None = None  # `json.dumps(triage)` when computed ahead (a store may use it)
    rating: int | None = None  # a review's stars, 1 to 5


@dataclass(frozen=True, slots=True)
class NewConversation:
    channel: str
    contact_id: int | None
    subject: str
    created_at: datetime
    last_message_at: datetime
    waiting_since: datetime | None
    message_count: int
    author_handle: str = ""
    author_name: str = ""
    author_followers: int | None = None
    last_text: str = ""
    urgency: int = 0
    brand_account_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    conversation_id: int
    status: CaseStatus
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None  # a past conversation imported as answered (history import)
    needs_reply: bool | None = None  # triage's word on the opening post; None: not triaged (it does)


@dataclass(frozen=True, slots=True)
class WaitingUrgency:
    conversation_id: int
    waiting_since: datetime
    urgency: int  # as stored now
    base: int  # the highest urgency triage gave its waiting customer messages (no waiting time)


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """A conversation as the inbox lists it, with its current case."""

    conversation: Conversation
    case: Case | None
    care: CaseCare | None = None


@dataclass(frozen=True, slots=True)
class ConversationQuery:
    status: CaseStatus | None = None
    active_only: bool = False
    channel: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    text: str | None = None
    sla_state: str | None = None  # the current case's SLA summary: breached, warning (at risk), ok ...
    team_ids: tuple[int, ...] | None = None  # only cases routed to these teams
    contact_id: int | None = None  # one customer's conversations, on every channel
    monitor: str | None = None  # conversations with a post this monitor (by name) matched
    brand_account_ids: tuple[int, ...] | None = None  # conversations addressed to these brand accounts
    needs_reply: bool = False  # only conversations whose customer waits on a case that needs a reply
    tag: str | None = None  # only conversations whose current case carries this tag
    awake_at: datetime | None = None  # leave out conversations snoozed past this time
    snoozed_at: datetime | None = None  # only conversations snoozed past this time
    sort: str = "urgency"  # one of domain.conversation.SORTS
    after: SortKey | None = None  # keyset cursor: the sort_key of the last row seen
    offset: int = 0  # rows to skip (the UI's pages); a cursor is cheaper for deep paging
    limit: int = 50


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    workspace_id: int
    message_id: int
    channel: str
    idempotency_key: str
    payload: dict[str, Any]
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None = None
    external_id: str | None = None
    last_error: str | None = None
    # The first send attempt (committed before the network call); None: never handed to the network.
    attempted_at: datetime | None = None
    # Not sent before this time (an incident's replies, spaced out per network); None: at once.
    not_before: datetime | None = None


class MessageRepo(Protocol):
    def find_by_keys(self, workspace_id: int, keys: Iterable[PostKey]) -> dict[PostKey, PostRef]: ...
    def find_reply_conversations(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, int]:
        """For each parent key, the conversation of a stored post that replies to it (if any)."""
        ...

    def find_reply_threads(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, list[int]]:
        """For each parent key, every conversation holding a stored reply to it, oldest first (replies
        stored before their parent may each have started one)."""
        ...

    def find_thread_links(self, workspace_id: int, keys: Iterable[PostKey]) -> list[ThreadLink]:
        """The stored posts with these keys and the stored replies to them, as links of their reply
        trees (in any conversation or none)."""
        ...

    def find_unthreaded_brand_replies(self, workspace_id: int, parents: Iterable[PostKey]) -> list[Message]:
        """The brand's stored public replies to these posts that are in no conversation yet (they
        arrived before the post they answer), oldest first."""
        ...

    def add_many(self, workspace_id: int, messages: Sequence[NewMessage]) -> list[int]: ...
    def get(self, workspace_id: int, message_id: int) -> Message | None: ...
    def find_by_dedupe_keys(
        self, workspace_id: int, keys: Iterable[str], since: datetime
    ) -> dict[str, tuple[int, datetime]]:
        """For each key: the conversation and time of the newest message with it, from `since` on."""
        ...

    def set_triage(self, workspace_id: int, message_id: int, triage: dict[str, Any]) -> None: ...

    def recent(self, workspace_id: int, limit: int) -> list[Message]:
        """The newest messages of the workspace, newest first."""
        ...

    def latest_inbound_triage(
        self, workspace_id: int, conversation_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        """Per conversation, the triage of its newest customer message (for inbox badges)."""
        ...

    def private_conversations(self, workspace_id: int, conversation_ids: Iterable[int]) -> set[int]:
        """The conversations among ``conversation_ids`` whose newest customer message (the inbound
        message with the highest id) is private: a reply there defaults to a private message."""
        ...

    def ratings(self, workspace_id: int, conversation_ids: Iterable[int]) -> dict[int, int]:
        """Per conversation among ``conversation_ids``, the star rating (1 to 5) of its newest rated
        customer message (a review); conversations without one are left out."""
        ...

    def attach(self, workspace_id: int, message_id: int, conversation_id: int) -> None:
        """Put a stored message that had no conversation into one."""
        ...

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Message]: ...
    def mark_delivered(
        self, workspace_id: int, message_id: int, external_id: str | None, delivery: str
    ) -> None: ...
    def count(self, workspace_id: int) -> int: ...
    def set_outbound(self, workspace_id: int, message_id: int, text: str, delivery: str) -> None:
        """Change an unsent reply: its text (an approver's edit) and delivery state."""
        ...

    def move(self, workspace_id: int, message_ids: Iterable[int], conversation_id: int) -> None:
        """Put messages into another conversation (merge and split)."""
        ...


class ConversationRepo(Protocol):
    def add_many(self, workspace_id: int, conversations: Sequence[NewConversation]) -> list[int]: ...
    def get(self, workspace_id: int, conversation_id: int) -> Conversation | None: ...
    def get_many(self, workspace_id: int, ids: Iterable[int]) -> dict[int, Conversation]: ...
    def save_many(
        self, conversations: Sequence[Conversation], *, added_messages: Mapping[int, int] | None = None
    ) -> None:
        """Write the conversations' fields. With `added_messages` (conversation id -> how many messages
        this change added), `message_count` is not written as given but raised by that many on the
        stored row in the same statement (`message_count = message_count + n`): two writers adding to
        one conversation at once never lose each other's count."""
        ...

    def discard_untouched(self, workspace_id: int, conversation_id: int) -> bool:
        """Delete a conversation left without messages, with its cases, if nobody ever acted on it: no
        assignee, problem, note, approval, follow-up, escalation or audit entry, and no case merged
        into one of its cases. True when it is gone (ingest adopting an orphan thread leaves no empty
        conversation behind); False, and nothing changed, otherwise."""
        ...

    def set_current_case(self, workspace_id: int, conversation_id: int, case_id: int) -> None: ...
    def query(self, workspace_id: int, query: ConversationQuery) -> list[ConversationRow]: ...
    def count(self, workspace_id: int) -> int: ...
    def count_matching(self, workspace_id: int, query: ConversationQuery, cap: int | None = None) -> int:
        """How many conversations the query finds (its cursor, offset and limit aside); with `cap`, at
        most `cap` (the database stops counting there: a count of a million rows costs a visit to each)."""
        ...

    def waiting_urgency(
        self, workspace_id: int, conversation_ids: Iterable[int] | None = None
    ) -> list[WaitingUrgency]:
        """Conversations whose customer waits on an active case, with their messages' own urgency."""
        ...

    def set_urgency(self, workspace_id: int, changes: Sequence[tuple[int, datetime, int]]) -> int:
        """Set ``(conversation id, waiting since, urgency)``, each only while the conversation still
        waits since then (a reply or a new message in between wins). Returns how many were asked."""
        ...


class CaseRepo(Protocol):
    def add_many(self, workspace_id: int, cases: Sequence[NewCase]) -> list[int]: ...
    def get(self, workspace_id: int, case_id: int) -> Case | None: ...
    def current_for(self, workspace_id: int, conversation_ids: Iterable[int]) -> dict[int, Case]: ...
    def save_many(self, cases: Sequence[Case]) -> None: ...
    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Case]: ...


class OutboxRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        message_id: int,
        channel: str,
        idempotency_key: str,
        payload: dict[str, Any],
        now: datetime,
        not_before: datetime | None = None,
    ) -> OutboxItem: ...
    def pending(self, limit: int) -> list[OutboxItem]: ...
    def claim(self, relay: str, limit: int, now: datetime, dead_before: datetime) -> list[OutboxItem]:
        """Take up to `limit` items for `relay` to send: pending ones (whose `not_before` has come), and
        ones claimed by a relay whose last heartbeat is before `dead_before` (or that left).
        Concurrent relays never get the same item (SKIP LOCKED on PostgreSQL)."""
        ...

    def begin_attempt(
        self, item_id: int, relay: str, now: datetime, alive_after: datetime
    ) -> datetime | None:
        """Record durably that `relay` hands the item to the network now, if it still holds the claim
        and beat after `alive_after` (the relay's heartbeat is renewed). Returns the item's first
        attempt time, or None when the claim is lost: then the relay must not send."""
        ...

    def mark_sent(self, item_id: int, external_id: str, now: datetime, *, relay: str | None = None) -> bool:
        """Record the send; with `relay`, only while that relay holds the claim (False otherwise)."""
        ...

    def mark_failed(self, item_id: int, error: str, give_up: bool, *, relay: str | None = None) -> bool: ...

    def join_relay(self, relay: str, host: str, pid: int, now: datetime) -> None:
        """Register a relay process (and forget relays silent for an hour)."""
        ...

    def beat(self, relay: str, now: datetime) -> bool:
        """The relay's heartbeat; False if the relay is unknown (it left, or was forgotten)."""
        ...

    def leave_relay(self, relay: str) -> int:
        """A relay that stops: its claims go back to pending at once; returns how many."""
        ...

    def get(self, item_id: int) -> OutboxItem | None: ...
