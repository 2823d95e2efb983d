"""Pipeline benchmark: arrival to inbox event, embedded (SQLite + in-process bus) against scale-out
(PostgreSQL + NATS JetStream with 1 and 2 worker processes), all in one run."""

from __future__ import annotations

import contextlib
import gc
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_posts
from socialdesk.bus.nats_server import LocalNats
from socialdesk.config import Settings, child_environment, environment_bench_database_url
from socialdesk.demo.traffic import BRANDS, generate_posts
from socialdesk.domain.events import Event, EventKind
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.runtime import Runtime, build_runtime, freeze_startup_objects
from socialdesk.storage.engine import normalize_url


class Arrivals:
    """When each post arrived, and when its inbox event was seen."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        self.all_seen = threading.Event()

    def on_event(self, event: Event) -> None:
        if event.kind is not EventKind.POSTS_INGESTED:
            return
        now = time.perf_counter()
        with self.lock:
            for post_id in event.data.get("posts", ()):
                self.seen.setdefault(post_id, now)
            if self.sent and len(self.seen) >= len(self.sent):
                self.all_seen.set()

    def summary(self, started: float) -> dict[str, Any]:
        latencies = sorted((self.seen[k] - v) * 1000 for k, v in self.sent.items() if k in self.seen)
        done = max(self.seen.values(), default=started)
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
        return {
            "posts": len(self.sent),
            "reached_inbox": len(latencies),
            "posts_per_s": round(len(latencies) / max(done - started, 1e-9)),
            "latency_ms_p50": round(q[49], 1),
            "latency_ms_p99": round(q[98], 1),
        }


def _workspace(runtime: Runtime) -> int:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "bench")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
    return ws.id


def _posts(count: int, seed: int) -> list[dict[str, Any]]:
    return list(generate_posts(count, seed=seed))


def embedded(
    count: int, batch: int = 100, *, queued: bool = True, rate: float | None = None
) -> dict[str, Any]:
    """SQLite + in-process bus: posts arrive in batches and are ingested as they come.

    `queued`: through the runtime's ingest queue (as the API stores posts: group commit under load,
    triage ahead in a child process); else each batch in a transaction of its own on the arrival
    thread, triaged there (the baseline, as before the queue). `rate`: batches arrive at that many
    posts/s (else as fast as they are taken: a flood, held back only by the queue's back-pressure).
    """
    with tempfile.TemporaryDirectory() as folder:
        runtime = build_runtime(Settings(database_url=f"sqlite:///{Path(folder) / 'b.db'}"))
        ws = _workspace(runtime)
        arrivals = Arrivals()
        runtime.bus.subscribe(arrivals.on_event)
        queue = runtime.ingest_queue() if queued else None
        if queue is not None:
            queue.warm_up(wait=True)  # as `serve` starts it (spawned, model loaded), before the clock
        # The traffic is generated first and frozen with the start-up objects: the load generator's
        # buffer of every post to come is no part of a server, whose collector would not walk it.
        dicts = _posts(count, seed=31)
        freeze_startup_objects()  # as `serve` does once its runtime is built
        waiting: list[Future[IngestReport]] = []
        started = time.perf_counter()
        for start in range(0, count, batch):
            chunk = dicts[start : start + batch]
            if rate:
                delay = started + start / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            now = time.perf_counter()
            posts = []
            for d in chunk:
                arrivals.sent[d["id"]] = now
                parsed = post_from_dict(d)
                if not isinstance(parsed, PostError):
                    posts.append(parsed)
            if queue is not None:
                waiting.append(queue.submit(ws, posts))
                continue
            with runtime.uow() as uow:
                do_ingest_posts(uow, ws, posts, runtime.clock.now(), runtime.annotator)
        for future in waiting:
            future.result()
        result = arrivals.summary(started)
        result["batch"] = batch
        if rate:
            result["offered_rate"] = rate
        if queue is not None:
            result["transactions"] = queue.groups
            result["triage_processes"] = queue.triage.processes if queue.triage else 0
        runtime.close()
        gc.unfreeze()
    return result


@contextlib.contextmanager
def _database(server_url: str, name: str) -> Iterator[str]:
    admin = create_engine(normalize_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield make_url(normalize_url(server_url)).set(database=name).render_as_string(hide_password=False)


def _workers(db_url: str, nats_url: str, count: int) -> list[subprocess.Popen[bytes]]:
    env = child_environment({"SOCIALDESK_DATABASE_URL": db_url, "SOCIALDESK_NATS_URL": nats_url})
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "worker", "--stage", "ingest", "--batch", "200"]
    return [subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL) for _ in range(count)]  # noqa: S603


def scale_out(server_url: str, workers: int, count: int, rate: float | None) -> dict[str, Any]:
    """PostgreSQL + NATS: posts are published to JetStream (at `rate` posts/s, or all at once) and
    `workers` worker processes store them; the inbox event comes back over NATS."""
    nats = LocalNats().start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with _database(server_url, f"bench_{workers}_{int(rate or 0)}") as db_url:
            settings = Settings(database_url=db_url, nats_url=nats.url)
            web = build_runtime(settings)
            ws = _workspace(web)
            arrivals = Arrivals()
            web.bus.subscribe(arrivals.on_event)
            assert web.nats is not None
            procs = _workers(db_url, nats.url, workers)
            time.sleep(3)  # let the workers connect and load the triage model
            dicts = _posts(count, seed=37)
            chunk = 50
            started = time.perf_counter()
            for i in range(0, count, chunk):
                part = dicts[i : i + chunk]
                if rate:
                    due = started + i / rate
                    delay = due - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                now = time.perf_counter()
                for d in part:
                    arrivals.sent[d["id"]] = now
                web.nats.publish_posts(ws, part)
            arrivals.all_seen.wait(timeout=max(120.0, count / 50))
            result = arrivals.summary(started)
            result.update({"workers": workers, "offered_rate": rate or "flood"})
            web.close()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)
        nats.cleanup()
    return result


def run(
    posts: int = 10_000,
    latency_rate: float = 1000.0,
    latency_posts: int = 5_000,
    embedded_rate: float = 3000.0,
) -> dict[str, Any]:
    from socialdesk.storage.embedded_pg import embedded_postgres

    out: dict[str, Any] = {
        "benchmark": "pipeline",
        "posts": posts,
        # Posts arrive 100 at a time (an API call or a channel page) and go through the ingest queue.
        "embedded": embedded(posts),
        # The same, 1,000 at a time: the batch of `socialdesk ingest FILE` (the bulk import's default).
        "embedded_batch_1000": embedded(posts, batch=1000),
        # The baseline: 100 at a time, each batch stored and triaged on the arrival thread.
        "embedded_direct": embedded(posts, queued=False),
        # Latency below saturation: 100 at a time, at `embedded_rate` posts/s.
        "embedded_at_rate": embedded(latency_posts, rate=embedded_rate),
    }
    out["embedded_ratio_queue_vs_direct"] = round(
        out["embedded"]["posts_per_s"] / max(out["embedded_direct"]["posts_per_s"], 1), 2
    )
    configured = environment_bench_database_url(or_test_url=False)
    server = contextlib.nullcontext(configured) if configured else embedded_postgres()
    with server as url:
        one = scale_out(url, 1, posts, None)
        two = scale_out(url, 2, posts, None)
        out["scale_out_flood"] = {"1_worker": one, "2_workers": two}
        out["scaling_ratio_2_vs_1"] = round(two["posts_per_s"] / max(one["posts_per_s"], 1), 2)
        out["scale_out_at_rate"] = scale_out(url, 2, latency_posts, latency_rate)
    return out
