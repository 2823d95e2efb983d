"""Inbox views filtered on cases ("Mine", a team, SLA state, waiting on the customer): their rows are
read from the cases' indexes (migration 0010), and their pages, cursors and counts give what a plain
sort of every row gives; a conversation's older cases never count."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.case import ACTIVE_STATUSES, CaseStatus
from socialdesk.domain.conversation import sort_key
from socialdesk.ports.inbox import ConversationQuery, ConversationRow, NewCase
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0
from tests.storage.test_inbox_order import _fields, _fill, _statements


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    built = make_engine(url)
    yield built
    built.dispose()


def _assign(engine: Engine, ws: int, seed: int) -> tuple[int, int]:
    """Two agents, random assignees, teams and SLA states on every case, and for a tenth of the
    conversations an older case (assigned too) that a new current case replaced; returns the agents."""
    rng = random.Random(seed)
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        a = check_create_user(uow, ws, f"a{seed}@example.com", "A", "password-a-123").id
        b = check_create_user(uow, ws, f"b{seed}@example.com", "B", "password-b-123").id
        convs = [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery(limit=100_000))]
        again = [NewCase(conversation_id=cid, status=CaseStatus.NEW, opened_at=T0) for cid in convs[::10]]
        uow.cases.add_many(ws, again)  # each becomes its conversation's current case
        uow.commit()
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM cases WHERE workspace_id = :w"), {"w": ws})]
        for case_id in ids:
            state = rng.choice([None, "ok", "warning", "breached", "paused"])
            check = None if state is None or rng.random() < 0.2 else T0.replace(minute=rng.randint(0, 9))
            conn.execute(
                text(
                    "UPDATE cases SET assignee_id = :a, team_id = :t, sla_state = :s, sla_next_check_at = :n"
                    " WHERE id = :id"
                ),
                {
                    "a": rng.choice([None, a, b]),
                    "t": rng.choice([None, 1, 2]),
                    "s": state,
                    "n": check.strftime("%Y-%m-%d %H:%M:%S.%f") if check else None,
                    "id": case_id,
                },
            )
    return a, b


def _matches(r: ConversationRow, query: ConversationQuery) -> bool:
    case, care = r.case, r.care
    if case is None or care is None:
        return False
    if query.active_only and case.status not in ACTIVE_STATUSES:
        return False
    if query.status is not None and case.status != query.status:
        return False
    if query.assignee_id is not None and case.assignee_id != query.assignee_id:
        return False
    if query.team_ids is not None and case.team_id not in query.team_ids:
        return False
    return query.sla_state is None or care.sla_state == query.sla_state


def _reference(engine: Engine, ws: int, query: ConversationQuery, sort: str) -> list[int]:
    """The view's conversations by a plain Python sort of every row (domain.sort_key)."""
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        everything = uow.conversations.query(ws, ConversationQuery(limit=100_000))
    rows = []
    for r in everything:
        if _matches(r, query):
            assert r.care is not None
            key = sort_key(sort, r.conversation, r.care.sla_state, r.care.sla_next_check_at)
            rows.append((key, r.conversation.id))
    return [cid for _, cid in sorted(rows)]


def _views(a: int) -> dict[str, ConversationQuery]:
    active = ConversationQuery(active_only=True)
    return {
        "mine": ConversationQuery(active_only=True, assignee_id=a),
        "team": ConversationQuery(active_only=True, team_ids=(2,)),
        "teams": ConversationQuery(active_only=True, team_ids=(1, 2)),
        "at_risk": ConversationQuery(active_only=True, sla_state="warning"),
        "waiting": ConversationQuery(status=CaseStatus.PENDING_CUSTOMER),
        "mine_any_status": ConversationQuery(assignee_id=a),
        "all": active,
    }


@pytest.mark.parametrize("seed", [11, 12])
def test_case_filtered_views_match_a_plain_sort(engine: Engine, seed: int) -> None:
    ws = _fill(engine, seed, 300)
    a, _ = _assign(engine, ws, seed)
    for name, base in _views(a).items():
        for sort in ("urgency", "waiting", "deadline"):
            expected = _reference(engine, ws, base, sort)
            assert name == "all" or 0 < len(expected) < 200, (name, len(expected))
            with SqlUnitOfWork(engine, RecordingBus()) as uow:
                by_cursor: list[int] = []
                query = ConversationQuery(**{**_fields(base), "sort": sort, "limit": 7})
                while True:
                    page = uow.conversations.query(ws, query)
                    by_cursor += [r.conversation.id for r in page]
                    if len(page) < 7:
                        break
                    last = page[-1]
                    assert last.care is not None
                    after = sort_key(
                        sort, last.conversation, last.care.sla_state, last.care.sla_next_check_at
                    )
                    query = ConversationQuery(**{**_fields(query), "after": after})
                assert by_cursor == expected, (name, sort)
                offset_page = ConversationQuery(**{**_fields(base), "sort": sort, "offset": 5, "limit": 9})
                got = [r.conversation.id for r in uow.conversations.query(ws, offset_page)]
                assert got == expected[5:14], (name, sort)
                assert uow.conversations.count_matching(ws, base) == len(expected), name
                for cap in (1, 3, len(expected) + 1):
                    assert uow.conversations.count_matching(ws, base, cap) == min(cap, len(expected))


def _plan(engine: Engine, statement: str, parameters: Any) -> str:
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # A tiny table is cheaper to scan than to read by index: forbid the scans to ask whether the
        # plan can start from the cases' index at all.
        conn.execute(text("SET enable_seqscan = off"))
        cursor.execute("EXPLAIN " + statement, parameters)
        plan = "\n".join(str(row[0]) for row in cursor.fetchall())
        conn.execute(text("RESET enable_seqscan"))
        return plan


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("mine", "ix_cases_assignee"),
        ("team", "ix_cases_team"),
        ("at_risk", "ix_cases_sla_state"),
        ("waiting", "ix_cases_status"),
    ],
)
@pytest.mark.parametrize("sort", ["urgency", "waiting", "deadline"])
def test_case_filtered_view_reads_the_cases_index(engine: Engine, name: str, index: str, sort: str) -> None:
    """The plan starts from the filter's index on cases, not from a walk of every conversation."""
    ws = _fill(engine, 8, 200)
    a, _ = _assign(engine, ws, 8)
    query = ConversationQuery(**{**_fields(_views(a)[name]), "sort": sort, "limit": 50})
    [(statement, parameters)] = _statements(engine, ws, query)
    plan = _plan(engine, statement, parameters)
    if engine.dialect.name == "sqlite":
        assert index in plan, plan
    else:  # which of the cases' indexes is the planner's choice, from statistics a tiny table lacks
        assert " on cases" in plan and "using ix_cases_" in plan, plan
    assert "ix_conversations_urgency_order" not in plan, plan
    assert "ix_conversations_waiting_order" not in plan, plan
    if engine.dialect.name == "sqlite":
        assert "SCAN c" not in plan and "SCAN conversations" not in plan, plan
