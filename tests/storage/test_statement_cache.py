"""The inbox's statements are compiled once and then found in SQLAlchemy's statement cache.

A statement holding an element without a cache key is compiled anew on every execution: the inbox list's
ORDER BY held one (`types.NotWaiting`, the far-future waiting key), and compiling it was about a tenth of
the web process's time under load. Each statement here runs twice; the second run must be a cache hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine.default import DefaultExecutionContext

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.case import CaseStatus
from socialdesk.ports.inbox import ConversationQuery, NewConversation
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0

QUERIES = {
    "urgency": ConversationQuery(limit=50),
    "waiting": ConversationQuery(sort="waiting", limit=50),
    "deadline": ConversationQuery(sort="deadline", active_only=True, limit=50),
    "urgency after a key": ConversationQuery(limit=50, after=(-1, T0, 3)),
    "waiting after a key": ConversationQuery(sort="waiting", limit=50, after=(T0, 3)),
    "open, needs reply": ConversationQuery(status=CaseStatus.OPEN, needs_reply=True, limit=50),
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    built = make_engine(url)
    yield built
    built.dispose()


def _cache_stats(engine: Engine) -> list[tuple[str, str]]:
    """(cache outcome, statement) of every statement SQLAlchemy compiled from now on."""
    seen: list[tuple[str, str]] = []

    def after(_conn: object, _cur: object, statement: str, _p: object, ctx: object, _many: bool) -> None:
        if isinstance(ctx, DefaultExecutionContext) and ctx.compiled is not None:
            seen.append((ctx.cache_hit.name, statement))

    event.listen(engine, "after_cursor_execute", after)
    return seen


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_inbox_list_is_compiled_once(engine: Engine, name: str) -> None:
    with SqlUnitOfWork(engine, RecordingBus()) as uow:
        ws = ensure_workspace(uow, "cache").id
        new = NewConversation(
            channel="x",
            contact_id=None,
            subject="s",
            created_at=T0,
            last_message_at=T0,
            waiting_since=T0 + timedelta(minutes=1),
            message_count=1,
        )
        uow.conversations.add_many(ws, [new, new])
    seen = _cache_stats(engine)
    for _ in range(2):
        with SqlUnitOfWork(engine, RecordingBus()) as uow:
            uow.conversations.query(ws, QUERIES[name])
            uow.conversations.count_matching(ws, QUERIES[name], cap=1001)
            uow.messages.private_conversations(ws, [1, 2])
    second = seen[len(seen) // 2 :]
    assert second, "no statements were seen"
    assert all(outcome == "CACHE_HIT" for outcome, _ in second), [
        (outcome, statement[:200]) for outcome, statement in second if outcome != "CACHE_HIT"
    ]
