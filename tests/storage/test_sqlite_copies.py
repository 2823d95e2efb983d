"""The tests' SQLite databases (tests/support/sqlite_copies.py): a copy of the session's migrated
template is a whole, migrated, empty database of its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from socialdesk.storage.migrate import alembic_config
from tests.support.sqlite_copies import SqliteStore, SqliteStores, copy_template, migrate_template


def test_a_copy_is_migrated_to_head_and_empty(sqlite_store: SqliteStore) -> None:
    head = ScriptDirectory.from_config(alembic_config(sqlite_store.url)).get_current_head()
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    with sqlite_store.unit_of_work() as uow:
        assert uow.workspaces.list() == []


def test_copies_are_independent(sqlite_stores: SqliteStores) -> None:
    first, second = sqlite_stores.new(), sqlite_stores.new()
    assert first.url != second.url
    with first.unit_of_work() as uow:
        uow.workspaces.add("acme", "Acme")
        uow.commit()
    with second.unit_of_work() as uow:
        assert uow.workspaces.list() == []
    with first.unit_of_work() as uow:
        assert [w.slug for w in uow.workspaces.list()] == ["acme"]


def test_the_template_is_whole_in_its_main_file(tmp_path: Path) -> None:
    """Only the main file is copied: nothing of the migrations may wait in a `-wal` beside it. And it is
    in WAL mode already, so a copy's first connection need not switch it (tens of milliseconds)."""
    template = migrate_template(tmp_path / "template.db")
    wal = tmp_path / "template.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    url = copy_template(template, tmp_path / "copy.db")
    assert url == f"sqlite:///{tmp_path / 'copy.db'}"
    conn = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert {"workspaces", "messages", "conversations", "cases", "outbox", "alembic_version"} <= tables
