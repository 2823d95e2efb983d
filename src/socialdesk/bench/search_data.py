"""The database `bench search` measures: N posts (half customer posts, half brand replies, two to a
conversation) with text drawn from a Zipf-distributed vocabulary (common support words, rarer
made-up words, some accented ones), written straight into the tables in large batches (executemany on
SQLite, COPY on PostgreSQL) and kept in a cache folder, so later runs start in seconds.

The cache is `/var/tmp/socialdesk-bench-search` (or `--cache-dir`): `sqlite-N.db`, and a kept embedded
PostgreSQL cluster in `postgres/` holding one database `search_N` per size. A kept database is
migrated to the newest schema at the start of each run (the full-text migration's backfill runs then,
once). A build that stops half-way leaves a `.building` file or database, rebuilt on the next run.
"""

from __future__ import annotations

import io
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from socialdesk.bench.reads_data import _keep
from socialdesk.storage.engine import normalize_url
from socialdesk.storage.migrate import upgrade

DEFAULT_CACHE = Path("/var/tmp/socialdesk-bench-search")  # noqa: S108 (a fixed, documented place)
BATCH = 50_000
BASE = datetime(2026, 1, 1, tzinfo=UTC)
Progress = Callable[[str], None]

COMMON = tuple(
    " ".join(
        (
            "the my is to and a i it you for not on this of in your with no have can be at but why",
            "order refund wifi internet router down outage broken help please still waiting account",
            "payment card app update delivery parcel phone service customer support day days week",
            "again today now working issue problem hours since after bill charged twice cancel flight",
            "delayed bag lost seat booking email password reset login error screen battery network",
        )
    ).split(" ")
)
ACCENTED = tuple(
    " ".join(
        (
            "échec panne réseau remboursement livraison Straße gesperrt ça déjà problème über",
            "naïve café señal atención facturación débito conexão não",
        )
    ).split(" ")
)
FIRST = ("Émile", "Zoë", "José", "Ana", "Jürgen", "Chloé", "Li", "Sam", "Priya", "Omar", "Ines", "Kai")
LAST = ("Durand", "Müller", "García", "Smith", "Nováková", "Okafor", "Lefèvre", "Sato", "Silva")
SYLLABLES = ("ka", "lo", "mi", "ten", "ru", "sa", "vor", "pel", "dri", "no", "qua", "zet", "bel", "fi")


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def vocabulary(size: int = 40_000, seed: int = 7) -> list[str]:
    """Common words first (the most frequent ranks), then accented ones, then made-up rarer words."""
    rng = random.Random(seed)
    words = list(COMMON) + list(ACCENTED)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Texts:
    """Post texts with Zipf-distributed words (s = 1.05): a few words in most posts, most words rare."""

    def __init__(self, seed: int = 11) -> None:
        self.words = vocabulary()
        self.weights = list(accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))))
        self.rng = random.Random(seed)

    def post(self) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=self.rng.randint(6, 28)))


Row = tuple[Any, ...]


def rows(posts: int, start: int = 0) -> Iterator[tuple[list[Row], list[Row]]]:
    """Batches of (conversation rows, message rows); two messages per conversation."""
    texts = Texts(seed=11 + start)
    for first in range(start, posts, BATCH):
        conversations: list[Row] = []
        messages: list[Row] = []
        for i in range(first, min(first + BATCH, posts), 2):
            cid = i // 2 + 1
            at = BASE + timedelta(seconds=i)
            handle = f"cust{cid}"
            name = f"{FIRST[cid % len(FIRST)]} {LAST[cid // 7 % len(LAST)]}"
            question = texts.post()
            answer = texts.post()
            conversations.append((cid, handle, name, at, at + timedelta(seconds=1), question))
            messages.append((i + 1, cid, f"p{i}", "in", question, at, handle, name))
            messages.append(
                (i + 2, cid, f"p{i + 1}", "out", answer, at + timedelta(seconds=1), "brand", "Brand")
            )
        yield conversations, messages


def _workspace(url: str) -> int:
    from socialdesk.actions.accounts import ensure_workspace
    from socialdesk.config import Settings
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(Settings(database_url=url, triage=False, triage_processes=0))
    try:
        with runtime.uow() as uow:
            return ensure_workspace(uow, "bench-search").id
    finally:
        runtime.close()


def _report(progress: Progress, posts: int, done: int, started: float) -> None:
    took = time.monotonic() - started
    left = took / max(done, 1) * (posts - done)
    progress(
        f"building {posts:,} posts: {done:,} ({done / posts:.0%}), {took:.0f} s, about {left:.0f} s left"
    )


def build_sqlite(path: Path, posts: int, progress: Progress = say) -> None:
    url = f"sqlite:///{path}"
    upgrade(url)
    ws = _workspace(url)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    started = last = time.monotonic()
    done = 0
    sql_c = (
        "INSERT INTO conversations (id, workspace_id, channel, subject, created_at, last_message_at, "
        "waiting_since, message_count, author_handle, author_name, last_text, urgency) "
        "VALUES (?, ?, 'x', '', ?, ?, NULL, 2, ?, ?, ?, 0)"
    )
    sql_m = (
        "INSERT INTO messages (id, workspace_id, conversation_id, channel, external_id, direction, "
        "visibility, text, created_at, author_handle, author_name, is_repost, delivery) "
        "VALUES (?, ?, ?, 'x', ?, ?, 'public', ?, ?, ?, ?, 0, 'received')"
    )

    def ts(at: object) -> str:
        assert isinstance(at, datetime)
        return at.isoformat(" ", "microseconds")[:26]

    for conversations, messages in rows(posts):
        with conn:
            conn.executemany(sql_c, [(c[0], ws, ts(c[3]), ts(c[4]), c[1], c[2], c[5]) for c in conversations])
            conn.executemany(
                sql_m, [(m[0], ws, m[1], m[2], m[3], m[4], ts(m[5]), m[6], m[7]) for m in messages]
            )
        done += len(messages)
        if time.monotonic() - last > 10 or done >= posts:
            last = time.monotonic()
            _report(progress, posts, done, started)
    conn.execute("ANALYZE")
    conn.close()


def build_postgres(url: str, posts: int, progress: Progress = say) -> None:
    upgrade(url)
    ws = _workspace(url)
    engine = create_engine(normalize_url(url))
    started = last = time.monotonic()
    done = 0
    try:
        for conversations, messages in rows(posts):
            conv_copy, msg_copy = io.StringIO(), io.StringIO()
            for c in conversations:
                conv_copy.write(
                    "\t".join(
                        (
                            str(c[0]),
                            str(ws),
                            "x",
                            "",
                            str(c[3]),
                            str(c[4]),
                            "2",
                            _esc(c[1]),
                            _esc(c[2]),
                            _esc(c[5]),
                            "0",
                        )
                    )
                    + "\n"
                )
            for m in messages:
                msg_copy.write(
                    "\t".join(
                        (
                            str(m[0]),
                            str(ws),
                            str(m[1]),
                            "x",
                            str(m[2]),
                            str(m[3]),
                            "public",
                            _esc(m[4]),
                            str(m[5]),
                            _esc(m[6]),
                            _esc(m[7]),
                            "f",
                            "received",
                        )
                    )
                    + "\n"
                )
            with engine.begin() as conn:  # commits at the end of the block
                driver = conn.connection.driver_connection  # psycopg's, for COPY
                assert driver is not None
                cur = driver.cursor()
                with cur.copy(
                    "COPY conversations (id, workspace_id, channel, subject, created_at, last_message_at, "
                    "message_count, author_handle, author_name, last_text, urgency) FROM STDIN"
                ) as copy:
                    copy.write(conv_copy.getvalue())
                with cur.copy(
                    "COPY messages (id, workspace_id, conversation_id, channel, external_id, "
                    "direction, visibility, text, created_at, author_handle, author_name, is_repost, "
                    "delivery) FROM STDIN"
                ) as copy:
                    copy.write(msg_copy.getvalue())
            done += len(messages)
            if time.monotonic() - last > 10 or done >= posts:
                last = time.monotonic()
                _report(progress, posts, done, started)
        with engine.begin() as conn:
            for table in ("conversations", "messages"):
                restart = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
                conn.execute(text(restart))
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def sqlite_database(posts: int, cache: Path, progress: Progress = say) -> str:
    """The cached SQLite file with `posts` posts (built first if missing), migrated to the newest schema."""
    cache.mkdir(parents=True, exist_ok=True)
    kept = cache / f"sqlite-{posts}.db"
    if not kept.exists():
        building = kept.with_suffix(".building")
        for leftover in cache.glob(building.name + "*"):
            leftover.unlink()
        build_sqlite(building, posts, progress)
        _keep(building, kept)  # its write-ahead log included, in one file
        for leftover in cache.glob(building.name + "*"):
            leftover.unlink()
        progress(f"cached in {kept}")
    else:
        progress(f"from the cache: {kept}")
    url = f"sqlite:///{kept}"
    progress("migrating to the newest schema (if needed)")
    upgrade(url)
    return url


def postgres_database(posts: int, cache: Path, server_url: str, progress: Progress = say) -> str:
    """The database `search_N` on the kept cluster (built first if missing), migrated to the newest schema."""
    name = f"search_{posts}"
    admin = create_engine(normalize_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = {r[0] for r in conn.execute(text("SELECT datname FROM pg_database"))}
            if name not in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_building"'))
                conn.execute(text(f'CREATE DATABASE "{name}_building"'))
                build_postgres(_url_of(server_url, f"{name}_building"), posts, progress)
                conn.execute(text(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"'))
                progress(f"cached as database {name}")
            else:
                progress(f"from the cache: database {name}")
    finally:
        admin.dispose()
    url = _url_of(server_url, name)
    progress("migrating to the newest schema (if needed)")
    upgrade(url)
    return url


def _url_of(server: str, database: str) -> str:
    return make_url(normalize_url(server)).set(database=database).render_as_string(hide_password=False)
