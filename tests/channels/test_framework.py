from __future__ import annotations

import logging

import httpx
import pytest

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.crypto import CredentialError, Secret, decrypt, encrypt, new_key
from socialdesk.channels.framework import (
    ChannelHealth,
    CursorStore,
    HealthState,
    MemoryCursorStore,
    StopFlag,
    newer_id,
)
from socialdesk.channels.mastodon.client import MastodonStream, mastodon_http
from socialdesk.channels.x.client import XStream, x_http
from tests.channels.support import T0, FakeTime


def test_backoff_schedules() -> None:
    linear = Backoff.linear(0.25, cap=1.0)
    assert [linear.next_delay() for _ in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    linear.reset()
    assert linear.peek() == 0.25
    exponential = Backoff.exponential(5, cap=20)
    assert [exponential.next_delay() for _ in range(4)] == [5, 10, 20, 20]
    uncapped = Backoff.exponential(1)
    for _ in range(200):
        uncapped.next_delay()
    assert uncapped.peek() > 1e18  # no overflow error


def test_health_transitions_are_recorded() -> None:
    health = ChannelHealth("x")
    assert health.state is HealthState.STARTING
    health.connected(at=T0)
    health.degraded("HTTP 429", until=T0, at=T0)
    health.broken("HTTP 401: Unauthorized", at=T0)
    snap = health.snapshot()
    assert (snap.state, snap.last_error) == (HealthState.BROKEN, "HTTP 401: Unauthorized")
    assert [s.state for s in health.history] == [
        HealthState.CONNECTED,
        HealthState.DEGRADED,
        HealthState.BROKEN,
    ]


def test_memory_cursor_store_is_a_cursor_store() -> None:
    store: CursorStore = MemoryCursorStore()
    assert store.get("k") is None
    store.set("k", "1")
    assert store.get("k") == "1"


def test_newer_id_compares_numbers() -> None:
    assert newer_id("99", "100") == "100"
    assert newer_id(None, "5") == "5"


def test_stop_flag_sleep_returns_at_once_when_stopped() -> None:
    stop = StopFlag()
    stop.stop()
    stop.sleep(30)  # would hang the test if it waited
    assert stop.is_set()


def test_encrypt_round_trip_and_wrong_key() -> None:
    key = new_key()
    stored = encrypt("oauth-token-value", key)
    assert "oauth-token-value" not in stored
    assert decrypt(stored, key).reveal() == "oauth-token-value"
    assert decrypt(stored, Secret(key)) == Secret("oauth-token-value")
    with pytest.raises(CredentialError, match="cannot be decrypted"):
        decrypt(stored, new_key())
    with pytest.raises(CredentialError, match="not a Fernet key"):
        encrypt("x", "short")


def test_secret_never_prints_its_value() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret) and "hunter2" not in f"{secret}"


def test_no_secret_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    token, key = "SUPERSECRET-bearer-token", new_key()
    caplog.set_level(logging.DEBUG)
    stored = encrypt(token, key)
    secret = decrypt(stored, key)
    logging.getLogger("socialdesk").info("starting with %s", secret)
    answers = [
        httpx.Response(500, json={"title": "oops"}),
        httpx.Response(401, json={"title": "Unauthorized"}),
    ]

    def fake(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {token}"
        return answers.pop(0)

    time = FakeTime()
    health = ChannelHealth("x")
    with x_http(secret, base_url="https://api.x.test", transport=httpx.MockTransport(fake)) as http:
        XStream(http, lambda p: None, health, sleep=time.sleep, clock=time).run(StopFlag())
    refuse = httpx.MockTransport(lambda r: httpx.Response(403, json={"error": "This action is not allowed"}))
    with mastodon_http("https://m.test", secret, transport=refuse) as http:
        MastodonStream(http, lambda p: None, ChannelHealth("mastodon")).run(StopFlag())
    assert health.state is HealthState.BROKEN
    assert caplog.records  # the clients did log
    for text in (caplog.text, repr(health.history)):
        assert token not in text and key not in text and stored not in text
