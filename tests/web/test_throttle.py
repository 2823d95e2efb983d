"""Failure throttles (sliding window on the injected clock, bounded memory) and the client address
they key on (X-Forwarded-For believed only from trusted proxies)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from starlette.requests import Request

from socialdesk.domain.clock import FixedClock
from socialdesk.web.client_address import client_address, trusted_networks
from socialdesk.web.throttle import FailureThrottle, wait_message
from tests.conftest import T0


def test_a_key_is_refused_after_its_limit_until_the_oldest_failure_leaves_the_window() -> None:
    clock = FixedClock(T0)
    throttle = FailureThrottle(3, timedelta(minutes=15), clock)
    throttle.fail("k")
    clock.advance(60)
    throttle.fail("k")
    throttle.fail("k")
    assert throttle.retry_after("other") is None
    assert throttle.retry_after("k") == 14 * 60  # the first failure leaves the window in 14 minutes
    clock.advance(14 * 60 - 1)
    assert throttle.retry_after("k") == 1
    clock.advance(1)
    assert throttle.retry_after("k") is None
    throttle.fail("k")  # two failures are still in the window: one more and the key waits again
    assert throttle.retry_after("k") == 60


def test_reset_forgets_a_keys_failures() -> None:
    throttle = FailureThrottle(2, timedelta(minutes=1), FixedClock(T0))
    throttle.fail("k")
    throttle.fail("k")
    throttle.reset("k")
    assert throttle.retry_after("k") is None


def test_a_flood_of_distinct_keys_is_bounded() -> None:
    clock = FixedClock(T0)
    throttle = FailureThrottle(1, timedelta(minutes=1), clock, max_keys=100)
    for i in range(1000):
        throttle.fail(f"k{i}")
    assert len(throttle._failures) <= 100
    assert throttle.retry_after("k999") is not None  # the newest keys are kept


def test_wait_message_names_the_wait() -> None:
    assert wait_message(30) == "Too many failed attempts. Try again in 30 seconds."
    assert wait_message(899) == "Too many failed attempts. Try again in 15 minutes."


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 4000), "headers": headers})


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    spoofed = _request("203.0.113.9", "198.51.100.1")
    assert client_address(spoofed, "") == "203.0.113.9"
    assert client_address(spoofed, "127.0.0.1") == "203.0.113.9"
    from_proxy = _request("127.0.0.1", "198.51.100.1")
    assert client_address(from_proxy, "") == "127.0.0.1"
    assert client_address(from_proxy, "127.0.0.1") == "198.51.100.1"


def test_only_the_entries_trusted_proxies_appended_are_believed() -> None:
    # The client wrote "1.1.1.1" itself; the proxy chain appended the real address and then its own.
    chain = _request("10.0.0.2", "1.1.1.1, 198.51.100.7", "10.0.0.1")
    assert client_address(chain, "10.0.0.0/8") == "198.51.100.7"
    garbled = _request("10.0.0.2", "198.51.100.7, not-an-address")
    assert client_address(garbled, "10.0.0.0/8") == "10.0.0.2"


def test_ipv6_clients_count_by_their_64() -> None:
    assert client_address(_request("2001:db8:1:2::5"), "") == "2001:db8:1:2::/64"
    assert client_address(_request("2001:db8:1:2:ffff::9"), "") == "2001:db8:1:2::/64"
    assert client_address(_request("::ffff:198.51.100.3"), "") == "198.51.100.3"


def test_a_wrong_trusted_proxies_entry_is_named() -> None:
    with pytest.raises(ValueError, match=re.escape("'10.0.0.300'")):
        trusted_networks("127.0.0.1, 10.0.0.300")
