"""Engine settings: SQLite's pragmas; PostgreSQL plans each batch lookup for its own keys, and keeps
the URL's options."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from socialdesk.storage.engine import SQLITE_CACHE_KIB, make_engine


@pytest.mark.postgres
def test_postgres_sessions_plan_per_call_and_keep_url_options(postgres_url: str) -> None:
    joiner = "&" if "?" in postgres_url else "?"
    engine = make_engine(f"{postgres_url}{joiner}options=-c%20statement_timeout%3D12345")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "12345ms"
    finally:
        engine.dispose()


def test_sqlite_connections_are_set_up_for_the_write_path(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in (
                    "journal_mode",
                    "synchronous",
                    "foreign_keys",
                    "cache_size",
                    "wal_autocheckpoint",
                )
            }
    finally:
        engine.dispose()
    # WAL, NORMAL (1), foreign keys on, a 64 MiB page cache, checkpoints on their own thread.
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "cache_size": -SQLITE_CACHE_KIB,
        "wal_autocheckpoint": 0,
    }
