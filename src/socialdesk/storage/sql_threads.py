"""SQL repositories for messages, conversations and cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, and_, bindparam, cast, exists, func, not_, or_, select, text, update
from sqlalchemy.sql.selectable import TextualSelect

from socialdesk.domain.case import ACTIVE_STATUSES, Case, CaseStatus
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.post import Direction
from socialdesk.domain.routing import Priority
from socialdesk.ports import (
    ConversationQuery,
    ConversationRow,
    NewCase,
    NewConversation,
    WaitingUrgency,
)
from socialdesk.ports_care import CaseCare
from socialdesk.storage import inbox_order, inbox_search, key_sets
from socialdesk.storage import schema as s
from socialdesk.storage.bulk import insert_ids
from socialdesk.storage.fastread import fetch
from socialdesk.storage.fastsql import execute_many, prepare
from socialdesk.storage.sql_people import count_rows
from socialdesk.storage.types import UTCDateTime


def conversation_from_row(row: Any) -> Conversation:
    return Conversation(
        id=row.id,
        workspace_id=row.workspace_id,
        channel=row.channel,
        contact_id=row.contact_id,
        subject=row.subject,
        created_at=row.created_at,
        last_message_at=row.last_message_at,
        waiting_since=row.waiting_since,
        message_count=row.message_count,
        current_case_id=row.current_case_id,
        author_handle=row.author_handle,
        author_name=row.author_name,
        author_followers=row.author_followers,
        last_text=row.last_text,
        urgency=row.urgency,
        brand_account_id=row.brand_account_id,
    )


def case_from_row(row: Any, prefix: str = "") -> Case:
    get = _Fields(row)
    return Case(
        id=get[prefix + "id"],
        workspace_id=get[prefix + "workspace_id"],
        conversation_id=get[prefix + "conversation_id"],
        status=CaseStatus(get[prefix + "status"]),
        opened_at=get[prefix + "opened_at"],
        assignee_id=get[prefix + "assignee_id"],
        team_id=get[prefix + "team_id"],
        priority=Priority(get[prefix + "priority"]),
        first_response_at=get[prefix + "first_response_at"],
        resolved_at=get[prefix + "resolved_at"],
        updated_at=get[prefix + "updated_at"],
    )


def care_from_row(row: Any, prefix: str = "") -> CaseCare:
    get = _Fields(row)
    return CaseCare(
        case_id=get[prefix + "id"],
        tags=tuple(get[prefix + "tags"] or ()),
        facts=get[prefix + "facts"],
        sla=get[prefix + "sla"],
        sla_state=get[prefix + "sla_state"],
        sla_next_check_at=get[prefix + "sla_next_check_at"],
        merged_into_id=get[prefix + "merged_into_id"],
        problem_id=get[prefix + "problem_id"],
        snoozed_until=get[prefix + "snoozed_until"],
        snoozed_at=get[prefix + "snoozed_at"],
    )


class _Fields:
    """A row's columns by name, whether the row is SQLAlchemy's or a named tuple (fastread)."""

    __slots__ = ("row",)

    def __init__(self, row: Any) -> None:
        self.row = row

    def __getitem__(self, name: str) -> Any:
        return getattr(self.row, name)


_CONV_MUTABLE = (
    "subject",
    "last_message_at",
    "waiting_since",
    "message_count",
    "contact_id",
    "author_handle",
    "author_name",
    "author_followers",
    "last_text",
    "urgency",
    "brand_account_id",
)


class SqlConversations:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, workspace_id: int, conversations: Sequence[NewConversation]) -> list[int]:
        if not conversations:
            return []
        rows = [
            {
                "workspace_id": workspace_id,
                "channel": c.channel,
                "contact_id": c.contact_id,
                "subject": c.subject,
                "created_at": c.created_at,
                "last_message_at": c.last_message_at,
                "waiting_since": c.waiting_since,
                "message_count": c.message_count,
                "author_handle": c.author_handle,
                "author_name": c.author_name,
                "author_followers": c.author_followers,
                "last_text": c.last_text,
                "urgency": c.urgency,
                "brand_account_id": c.brand_account_id,
            }
            for c in conversations
        ]
        return insert_ids(self.conn, s.conversations, rows)

    def get(self, workspace_id: int, conversation_id: int) -> Conversation | None:
        return self.get_many(workspace_id, [conversation_id]).get(conversation_id)

    def get_many(self, workspace_id: int, ids: Iterable[int]) -> dict[int, Conversation]:
        wanted, params = key_sets.values(self.conn, ids)
        if not key_sets.params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            where = "c.workspace_id = :ws AND c.id = k.k1"
            q = key_sets.probe(self.conn, wanted, "c.*", "conversations AS c", where)
            return text(q).columns(*s.conversations.c)

        rows = fetch(self.conn, "conversations:by_ids", build, {**params, "ws": workspace_id})
        return {r.id: conversation_from_row(r) for r in rows}

    def save_many(
        self, conversations: Sequence[Conversation], *, added_messages: Mapping[int, int] | None = None
    ) -> None:
        # In id order, so that two workers updating the same conversations lock them in one order.
        rows = [
            {"b_id": c.id, "b_ws": c.workspace_id, **{"v_" + n: getattr(c, n) for n in _CONV_MUTABLE}}
            for c in sorted(conversations, key=lambda c: c.id)
        ]
        if added_messages is None:
            execute_many(
                self.conn, prepare(self.conn.dialect, "conversations:save", _conversation_update), rows
            )
            return
        for row in rows:  # counted on the stored row, atomically
            row["v_message_count"] = added_messages.get(row["b_id"], 0)
        execute_many(self.conn, prepare(self.conn.dialect, "conversations:add", _conversation_add), rows)

    def discard_untouched(self, workspace_id: int, conversation_id: int) -> bool:
        params = {"ws": workspace_id, "c": conversation_id}
        untouched = self.conn.execute(text(_UNTOUCHED), params).scalar()
        if not untouched:
            return False
        self.conn.execute(text("DELETE FROM cases WHERE workspace_id = :ws AND conversation_id = :c"), params)
        gone = self.conn.execute(
            text("DELETE FROM conversations WHERE workspace_id = :ws AND id = :c"), params
        ).rowcount
        return bool(gone)

    def set_current_case(self, workspace_id: int, conversation_id: int, case_id: int) -> None:
        t = s.conversations
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == conversation_id)
            .values(current_case_id=case_id)
        )

    def _filtered(self, workspace_id: int, query: ConversationQuery, *columns: Any) -> Any:
        c, k, m = s.conversations, s.cases, s.messages
        if _few_cases(query):
            # Read from the matching cases (their indexes), then each one's conversation by key. SQLite
            # would rather walk a conversation order index to spare the sort, visiting every
            # conversation to find a few: the conversation's workspace is checked as `+ 0`, which no
            # index serves, so only the cases side can be searched.
            q = (
                select(*columns)
                .select_from(k.join(c, and_(c.c.id == k.c.conversation_id, c.c.current_case_id == k.c.id)))
                .where(k.c.workspace_id == workspace_id, c.c.workspace_id + 0 == workspace_id)
            )
        else:
            q = (
                select(*columns)
                .select_from(c.outerjoin(k, k.c.id == c.c.current_case_id))
                .where(c.c.workspace_id == workspace_id)
            )
        if query.status is not None:
            q = q.where(k.c.status == query.status.value)
        elif query.active_only:
            q = q.where(k.c.status.in_([st.value for st in ACTIVE_STATUSES]))
        if query.needs_reply:
            flag = k.c.facts["needs_reply"].as_boolean()
            q = q.where(
                c.c.waiting_since.is_not(None),
                k.c.status.in_([st.value for st in ACTIVE_STATUSES]),
                or_(flag.is_(None), flag.is_(True)),
            )
        if query.channel:
            q = q.where(c.c.channel == query.channel)
        if query.contact_id is not None:
            q = q.where(c.c.contact_id == query.contact_id)
        if query.brand_account_ids is not None:
            q = q.where(c.c.brand_account_id.in_(list(query.brand_account_ids)))
        if query.monitor:
            mm, mon = s.monitor_matches, s.monitors
            q = q.where(
                exists().where(
                    m.c.workspace_id == workspace_id,
                    m.c.conversation_id == c.c.id,
                    mm.c.message_id == m.c.id,
                    mon.c.id == mm.c.monitor_id,
                    mon.c.workspace_id == workspace_id,
                    mon.c.name == query.monitor,
                )
            )
        if query.assignee_id is not None:
            q = q.where(k.c.assignee_id == query.assignee_id)
        if query.unassigned:
            q = q.where(k.c.assignee_id.is_(None))
        if query.sla_state is not None:
            q = q.where(k.c.sla_state == query.sla_state)
        if query.team_ids is not None:
            q = q.where(k.c.team_id.in_(list(query.team_ids)))
        q = _desk_filters(q, k, query)
        if query.text:
            q = q.where(inbox_search.text_condition(self.conn, workspace_id, query.text))
        return q

    def query(self, workspace_id: int, query: ConversationQuery) -> list[ConversationRow]:
        c, k = s.conversations, s.cases
        q = self._filtered(workspace_id, query, c, *[col.label("k_" + col.name) for col in k.c])
        if query.after is not None:
            q = q.where(inbox_order.after(query.sort, query.after))
        q = q.order_by(*inbox_order.order_by(query.sort)).limit(query.limit)
        if query.offset:
            q = q.offset(query.offset)
        out = []
        for r in self.conn.execute(q):
            has_case = r._mapping["k_id"] is not None  # noqa: SLF001 (public in SQLAlchemy)
            case = case_from_row(r, "k_") if has_case else None
            care = care_from_row(r, "k_") if has_case else None
            out.append(ConversationRow(conversation=conversation_from_row(r), case=case, care=care))
        return out

    def count_matching(self, workspace_id: int, query: ConversationQuery, cap: int | None = None) -> int:
        if cap is None:
            return int(self.conn.execute(self._filtered(workspace_id, query, func.count())).scalar_one())
        # Counted up to `cap` only: the database stops there rather than visit every match.
        found = self._filtered(workspace_id, query, s.conversations.c.id).limit(cap).subquery()
        return int(self.conn.execute(select(func.count()).select_from(found)).scalar_one())

    def waiting_urgency(
        self, workspace_id: int, conversation_ids: Iterable[int] | None = None
    ) -> list[WaitingUrgency]:
        c, k, m = s.conversations, s.cases, s.messages
        q = (
            select(c.c.id, c.c.waiting_since, c.c.urgency, func.coalesce(func.max(m.c.urgency), 0))
            .select_from(
                c.join(k, k.c.id == c.c.current_case_id).join(
                    m,
                    and_(
                        m.c.workspace_id == workspace_id,
                        m.c.conversation_id == c.c.id,
                        m.c.direction == Direction.INBOUND.value,
                        m.c.is_repost.is_(False),
                        m.c.created_at >= c.c.waiting_since,
                    ),
                )
            )
            .where(
                c.c.workspace_id == workspace_id,
                c.c.waiting_since.is_not(None),
                k.c.status.in_([st.value for st in ACTIVE_STATUSES]),
            )
            .group_by(c.c.id, c.c.waiting_since, c.c.urgency)
        )
        if conversation_ids is not None:
            q = q.where(c.c.id.in_(list(conversation_ids)))
        return [WaitingUrgency(r[0], r[1], r[2], int(r[3])) for r in self.conn.execute(q)]

    def set_urgency(self, workspace_id: int, changes: Sequence[tuple[int, datetime, int]]) -> int:
        rows = [
            {"b_id": cid, "b_ws": workspace_id, "b_since": since, "v_urgency": urgency}
            for cid, since, urgency in sorted(changes)  # one lock order for concurrent writers
        ]
        execute_many(self.conn, prepare(self.conn.dialect, "conversations:urgency", _urgency_update), rows)
        return len(rows)

    def count(self, workspace_id: int) -> int:
        return count_rows(self.conn, s.conversations, workspace_id)


# A conversation nobody acted on: no messages, and no trace of people's work on it or its cases.
_UNTOUCHED = """
SELECT 1 FROM conversations AS c WHERE c.workspace_id = :ws AND c.id = :c
AND NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.workspace_id = :ws AND m.conversation_id = :c)
AND NOT EXISTS (SELECT 1 FROM notes AS n WHERE n.workspace_id = :ws AND n.conversation_id = :c)
AND NOT EXISTS (SELECT 1 FROM approvals AS a WHERE a.workspace_id = :ws AND a.conversation_id = :c)
AND NOT EXISTS (SELECT 1 FROM follow_ups AS f WHERE f.workspace_id = :ws AND f.conversation_id = :c)
AND NOT EXISTS (SELECT 1 FROM audit_log AS l WHERE l.workspace_id = :ws AND l.conversation_id = :c)
AND NOT EXISTS (
  SELECT 1 FROM cases AS k WHERE k.workspace_id = :ws AND k.conversation_id = :c AND (
    k.assignee_id IS NOT NULL OR k.problem_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM sla_escalations AS e WHERE e.case_id = k.id)
    OR EXISTS (SELECT 1 FROM notes AS n2 WHERE n2.case_id = k.id)
    OR EXISTS (SELECT 1 FROM follow_ups AS f2 WHERE f2.case_id = k.id)
    OR EXISTS (SELECT 1 FROM audit_log AS l2 WHERE l2.workspace_id = :ws AND l2.case_id = k.id)
    OR EXISTS (SELECT 1 FROM cases AS o WHERE o.workspace_id = :ws AND o.merged_into_id = k.id)
  )
)
"""


# Statuses few current cases hold at once (the rest are new, open or done).
_RARE_STATUSES = frozenset({CaseStatus.PENDING_CUSTOMER, CaseStatus.PENDING_INTERNAL})


def _few_cases(query: ConversationQuery) -> bool:
    """Whether the query's filter on cases matches few of them: its rows are then read from the
    cases' indexes (migration 0010) and sorted, rather than found on a walk of every conversation in
    order. Each of these filters drops the conversations without a case, as the inner join does."""
    return (
        query.assignee_id is not None
        or query.team_ids is not None
        or query.sla_state is not None
        or query.status in _RARE_STATUSES
    )


def _desk_filters(q: Any, k: Any, query: ConversationQuery) -> Any:
    """The desk's narrowing: a tag (the JSON list's text holds it quoted; tags are plain words, see
    domain/tags.py), and snoozing: left out until the time passes or the customer writes after it was
    snoozed (the conversation waits again, its newest message later than the snooze), or only those
    still asleep."""
    c = s.conversations
    if query.tag:
        q = q.where(cast(k.c.tags, Text).like('%"' + _escape_like(query.tag) + '"%', escape="\\"))
    customer_wrote = and_(c.c.waiting_since.is_not(None), c.c.last_message_at > k.c.snoozed_at)
    if query.awake_at is not None:
        q = q.where(or_(k.c.snoozed_until.is_(None), k.c.snoozed_until <= query.awake_at, customer_wrote))
    if query.snoozed_at is not None:
        q = q.where(k.c.snoozed_until > query.snoozed_at, not_(customer_wrote))
    return q


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_CASE_MUTABLE = (
    "status",
    "assignee_id",
    "team_id",
    "priority",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "updated_at",
)


class SqlCases:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, workspace_id: int, cases: Sequence[NewCase]) -> list[int]:
        if not cases:
            return []
        rows = [
            {
                "workspace_id": workspace_id,
                "conversation_id": c.conversation_id,
                "status": c.status.value,
                "priority": "normal",
                "opened_at": c.opened_at,
                "first_response_at": c.first_response_at,
                "resolved_at": c.resolved_at,
                "updated_at": c.resolved_at or c.opened_at,
                "facts": None if c.needs_reply is None else {"needs_reply": c.needs_reply},
            }
            for c in cases
        ]
        ids = insert_ids(self.conn, s.cases, rows)
        links = [{"b_id": c.conversation_id, "b_case": i} for c, i in zip(cases, ids, strict=True)]
        execute_many(
            self.conn, prepare(self.conn.dialect, "conversations:current_case", _current_case), links
        )
        return ids

    def get(self, workspace_id: int, case_id: int) -> Case | None:
        t = s.cases
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == case_id)).first()
        return case_from_row(row) if row else None

    def current_for(self, workspace_id: int, conversation_ids: Iterable[int]) -> dict[int, Case]:
        wanted, params = key_sets.values(self.conn, conversation_ids)
        if not key_sets.params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            q = key_sets.probe(
                self.conn,
                wanted,
                "cs.*",
                "conversations AS c JOIN cases AS cs ON cs.id = c.current_case_id",
                "c.workspace_id = :ws AND c.id = k.k1",
            )
            return text(q).columns(*s.cases.c)

        rows = fetch(self.conn, "cases:current", build, {**params, "ws": workspace_id})
        return {r.conversation_id: case_from_row(r) for r in rows}

    def save_many(self, cases: Sequence[Case]) -> None:
        rows = []
        for case in sorted(cases, key=lambda c: c.id):  # one lock order for concurrent workers
            row: dict[str, Any] = {"b_id": case.id, "b_ws": case.workspace_id}
            for n in _CASE_MUTABLE:
                value = getattr(case, n)
                row["v_" + n] = value.value if isinstance(value, (CaseStatus, Priority)) else value
            rows.append(row)
        execute_many(self.conn, prepare(self.conn.dialect, "cases:save", _case_update), rows)

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Case]:
        t = s.cases
        q = (
            select(t)
            .where(t.c.workspace_id == workspace_id, t.c.conversation_id == conversation_id)
            .order_by(t.c.id)
        )
        return [case_from_row(r) for r in self.conn.execute(q)]


def _conversation_update() -> Any:
    t = s.conversations
    return (
        update(t)
        .where(t.c.id == bindparam("b_id"), t.c.workspace_id == bindparam("b_ws"))
        .values({name: bindparam("v_" + name) for name in _CONV_MUTABLE})
    )


def _urgency_update() -> Any:
    t = s.conversations
    return (
        update(t)
        .where(
            t.c.id == bindparam("b_id"),
            t.c.workspace_id == bindparam("b_ws"),
            t.c.waiting_since == bindparam("b_since", type_=UTCDateTime),
        )
        .values(urgency=bindparam("v_urgency"))
    )


def _conversation_add() -> Any:
    """`_conversation_update`, but `message_count` raised by the bound number rather than set to it."""
    t = s.conversations
    values: dict[str, Any] = {name: bindparam("v_" + name) for name in _CONV_MUTABLE}
    values["message_count"] = t.c.message_count + bindparam("v_message_count")
    return update(t).where(t.c.id == bindparam("b_id"), t.c.workspace_id == bindparam("b_ws")).values(values)


def _current_case() -> Any:
    t = s.conversations
    return update(t).where(t.c.id == bindparam("b_id")).values(current_case_id=bindparam("b_case"))


def _case_update() -> Any:
    t = s.cases
    return (
        update(t)
        .where(t.c.id == bindparam("b_id"), t.c.workspace_id == bindparam("b_ws"))
        .values({name: bindparam("v_" + name) for name in _CASE_MUTABLE})
    )
