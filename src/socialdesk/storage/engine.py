"""Engines for SQLite (WAL, one writer at a time) and PostgreSQL (psycopg 3).

Writes take the write lock when they begin (`BEGIN IMMEDIATE` on SQLite). Reads get an engine of their
own (`make_read_engine`): on an SQLite file, connections of their own that begin a deferred transaction
(plain `BEGIN`) with `PRAGMA query_only`, so in WAL mode a read never waits on the writer, and any write
through them fails; on PostgreSQL, the same pool with each transaction `READ ONLY`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from socialdesk.storage import write_lock
from socialdesk.storage.checkpoints import WalCheckpointer

SQLITE_CACHE_KIB = 64 * 1024


def normalize_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        # Connections stay open in the pool: closing the last connection to a WAL database
        # checkpoints it and deletes the WAL file, which cost every unit of work an fsync.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        write_lock.attach(engine)  # the process's writers queue in order (storage/write_lock.py)
        database = make_url(url).database
        if not database or database == ":memory:" or database.startswith("file:"):
            # Let BEGIN take the write lock at once, so two writers queue instead of deadlocking.
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
            return engine
        # A file: checkpoints run on a thread of their own (see checkpoints.py).
        checkpoints = WalCheckpointer(database)
        event.listen(engine, "connect", lambda dbapi_conn, _record: _no_autocheckpoint(dbapi_conn))
        event.listen(engine, "commit", lambda _conn: checkpoints.committed())

        def begin(conn: Connection) -> None:
            checkpoints.before_begin(conn.connection.dbapi_connection)
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        event.listen(engine, "begin", begin)
        return engine
    # Bulk writes use COPY or psycopg's own executemany (one short statement, parsed once,
    # pipelined) rather than giant multi-row statements that psycopg would parse anew for every batch.
    # psycopg prepares a statement once it has run five times, and PostgreSQL may then settle on a
    # generic plan; for the batch lookups, whose key arrays vary in length from one batch to the next,
    # a generic plan is a hundred times slower than planning with the actual arrays (well under a ms).
    options = "-c plan_cache_mode=force_custom_plan"
    given = make_url(url).query.get("options")  # the URL's own options (search_path...) are kept
    if given:
        options = " ".join([given] if isinstance(given, str) else list(given)) + " " + options
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=10,
        pool_pre_ping=True,
        use_insertmanyvalues=False,
        connect_args={"options": options},
    )


def is_sqlite_file(engine: Engine) -> bool:
    """An SQLite database in a file of its own (not `:memory:` nor a shared-cache URI)."""
    if engine.dialect.name != "sqlite":
        return False
    database = engine.url.database
    return bool(database) and database != ":memory:" and not str(database).startswith("file:")


def make_read_engine(engine: Engine, *, pool_size: int = 20) -> Engine:
    """The engine the read-only units of work use, beside the writers' `engine`.

    On an SQLite file: new connections to the same file, `query_only`, beginning deferred transactions,
    so a reader takes a WAL snapshot and never queues behind `BEGIN IMMEDIATE`. An in-memory SQLite
    database is only reachable through the writers' engine, and PostgreSQL readers never wait on
    writers anyway: both return `engine` itself (the unit of work makes each transaction read-only).
    """
    if not is_sqlite_file(engine):
        return engine
    # Kept open up to `pool_size` at once (the web server runs up to 40 requests at a time, each reading
    # twice: its session or token, then its data): a connection opened past the pool is closed after
    # use, and the next one pays SQLite's open, the pragmas and a cold page cache again.
    reads = create_engine(
        engine.url,
        pool_size=pool_size,
        max_overflow=10,
        connect_args={"check_same_thread": False, "timeout": 30},
    )
    event.listen(reads, "connect", _sqlite_pragmas)
    event.listen(reads, "connect", lambda dbapi_conn, _record: _read_only(dbapi_conn))
    event.listen(reads, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return reads


def _read_only(dbapi_conn: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints are the writers' business
    dbapi_conn.execute("PRAGMA query_only=ON")


def _no_autocheckpoint(dbapi_conn: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is turned off; SQLAlchemy's "begin" event issues BEGIN.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # A page cache of up to 64 MiB per connection (SQLite's default is 2 MiB): the random-keyed
    # indexes of messages and contact handles (external ids, dedupe keys) touch a page per post, and
    # a small cache reads them back from the OS on every batch (about 8% of the ingest writer's time).
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()
