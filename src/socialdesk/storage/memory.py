"""In-memory repositories with the same behaviour as the SQL ones, for fast tests.

A `MemoryStore` holds the tables; each unit of work edits copies and swaps them in on commit, so a
rolled-back unit of work leaves nothing behind, as a SQL transaction would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from socialdesk.domain.case import ACTIVE_STATUSES, Case
from socialdesk.domain.conversation import Conversation, SortKey, sort_key
from socialdesk.domain.events import Event
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports import (
    BrandAccountRepo,
    Bus,
    CaseRepo,
    ContactRepo,
    ConversationQuery,
    ConversationRepo,
    ConversationRow,
    MessageRepo,
    MonitorRepo,
    NewCase,
    NewConversation,
    NewMessage,
    OutboxRepo,
    PostKey,
    PostRef,
    RuleRepo,
    SessionRepo,
    TokenRepo,
    UserRepo,
    WaitingUrgency,
    WorkspaceRepo,
)
from socialdesk.ports_analytics import AnalyticsRepo
from socialdesk.ports_care import (
    AgentRepo,
    ApprovalRepo,
    AuditRepo,
    CaseCare,
    CaseCareRepo,
    FollowUpRepo,
    NoteRepo,
    NotificationRepo,
    ProblemRepo,
    RoutingRuleRepo,
    SavedReplyRepo,
    SettingsRepo,
    TeamRepo,
)
from socialdesk.ports_channels import ChannelAccountRepo
from socialdesk.storage import memory_care as mc
from socialdesk.storage import memory_care_collab as mcc
from socialdesk.storage.memory_analytics import MemAnalytics
from socialdesk.storage.memory_channels import MemChannelAccounts
from socialdesk.storage.memory_errors import IntegrityError
from socialdesk.storage.memory_people import _Brands, _Contacts, _Sessions, _Tokens, _Users, _Workspaces
from socialdesk.storage.memory_rules import _Monitors, _Outbox, _Rules
from socialdesk.storage.memory_tables import _Repo, _Tables


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
        self.notes = mcc.MemNotes(self)
        self.notifications = mcc.MemNotifications(self)
        self.saved_replies = mcc.MemSavedReplies(self)
        self.approvals = mcc.MemApprovals(self)
        self.follow_ups = mcc.MemFollowUps(self)
        self.audit = mcc.MemAudit(self)
        self.problems = mcc.MemProblems(self)
        self.analytics = MemAnalytics(self)
        self.channels = MemChannelAccounts(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """As `SqlUnitOfWork`: a clean exit commits (the tables become the store's), an exception
        discards the changes; events are published after the commit, outside the store's lock."""
        events, self._events = self._events, []
        try:
            if exc_type is not None:
                events = []
            else:
                self._store.tables = self.t
        finally:
            self._store.lock.release()
        if self._bus is not None and events:
            self._bus.publish(events)

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


class _Messages(_Repo):
    def find_by_keys(self, workspace_id: int, keys: Iterable[PostKey]) -> dict[PostKey, PostRef]:
        out = {}
        for ch, ext in keys:
            mid = self.t.message_keys.get((workspace_id, ch, ext))
            if mid is not None:
                out[(ch, ext)] = PostRef(mid, self.t.messages[mid].conversation_id)
        return out

    def find_reply_conversations(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, int]:
        return {key: found[0] for key, found in self.find_reply_threads(workspace_id, parents).items()}

    def find_reply_threads(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, list[int]]:
        wanted = set(parents)
        out: dict[PostKey, set[int]] = {}
        for m in self.t.messages.values():
            key = (m.channel, m.in_reply_to or "")
            if m.workspace_id == workspace_id and key in wanted and m.conversation_id is not None:
                out.setdefault(key, set()).add(m.conversation_id)
        return {key: sorted(found) for key, found in out.items()}

    def find_unthreaded_brand_replies(self, workspace_id: int, parents: Iterable[PostKey]) -> list[Message]:
        wanted = set(parents)
        found = [
            m
            for m in self.t.messages.values()
            if m.workspace_id == workspace_id
            and m.conversation_id is None
            and m.direction is Direction.OUTBOUND
            and (m.channel, m.in_reply_to or "") in wanted
        ]
        return sorted(found, key=lambda m: (m.created_at, m.id))

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

    def private_conversations(self, workspace_id: int, conversation_ids: Iterable[int]) -> set[int]:
        wanted = set(conversation_ids)
        newest: dict[int, Message] = {}
        for m in self.t.messages.values():
            cid = m.conversation_id
            if (
                m.workspace_id == workspace_id
                and cid in wanted
                and m.direction is Direction.INBOUND
                and (cid not in newest or m.id > newest[cid].id)
            ):
                newest[cid] = m
        return {cid for cid, m in newest.items() if m.visibility is Visibility.PRIVATE}

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
                urgency=c.urgency, brand_account_id=c.brand_account_id,
            )  # fmt: skip
            ids.append(cid)
        return ids

    def get(self, workspace_id: int, conversation_id: int) -> Conversation | None:
        c = self.t.conversations.get(conversation_id)
        return c if c and c.workspace_id == workspace_id else None

    def get_many(self, workspace_id: int, ids: Iterable[int]) -> dict[int, Conversation]:
        return {i: c for i in ids if (c := self.get(workspace_id, i)) is not None}

    def save_many(
        self, conversations: Sequence[Conversation], *, added_messages: Mapping[int, int] | None = None
    ) -> None:
        for c in conversations:
            old = self.t.conversations.get(c.id)
            if old is not None and old.workspace_id == c.workspace_id:
                count = c.message_count
                if added_messages is not None:
                    count = old.message_count + added_messages.get(c.id, 0)
                self.t.conversations[c.id] = replace(
                    c, current_case_id=old.current_case_id, message_count=count
                )

    def discard_untouched(self, workspace_id: int, conversation_id: int) -> bool:
        t = self.t
        conv = t.conversations.get(conversation_id)
        if conv is None or conv.workspace_id != workspace_id:
            return False
        cases = {k.id: k for k in t.cases.values() if k.conversation_id == conversation_id}
        touched = (
            any(m.conversation_id == conversation_id for m in t.messages.values())
            or any(k.assignee_id is not None for k in cases.values())
            or any(c.case_id in cases and (c.problem_id is not None) for c in t.care.values())
            or any(c.merged_into_id in cases for c in t.care.values())
            or any(n.conversation_id == conversation_id for n in t.notes.values())
            or any(a.conversation_id == conversation_id for a in t.approvals.values())
            or any(f.conversation_id == conversation_id for f in t.follow_ups.values())
            or any(case_id in cases for case_id, _ in t.escalations)
            or any(e.case_id in cases or e.conversation_id == conversation_id for e in t.audit.values())
        )
        if touched:
            return False
        for case_id in cases:
            del t.cases[case_id]
            t.care.pop(case_id, None)
        del t.conversations[conversation_id]
        return True

    def set_current_case(self, workspace_id: int, conversation_id: int, case_id: int) -> None:
        c = self.get(workspace_id, conversation_id)
        if c is not None:
            self.t.conversations[c.id] = replace(c, current_case_id=case_id)

    def _matching(self, workspace_id: int, query: ConversationQuery) -> list[tuple[SortKey, ConversationRow]]:
        rows: list[tuple[SortKey, ConversationRow]] = []
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
            if query.brand_account_ids is not None and c.brand_account_id not in query.brand_account_ids:
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
            if query.needs_reply and (
                c.waiting_since is None
                or case is None
                or case.status not in ACTIVE_STATUSES
                or ((care.facts if care else None) or {}).get("needs_reply") is False
            ):
                continue
            if query.sla_state is not None and (care is None or care.sla_state != query.sla_state):
                continue
            if query.team_ids is not None and (case is None or case.team_id not in query.team_ids):
                continue
            if needle is not None and not (
                needle.lstrip("@") in c.author_handle.casefold()
                or needle.lstrip("@") in c.author_name.casefold()
                or any(
                    m.conversation_id == c.id and needle in m.text.lower() for m in self.t.messages.values()
                )
            ):
                continue
            key = sort_key(
                query.sort, c, care.sla_state if care else None, care.sla_next_check_at if care else None
            )
            if after is not None and key <= after:
                continue
            rows.append((key, ConversationRow(conversation=c, case=case, care=care)))
        rows.sort(key=lambda pair: pair[0])
        return rows

    def query(self, workspace_id: int, query: ConversationQuery) -> list[ConversationRow]:
        rows = self._matching(workspace_id, query)
        return [row for _, row in rows[query.offset : query.offset + query.limit]]

    def count_matching(self, workspace_id: int, query: ConversationQuery) -> int:
        return len(self._matching(workspace_id, replace(query, after=None)))

    def waiting_urgency(
        self, workspace_id: int, conversation_ids: Iterable[int] | None = None
    ) -> list[WaitingUrgency]:
        wanted = None if conversation_ids is None else set(conversation_ids)
        out = []
        for c in self.t.conversations.values():
            if c.workspace_id != workspace_id or c.waiting_since is None:
                continue
            if wanted is not None and c.id not in wanted:
                continue
            case = self.t.cases.get(c.current_case_id) if c.current_case_id else None
            if case is None or case.status not in ACTIVE_STATUSES:
                continue
            scores = [
                int((m.triage or {}).get("urgency") or 0)
                for m in self.t.messages.values()
                if m.conversation_id == c.id
                and m.direction is Direction.INBOUND
                and m.created_at >= c.waiting_since
            ]
            if scores:
                out.append(WaitingUrgency(c.id, c.waiting_since, c.urgency, max(scores)))
        return out

    def set_urgency(self, workspace_id: int, changes: Sequence[tuple[int, datetime, int]]) -> int:
        done = 0
        for conversation_id, waiting_since, urgency in changes:
            c = self.get(workspace_id, conversation_id)
            if c is not None and c.waiting_since == waiting_since:
                self.t.conversations[c.id] = replace(c, urgency=urgency)
                done += 1
        return done

    def count(self, workspace_id: int) -> int:
        return sum(1 for c in self.t.conversations.values() if c.workspace_id == workspace_id)


class _Cases(_Repo):
    def add_many(self, workspace_id: int, cases: Sequence[NewCase]) -> list[int]:
        ids = []
        for c in cases:
            cid = self.t.new_id("cases")
            self.t.cases[cid] = Case(
                id=cid, workspace_id=workspace_id, conversation_id=c.conversation_id, status=c.status,
                opened_at=c.opened_at, first_response_at=c.first_response_at, resolved_at=c.resolved_at,
                updated_at=c.resolved_at or c.opened_at,
            )  # fmt: skip
            conv = self.t.conversations[c.conversation_id]
            self.t.conversations[conv.id] = replace(conv, current_case_id=cid)
            if c.needs_reply is not None:
                self.t.care[cid] = CaseCare(cid, facts={"needs_reply": c.needs_reply})
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


__all__ = ["IntegrityError", "MemoryStore", "MemoryUnitOfWork"]
