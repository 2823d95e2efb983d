"""The token-bucket limiter, on a clock the test moves (no sleeps)."""

from __future__ import annotations

import pytest

from socialdesk.web.ratelimit import Rate, RateLimiter, retry_after


def limiter(rate: Rate, max_keys: int = 100) -> tuple[RateLimiter, list[float]]:
    clock = [1000.0]
    return RateLimiter(rate, max_keys=max_keys, clock=lambda: clock[0]), clock


def test_a_burst_of_capacity_then_one_per_interval() -> None:
    bucket, clock = limiter(Rate(capacity=3, per_seconds=30.0))  # one token every 10 s
    assert [bucket.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire("a") == pytest.approx(10.0)
    clock[0] += 4.0
    assert bucket.acquire("a") == pytest.approx(6.0)  # a refusal takes nothing
    clock[0] += 6.0
    assert bucket.acquire("a") == 0.0
    assert bucket.acquire("b") == 0.0  # keys are independent
    clock[0] += 10_000.0
    assert [bucket.acquire("a") for _ in range(4)][-1] > 0  # refills up to capacity, no more


def test_memory_is_bounded_and_a_dropped_key_comes_back_full() -> None:
    bucket, _ = limiter(Rate(capacity=1, per_seconds=60.0), max_keys=2)
    assert bucket.acquire("a") == 0.0
    assert bucket.acquire("a") > 0
    bucket.acquire("b")
    bucket.acquire("c")  # drops "a", the least recently used
    assert bucket.acquire("a") == 0.0


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    assert [retry_after(w) for w in (0.01, 1.0, 1.2, 59.9)] == ["1", "1", "2", "60"]


def test_rates_must_make_sense() -> None:
    with pytest.raises(ValueError, match="capacity >= 1"):
        Rate(capacity=0, per_seconds=1.0)
