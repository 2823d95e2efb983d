"""The database `bench reads` measures: N conversations (one post each, each from its own customer),
built once through the ingest path in large batches (COPY on PostgreSQL, executemany on SQLite) and
kept in a cache folder, so the next run at the same size and schema starts in seconds.

SQLite: the cached file is copied for each run. PostgreSQL: a kept embedded cluster in the cache
folder holds one database per size and schema; each run measures a copy (`CREATE DATABASE ... TEMPLATE`)
and drops it. The cache key holds the newest migration, so a schema change builds afresh.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.config import Settings
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.storage.engine import normalize_url
from socialdesk.storage.migrate import upgrade

SEED_BATCH = 10_000
BENCH_EMAIL = "bench@example.com"
Progress = Callable[[str], None]


def default_cache_dir() -> Path:
    """~/.cache/socialdesk/bench; for root /var/tmp/socialdesk-bench, because the embedded PostgreSQL
    then runs as another user, who must be able to reach the folder (root's home is closed)."""
    if os.geteuid() == 0:
        return Path("/var/tmp/socialdesk-bench")  # noqa: S108 (a fixed, documented place)
    return Path.home() / ".cache" / "socialdesk" / "bench"


def schema_key() -> str:
    from socialdesk.storage.migrate import MIGRATIONS

    newest = sorted(p.stem for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))[-1]
    return newest.split("_", 1)[0]


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def seed(runtime: Runtime, conversations: int, progress: Progress = say) -> int:
    """The workspace `bench` with `conversations` conversations; returns its id."""
    from socialdesk.bench.reads import _post

    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "bench")
    started = last = time.monotonic()
    for start in range(0, conversations, SEED_BATCH):
        posts = [_post("seed", i) for i in range(start, min(start + SEED_BATCH, conversations))]
        with runtime.uow() as uow:
            do_ingest_posts(uow, ws.id, posts, runtime.clock.now())
        done = start + len(posts)
        if time.monotonic() - last > 5 or done == conversations:
            last = time.monotonic()
            took = last - started
            left = took / done * (conversations - done)
            progress(
                f"building {conversations:,} conversations: {done:,} ({done / conversations:.0%}), "
                f"{took:.0f} s, about {left:.0f} s left"
            )
    return ws.id


def access(runtime: Runtime) -> tuple[int, str]:
    """The bench workspace's id and a new API token of its admin (created on first use)."""
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "bench")
        found = uow.users.get_by_email(BENCH_EMAIL)
        if found is None:
            user = check_create_user(uow, ws.id, BENCH_EMAIL, "Bench", "bench-password-1", Role.ADMIN)
        else:
            user = found[0]
        token = do_create_api_token(uow, user, "bench", runtime.clock.now())
    return ws.id, token


@contextlib.contextmanager
def sqlite_database(
    conversations: int, cache: Path | None, folder: Path, progress: Progress = say
) -> Iterator[str]:
    """An SQLite file with the conversations, copied from the cache (built there first if missing)."""
    url = f"sqlite:///{folder / 'reads.db'}"
    if cache is None:
        _build(url, conversations, progress)
        yield url
        return
    cache.mkdir(parents=True, exist_ok=True)
    kept = cache / f"reads-sqlite-{conversations}-{schema_key()}.db"
    if not kept.exists():
        building = kept.with_suffix(".building")
        building.unlink(missing_ok=True)
        older = [p for p in sorted(cache.glob(f"reads-sqlite-{conversations}-[0-9]*.db")) if p < kept]
        if older:  # the same rows under an older schema: migrating a copy takes seconds, not minutes
            progress(f"migrating a copy of {older[-1]}")
            shutil.copyfile(older[-1], building)
            upgrade(f"sqlite:///{building}")
        else:
            _build(f"sqlite:///{building}", conversations, progress)
        _keep(building, kept)
        for leftover in building.parent.glob(building.name + "*"):
            leftover.unlink()
        progress(f"cached in {kept}")
    else:
        progress(f"from the cache: {kept}")
    shutil.copyfile(kept, folder / "reads.db")
    yield url


def _keep(built: Path, kept: Path) -> None:
    """A whole copy of the database at `built` (its write-ahead log included) in the one file `kept`."""
    partial = kept.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    source, target = sqlite3.connect(built), sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    partial.rename(kept)  # whole or not at all


def _build(url: str, conversations: int, progress: Progress) -> None:
    runtime = build_runtime(Settings(database_url=url, triage=False, triage_processes=0))
    try:
        seed(runtime, conversations, progress)
    finally:
        runtime.close()


@contextlib.contextmanager
def postgres_database(conversations: int, cache: Path | None, progress: Progress = say) -> Iterator[str]:
    """A PostgreSQL database with the conversations: a copy of the kept one (built first if missing)
    on a kept embedded cluster in the cache folder, or without a cache one built on a fresh cluster."""
    from socialdesk.storage.embedded_pg import embedded_postgres, start_kept_postgres

    if cache is None:
        with embedded_postgres() as server:
            url = _database(server, "bench_reads", fresh=True)
            _build(url, conversations, progress)
            yield url
        return
    cache.mkdir(parents=True, exist_ok=True)
    kept = start_kept_postgres(cache / "postgres")
    try:
        name = f"reads_{conversations}_{schema_key()}"
        admin = create_engine(normalize_url(kept.url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            names = {r[0] for r in conn.execute(text("SELECT datname FROM pg_database"))}
            if name not in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_building"'))
                prefix = f"reads_{conversations}_"
                older = sorted(
                    n for n in names if n.startswith(prefix) and n[len(prefix) :].isdigit() and n < name
                )
                if older:  # the same rows under an older schema: migrate a copy
                    progress(f"migrating a copy of database {older[-1]}")
                    conn.execute(text(f'CREATE DATABASE "{name}_building" TEMPLATE "{older[-1]}"'))
                    upgrade(_url_of(kept.url, f"{name}_building"))
                else:
                    conn.execute(text(f'CREATE DATABASE "{name}_building"'))
                    _build(_url_of(kept.url, f"{name}_building"), conversations, progress)
                conn.execute(text(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"'))
                progress(f"cached in {kept.pgdata} as database {name}")
            else:
                progress(f"from the cache: database {name} in {kept.pgdata}")
            conn.execute(text("DROP DATABASE IF EXISTS bench_reads_run"))
            conn.execute(text(f'CREATE DATABASE bench_reads_run TEMPLATE "{name}"'))
        try:
            yield _url_of(kept.url, "bench_reads_run")
        finally:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS bench_reads_run WITH (FORCE)"))
            admin.dispose()
    finally:
        kept.stop()


def _database(server: str, name: str, *, fresh: bool) -> str:
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return _url_of(server, name)


def _url_of(server: str, name: str) -> str:
    return make_url(normalize_url(server)).set(database=name).render_as_string(hide_password=False)
