"""The Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from socialdesk.storage.engine import normalize_url
from socialdesk.storage.schema import metadata


def _differences(url: str) -> list[object]:
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return list(diff)


def test_migrated_sqlite_matches_the_schema(sqlite_url: str) -> None:
    assert _differences(sqlite_url) == []


def test_migrated_postgresql_matches_the_schema(postgres_url: str) -> None:
    assert _differences(postgres_url) == []
