"""SQLite databases for tests: one template migrated per session, a file copy of it per test.

Running the migrations costs about a second; copying the migrated file costs about a millisecond, so
every test gets a database of its own, with the real schema and SQL, for the price of a file copy.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from socialdesk.ports.services import Bus
from socialdesk.storage.engine import make_engine
from socialdesk.storage.migrate import upgrade
from socialdesk.storage.sql.uow import SqlUnitOfWork


def migrate_template(path: Path) -> Path:
    """Migrate a new database at `path` to the latest revision, with everything in the main file (no
    `-wal` beside it), so a plain file copy of it is the whole database. It is left in WAL mode, as the
    engine would set it: switching a copy to WAL on its first connection costs tens of milliseconds."""
    upgrade(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if leftover.exists() and leftover.stat().st_size:
            raise RuntimeError(f"the template {path} kept a non-empty {leftover.name} after its checkpoint")
    return path


def copy_template(template: Path, target: Path) -> str:
    """A fresh database at `target`, a copy of the migrated template; returns its URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


class SqliteStore:
    """A database copied from the template, with units of work over it (what tests used the in-memory
    store for): `store.unit_of_work(bus)` is the unit of work the runtime would build."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)

    def unit_of_work(self, bus: Bus | None = None) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, bus)

    def close(self) -> None:
        self.engine.dispose()


class SqliteStores:
    """Makes as many stores as a test needs, each in a file of its own, and closes them all."""

    def __init__(self, template: Path, directory: Path) -> None:
        self.template = template
        self.directory = directory
        self.made: list[SqliteStore] = []

    def new(self) -> SqliteStore:
        target = self.directory / f"store-{len(self.made)}.db"
        store = SqliteStore(copy_template(self.template, target))
        self.made.append(store)
        return store

    def close(self) -> None:
        for store in self.made:
            store.close()
