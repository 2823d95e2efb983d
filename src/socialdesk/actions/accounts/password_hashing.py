"""A bound on how many password hashes run at once in this process.

Each argon2 hash or verification takes 64 MiB and tens of milliseconds of one core; a flood of login
attempts must not take all the memory. Every hash goes through `slot()`: a caller waits a short time for
one of the process's slots, then gets `HashingBusy` (the web answers 503 with Retry-After).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from socialdesk.domain.errors import DomainError

DEFAULT_SLOTS = 4
DEFAULT_WAIT_SECONDS = 2.0


class HashingBusy(DomainError):
    """Every password hashing slot stayed taken for the whole wait."""

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(
            f"the server is busy checking other passwords (waited {wait_seconds:g} s); try again shortly"
        )


class HashingGate:
    """At most `slots` hashes at once; a caller waits at most `wait_seconds` for a slot."""

    def __init__(self, slots: int = DEFAULT_SLOTS, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> None:
        if slots < 1:
            raise ValueError("password hashing needs at least one slot")
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._free = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._free.acquire(timeout=self.wait_seconds):
            raise HashingBusy(self.wait_seconds)
        try:
            yield
        finally:
            self._free.release()


_gate = HashingGate()


def configure(slots: int, wait_seconds: float) -> None:
    """Size the process's gate (from settings, when the runtime is built). Hashes running keep their slot
    of the previous gate until they end."""
    global _gate
    if (slots, wait_seconds) != (_gate.slots, _gate.wait_seconds):
        _gate = HashingGate(slots, wait_seconds)


def gate() -> HashingGate:
    return _gate
