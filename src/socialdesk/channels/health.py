"""What a channel client reports about itself: connected, degraded (until when, why) or broken."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from datetime import datetime


class HealthState(enum.StrEnum):
    STARTING = "starting"
    CONNECTED = "connected"
    DEGRADED = "degraded"  # retrying: rate limited, disconnected, server errors
    BROKEN = "broken"  # needs a person: credentials revoked, app suspended


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    state: HealthState
    reason: str = ""
    until: datetime | None = None  # degraded: when the next attempt is due
    last_error: str = ""
    changed_at: datetime | None = None


class ChannelHealth:
    """Thread-safe: the client thread writes, the web UI reads :meth:`snapshot`."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._lock = threading.Lock()
        self._snapshot = HealthSnapshot(HealthState.STARTING)
        self.history: list[HealthSnapshot] = []  # every change, oldest first (bounded)

    def snapshot(self) -> HealthSnapshot:
        with self._lock:
            return self._snapshot

    @property
    def state(self) -> HealthState:
        return self.snapshot().state

    def connected(self, at: datetime | None = None) -> None:
        self._set(HealthSnapshot(HealthState.CONNECTED, changed_at=at))

    def degraded(self, reason: str, until: datetime | None, at: datetime | None = None) -> None:
        self._set(HealthSnapshot(HealthState.DEGRADED, reason, until, reason, at))

    def broken(self, error: str, at: datetime | None = None) -> None:
        self._set(HealthSnapshot(HealthState.BROKEN, "needs attention", None, error, at))

    def _set(self, snapshot: HealthSnapshot) -> None:
        with self._lock:
            self._snapshot = snapshot
            self.history.append(snapshot)
            del self.history[:-50]
