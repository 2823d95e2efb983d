"""The inbox list: its orders come by index (no sort of every match), and its pages, cursors and
bounded counts give what a plain sort of all the rows gives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.case import ACTIVE_STATUSES, CaseStatus
from socialdesk.domain.conversation import sort_key
from socialdesk.ports.inbox import ConversationQuery, NewCase, NewConversation
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0

FILTERS = {
    "all": ConversationQuery(),
    "active": ConversationQuery(active_only=True),
    "needs_reply": ConversationQuery(needs_reply=True),
    "open": ConversationQuery(status=CaseStatus.OPEN),
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    built = make_engine(url)
    yield built
    built.dispose()


def _fill(engine: Engine, seed: int, n: int) -> int:
    """`n` conversations of random urgency and waiting time (often equal, sometimes none), each with a
    case of a random status; returns the workspace id."""
    rng = random.Random(seed)
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        ws = ensure_workspace(uow, f"order-{seed}").id
        convs = []
        for i in range(n):
            waiting = None if rng.random() < 0.25 else T0 + timedelta(minutes=rng.randint(0, 5))
            convs.append(
                NewConversation(
                    channel="x",
                    contact_id=None,
                    subject=f"c{i}",
                    created_at=T0,
                    last_message_at=T0,
                    waiting_since=waiting,
                    message_count=1,
                    urgency=rng.randint(0, 3),
                )
            )
        ids = uow.conversations.add_many(ws, convs)
        statuses = list(CaseStatus)
        cases = [
            NewCase(
                conversation_id=cid, status=rng.choice(statuses), opened_at=T0, needs_reply=rng.random() > 0.2
            )
            for cid in ids
            if rng.random() < 0.9  # a few conversations have no case
        ]
        uow.cases.add_many(ws, cases)
        uow.commit()
    return ws


def _reference(engine: Engine, ws: int, name: str, sort: str) -> list[int]:
    """The query's conversations by a plain Python sort of every row (domain.sort_key)."""
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        everything = uow.conversations.query(ws, ConversationQuery(limit=100_000))
    rows = []
    for r in everything:
        status = r.case.status if r.case else None
        needs = (r.care.facts or {}).get("needs_reply") if r.care else None
        if name == "active" and status not in ACTIVE_STATUSES:
            continue
        if name == "open" and status != CaseStatus.OPEN:
            continue
        if name == "needs_reply" and (
            r.conversation.waiting_since is None or status not in ACTIVE_STATUSES or needs is False
        ):
            continue
        state, check = (r.care.sla_state, r.care.sla_next_check_at) if r.care else (None, None)
        rows.append((sort_key(sort, r.conversation, state, check), r.conversation.id))
    return [cid for _, cid in sorted(rows)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_cursors_and_counts_match_a_plain_sort(engine: Engine, seed: int) -> None:
    ws = _fill(engine, seed, 300)
    for name, base in FILTERS.items():
        for sort in ("urgency", "waiting", "deadline"):
            expected = _reference(engine, ws, name, sort)
            with SqlUnitOfWork(engine, RecordingBus()) as uow:
                by_cursor: list[int] = []
                query = ConversationQuery(**{**_fields(base), "sort": sort, "limit": 17})
                while True:
                    page = uow.conversations.query(ws, query)
                    by_cursor += [r.conversation.id for r in page]
                    if len(page) < 17:
                        break
                    last = page[-1]
                    state, check = (
                        (last.care.sla_state, last.care.sla_next_check_at) if last.care else (None, None)
                    )
                    after = sort_key(sort, last.conversation, state, check)
                    query = ConversationQuery(**{**_fields(query), "after": after})
                assert by_cursor == expected, (name, sort)
                offset_page = ConversationQuery(**{**_fields(base), "sort": sort, "offset": 40, "limit": 25})
                assert [r.conversation.id for r in uow.conversations.query(ws, offset_page)] == expected[
                    40:65
                ]
                assert uow.conversations.count_matching(ws, base) == len(expected)
                for cap in (1, 10, len(expected), len(expected) + 1):
                    assert uow.conversations.count_matching(ws, base, cap) == min(cap, len(expected))


def _fields(query: ConversationQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in query.__dataclass_fields__}


def _statements(engine: Engine, ws: int, query: ConversationQuery) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "ORDER BY" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with SqlUnitOfWork(engine, RecordingBus()) as uow:
            uow.conversations.query(ws, query)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


@pytest.mark.parametrize("name", ["all", "active", "needs_reply"])
@pytest.mark.parametrize(
    ("sort", "index"),
    [("urgency", "ix_conversations_urgency_order"), ("waiting", "ix_conversations_waiting_order")],
)
def test_inbox_page_comes_by_index_without_a_sort(engine: Engine, name: str, sort: str, index: str) -> None:
    """The plan reads the order's index and sorts nothing: a page costs its rows, not every match."""
    ws = _fill(engine, 7, 200)
    query = ConversationQuery(**{**_fields(FILTERS[name]), "sort": sort, "limit": 50})
    [(statement, parameters)] = _statements(engine, ws, query)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan  # SQLite's sort
        else:
            # A tiny table is cheaper to sort than to read by index: forbid what the planner would pick
            # at this size (sequential scans, sorts) to ask whether the index gives the order at all.
            conn.execute(text("SET enable_seqscan = off"))
            conn.execute(text("SET enable_sort = off"))
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(str(row[0]) for row in cursor.fetchall())
            conn.execute(text("RESET enable_seqscan"))
            conn.execute(text("RESET enable_sort"))
            assert "Sort" not in plan, plan
        assert index in plan, plan
