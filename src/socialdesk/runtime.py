"""Wiring: from Settings to an engine, a bus, a clock and a unit-of-work factory.

Web, CLI and workers build one `Runtime` and reach data only through actions given `runtime.uow` (to
write) or `runtime.read_uow` (views that only read).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from socialdesk.actions.accounts import password_hashing
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.incidents.watch import IncidentWatch
from socialdesk.actions.knowledge.suggest import ArticleIndexes
from socialdesk.bus.inprocess import InProcessBus
from socialdesk.bus.nats_bus import NatsBus
from socialdesk.channels.connect import Connector
from socialdesk.channels.senders import account_senders
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.config import Settings
from socialdesk.domain.clock import SystemClock
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.ingest import PostSink
from socialdesk.ports.services import Bus, ChannelSender, Clock
from socialdesk.ports.uow import UnitOfWork
from socialdesk.storage.engine import make_engine, make_read_engine, normalize_url
from socialdesk.storage.errors import database_away
from socialdesk.storage.migrate import upgrade
from socialdesk.storage.sql.read_uow import SqlReadUnitOfWork
from socialdesk.storage.sql.uow import SqlUnitOfWork
from socialdesk.workers.ingest_queue import IngestQueue
from socialdesk.workers.post_sinks import QueueSink, StreamSink
from socialdesk.workers.triage_process import TriageProcess


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    bus: Bus
    clock: Clock
    senders: dict[str, ChannelSender] = field(default_factory=dict)
    default_sender: ChannelSender = field(default_factory=SimulatedSender)
    annotator: Annotator = field(default_factory=Annotator)
    # Scale-out mode: posts arrive through JetStream and live events travel over NATS.
    nats: NatsBus | None = None
    # Builds channel adapters from stored accounts (tests give one with a fake transport).
    connector: Connector | None = None
    # Each workspace's search index of published articles, rebuilt when an article changes.
    article_indexes: ArticleIndexes = field(default_factory=ArticleIndexes)
    _read_engine: Engine | None = field(default=None, init=False, repr=False)
    _ingest_queue: IngestQueue | None = field(default=None, init=False, repr=False)
    _post_sink: PostSink | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def uow(self) -> UnitOfWork:
        """A unit of work that writes: on SQLite it holds the one write lock from its first statement,
        so keep it short and do no slow Python work inside it."""
        return SqlUnitOfWork(self.engine, self.bus)

    def read_uow(self) -> UnitOfWork:
        """A read-only unit of work for views that only read: on an SQLite file a deferred transaction on
        connections of its own (it never waits on the writer), on PostgreSQL a READ ONLY transaction.
        Its commit and emit raise, and the database refuses its writes."""
        engine = self._read_engine
        if engine is None:
            with self._lock:
                if self._read_engine is None:
                    self._read_engine = make_read_engine(self.engine)
                engine = self._read_engine
        return SqlReadUnitOfWork(engine, shared_with_writers=engine is self.engine)

    def database_away(self, exc: BaseException) -> bool:
        """Whether `exc` is a lost or refused database connection (retry later), not a bad record."""
        return database_away(exc)

    def ingest_queue(self) -> IngestQueue:
        """The embedded mode's ingest writer (started on first use): batches are stored in order,
        grouped under load, with triage ahead in a child process (`triage_processes`)."""
        with self._lock:
            if self._ingest_queue is None:
                processes = self.settings.triage_processes  # (the queue drops it without a triager)
                triage = TriageProcess(processes) if processes else None
                self._ingest_queue = IngestQueue(
                    self.uow,
                    self.clock,
                    self.annotator,
                    database_away=self.database_away,
                    triage=triage,
                    queued_posts=self.settings.ingest_queue_posts,
                    group_posts=self.settings.ingest_group_posts,
                )
            return self._ingest_queue

    def post_sink(self) -> PostSink:
        """Where every entry point hands incoming posts, chosen once: the JetStream posts stream in
        scale-out mode (`nats`), else the embedded ingest queue (ports/ingest.py)."""
        with self._lock:
            if self._post_sink is None:
                if self.nats is not None:
                    self._post_sink = StreamSink(self.nats, self.uow, self.clock, self.annotator)
                else:
                    self._post_sink = QueueSink(self.ingest_queue)
            return self._post_sink

    def use_post_sink(self, sink: PostSink) -> None:
        """Hand incoming posts to `sink` instead (tests wrap the chosen one to watch or fail it)."""
        with self._lock:
            self._post_sink = sink

    def channel_connector(self) -> Connector:
        if self.connector is None:
            key = self.settings.secret_key
            policy = UrlPolicy(allow_private=self.settings.allow_private_urls)
            secret = key.get_secret_value() if key else None
            self.connector = Connector(secret, clock=self.clock, url_policy=policy)
        if self.connector.spend is None:  # also when a test put its own connector in
            from socialdesk.actions.channels.spend import DbSpendGate
            from socialdesk.channels.registry import REGISTRY
            from socialdesk.domain.api_spend import parse_prices

            priced = {d.name: d.prices for d in REGISTRY if d.pricing is not None}
            self.connector.price_overrides = parse_prices(self.settings.api_prices, priced)
            self.connector.spend = DbSpendGate(self.uow, self.clock)
        return self.connector

    def use_channel_senders(self) -> None:
        """Replies on X, Mastodon and Bluesky leave through the workspace's stored account there."""
        from socialdesk.actions.channels.accounts import (
            do_mark_needs_credentials,
            list_active_channel_accounts,
        )

        def load() -> list[ChannelAccount]:  # a read: never waits behind a writer (pages ask it too)
            with self.read_uow() as uow:
                return list_active_channel_accounts(uow)

        def refused(account: ChannelAccount, reason: str) -> None:  # a revoked token: needs new ones
            with self.uow() as uow:
                do_mark_needs_credentials(uow, account.id, reason, self.clock.now())

        self.senders = {
            **account_senders(load, self.channel_connector(), self.default_sender, on_auth_error=refused),
            **self.senders,
        }

    def stop_ingest(self) -> None:
        """Store what the ingest queue holds, then stop its writer and triage process (a later
        `ingest_queue()` starts new ones)."""
        with self._lock:
            queue, self._ingest_queue = self._ingest_queue, None
        if queue is not None:
            queue.close()

    def close(self) -> None:
        self.stop_ingest()
        if self.nats is not None:
            self.nats.close()
        if self._read_engine is not None and self._read_engine is not self.engine:
            self._read_engine.dispose()
        self.engine.dispose()


def prepare_database(url: str) -> None:
    """Create the SQLite file's folder if needed, then bring the schema to the newest migration."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)


def build_runtime(settings: Settings, *, migrate: bool = True, clock: Clock | None = None) -> Runtime:
    if migrate:
        prepare_database(settings.database_url)
    engine = make_engine(settings.database_url)
    password_hashing.configure(settings.password_hash_slots, settings.password_hash_wait_seconds)
    nats_bus = NatsBus(settings.nats_url) if settings.nats_url else None
    runtime = Runtime(
        settings=settings,
        engine=engine,
        bus=nats_bus or InProcessBus(),
        clock=clock or SystemClock(),
        annotator=Annotator(
            load_triager() if settings.triage else None,
            native_matcher=settings.native_matcher,
            care_stage=load_care_stage(settings.triage_care_model) if settings.triage else None,
            incidents=IncidentWatch() if settings.incident_detection else None,
        ),
        nats=nats_bus,
    )
    runtime.use_channel_senders()
    return runtime


YOUNG_COLLECTION = 50_000


def freeze_startup_objects() -> None:
    """Hide every object alive now from the cyclic garbage collector: for long-running processes
    (`serve`, `worker`, `demo`), called once their runtime is built.

    What a process builds at start-up (settings, the triage model and its vocabulary, compiled
    statements, routes) lives as long as the process; without this every full collection walks all of
    it again, which cost about a sixth of the embedded pipeline's time (`socialdesk bench pipeline`).
    The objects stay reference-counted and are freed as usual; only reference cycles among them would
    never be collected.

    The young generation is then collected every `YOUNG_COLLECTION` allocations rather than every
    700: the ingest writer allocates tens of thousands of short-lived objects a batch, nearly all of
    them freed by reference counting at once, and collecting every 700 allocations took about 8% of
    the embedded pipeline's time (2% after). Only cyclic garbage waits longer to be freed.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, older, oldest)


def load_care_stage(mode: str) -> Any:
    """The second triage stage for posts that reached care, as `SOCIALDESK_TRIAGE_CARE_MODEL` says."""
    from socialdesk.training.care_loader import care_stage_for

    return care_stage_for(mode)


def load_triager() -> Any:
    """The packaged triage model, loaded once."""
    from socialdesk.triage import Triager

    return Triager()
