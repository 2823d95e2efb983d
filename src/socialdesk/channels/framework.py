"""What every channel adapter shares: cursors, the batch callback, waiting, and error kinds.

A client hands each batch of normalized post dicts to ``on_posts`` (the lead's ingest, which commits
to the database) and saves its cursor only after ``on_posts`` returns: a crash before the commit
replays the batch, a crash after it never repeats it. All waiting goes through an injected ``sleep``
and all "now" through an injected clock, so tests are exact and instant.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.health import ChannelHealth, HealthSnapshot, HealthState
from socialdesk.ports.services import Clock

__all__ = [
    "Backoff",
    "ChannelAuthError",
    "ChannelError",
    "ChannelHealth",
    "CursorStore",
    "HealthSnapshot",
    "HealthState",
    "MemoryCursorStore",
    "PostDict",
    "PostsCallback",
    "SendRefused",
    "Sleep",
    "StopFlag",
    "utc_now",
]

PostDict = dict[str, Any]
PostsCallback = Callable[[list[PostDict]], None]
"""Receives a batch of normalized post dicts; returns once they are committed, raises if not."""
Sleep = Callable[[float], None]


class ChannelError(Exception):
    """The network refused or failed a request."""


class ChannelAuthError(ChannelError):
    """HTTP 401/403: credentials revoked or the app lost access. Retrying will not help."""


class SendRefused(ChannelError):
    """The reply cannot be sent as it is (too long, no recipient...). Retrying will not help."""


class CursorStore(Protocol):
    """Where a polling client keeps its place, by key (one key per account, feed or stream)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class MemoryCursorStore:
    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self.values: dict[str, str] = dict(initial or {})
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self.values[key] = value


class StopFlag:
    """Stops a client's ``run`` loop; its :meth:`sleep` wakes up early when stopped."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def stop(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def sleep(self, seconds: float) -> None:
        self._event.wait(max(seconds, 0.0))


class SystemUtcClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def utc_now(clock: Clock | None) -> datetime:
    return clock.now() if clock is not None else datetime.now(UTC)


def newer_id(a: str | None, b: str | None) -> str | None:
    """The larger of two numeric ids (X and Mastodon ids grow over time), compared as numbers."""
    if a is None or b is None:
        return a or b
    if a.isdigit() and b.isdigit():
        return a if int(a) >= int(b) else b
    return max(a, b)
