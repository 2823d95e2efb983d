"""Failure throttles: too many wrong passwords or tokens for one key (an account, a client address)
within a sliding window, and the key is refused until the oldest counted failure leaves the window.

State lives in this process (see docs/deploy.md: with several web processes each counts on its own, and
the reverse proxy should add per-address request limits). The number of keys is bounded, so a flood of
distinct keys cannot grow memory without bound. Time comes from the injected clock.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass
from datetime import timedelta

from socialdesk.config import Settings
from socialdesk.ports.services import Clock

MAX_KEYS = 50_000  # about 11 MB at one failure per key, 40 MB at 20 (measured with tracemalloc)


class FailureThrottle:
    def __init__(self, limit: int, window: timedelta, clock: Clock, max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self.window = window
        self._window = window.total_seconds()
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, list[float]] = {}  # per key: failure times (POSIX seconds), oldest first
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int | None:
        """Whole seconds until `key` may try again, or None when it may try now."""
        now = self.clock.now().timestamp()
        with self._lock:
            failures = self._recent(key, now)
            if failures is None or len(failures) < self.limit:
                return None
            until = failures[len(failures) - self.limit] + self._window
        return max(1, math.ceil(until - now))

    def fail(self, key: str) -> None:
        now = self.clock.now().timestamp()
        with self._lock:
            failures = self._recent(key, now)
            if failures is None:
                self._make_room(now)
                failures = self._failures[key] = []
            failures.append(now)
            if len(failures) > self.limit:  # older ones no longer decide when the key is free
                del failures[: len(failures) - self.limit]

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> list[float] | None:
        failures = self._failures.get(key)
        if failures is None:
            return None
        stale = next((i for i, at in enumerate(failures) if at + self._window > now), len(failures))
        del failures[:stale]
        if not failures:
            del self._failures[key]
            return None
        return failures

    def _make_room(self, now: float) -> None:
        """When full, forget keys whose failures all left the window, and if that is not enough the
        tenth of keys that failed first (so a flood costs one scan per tenth of the table, not per key)."""
        if len(self._failures) < self.max_keys:
            return
        for key in [k for k, f in self._failures.items() if f[-1] + self._window <= now]:
            del self._failures[key]
        if len(self._failures) >= self.max_keys:
            for key in list(itertools.islice(self._failures, max(1, self.max_keys // 10))):
                del self._failures[key]


@dataclass(frozen=True)
class AuthThrottles:
    """The web process's throttles of authentication: passwords by account and by address, API
    tokens by address."""

    login_account: FailureThrottle
    login_address: FailureThrottle
    token_address: FailureThrottle

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> AuthThrottles:
        window = timedelta(seconds=settings.auth_failure_window_seconds)
        return cls(
            FailureThrottle(settings.login_failures_per_account, window, clock),
            FailureThrottle(settings.login_failures_per_address, window, clock),
            FailureThrottle(settings.token_failures_per_address, window, clock),
        )

    def login_wait(self, account: str, address: str) -> int | None:
        """Seconds a login for `account` from `address` must wait, or None."""
        waits = [
            w for w in (self.login_account.retry_after(account), self.login_address.retry_after(address)) if w
        ]
        return max(waits) if waits else None

    def login_failed(self, account: str, address: str) -> None:
        self.login_account.fail(account)
        self.login_address.fail(address)

    def login_succeeded(self, account: str) -> None:
        """The account's count starts again; the address's does not (one known password must not
        reset an address that guesses at other accounts)."""
        self.login_account.reset(account)


def wait_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    when = f"{seconds} seconds" if seconds < 120 else f"{minutes} minutes"
    return f"Too many failed attempts. Try again in {when}."
