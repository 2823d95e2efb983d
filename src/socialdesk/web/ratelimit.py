"""An in-process token-bucket rate limiter, keyed by anything hashable (an address, an account id).

Each key has a bucket of ``capacity`` tokens that refills at ``capacity / per_seconds`` tokens a
second; a request takes one token or is refused with the seconds until one is back (the value of a
``Retry-After`` header). Memory is bounded: at most ``max_keys`` buckets are kept, the least recently
used dropped first (a dropped bucket comes back full, so the bound only ever errs towards allowing).
Thread-safe. In-process: several web processes each keep their own buckets, so the limit a client
sees is per process; put a shared limit in the reverse proxy where that matters (docs/deploy.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """``capacity`` requests at once, then one every ``per_seconds / capacity`` seconds."""

    capacity: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.per_seconds <= 0:
            raise ValueError(f"a rate needs capacity >= 1 and per_seconds > 0, not {self}")

    @property
    def refill_per_second(self) -> float:
        return self.capacity / self.per_seconds


class RateLimiter:
    """Token buckets for one kind of key. ``clock`` gives seconds (monotonic); tests pass their own."""

    def __init__(
        self, rate: Rate, *, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def acquire(self, key: Hashable) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds to wait (> 0), nothing taken."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.rate.capacity), now))
            tokens = min(float(self.rate.capacity), tokens + (now - at) * self.rate.refill_per_second)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate.refill_per_second
            self._buckets[key] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    """A ``Retry-After`` header value: whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(wait)))
