"""Alembic environment: migrations run against the URL socialdesk passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from socialdesk.storage.schema import metadata
from socialdesk.storage.search_sql import is_search_object

config = context.config


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate leaves out the full-text index's FTS5 tables (migration 0018 builds them)."""
    return not (type_ in ("table", "index") and is_search_object(name))


target_metadata = metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Never wait long for a lock behind a running release's queries.
            connection.exec_driver_sql("SET lock_timeout = '10s'")
            connection.commit()  # end the implicit transaction, so Alembic's own one commits
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
