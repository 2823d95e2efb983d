"""In-memory repositories with the same behaviour as the SQL ones, for fast tests.

A `MemoryStore` holds the tables; each unit of work edits copies and swaps them in on commit, so a
rolled-back unit of work leaves nothing behind, as a SQL transaction would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from socialdesk.domain.case import ACTIVE_STATUSES, Case
from socialdesk.domain.conversation import Conversation, InboxKey, inbox_sort_key
from socialdesk.domain.events import Event
from socialdesk.domain.monitor import Monitor
from socialdesk.domain.noise import SpamRule, SpamRuleKind
from socialdesk.domain.people import (
    BrandAccount,
    Contact,
    ContactHandle,
    Role,
    Team,
    User,
    Workspace,
    normalize_handle,
)
from socialdesk.domain.post import Author, Direction, Message
from socialdesk.ports import (
    ApiToken,
    BrandAccountRepo,
    Bus,
    CaseRepo,
    ContactRepo,
    ConversationQuery,
    ConversationRepo,
    ConversationRow,
    Feedback,
    MessageRepo,
    MonitorRepo,
    NewCase,
    NewConversation,
    NewMessage,
    NewMonitor,
    OutboxItem,
    OutboxRepo,
    PostKey,
    PostRef,
    RuleRepo,
    SessionRepo,
    TokenRepo,
    UserRepo,
    WebSession,
    WorkspaceRepo,
)
from socialdesk.ports_analytics import AnalyticsRepo
from socialdesk.ports_care import (
    AgentRepo,
    Approval,
    ApprovalRepo,
    AuditEntry,
    AuditRepo,
    CaseCare,
    CaseCareRepo,
    FollowUp,
    FollowUpRepo,
    Note,
    NoteRepo,
    Notification,
    NotificationRepo,
    Problem,
    ProblemRepo,
    RoutingRuleRepo,
    RoutingRuleRow,
    SavedReply,
    SavedReplyRepo,
    SettingsRepo,
    TeamRepo,
)
from socialdesk.ports_channels import ChannelAccount, ChannelAccountRepo
from socialdesk.storage import memory_care as mc
from socialdesk.storage.memory_analytics import MemAnalytics
from socialdesk.storage.memory_channels import MemChannelAccounts
from socialdesk.storage.memory_errors import IntegrityError


class _Unused(Exception):
    """A unique key was violated (the in-memory twin of the database's error)."""


@dataclass
class _Tables:
    workspaces: dict[int, Workspace] = field(default_factory=dict)
    users: dict[int, tuple[User, str]] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    brands: dict[int, BrandAccount] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    handles: dict[tuple[int, str, str], ContactHandle] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    message_keys: dict[tuple[int, str, str], int] = field(default_factory=dict)
    conversations: dict[int, Conversation] = field(default_factory=dict)
    cases: dict[int, Case] = field(default_factory=dict)
    outbox: dict[int, OutboxItem] = field(default_factory=dict)
    claims: dict[int, datetime] = field(default_factory=dict)  # outbox id -> claimed at
    monitors: dict[int, Monitor] = field(default_factory=dict)
    matches: dict[tuple[int, int], int] = field(default_factory=dict)
    dedupe: dict[int, str] = field(default_factory=dict)  # message id -> dedupe key
    spam_rules: dict[int, SpamRule] = field(default_factory=dict)
    feedback: dict[int, tuple[int, int, str, str, datetime]] = field(default_factory=dict)
    # The care workflow (see memory_care.py).
    teams: dict[int, Team] = field(default_factory=dict)
    team_members: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> (ws, team, user)
    routing_rules: dict[int, RoutingRuleRow] = field(default_factory=dict)
    settings: dict[tuple[int, str], Any] = field(default_factory=dict)
    care: dict[int, CaseCare] = field(default_factory=dict)
    escalations: dict[tuple[int, str], int] = field(default_factory=dict)  # (case, key) -> ws
    notes: dict[int, Note] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    saved_replies: dict[int, SavedReply] = field(default_factory=dict)
    approvals: dict[int, Approval] = field(default_factory=dict)
    follow_ups: dict[int, FollowUp] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    problems: dict[int, Problem] = field(default_factory=dict)
    # Channel accounts (see memory_channels.py).
    channel_accounts: dict[int, ChannelAccount] = field(default_factory=dict)
    channel_cursors: dict[tuple[int, str], str] = field(default_factory=dict)
    channel_traffic: dict[tuple[int, datetime], int] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)

    def copy(self) -> _Tables:
        return _Tables(**{name: dict(value) for name, value in self.__dict__.items()})

    def new_id(self, table: str) -> int:
        value = self.next_id.get(table, 0) + 1
        self.next_id[table] = value
        return value


class MemoryStore:
    def __init__(self) -> None:
        self.tables = _Tables()
        self.lock = threading.Lock()

    def unit_of_work(self, bus: Bus | None = None) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self, bus)


class MemoryUnitOfWork:
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
    channels: ChannelAccountRepo
    analytics: AnalyticsRepo

    def __init__(self, store: MemoryStore, bus: Bus | None = None) -> None:
        self._store = store
        self._bus = bus
        self._events: list[Event] = []
        self.t = _Tables()

    def __enter__(self) -> Self:
        self._store.lock.acquire()
        self.t = self._store.tables.copy()
        self._events = []
        self.workspaces = _Workspaces(self)
        self.users = _Users(self)
        self.tokens = _Tokens(self)
        self.sessions = _Sessions(self)
        self.brands = _Brands(self)
        self.contacts = _Contacts(self)
        self.messages = _Messages(self)
        self.conversations = _Conversations(self)
        self.cases = _Cases(self)
        self.outbox = _Outbox(self)
        self.monitors = _Monitors(self)
        self.rules = _Rules(self)
        self.teams = mc.MemTeams(self)
        self.agents = mc.MemAgents(self)
        self.routing = mc.MemRouting(self)
        self.settings = mc.MemSettings(self)
        self.care = mc.MemCaseCare(self)
        self.notes = mc.MemNotes(self)
        self.notifications = mc.MemNotifications(self)
        self.saved_replies = mc.MemSavedReplies(self)
        self.approvals = mc.MemApprovals(self)
        self.follow_ups = mc.MemFollowUps(self)
        self.audit = mc.MemAudit(self)
        self.problems = mc.MemProblems(self)
        self.analytics = MemAnalytics(self)
        self.channels = MemChannelAccounts(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._store.lock.release()

    def commit(self) -> None:
        self._store.tables = self.t
        self.t = self._store.tables.copy()
        events, self._events = self._events, []
        if self._bus is not None and events:
            self._bus.publish(events)

    def rollback(self) -> None:
        self.t = self._store.tables.copy()
        self._events = []

    def emit(self, event: Event) -> None:
        self._events.append(event)


class _Repo:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def t(self) -> _Tables:
        return self.uow.t


class _Workspaces(_Repo):
    def add(self, slug: str, name: str) -> Workspace:
        if any(w.slug == slug for w in self.t.workspaces.values()):
            raise IntegrityError(f"workspace slug {slug!r} exists")
        ws = Workspace(self.t.new_id("workspaces"), slug, name)
        self.t.workspaces[ws.id] = ws
        return ws

    def get(self, workspace_id: int) -> Workspace | None:
        return self.t.workspaces.get(workspace_id)

    def get_by_slug(self, slug: str) -> Workspace | None:
        return next((w for w in self.t.workspaces.values() if w.slug == slug), None)

    def list(self) -> list[Workspace]:
        return sorted(self.t.workspaces.values(), key=lambda w: w.id)


class _Users(_Repo):
    def add(
        self, workspace_id: int, email: str, name: str, role: Role, password_hash: str, signature: str
    ) -> User:
        email = email.strip().lower()
        if any(u.email == email for u, _ in self.t.users.values()):
            raise IntegrityError(f"user {email!r} exists")
        user = User(self.t.new_id("users"), workspace_id, email, name, role, signature)
        self.t.users[user.id] = (user, password_hash)
        return user

    def get(self, workspace_id: int, user_id: int) -> User | None:
        found = self.t.users.get(user_id)
        return found[0] if found and found[0].workspace_id == workspace_id else None

    def get_by_email(self, email: str) -> tuple[User, str] | None:
        email = email.strip().lower()
        return next((pair for pair in self.t.users.values() if pair[0].email == email), None)

    def list(self, workspace_id: int) -> list[User]:
        return sorted(
            (u for u, _ in self.t.users.values() if u.workspace_id == workspace_id), key=lambda u: u.id
        )


class _Tokens(_Repo):
    def add(self, workspace_id: int, user_id: int, name: str, token_hash: str, now: datetime) -> ApiToken:
        token = ApiToken(self.t.new_id("tokens"), workspace_id, user_id, name, now)
        self.t.tokens[token_hash] = token
        return token

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        return self.t.tokens.get(token_hash)


class _Sessions(_Repo):
    def add(
        self, user_id: int, workspace_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> WebSession:
        session = WebSession(self.t.new_id("sessions"), user_id, workspace_id, csrf_token, expires_at)
        self.t.sessions[token_hash] = session
        return session

    def get_by_hash(self, token_hash: str) -> WebSession | None:
        return self.t.sessions.get(token_hash)

    def delete(self, token_hash: str) -> None:
        self.t.sessions.pop(token_hash, None)


class _Brands(_Repo):
    def add(self, workspace_id: int, channel: str, handle: str, external_id: str | None) -> BrandAccount:
        key = normalize_handle(handle)
        for b in self.t.brands.values():
            if (b.workspace_id, b.channel, normalize_handle(b.handle)) == (workspace_id, channel, key):
                raise IntegrityError(f"brand account {handle!r} exists")
        brand = BrandAccount(self.t.new_id("brands"), workspace_id, channel, handle.lstrip("@"), external_id)
        self.t.brands[brand.id] = brand
        return brand

    def list(self, workspace_id: int) -> list[BrandAccount]:
        return [b for b in self.t.brands.values() if b.workspace_id == workspace_id]


class _Contacts(_Repo):
    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        wanted: dict[PostKey, Author] = {}
        for channel, author in authors:
            wanted[(channel, author.id)] = author
        out: dict[PostKey, ContactHandle] = {}
        for (channel, ext_id), a in wanted.items():
            key = (workspace_id, channel, ext_id)
            found = self.t.handles.get(key)
            if found is None:
                contact = Contact(self.t.new_id("contacts"), workspace_id, a.name or a.handle, now)
                self.t.contacts[contact.id] = contact
                found = ContactHandle(
                    self.t.new_id("handles"), workspace_id, contact.id, channel, ext_id, a.handle, a.name,
                    a.followers, a.verified,
                )  # fmt: skip
            else:
                followers = a.followers if a.followers is not None else found.followers
                found = replace(found, handle=a.handle, name=a.name, followers=followers, verified=a.verified)
            self.t.handles[key] = found
            out[(channel, ext_id)] = found
        return out

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]:
        return sorted(
            (
                h
                for h in self.t.handles.values()
                if h.workspace_id == workspace_id and h.contact_id == contact_id
            ),
            key=lambda h: h.id,
        )


class _Messages(_Repo):
    def find_by_keys(self, workspace_id: int, keys: Iterable[PostKey]) -> dict[PostKey, PostRef]:
        out = {}
        for ch, ext in keys:
            mid = self.t.message_keys.get((workspace_id, ch, ext))
            if mid is not None:
                out[(ch, ext)] = PostRef(mid, self.t.messages[mid].conversation_id)
        return out

    def find_reply_conversations(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, int]:
        wanted = set(parents)
        out: dict[PostKey, int] = {}
        for m in self.t.messages.values():
            key = (m.channel, m.in_reply_to or "")
            if m.workspace_id == workspace_id and key in wanted and m.conversation_id is not None:
                out[key] = min(out.get(key, m.conversation_id), m.conversation_id)
        return out

    def add_many(self, workspace_id: int, messages: Sequence[NewMessage]) -> list[int]:
        ids = []
        for m in messages:
            if m.external_id is not None and (workspace_id, m.channel, m.external_id) in self.t.message_keys:
                raise IntegrityError(f"message {m.channel}:{m.external_id} exists")
            mid = self.t.new_id("messages")
            self.t.messages[mid] = Message(
                id=mid, workspace_id=workspace_id, conversation_id=m.conversation_id, channel=m.channel,
                external_id=m.external_id, direction=m.direction, visibility=m.visibility, text=m.text,
                created_at=m.created_at, author_handle=m.author_handle, author_name=m.author_name,
                author_followers=m.author_followers, in_reply_to=m.in_reply_to,
                sent_by_user_id=m.sent_by_user_id, delivery=m.delivery, lang=m.lang, monitors=m.monitors,
                triage=m.triage,
            )  # fmt: skip
            if m.external_id is not None:
                self.t.message_keys[(workspace_id, m.channel, m.external_id)] = mid
            if m.dedupe_key is not None:
                self.t.dedupe[mid] = m.dedupe_key
            ids.append(mid)
        return ids

    def get(self, workspace_id: int, message_id: int) -> Message | None:
        m = self.t.messages.get(message_id)
        return m if m and m.workspace_id == workspace_id else None

    def find_by_dedupe_keys(
        self, workspace_id: int, keys: Iterable[str], since: datetime
    ) -> dict[str, tuple[int, datetime]]:
        wanted = set(keys)
        found = sorted(
            (m.created_at, m.id, key, m.conversation_id)
            for mid, key in self.t.dedupe.items()
            if key in wanted
            and (m := self.t.messages[mid]).workspace_id == workspace_id
            and m.created_at >= since
            and m.conversation_id is not None
        )
        return {key: (conv, at) for at, _, key, conv in found}

    def set_triage(self, workspace_id: int, message_id: int, triage: dict[str, Any]) -> None:
        m = self.get(workspace_id, message_id)
        if m is not None:
            self.t.messages[message_id] = replace(m, triage=triage)

    def latest_inbound_triage(
        self, workspace_id: int, conversation_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        wanted = set(conversation_ids)
        out: dict[int, tuple[int, dict[str, Any]]] = {}
        for m in self.t.messages.values():
            if (
                m.workspace_id == workspace_id
                and m.conversation_id in wanted
                and m.direction is Direction.INBOUND
                and m.triage
                and m.id > out.get(m.conversation_id, (0, {}))[0]
            ):
                out[m.conversation_id] = (m.id, m.triage)
        return {cid: triage for cid, (_, triage) in out.items()}

    def recent(self, workspace_id: int, limit: int) -> list[Message]:
        found = [m for m in self.t.messages.values() if m.workspace_id == workspace_id]
        return sorted(found, key=lambda m: (m.created_at, m.id), reverse=True)[:limit]

    def attach(self, workspace_id: int, message_id: int, conversation_id: int) -> None:
        m = self.get(workspace_id, message_id)
        if m is not None and m.conversation_id is None:
            self.t.messages[message_id] = replace(m, conversation_id=conversation_id)

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Message]:
        found = [
            m
            for m in self.t.messages.values()
            if m.workspace_id == workspace_id and m.conversation_id == conversation_id
        ]
        return sorted(found, key=lambda m: (m.created_at, m.id))

    def mark_delivered(
        self, workspace_id: int, message_id: int, external_id: str | None, delivery: str
    ) -> None:
        m = self.get(workspace_id, message_id)
        if m is not None:
            self.t.messages[message_id] = replace(m, external_id=external_id, delivery=delivery)
            if external_id is not None:
                self.t.message_keys[(workspace_id, m.channel, external_id)] = message_id

    def count(self, workspace_id: int) -> int:
        return sum(1 for m in self.t.messages.values() if m.workspace_id == workspace_id)

    def set_outbound(self, workspace_id: int, message_id: int, text: str, delivery: str) -> None:
        m = self.get(workspace_id, message_id)
        if m is not None:
            self.t.messages[message_id] = replace(m, text=text, delivery=delivery)

    def move(self, workspace_id: int, message_ids: Iterable[int], conversation_id: int) -> None:
        for message_id in message_ids:
            m = self.get(workspace_id, message_id)
            if m is not None:
                self.t.messages[message_id] = replace(m, conversation_id=conversation_id)


class _Conversations(_Repo):
    def add_many(self, workspace_id: int, conversations: Sequence[NewConversation]) -> list[int]:
        ids = []
        for c in conversations:
            cid = self.t.new_id("conversations")
            self.t.conversations[cid] = Conversation(
                id=cid, workspace_id=workspace_id, channel=c.channel, contact_id=c.contact_id,
                subject=c.subject, created_at=c.created_at, last_message_at=c.last_message_at,
                waiting_since=c.waiting_since, message_count=c.message_count, author_handle=c.author_handle,
                author_name=c.author_name, author_followers=c.author_followers, last_text=c.last_text,
                urgency=c.urgency,
            )  # fmt: skip
            ids.append(cid)
        return ids

    def get(self, workspace_id: int, conversation_id: int) -> Conversation | None:
        c = self.t.conversations.get(conversation_id)
        return c if c and c.workspace_id == workspace_id else None

    def get_many(self, workspace_id: int, ids: Iterable[int]) -> dict[int, Conversation]:
        return {i: c for i in ids if (c := self.get(workspace_id, i)) is not None}

    def save_many(self, conversations: Sequence[Conversation]) -> None:
        for c in conversations:
            old = self.t.conversations.get(c.id)
            if old is not None and old.workspace_id == c.workspace_id:
                self.t.conversations[c.id] = replace(c, current_case_id=old.current_case_id)

    def set_current_case(self, workspace_id: int, conversation_id: int, case_id: int) -> None:
        c = self.get(workspace_id, conversation_id)
        if c is not None:
            self.t.conversations[c.id] = replace(c, current_case_id=case_id)

    def query(self, workspace_id: int, query: ConversationQuery) -> list[ConversationRow]:
        rows: list[tuple[InboxKey, ConversationRow]] = []
        needle = query.text.casefold() if query.text else None
        after = query.after
        for c in self.t.conversations.values():
            if c.workspace_id != workspace_id:
                continue
            case = self.t.cases.get(c.current_case_id) if c.current_case_id else None
            if query.status is not None and (case is None or case.status != query.status):
                continue
            if (
                query.active_only
                and query.status is None
                and (case is None or case.status not in ACTIVE_STATUSES)
            ):
                continue
            if query.channel and c.channel != query.channel:
                continue
            if query.contact_id is not None and c.contact_id != query.contact_id:
                continue
            if query.monitor and not any(
                m.conversation_id == c.id and query.monitor in m.monitors for m in self.t.messages.values()
            ):
                continue
            if query.assignee_id is not None and (case is None or case.assignee_id != query.assignee_id):
                continue
            if query.unassigned and case is not None and case.assignee_id is not None:
                continue
            care = self.t.care.get(case.id, CaseCare(case.id)) if case is not None else None
            if query.sla_state is not None and (care is None or care.sla_state != query.sla_state):
                continue
            if query.team_ids is not None and (case is None or case.team_id not in query.team_ids):
                continue
            if needle is not None and not any(
                m.conversation_id == c.id and needle in m.text.lower() for m in self.t.messages.values()
            ):
                continue
            key = inbox_sort_key(c)
            if after is not None and key <= after:
                continue
            rows.append((key, ConversationRow(conversation=c, case=case, care=care)))
        rows.sort(key=lambda pair: pair[0])
        return [row for _, row in rows[: query.limit]]

    def count(self, workspace_id: int) -> int:
        return sum(1 for c in self.t.conversations.values() if c.workspace_id == workspace_id)


class _Cases(_Repo):
    def add_many(self, workspace_id: int, cases: Sequence[NewCase]) -> list[int]:
        ids = []
        for c in cases:
            cid = self.t.new_id("cases")
            self.t.cases[cid] = Case(
                id=cid, workspace_id=workspace_id, conversation_id=c.conversation_id, status=c.status,
                opened_at=c.opened_at, first_response_at=c.first_response_at, updated_at=c.opened_at,
            )  # fmt: skip
            conv = self.t.conversations[c.conversation_id]
            self.t.conversations[conv.id] = replace(conv, current_case_id=cid)
            ids.append(cid)
        return ids

    def get(self, workspace_id: int, case_id: int) -> Case | None:
        c = self.t.cases.get(case_id)
        return c if c and c.workspace_id == workspace_id else None

    def current_for(self, workspace_id: int, conversation_ids: Iterable[int]) -> dict[int, Case]:
        out = {}
        for cid in conversation_ids:
            conv = self.t.conversations.get(cid)
            if conv and conv.workspace_id == workspace_id and conv.current_case_id:
                out[cid] = self.t.cases[conv.current_case_id]
        return out

    def save_many(self, cases: Sequence[Case]) -> None:
        for c in cases:
            old = self.t.cases.get(c.id)
            if old is not None and old.workspace_id == c.workspace_id:
                self.t.cases[c.id] = replace(c, conversation_id=old.conversation_id)

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Case]:
        found = (
            c
            for c in self.t.cases.values()
            if c.workspace_id == workspace_id and c.conversation_id == conversation_id
        )
        return sorted(found, key=lambda c: c.id)


class _Outbox(_Repo):
    def add(
        self,
        workspace_id: int,
        message_id: int,
        channel: str,
        idempotency_key: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> OutboxItem:
        if any(o.idempotency_key == idempotency_key for o in self.t.outbox.values()):
            raise IntegrityError(f"outbox key {idempotency_key!r} exists")
        item = OutboxItem(
            self.t.new_id("outbox"),
            workspace_id,
            message_id,
            channel,
            idempotency_key,
            payload,
            "pending",
            0,
            now,
        )
        self.t.outbox[item.id] = item
        return item

    def pending(self, limit: int) -> list[OutboxItem]:
        return sorted((o for o in self.t.outbox.values() if o.status == "pending"), key=lambda o: o.id)[
            :limit
        ]

    def claim(self, limit: int, now: datetime, stale_before: datetime) -> list[OutboxItem]:
        ready = sorted(
            (
                o
                for o in self.t.outbox.values()
                if o.status == "pending"
                or (o.status == "sending" and (self.t.claims.get(o.id) or now) < stale_before)
            ),
            key=lambda o: o.id,
        )[:limit]
        for o in ready:
            self.t.outbox[o.id] = replace(o, status="sending")
            self.t.claims[o.id] = now
        return [self.t.outbox[o.id] for o in ready]

    def mark_sent(self, item_id: int, external_id: str, now: datetime) -> None:
        o = self.t.outbox[item_id]
        self.t.outbox[item_id] = replace(
            o, status="sent", external_id=external_id, sent_at=now, attempts=o.attempts + 1
        )

    def mark_failed(self, item_id: int, error: str, give_up: bool) -> None:
        o = self.t.outbox[item_id]
        status = "failed" if give_up else "pending"
        self.t.outbox[item_id] = replace(o, status=status, last_error=error[:2000], attempts=o.attempts + 1)

    def get(self, item_id: int) -> OutboxItem | None:
        return self.t.outbox.get(item_id)


class _Monitors(_Repo):
    def add(self, workspace_id: int, monitor: NewMonitor, now: datetime) -> Monitor:
        if self.get_by_name(workspace_id, monitor.name) is not None:
            raise IntegrityError(f"monitor {monitor.name!r} exists")
        found = Monitor(
            self.t.new_id("monitors"), workspace_id, monitor.name, monitor.query, monitor.kind, monitor.mode,
            monitor.exclude_authors, monitor.exclude_terms, True, now, now,
        )  # fmt: skip
        self.t.monitors[found.id] = found
        return found

    def list(self, workspace_id: int, *, active_only: bool = False) -> list[Monitor]:
        found = [
            m
            for m in self.t.monitors.values()
            if m.workspace_id == workspace_id and (m.is_active or not active_only)
        ]
        return sorted(found, key=lambda m: m.name)

    def get_by_name(self, workspace_id: int, name: str) -> Monitor | None:
        return next(
            (m for m in self.t.monitors.values() if m.workspace_id == workspace_id and m.name == name), None
        )

    def record_matches(self, workspace_id: int, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        for pair in pairs:
            if pair in self.t.matches:
                raise IntegrityError(f"match {pair} exists")
            self.t.matches[pair] = workspace_id

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for (monitor_id, _), ws in self.t.matches.items():
            if ws == workspace_id:
                counts[monitor_id] = counts.get(monitor_id, 0) + 1
        return counts


class _Rules(_Repo):
    def add_spam_rule(self, workspace_id: int, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule:
        if any(
            (r.workspace_id, r.kind, r.value) == (workspace_id, kind, value)
            for r in self.t.spam_rules.values()
        ):
            raise IntegrityError(f"spam rule {kind}:{value} exists")
        rule = SpamRule(self.t.new_id("spam_rules"), workspace_id, kind, value)
        self.t.spam_rules[rule.id] = rule
        return rule

    def spam_rules(self, workspace_id: int) -> list[SpamRule]:
        return [r for r in self.t.spam_rules.values() if r.workspace_id == workspace_id]

    def delete_spam_rule(self, workspace_id: int, rule_id: int) -> bool:
        rule = self.t.spam_rules.get(rule_id)
        if rule is None or rule.workspace_id != workspace_id:
            return False
        del self.t.spam_rules[rule_id]
        return True

    def add_feedback(
        self, workspace_id: int, message_id: int, user_id: int, field: str, label: str, now: datetime
    ) -> None:
        self.t.feedback[self.t.new_id("feedback")] = (workspace_id, message_id, field, label, now)

    def feedback(self, workspace_id: int | None) -> list[Feedback]:
        out = []
        for _, (ws, message_id, field_name, label, at) in sorted(self.t.feedback.items()):
            if workspace_id is None or ws == workspace_id:
                out.append(Feedback(message_id, self.t.messages[message_id].text, field_name, label, at))
        return out
