"""The ingest write path: precompiled inserts (COPY on PostgreSQL) store what SQLAlchemy Core would,
batch lookups find what they should, and two workers storing the same new author make one contact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, insert, select

from socialdesk.domain.post import Author, Direction, Visibility
from socialdesk.ports.inbox import NewConversation, NewMessage
from socialdesk.storage import schema as s
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _workspace(engine: Engine) -> int:
    with SqlUnitOfWork(engine) as uow:
        ws = uow.workspaces.add("acme", "Acme")
        uow.commit()
    return ws.id


def _message(ext: str, conversation_id: int | None, **extra: object) -> NewMessage:
    values: dict[str, object] = {
        "conversation_id": conversation_id,
        "channel": "x",
        "external_id": ext,
        "direction": Direction.INBOUND,
        "visibility": Visibility.PUBLIC,
        "text": f"text {ext}",
        "created_at": T0 + timedelta(seconds=int(ext)),
        "author_handle": "carol",
        "author_name": "Carol",
    }
    values.update(extra)
    return NewMessage(**values)  # type: ignore[arg-type]


def test_bulk_insert_stores_what_core_insert_stores(engine: Engine) -> None:
    ws = _workspace(engine)
    triage = {"needs_reply": True, "category": "complaint", "sentiment": "negative", "urgency": 2}
    with SqlUnitOfWork(engine) as uow:
        [cid] = uow.conversations.add_many(
            ws, [NewConversation("x", None, "subject", T0, T0, T0, 1, "carol", "Carol", None, "hi", 2)]
        )
        ids = uow.messages.add_many(
            ws,
            [
                _message("1", cid, raw={"a": [1, "ü"]}, triage=triage, monitors=("brand",), is_repost=True),
                _message("2", None, lang="en", url="https://example.com/2"),
            ],
        )
        uow.commit()
    conn_table = s.messages
    with engine.connect() as conn:
        core_id = conn.execute(
            insert(conn_table)
            .values(
                workspace_id=ws,
                channel="x",
                external_id="3",
                direction="inbound",
                visibility="public",
                text="text 3",
                created_at=T0,
                author_handle="carol",
                author_name="Carol",
                raw=None,
                triage=None,
                monitors=None,
            )
            .returning(conn_table.c.id)
        ).scalar_one()
        rows = {r.id: r for r in conn.execute(select(conn_table).where(conn_table.c.workspace_id == ws))}
        conn.commit()
    first, second, core = rows[ids[0]], rows[ids[1]], rows[core_id]
    assert ids[1] == ids[0] + 1
    assert first.raw == {"a": [1, "ü"]} and first.triage == triage and first.monitors == ["brand"]
    assert first.is_repost is True and first.delivery == "received"  # the column default
    assert first.category == "complaint" and first.needs_reply is True and first.urgency == 2
    assert first.created_at == T0 + timedelta(seconds=1) and first.created_at.utcoffset() == timedelta(0)
    assert second.conversation_id is None and second.url == "https://example.com/2"
    # JSON columns given None hold the same thing whichever way the row went in.
    assert (second.raw, second.triage, second.monitors) == (core.raw, core.triage, core.monitors)
    with SqlUnitOfWork(engine) as uow:
        found = uow.messages.find_by_keys(ws, [("x", "1"), ("x", "2"), ("x", "404"), ("y", "1")])
        assert {k: ref.id for k, ref in found.items()} == {("x", "1"): ids[0], ("x", "2"): ids[1]}
        assert uow.messages.find_by_keys(ws, []) == {}
        assert uow.conversations.get_many(ws, [cid, cid + 1000]).keys() == {cid}


@pytest.mark.postgres
def test_an_author_stored_meanwhile_by_another_worker_keeps_one_contact(postgres_url: str) -> None:
    """Two workers can see the same new author in their batches at once. The handle that commits
    first wins; the other transaction uses it and leaves no contact of its own behind. (SQLite has
    one writer at a time, so there a key cannot appear between the lookup and the insert.)"""
    engine = make_engine(postgres_url)
    ws = _workspace(engine)
    carol = Author(id="c1", handle="carol", name="Carol", followers=5)
    with SqlUnitOfWork(engine) as other:
        theirs = other.contacts.ensure_handles(ws, [("x", carol)], T0)[("x", "c1")]
        other.commit()
    with SqlUnitOfWork(engine) as uow:
        contacts: Callable[[], int] = lambda: uow.connection.execute(  # noqa: E731
            select(func.count()).select_from(s.contacts)
        ).scalar_one()
        before = contacts()
        # What a worker that looked before the other one committed goes on to do:
        stored = uow.contacts._add(ws, [(("x", "c1"), carol)], T0)  # type: ignore[attr-defined]
        assert stored[("x", "c1")].id == theirs.id
        assert contacts() == before
        uow.commit()
    engine.dispose()
