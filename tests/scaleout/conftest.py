"""Scale-out fixtures: ingest stages and runtimes over a real NATS server with JetStream and a real
PostgreSQL (both started by the fixtures of tests/conftest.py)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from socialdesk.bus.nats_server import LocalNats
from socialdesk.config import Settings
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.workers.ingest_stage import StageStats, run_ingest_stage
from tests.support import waiting
from tests.support.waiting import PATIENCE


@dataclass
class StageThread:
    """An ingest stage running in a thread of the test process (the same code a worker process runs)."""

    runtime: Runtime
    url: str
    batch: int = 200
    stats: StageStats = field(default_factory=StageStats)
    _stop: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    def start(self) -> StageThread:
        ready = threading.Event()

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            ready.set()
            await run_ingest_stage(self.runtime, self.url, self._stop, batch=self.batch, stats=self.stats)

        self._thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
        self._thread.start()
        assert ready.wait(PATIENCE), "the ingest stage's loop did not start"
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=PATIENCE)


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """The shared wait (tests/support/waiting.py), never shorter than its `PATIENCE`."""
    waiting.wait_until(check, what, max(timeout, PATIENCE))


@pytest.fixture
def scaleout(
    postgres_url: str, nats_server: LocalNats
) -> Iterator[tuple[Runtime, Callable[..., StageThread]]]:
    """A web-side runtime in scale-out mode, and a factory of ingest stages against the same services."""
    settings = Settings(database_url=postgres_url, nats_url=nats_server.url, triage=False)
    web = build_runtime(settings, migrate=False)
    stages: list[StageThread] = []

    def stage(**kw: Any) -> StageThread:
        worker_runtime = build_runtime(settings, migrate=False)
        s = StageThread(worker_runtime, nats_server.url, **kw).start()
        stages.append(s)
        return s

    yield web, stage
    for s in stages:
        s.stop()
        s.runtime.close()
    web.close()
