"""Test helpers for the channel adapters: fixtures, a clock that sleeps instantly, a live fake server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from socialdesk.channels.framework import StopFlag
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ingest.validate import PostError, post_from_dict
from tests.support.waiting import wait_until

HERE = Path(__file__).resolve().parent
# The fake servers listen on 127.0.0.1: their clients need SOCIALDESK_ALLOW_PRIVATE_URLS's policy.
LOOPBACK = UrlPolicy(allow_private=True)
T0 = datetime(2024, 4, 3, 18, 0, tzinfo=UTC)


def fixture_path(network: str, name: str) -> Path:
    return HERE / network / "fixtures" / name


def load(network: str, name: str) -> Any:
    return json.loads(fixture_path(network, name).read_text(encoding="utf-8"))


def raw(network: str, name: str) -> bytes:
    return fixture_path(network, name).read_bytes()


def assert_valid(post: dict[str, Any]) -> None:
    checked = post_from_dict(post)
    assert not isinstance(checked, PostError), str(checked)
    json.dumps(post)  # raw must stay JSON


class FakeTime:
    """A clock and a `sleep` that moves it: every wait is recorded, none takes real time.

    ``stop_after`` stops the client after that many sleeps, so `run` loops end by themselves.
    """

    def __init__(self, stop: StopFlag | None = None, stop_after: int | None = None) -> None:
        self.current = T0
        self.sleeps: list[float] = []
        self.stop = stop
        self.stop_after = stop_after

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.current += timedelta(seconds=seconds)
        if self.stop is not None and self.stop_after is not None and len(self.sleeps) >= self.stop_after:
            self.stop.stop()


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the fake server to start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()
