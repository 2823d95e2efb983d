"""The interfaces actions need. The repositories have one SQL implementation (SQLite and PostgreSQL,
held to one contract suite); outside services (bus, clock, senders, leases) have a real implementation
and a fake for tests.

Actions receive a `UnitOfWork` and read and write through its repositories; their caller holds the
transaction: `with runtime.uow() as uow:` commits when the block ends cleanly and rolls back when it
raises. Events added with `uow.emit()` reach the bus only after the commit succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from socialdesk.domain.case import Case, CaseStatus
from socialdesk.domain.conversation import Conversation, SortKey
from socialdesk.domain.events import Event
from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.domain.noise import SpamRule, SpamRuleKind
from socialdesk.domain.people import BrandAccount, ContactHandle, Role, User, Workspace
from socialdesk.domain.post import Author, Direction, Message, Visibility
from socialdesk.ports_analytics import AnalyticsRepo
from socialdesk.ports_assist import ReplyCheckRepo, SuggestionRepo
from socialdesk.ports_care import (
    AgentRepo,
    ApprovalRepo,
    AuditRepo,
    CaseCare,
    CaseCareRepo,
    FollowUpRepo,
    IncidentRepo,
    NoteRepo,
    NotificationRepo,
    ProblemRepo,
    ResponseTimeRepo,
    RoutingRuleRepo,
    SavedReplyRepo,
    SettingsRepo,
    TeamRepo,
)
from socialdesk.ports_channels import ChannelAccountRepo
from socialdesk.ports_knowledge import ArticleRepo

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


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    workspace_id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime | None = None  # None: the token lasts until it is revoked

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    user_id: int
    workspace_id: int
    csrf_token: str
    expires_at: datetime


class WorkspaceRepo(Protocol):
    def add(self, slug: str, name: str) -> Workspace: ...
    def get(self, workspace_id: int) -> Workspace | None: ...
    def get_by_slug(self, slug: str) -> Workspace | None: ...
    def list(self) -> list[Workspace]: ...


class UserRepo(Protocol):
    def add(
        self, workspace_id: int, email: str, name: str, role: Role, password_hash: str, signature: str
    ) -> User: ...
    def get(self, workspace_id: int, user_id: int) -> User | None: ...
    def get_by_email(self, email: str) -> tuple[User, str] | None:
        """The user with this (case-insensitive) email and their password hash."""
        ...

    def list(self, workspace_id: int) -> list[User]: ...
    def set_role(self, workspace_id: int, user_id: int, role: Role) -> None: ...
    def set_active(self, workspace_id: int, user_id: int, active: bool) -> None: ...
    def set_password_hash(self, workspace_id: int, user_id: int, password_hash: str) -> None: ...


class TokenRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        user_id: int,
        name: str,
        token_hash: str,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> ApiToken: ...
    def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def get(self, workspace_id: int, token_id: int) -> ApiToken | None: ...
    def list(self, workspace_id: int, user_id: int | None = None) -> list[ApiToken]:
        """The workspace's tokens (or one user's), oldest first."""
        ...

    def delete(self, workspace_id: int, token_id: int) -> bool: ...


class SessionRepo(Protocol):
    def add(
        self, user_id: int, workspace_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> WebSession: ...
    def get_by_hash(self, token_hash: str) -> WebSession | None: ...
    def delete(self, token_hash: str) -> None: ...
    def delete_for_user(self, workspace_id: int, user_id: int, keep_id: int | None = None) -> int:
        """End a user's sessions (all, or all but `keep_id`); returns how many ended."""
        ...


class BrandAccountRepo(Protocol):
    def add(self, workspace_id: int, channel: str, handle: str, external_id: str | None) -> BrandAccount: ...
    def list(self, workspace_id: int) -> list[BrandAccount]: ...


class ContactRepo(Protocol):
    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        """Find or create a contact handle for each (channel, author); refresh name and followers."""
        ...

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]: ...


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
    ) -> OutboxItem: ...
    def pending(self, limit: int) -> list[OutboxItem]: ...
    def claim(self, relay: str, limit: int, now: datetime, dead_before: datetime) -> list[OutboxItem]:
        """Take up to `limit` items for `relay` to send: pending ones, and ones claimed by a relay whose
        last heartbeat is before `dead_before` (or that left). Concurrent relays never get the same
        item (SKIP LOCKED on PostgreSQL)."""
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


@dataclass(frozen=True, slots=True)
class NewMonitor:
    name: str
    query: str
    kind: MonitorKind
    mode: MonitorMode
    exclude_authors: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    brand_account_ids: tuple[int, ...] = ()


class MonitorRepo(Protocol):
    """Monitors not deleted: a deleted monitor (``deleted_at`` set) is left out of ``list``, ``get`` and
    ``get_by_name`` (its name is free again), while its match rows stay for the history."""

    def add(self, workspace_id: int, monitor: NewMonitor, now: datetime) -> Monitor: ...
    def list(self, workspace_id: int, *, active_only: bool = False) -> list[Monitor]: ...
    def get_by_name(self, workspace_id: int, name: str) -> Monitor | None: ...
    def get(self, workspace_id: int, monitor_id: int) -> Monitor | None: ...
    def update(self, monitor: Monitor, now: datetime) -> Monitor:
        """Store the monitor's name, query, kind, mode, exclusions, brand accounts and is_active;
        updated_at = now."""
        ...

    def delete(self, workspace_id: int, monitor_id: int, now: datetime) -> None:
        """Soft delete: set deleted_at = now; the monitor's match rows stay (another workspace's id or a
        deleted monitor: nothing happens)."""
        ...

    def record_matches(self, workspace_id: int, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        """Store (monitor id, message id) matches."""
        ...

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        """Matches per monitor id, deleted monitors' included."""
        ...


@dataclass(frozen=True, slots=True)
class Feedback:
    message_id: int
    text: str
    field: str
    label: str
    created_at: datetime


class RuleRepo(Protocol):
    """Workspace-wide spam rules and agents' triage corrections."""

    def add_spam_rule(self, workspace_id: int, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule: ...
    def spam_rules(self, workspace_id: int) -> list[SpamRule]: ...
    def delete_spam_rule(self, workspace_id: int, rule_id: int) -> bool: ...
    def add_feedback(
        self, workspace_id: int, message_id: int, user_id: int, field: str, label: str, now: datetime
    ) -> None: ...
    def feedback(self, workspace_id: int | None) -> list[Feedback]:
        """Corrections with their post text, oldest first (all workspaces when None); never those on
        private messages (a DM's text must not leave in a training file)."""
        ...


class UnitOfWork(Protocol):
    """One transaction: `with uow_factory() as uow:` commits when the block ends cleanly and rolls back
    when it raises (the exception goes on); the events emitted in it are published only after the
    commit succeeds. A block is one step: a use case that must make a step durable before the next
    (claim, then send, then record) opens one block per step. The read-only unit of work never commits.
    """

    workspaces: WorkspaceRepo
    users: UserRepo
    tokens: TokenRepo
    sessions: SessionRepo
    brands: BrandAccountRepo
    contacts: ContactRepo
    messages: MessageRepo
    conversations: ConversationRepo
    cases: CaseRepo
    outbox: OutboxRepo
    monitors: MonitorRepo
    rules: RuleRepo
    teams: TeamRepo
    agents: AgentRepo
    routing: RoutingRuleRepo
    settings: SettingsRepo
    care: CaseCareRepo
    notes: NoteRepo
    notifications: NotificationRepo
    saved_replies: SavedReplyRepo
    approvals: ApprovalRepo
    follow_ups: FollowUpRepo
    audit: AuditRepo
    problems: ProblemRepo
    incidents: IncidentRepo
    response_times: ResponseTimeRepo
    channels: ChannelAccountRepo
    analytics: AnalyticsRepo
    articles: ArticleRepo
    kb_suggestions: SuggestionRepo
    reply_checks: ReplyCheckRepo

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None:
        """Commit now and go on in a new transaction: only where a block must, allow-listed in
        tests/test_transactions.py; everywhere else the end of the `with` block commits."""
        ...

    def rollback(self) -> None:
        """Discard the changes and events so far and go on in a new transaction."""
        ...

    def emit(self, event: Event) -> None:
        """Publish `event` once this unit of work commits (never if it rolls back)."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class Bus(Protocol):
    def publish(self, events: Sequence[Event]) -> None: ...
    def subscribe(self, handler: Callable[[Event], None]) -> Callable[[], None]:
        """Register a handler; returns a function that unsubscribes it."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class SendResult:
    external_id: str


class SendUnconfirmed(Exception):
    """`find_sent` could not tell whether the reply is already on the network (its look-back budget ran
    out before the first attempt's time): sending again could post it twice, so an agent must check."""


class ChannelSender(Protocol):
    def send(self, item: OutboxItem) -> SendResult: ...
    def find_sent(self, item: OutboxItem) -> SendResult | None:
        """After an attempt that may have reached the network (``item.attempted_at`` is set): the post
        already there for this item, if any. Looks back at least to ``item.attempted_at``; raises
        SendUnconfirmed when it cannot look that far."""
        ...


@runtime_checkable
class CommentModerator(Protocol):
    """A sender that can also hide, show again and delete a public comment on the network (the brand's
    own posts' comments); ``comment_id`` is the network's id of it (the message's ``external_id``)."""

    def hide_comment(self, comment_id: str, *, hidden: bool = True) -> None: ...
    def delete_comment(self, comment_id: str) -> None: ...
