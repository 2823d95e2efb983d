"""Reads benchmark: the inbox list (`GET /api/v1/conversations`, 50 rows) with N conversations in the
database, idle and while posts are ingested at full speed through the embedded ingest queue, with the
ratio to idle in the same run.

`old_path`: reads use the writers' unit of work (`runtime.uow()`, as every request did before
`runtime.read_uow()`), for a before/after comparison on the same machine.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from socialdesk.actions.ingest import IngestReport
from socialdesk.config import Settings
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

    def __init__(self, runtime: Runtime, workspace_id: int, batch: int = 100) -> None:
        self.queue = runtime.ingest_queue()
        self.workspace_id = workspace_id
        self.batch = batch
        self.stop = threading.Event()
        self.submitted = 0
        self.futures: list[Future[IngestReport]] = []
        self.thread = threading.Thread(target=self._run, name="bench-feeder", daemon=True)

    def _run(self) -> None:
        i = 0
        while not self.stop.is_set():
            posts = [_post("live", n) for n in range(i, i + self.batch)]
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
        stored = sum(f.result().added for f in self.futures)
        self.posts_per_s = round(stored / (time.perf_counter() - self.started))


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
    result["p50_ratio"] = round(loaded["p50_ms"] / max(result["idle"]["p50_ms"], 1e-9), 2)
    result["p99_ratio"] = round(loaded["p99_ms"] / max(result["idle"]["p99_ms"], 1e-9), 2)
    return result


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
