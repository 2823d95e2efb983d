"""SQLite WAL checkpoints run on their own thread: the writer's connections never checkpoint in their
COMMIT, committed pages still reach the database file soon after, and a log that grew past the limit
is checkpointed by the writer before its next transaction, so it starts afresh."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from socialdesk.storage.checkpoints import WalCheckpointer
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.support.waiting import wait_until


def _writer(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, x TEXT)")
    return conn


def _fill(conn: sqlite3.Connection, rows: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO t (x) VALUES (?)", [("x" * 500,)] * rows)
    conn.execute("COMMIT")


def test_a_commit_reaches_the_database_file_from_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    writer = _writer(path)
    _fill(writer, 200)
    before = path.stat().st_size  # the pages are in the -wal file only
    checkpoints = WalCheckpointer(str(path), delay=0.01, idle=0.5)
    checkpoints.committed()
    wait_until(lambda: checkpoints.checkpoints >= 1, "a checkpoint")
    assert path.stat().st_size > before + 200 * 500
    assert checkpoints.log_pages > 0  # this writer has not started the log afresh yet
    checkpoints.wait_idle()
    writer.close()


def test_past_the_limit_the_writer_checkpoints_before_it_begins(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    writer = _writer(path)
    checkpoints = WalCheckpointer(str(path), delay=0.01, limit=10, idle=0.5)
    checkpoints.before_begin(writer)  # an empty log: nothing to do
    assert checkpoints.log_pages == 0
    _fill(writer, 200)
    checkpoints.committed()
    wait_until(lambda: checkpoints.log_pages >= 10, "10 pages in the log")
    checkpoints.before_begin(writer)
    assert checkpoints.log_pages == 0
    wal_size = (tmp_path / "c.db-wal").stat().st_size
    _fill(writer, 1)  # written at the start of the log again: the file does not grow
    assert (tmp_path / "c.db-wal").stat().st_size == wal_size
    assert writer.execute("SELECT count(*) FROM t").fetchone() == (201,)
    checkpoints.wait_idle()
    writer.close()


def test_a_missing_database_file_is_never_created(tmp_path: Path) -> None:
    checkpoints = WalCheckpointer(str(tmp_path / "gone.db"), delay=0.01, idle=0.1)
    checkpoints.committed()
    checkpoints.wait_idle()
    assert not (tmp_path / "gone.db").exists()


def test_engine_connections_leave_checkpoints_to_the_thread(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 0
        with SqlUnitOfWork(engine) as uow:
            for i in range(50):
                uow.workspaces.add(f"w{i}", "x" * 150)
            uow.commit()
        # Another connection sees the rows; the thread copies them into the database file.
        fresh = sqlite3.connect(path)
        assert fresh.execute("SELECT count(*) FROM workspaces").fetchone() == (50,)
        fresh.close()
        wait_until(lambda: _in_database_file(path, "w49"), "the last row in the database file")
    finally:
        engine.dispose()


def test_in_memory_engines_keep_sqlites_own_checkpoints() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 1000
    finally:
        engine.dispose()


def _in_database_file(path: Path, needle: str) -> bool:
    return needle.encode() in path.read_bytes()
