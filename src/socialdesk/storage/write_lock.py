"""One SQLite writer at a time within the process, first come first served.

SQLite lets one transaction write at a time (`BEGIN IMMEDIATE` takes the lock). A writer that finds it
taken waits in SQLite's busy handler, which sleeps and retries (1, 2, 5, ... up to 100 ms), and a
writer that comes along just as the lock frees takes it before the sleepers wake. Under load the
embedded ingest writer, committing group after group, thus kept replies waiting for seconds (and
replies, in turn, stalled ingest). So the process's writers queue here first, in arrival order, and
the lock passes straight from one to the next; SQLite's busy handler is left to arbitrate only between
processes (the CLI beside a running server).
"""

from __future__ import annotations

import threading
import weakref
from collections import deque

from sqlalchemy import Engine


class FairLock:
    """A lock handed to its waiters in the order they came (no barging)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float = -1) -> bool:
        with self._mutex:
            if not self._held and not self._waiters:
                self._held = True
                return True
            mine = threading.Lock()
            mine.acquire()
            self._waiters.append(mine)
        if mine.acquire(timeout=timeout):
            return True  # handed over by release(): the lock stayed held
        with self._mutex:
            try:
                self._waiters.remove(mine)
                return False
            except ValueError:
                pass  # handed over just as the wait ran out: ours now
        return True

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False

    @property
    def waiting(self) -> int:
        """How many wait for the lock now."""
        return len(self._waiters)


_LOCKS: weakref.WeakKeyDictionary[Engine, FairLock] = weakref.WeakKeyDictionary()


def attach(engine: Engine) -> FairLock:
    """Give an SQLite engine its writers' queue (`storage.engine.make_engine` does)."""
    lock = _LOCKS[engine] = FairLock()
    return lock


def for_engine(engine: Engine) -> FairLock | None:
    """The writers' queue of `engine`, if it has one (SQLite); PostgreSQL writers lock rows, not all."""
    return _LOCKS.get(engine)
