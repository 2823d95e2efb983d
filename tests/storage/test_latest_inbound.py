"""Whether the inbox shows a conversation as private reads each conversation's newest inbound message by
index (`ix_messages_inbound`, migration 0011): one seek per conversation on the page, not a read of
every message of each (the inbox list asks it for its 50 rows on every request)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports import NewConversation, NewMessage
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql_uow import SqlUnitOfWork
from tests.conftest import T0

INDEX = "ix_messages_inbound"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    built = make_engine(url)
    yield built
    built.dispose()


def _message(conversation_id: int, n: int, direction: Direction, visibility: Visibility) -> NewMessage:
    return NewMessage(
        conversation_id=conversation_id,
        channel="x",
        external_id=f"m{conversation_id}-{n}",
        direction=direction,
        visibility=visibility,
        text="hello",
        created_at=T0,
        author_handle="carol",
        author_name="Carol",
    )


def _fill(engine: Engine) -> tuple[int, list[int]]:
    """Conversations of 40 messages each, inbound and outbound; every third ends with a private one."""
    new = NewConversation("x", None, "subject", T0, T0, T0, 40, "carol", "Carol", 10, "hi", 0)
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        ids = uow.conversations.add_many(ws, [new] * 30)
        messages = []
        for cid in ids:
            for n in range(40):
                direction = Direction.OUTBOUND if n % 4 == 3 else Direction.INBOUND
                messages.append(_message(cid, n, direction, Visibility.PUBLIC))
            if cid % 3 == 0:
                messages.append(_message(cid, 99, Direction.INBOUND, Visibility.PRIVATE))
        uow.messages.add_many(ws, messages)
    return ws, ids


def test_private_conversations_seek_the_newest_inbound_message_by_index(engine: Engine) -> None:
    ws, ids = _fill(engine)
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with SqlUnitOfWork(engine, RecordingBus()) as uow:
            found = uow.messages.private_conversations(ws, ids)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert found == {cid for cid in ids if cid % 3 == 0}
    [(statement, parameters)] = seen
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        else:
            # At this size a sequential scan is cheaper than any index: forbid it to ask whether the
            # index serves the query at all.
            conn.execute(text("ANALYZE messages"))  # its statistics, as a live database has them
            conn.execute(text("SET enable_seqscan = off"))
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(str(row[0]) for row in cursor.fetchall())
            conn.execute(text("RESET enable_seqscan"))
    assert INDEX in plan, plan
    assert "SCAN messages" not in plan, plan  # SQLite: no walk of the whole table
