"""The Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, create_engine, text
from sqlalchemy.exc import SAWarning
from sqlalchemy.schema import CreateIndex

from socialdesk.storage.engine import normalize_url
from socialdesk.storage.schema import metadata
from socialdesk.storage.search_sql import SEARCH_INDEXES, SEARCH_TABLES, is_search_object


def _differences(url: str) -> list[object]:
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy does not reflect SQLite's indexes on expressions, and Alembic then skips them:
        # test_expression_indexes_are_built checks those.
        warnings.filterwarnings("ignore", message=".*expression-based index", category=SAWarning)
        warnings.filterwarnings("ignore", message=".*expression-based index", category=UserWarning)
        # The FTS5 tables of the full-text index are no declared tables (migration 0018 builds them;
        # test_full_text_index_is_built checks them).
        opts = {"compare_type": True, "include_name": include_name}
        context = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return list(diff)


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ in ("table", "index") and is_search_object(name))


def _index_definitions(url: str) -> dict[str, str]:
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        else:
            rows = conn.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
            )
        found = {name: " ".join((sql or "").split()) for name, sql in rows}
    engine.dispose()
    return found


def _terms(definition: str) -> str:
    """An index definition's list of terms, as both databases print it (PostgreSQL spells types out)."""
    terms = definition[definition.index("(") + 1 : definition.rindex(")")]
    terms = " ".join(terms.replace('"', "").split()).lower()
    return terms.replace("::timestamptz", "::timestamp with time zone")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_expression_indexes_are_built(backend: str, request: pytest.FixtureRequest) -> None:
    """The indexes on expressions the migrations build are the schema's, term for term (the queries
    that should use them hold the same expressions)."""
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    built = _index_definitions(url)
    dialect = create_engine(normalize_url(url)).dialect
    checked = 0
    for table in metadata.sorted_tables:
        for index in table.indexes:
            if all(isinstance(e, Column) for e in index.expressions):
                continue
            assert index.name in built, f"{index.name} is not built by the migrations"
            declared = str(CreateIndex(index).compile(dialect=dialect))
            assert _terms(built[index.name]) == _terms(declared), index.name
            checked += 1
    assert checked >= 2


def test_migrated_sqlite_matches_the_schema(sqlite_url: str) -> None:
    assert _differences(sqlite_url) == []


def test_migrated_postgresql_matches_the_schema(postgres_url: str) -> None:
    assert _differences(postgres_url) == []


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_full_text_index_is_built(backend: str, request: pytest.FixtureRequest) -> None:
    """The full-text index the schema comparison leaves out is there: FTS5 tables and their triggers on
    SQLite, GIN indexes on the folded documents on PostgreSQL."""
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        if backend == "sqlite":
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
            for table in SEARCH_TABLES:
                assert table in names
                assert {f"{table}_insert", f"{table}_delete", f"{table}_update"} <= names
        else:
            built = _index_definitions(url)
            for index in SEARCH_INDEXES:
                assert "USING gin (to_tsvector('simple'::regconfig, socialdesk_fold(" in built[index]
    engine.dispose()
