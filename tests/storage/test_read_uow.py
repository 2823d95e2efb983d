"""The read-only unit of work: it never waits on the SQLite writer, and it refuses to write."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.events import Event
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.storage.migrate import upgrade
from socialdesk.storage.sql.read_uow import ReadOnlyWork
from tests.conftest import T0

# Long enough never to expire on a loaded machine; it only bounds how long a broken read hangs.
GENEROUS = 60.0


def _runtime(url: str) -> Runtime:
    return Runtime(
        settings=Settings(database_url=url), engine=make_engine(url), bus=_NoBus(), clock=FixedClock(T0)
    )


class _NoBus:
    def publish(self, events: object) -> None:
        raise AssertionError("a read must publish nothing")

    def subscribe(self, handler: object) -> object:
        return lambda: None


@pytest.fixture
def sqlite_runtime(sqlite_url: str) -> Iterator[Runtime]:
    rt = _runtime(sqlite_url)
    yield rt
    rt.close()


def test_a_read_answers_while_a_writer_holds_the_sqlite_write_lock(sqlite_runtime: Runtime) -> None:
    with sqlite_runtime.uow() as uow:
        uow.workspaces.add("acme", "Acme")
        uow.commit()
    writer = make_engine(str(sqlite_runtime.engine.url))
    done = threading.Event()
    found: list[str] = []

    def read() -> None:
        with sqlite_runtime.read_uow() as uow:
            found.extend(w.slug for w in uow.workspaces.list())
        done.set()

    try:
        with writer.connect() as conn:
            conn.begin()  # BEGIN IMMEDIATE: the write lock, held until this block ends
            conn.execute(text("UPDATE workspaces SET name = 'Acme (writing)'"))
            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            # The writer lets go only after the read is done: a read that queued behind it never ends.
            assert done.wait(GENEROUS), "the read waited on the writer's lock"
            assert conn.in_transaction()
            conn.rollback()
        reader.join()
    finally:
        writer.dispose()
    assert found == ["acme"]


def test_the_write_uow_still_queues_behind_the_writer(sqlite_runtime: Runtime) -> None:
    """The contrast that gives the test above its meaning: writes take the lock when they begin."""
    writer = make_engine(str(sqlite_runtime.engine.url))
    try:
        with writer.connect() as conn:
            conn.begin()
            with sqlite_runtime.engine.connect() as other:
                driver = other.connection.dbapi_connection
                assert driver is not None
                driver.execute("PRAGMA busy_timeout=0")  # (not through SQLAlchemy: that would begin)
                with pytest.raises(DBAPIError, match="locked"):
                    other.begin()
            conn.rollback()
    finally:
        writer.dispose()


def _refuses_writes(rt: Runtime) -> None:
    with rt.read_uow() as uow:
        with pytest.raises(ReadOnlyWork):
            uow.commit()
        with pytest.raises(ReadOnlyWork):
            uow.emit(Event(workspace_id=1, kind="conversation.updated"))
        with pytest.raises(DBAPIError):
            uow.workspaces.add("sneaky", "Sneaky")
    with rt.read_uow() as uow:
        assert uow.workspaces.get_by_slug("sneaky") is None
    # The writers' connections are untouched by it.
    with rt.uow() as uow:
        uow.workspaces.add("fine", "Fine")
        uow.commit()
    with rt.read_uow() as uow:
        assert [w.slug for w in uow.workspaces.list()] == ["fine"]


def test_a_read_uow_refuses_to_write_on_an_sqlite_file(sqlite_runtime: Runtime) -> None:
    _refuses_writes(sqlite_runtime)


def test_a_read_uow_refuses_to_write_on_sqlite_in_memory() -> None:
    """In memory the readers share the writers' connection: query_only is set for the read and reset."""
    url = "sqlite://"
    rt = _runtime(url)
    try:
        from socialdesk.storage.schema import metadata

        metadata.create_all(rt.engine)
        _refuses_writes(rt)
    finally:
        rt.close()


@pytest.mark.postgres
def test_a_read_uow_refuses_to_write_on_postgres(postgres_url: str) -> None:
    rt = _runtime(postgres_url)
    try:
        _refuses_writes(rt)
    finally:
        rt.close()


def test_upgrade_is_unaffected(tmp_path: object) -> None:
    """Migrations write through their own engine; a read engine on a fresh file sees the schema."""
    url = f"sqlite:///{tmp_path}/fresh.db"
    upgrade(url)
    rt = _runtime(url)
    try:
        with rt.read_uow() as uow:
            assert uow.workspaces.list() == []
    finally:
        rt.close()


def test_a_read_uow_can_roll_back_and_read_on(sqlite_runtime: Runtime) -> None:
    with sqlite_runtime.read_uow() as uow:
        uow.rollback()
        assert uow.workspaces.list() == []
        with pytest.raises(DBAPIError):
            uow.workspaces.add("sneaky", "Sneaky")
