"""A read-only unit of work: one read transaction that never waits on writers and refuses to write.

On an SQLite file it runs on the read engine's own connections (`make_read_engine`): a deferred
`BEGIN` takes a WAL snapshot at its first query, so the inbox answers while ingest holds the write
lock. On PostgreSQL the transaction is `READ ONLY` at the default isolation. Either way a write
through its repositories fails in the database (`query_only`, or PostgreSQL's read-only
transaction), and `commit` and `emit` raise `ReadOnlyWork` before reaching it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from socialdesk.domain.events import Event
from socialdesk.storage.sql.uow import SqlUnitOfWork


class ReadOnlyWork(RuntimeError):
    """A read-only unit of work was asked to commit or to emit an event."""


class SqlReadUnitOfWork(SqlUnitOfWork):
    commits_on_exit = False  # nothing to commit: a clean exit rolls the read transaction back too

    def __init__(self, engine: Engine, *, shared_with_writers: bool = False) -> None:
        """`engine` from `make_read_engine`; `shared_with_writers` when that is the writers' own engine."""
        super().__init__(engine, None)
        # Only an SQLite database the writers share (in memory) needs query_only set here and reset
        # after: the read engine's own connections are query_only from the start.
        self._toggle_query_only = engine.dialect.name == "sqlite" and shared_with_writers

    def __enter__(self) -> Self:
        super().__enter__()
        self._read_only()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn = self._conn
        if conn is not None and self._toggle_query_only:
            try:
                if conn.in_transaction():
                    conn.rollback()
                self._query_only_off()
            except BaseException:
                conn.invalidate()  # never hand a query_only connection back to the writers
                raise
        super().__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        raise ReadOnlyWork("a read-only unit of work cannot commit: use runtime.uow() to write")

    def rollback(self) -> None:
        self.connection.rollback()
        if self._toggle_query_only:
            self._query_only_off()  # the writers' engine begins with BEGIN IMMEDIATE
        self.connection.begin()
        self._read_only()

    def emit(self, event: Event) -> None:
        raise ReadOnlyWork(f"a read-only unit of work cannot emit {event.kind!r}: use runtime.uow()")

    def _read_only(self) -> None:
        conn = self.connection
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        elif self._toggle_query_only:
            conn.exec_driver_sql("PRAGMA query_only=ON")

    def _query_only_off(self) -> None:
        # On the driver's connection: through SQLAlchemy it would first BEGIN IMMEDIATE, which
        # query_only refuses.
        driver = self.connection.connection.dbapi_connection
        if driver is not None:
            driver.execute("PRAGMA query_only=OFF")
