"""Reconnect delays: a schedule that grows linearly or exponentially up to a cap, then stays there.

``Backoff.linear(0.25, cap=16)`` gives 0.25, 0.5, 0.75 ... 16, 16; ``Backoff.exponential(5, cap=320)``
gives 5, 10, 20 ... 320, 320. ``reset()`` after a good connection starts the schedule over.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Backoff:
    first: float
    cap: float | None
    factor: float = 2.0
    step: float = 0.0  # linear growth per attempt; when set, `factor` is ignored
    attempts: int = field(default=0, init=False)

    @classmethod
    def linear(cls, step: float, cap: float) -> Backoff:
        return cls(first=step, cap=cap, step=step)

    @classmethod
    def exponential(cls, first: float, cap: float | None = None, factor: float = 2.0) -> Backoff:
        return cls(first=first, cap=cap, factor=factor)

    def peek(self) -> float:
        """The delay the next call to :meth:`next_delay` returns."""
        if self.step:
            delay = self.first + self.step * self.attempts
        else:
            # Stop multiplying once past the cap so the number never overflows.
            delay = self.first * self.factor ** min(self.attempts, 64)
        return delay if self.cap is None else min(delay, self.cap)

    def next_delay(self) -> float:
        delay = self.peek()
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0
