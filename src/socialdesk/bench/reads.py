"""Reads benchmark: the inbox list (`GET /api/v1/conversations`, 50 rows) with N conversations in the
database, idle and while posts are ingested at full speed through the embedded ingest queue, with the
ratio to idle in the same run. Ingest runs twice: in the reading process (as `POST /api/v1/posts` and
webhooks are stored by `socialdesk serve` itself, sharing its interpreter lock), then in a process of
its own (as `socialdesk ingest` or the scale-out mode's workers run beside the web server).

`old_path`: reads use the writers' unit of work (`runtime.uow()`, as every request did before
`runtime.read_uow()`), for a before/after comparison on the same machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from socialdesk.actions.inbox.ingest import IngestReport
from socialdesk.config import Settings, child_environment
from socialdesk.domain.post import Author, Post
from socialdesk.runtime import Runtime, build_runtime

BASE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TEXTS = (
    "@AcmeCares my order {i} has not arrived and nobody answers",
    "@AcmeCares the app logs me out every time I open it",
    "@AcmeCares thanks, the refund for {i} came through",
    "@AcmeCares wifi down since 9am in my street, any news?",
)
BUILD_BATCH = 5_000


def _post(prefix: str, i: int) -> Post:
    author = Author(id=f"{prefix}a{i}", handle=f"{prefix}cust{i}", name=f"Customer {i}", followers=10)
    return Post(
        id=f"{prefix}{i}",
        channel="x",
        text=TEXTS[i % len(TEXTS)].format(i=i),
        created_at=BASE + timedelta(seconds=i),
        author=author,
    )


def build(runtime: Runtime, conversations: int) -> tuple[int, str]:
    """A workspace with `conversations` conversations (one post each, each from its own customer), an
    admin and an API token; returns the workspace id and the token."""
    from socialdesk.bench.reads_data import access, seed

    seed(runtime, conversations, progress=lambda _line: None)
    return access(runtime)


def _quantiles(ms: list[float]) -> dict[str, Any]:
    q = statistics.quantiles(ms, n=100)
    return {"requests": len(ms), "p50_ms": round(q[49], 1), "p99_ms": round(q[98], 1)}


def _inbox_reads(client: Any, token: str, requests: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.get("/api/v1/conversations?limit=50", headers=headers)
        took.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200 or len(answer.json()["items"]) != 50:
            raise RuntimeError(f"the inbox list answered {answer.status_code}: {answer.text[:200]}")
    return took


# The inbox's views whose filter is on cases (they match few of a million conversations) and the
# SLA order, as the UI asks for them; each timed idle, a few requests apiece.
VIEWS = {
    "mine": "status=active&assignee=me",
    "waiting_on_customer": "status=pending_customer",
    "team": "status=active&team=1",
    "sla_at_risk": "status=active&sla=at_risk",
    "all_by_deadline": "status=active&sort=deadline",
}
VIEW_REQUESTS = 20


def _view_reads(client: Any, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    out: dict[str, Any] = {}
    for name, filters in VIEWS.items():
        took = []
        for _ in range(VIEW_REQUESTS):
            started = time.perf_counter()
            answer = client.get(f"/api/v1/conversations?limit=50&{filters}", headers=headers)
            took.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"the view {name} answered {answer.status_code}: {answer.text[:200]}")
        out[name] = _quantiles(took)
    return out


class Feeder:
    """Posts submitted to the ingest queue as fast as it takes them (its back-pressure sets the pace)."""

    def __init__(self, runtime: Runtime, workspace_id: int, batch: int = 100, prefix: str = "live") -> None:
        self.queue = runtime.ingest_queue()
        self.workspace_id = workspace_id
        self.batch = batch
        self.prefix = prefix  # the posts' ids: each feeder of a run its own, so none is a duplicate
        self.stop = threading.Event()
        self.submitted = 0
        self.futures: list[Future[IngestReport]] = []
        self.stored = self.posts_per_s = 0
        self.thread = threading.Thread(target=self._run, name="bench-feeder", daemon=True)

    def _run(self) -> None:
        i = 0
        while not self.stop.is_set():
            posts = [_post(self.prefix, n) for n in range(i, i + self.batch)]
            i += self.batch
            self.futures.append(self.queue.submit(self.workspace_id, posts))
            self.submitted += len(posts)

    def __enter__(self) -> Feeder:
        self.started = time.perf_counter()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.stored = sum(f.result().added for f in self.futures)
        self.posts_per_s = round(self.stored / (time.perf_counter() - self.started))


def measure(runtime: Runtime, conversations: int, requests: int, *, old_path: bool) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from socialdesk.bench.reads_data import access
    from socialdesk.web.app import create_app

    ws, token = access(runtime)
    result: dict[str, Any] = {
        "conversations": conversations,
        "reads": "write unit of work (old path)" if old_path else "read unit of work",
    }
    if old_path:
        setattr(runtime, "read_uow", runtime.uow)  # noqa: B010 (an instance's method, for this run)
    queue = runtime.ingest_queue()
    queue.warm_up(wait=True)
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        _inbox_reads(client, token, 20)  # warm the caches and the statement cache
        result["idle"] = _quantiles(_inbox_reads(client, token, requests))
        result["views_idle"] = _view_reads(client, token)
        groups = queue.groups
        with Feeder(runtime, ws) as feeder:
            while queue.groups < groups + 2 and feeder.thread.is_alive():
                time.sleep(0.01)  # until the writer is committing groups
            loaded = _quantiles(_inbox_reads(client, token, requests))
        loaded["ingest_posts_per_s"] = feeder.posts_per_s
        result["ingesting"] = loaded
        if not old_path:  # (the old path's BEGIN IMMEDIATE would wait out SQLite's busy timeout)
            with feeder_process(runtime.settings, ws) as apart:
                separate = _quantiles(_inbox_reads(client, token, requests))
            separate["ingest_posts_per_s"] = apart["posts_per_s"]
            result["ingesting_in_another_process"] = separate
    idle = result["idle"]
    result["p50_ratio"] = round(loaded["p50_ms"] / max(idle["p50_ms"], 1e-9), 2)
    result["p99_ratio"] = round(loaded["p99_ms"] / max(idle["p99_ms"], 1e-9), 2)
    if not old_path:
        result["p99_ratio_another_process"] = round(separate["p99_ms"] / max(idle["p99_ms"], 1e-9), 2)
    return result


@contextlib.contextmanager
def feeder_process(settings: Settings, workspace_id: int) -> Iterator[dict[str, Any]]:
    """Ingest at full speed in a child process (`bench/reads_feeder.py`) on the same database with the
    same triage settings while the block runs; then the dict holds what it stored and its rate. The
    database URL travels in the environment (it may hold a password), never on the command line."""
    cmd = [sys.executable, "-m", "socialdesk.bench.reads_feeder", str(workspace_id)]
    env = child_environment(
        {
            "SOCIALDESK_DATABASE_URL": settings.database_url,
            "SOCIALDESK_TRIAGE": "true" if settings.triage else "false",
            "SOCIALDESK_TRIAGE_PROCESSES": str(settings.triage_processes),
        }
    )
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert proc.stdin is not None and proc.stdout is not None
    figures: dict[str, Any] = {}
    try:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the ingest process exited with {proc.wait()} before it was ready")
        yield figures
        proc.stdin.close()
        last = proc.stdout.read().strip().splitlines()
        if proc.wait(timeout=300) != 0 or not last:
            raise RuntimeError(f"the ingest process exited with {proc.returncode}")
        figures.update(json.loads(last[-1]))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run(
    conversations: int,
    requests: int,
    *,
    old_path: bool = False,
    postgres: bool = False,
    cache: Path | None = None,
) -> dict[str, Any]:
    """`cache`: the folder that keeps built databases between runs (None: build afresh, keep nothing)."""
    from socialdesk.bench.reads_data import postgres_database, sqlite_database

    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        started = time.perf_counter()
        if postgres:
            url = stack.enter_context(postgres_database(conversations, cache))
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url = stack.enter_context(sqlite_database(conversations, cache, folder))
        runtime = build_runtime(Settings(database_url=url))
        stack.callback(runtime.close)
        result: dict[str, Any] = {
            "backend": "postgresql" if postgres else "sqlite",
            "prepare_s": round(time.perf_counter() - started, 1),  # build or copy from the cache
        }
        result.update(measure(runtime, conversations, requests, old_path=old_path))
    result["load_average"] = {
        "before": [round(x, 2) for x in load_before],
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    return result
