"""The process's SQLite writers queue in arrival order: a writer that comes late never barges past
one that waits (before, each waited in SQLite's busy handler, and the one that polled at the right
moment won: under load the ingest writer kept replies waiting for seconds)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import event

from socialdesk.domain.events import Event
from socialdesk.storage import write_lock
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.support.waiting import wait_until

GENEROUS = 60.0  # bounds how long a broken test hangs; never reached when the code works


class _NoBus:
    def publish(self, events: list[Event]) -> None:
        pass


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    wait_until(condition, what, GENEROUS)


def test_writers_enter_in_the_order_they_came(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    queue = write_lock.for_engine(engine)
    assert queue is not None
    order: list[str] = []

    def writer(name: str) -> None:
        with SqlUnitOfWork(engine, _NoBus()) as uow:
            order.append(name)
            uow.commit()

    threads = {name: threading.Thread(target=writer, args=(name,)) for name in ("first", "second", "third")}
    with SqlUnitOfWork(engine, _NoBus()):
        for n, name in enumerate(threads, start=1):
            threads[name].start()
            _wait_for(lambda n=n: queue.waiting == n, f"{name} did not queue")
    for thread in threads.values():
        thread.join(GENEROUS)
    assert order == ["first", "second", "third"]
    assert queue.waiting == 0
    engine.dispose()


def test_a_writer_that_fails_to_begin_leaves_the_queue(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    queue = write_lock.for_engine(engine)
    assert queue is not None

    def refuse(_conn: object) -> None:
        raise OSError("disk gone")

    event.listen(engine, "begin", refuse)
    with pytest.raises(OSError, match="disk gone"), SqlUnitOfWork(engine, _NoBus()):
        pass
    event.remove(engine, "begin", refuse)
    assert queue.acquire(timeout=0)  # free again: the next writer is not stuck behind the failure
    queue.release()
    engine.dispose()


def test_a_waiter_that_gives_up_leaves_its_place() -> None:
    lock = write_lock.FairLock()
    assert lock.acquire()
    assert not lock.acquire(timeout=0.01)
    assert lock.waiting == 0
    lock.release()
    assert lock.acquire(timeout=0)
    lock.release()
