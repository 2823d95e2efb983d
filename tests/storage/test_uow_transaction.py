"""The transaction owns the commit: `with uow:` commits on a clean exit, rolls back and re-raises on an
exception, and publishes its events only after the commit succeeds (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import Role
from socialdesk.ports.uow import UnitOfWork
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork

Factory = Callable[[], UnitOfWork]


class Boom(Exception):
    pass


def _slugs(uow_factory: Factory) -> list[str]:
    with uow_factory() as uow:
        return sorted(w.slug for w in uow.workspaces.list())


def test_a_clean_exit_commits_and_then_publishes(uow_factory: Factory, bus: RecordingBus) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": 1}))
        assert bus.events == []  # not before the block ends
    assert _slugs(uow_factory) == ["acme"]
    assert [e.kind for e in bus.events] == [EventKind.CONVERSATION_UPDATED]


def test_an_exception_rolls_back_re_raises_and_publishes_nothing(
    uow_factory: Factory, bus: RecordingBus
) -> None:
    def change_then_fail() -> None:
        with uow_factory() as uow:
            ws = uow.workspaces.add("acme", "Acme").id
            uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": 1}))
            raise Boom

    with pytest.raises(Boom):
        change_then_fail()
    assert _slugs(uow_factory) == []
    assert bus.events == []


def test_a_return_inside_the_block_commits_too(uow_factory: Factory) -> None:
    def add() -> int:
        with uow_factory() as uow:
            return uow.workspaces.add("acme", "Acme").id

    assert add() > 0
    assert _slugs(uow_factory) == ["acme"]


def test_rollback_mid_block_discards_only_what_came_before(uow_factory: Factory, bus: RecordingBus) -> None:
    with uow_factory() as uow:
        uow.workspaces.add("gone", "Gone")
        uow.emit(Event(1, EventKind.NOTE_ADDED))
        uow.rollback()
        uow.workspaces.add("kept", "Kept")
    assert _slugs(uow_factory) == ["kept"]
    assert bus.events == []


def test_a_commit_that_fails_publishes_nothing_and_raises(tmp_path: Path) -> None:
    """The events wait for the commit: when the commit itself fails (here SQLite refuses it because a
    deferred foreign-key check fails at COMMIT), the caller sees the error and the bus sees nothing."""
    from socialdesk.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fk.db'}"
    upgrade(url)
    engine = make_engine(url)
    bus = RecordingBus()

    def orphan_user() -> None:
        with SqlUnitOfWork(engine, bus) as uow:
            uow.connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            uow.users.add(999, "a@b", "A", Role.AGENT, "h", "")  # no workspace 999: refused at COMMIT
            uow.emit(Event(999, EventKind.NOTIFICATION_CREATED, {"user_id": 1}))

    with pytest.raises(IntegrityError):
        orphan_user()
    assert bus.events == []
    with SqlUnitOfWork(engine, bus) as uow:
        assert uow.users.get_by_email("a@b") is None
    engine.dispose()
