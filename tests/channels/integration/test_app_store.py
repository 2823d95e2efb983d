"""Issue 22 item 2: App Store Connect end to end against a fake API on loopback
(tests/channels/app_store/fake_app_store.py) that verifies every JWT against the team's public key:
reviews come in with their stars through the channel runner, the response is sent once (find_sent
reads the review's response), a wrong key is refused, a 429 waits its Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialdesk.channels.app_store.client import AppStorePoller
from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore, SendRefused, StopFlag
from socialdesk.channels.health import HealthState
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.app_store.fake_app_store import APP_ID, ISSUER, KEY_ID, FakeAppStore, api_error, new_key
from tests.channels.integration.conftest import KEY, add_account
from tests.channels.support import live_server
from tests.support.waiting import wait_until

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def store(sqlite_runtime: Runtime) -> Iterator[tuple[FakeAppStore, str, str]]:
    pem, public = new_key()
    fake = FakeAppStore(now=sqlite_runtime.clock.now(), public_key=public)
    with live_server(fake.app()) as url:
        sqlite_runtime.connector = Connector(
            KEY, clock=sqlite_runtime.clock, url_policy=UrlPolicy(allow_private=True)
        )
        yield fake, url, pem


def account(runtime: Runtime, url: str, pem: str, handle: str = APP_ID, **settings: Any) -> ChannelAccount:
    chosen = {
        "app_id": APP_ID,
        "issuer_id": ISSUER,
        "key_id": KEY_ID,
        "api_url": url,
        "interval": 1,
        **settings,
    }
    return add_account(runtime, "app_store", handle, chosen, {"private_key": pem})


def stored(runtime: Runtime, account: ChannelAccount) -> dict[str, tuple[int | None, str, int | None]]:
    with runtime.uow() as uow:
        return {
            m.external_id: (m.conversation_id, m.direction.value, m.rating)
            for m in uow.messages.recent(account.workspace_id, 50)
            if m.external_id
        }


def reply_item(account: ChannelAccount, to: str, text: str, n: int = 1) -> OutboxItem:
    payload = {"text": text, "in_reply_to": to}
    return OutboxItem(n, account.workspace_id, n, "app_store", f"k{n}", payload, "pending", 0, T0)


def test_reviews_come_in_with_their_stars_and_the_response_is_sent_once(
    sqlite_runtime: Runtime, store: tuple[FakeAppStore, str, str]
) -> None:
    fake, url, pem = store
    t0 = fake.now - timedelta(hours=2)
    for n in range(3):  # more than a page: links.next is followed
        fake.add_review(f"fan{n}", "Nice", "Works well", 5, t0 + timedelta(minutes=n))
    crash = fake.add_review("dana77", "Crashes", "Since 2.0 it closes at once", 2, t0 + timedelta(hours=1))
    fake.page_size = 2
    acct = account(sqlite_runtime, url, pem)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 4, "the four reviews to be stored")
        assert stored(sqlite_runtime, acct)[crash][1:] == ("inbound", 2)

        sender = sqlite_runtime.channel_connector().sender(acct)
        assert sender is not None
        item = reply_item(acct, crash, "Sorry dana77: 2.0.1 fixes it ^AB")
        assert sender.find_sent(item) is None
        sent = sender.send(item)
        again = sender.find_sent(replace(item, attempted_at=item.created_at))
        assert again is not None and again.external_id == sent.external_id
        assert fake.calls("POST", "/v1/customerReviewResponses") == 1
        with pytest.raises(SendRefused, match="409 ENTITY_ERROR"):  # one response per review
            sender.send(reply_item(acct, crash, "Another one ^AB", 2))

        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 5, "the response polled back")
        found = stored(sqlite_runtime, acct)
        assert found[sent.external_id] == (found[crash][0], "outbound", None)
        assert fake.refused_tokens == []  # every JWT verified against the team's public key
    finally:
        runner.stop()


def test_a_key_that_is_not_the_teams_is_refused_and_said_so(
    sqlite_runtime: Runtime, store: tuple[FakeAppStore, str, str]
) -> None:
    fake, url, _ = store
    other, _ = new_key()
    acct = account(sqlite_runtime, url, other)
    result = probe(sqlite_runtime.channel_connector(), acct)
    assert not result.ok and "App Store Connect refused the key" in result.message
    assert fake.refused_tokens == ["bad signature"]
    broken = account(sqlite_runtime, url, "not a key", handle="9999")
    result = probe(sqlite_runtime.channel_connector(), broken)
    assert not result.ok and "not the text of an App Store Connect .p8 key" in result.message


def test_responses_stay_within_5970_characters_and_a_429_waits_its_retry_after(
    sqlite_runtime: Runtime, store: tuple[FakeAppStore, str, str]
) -> None:
    fake, url, pem = store
    review = fake.add_review("dana77", "Hm", "meh", 3, fake.now)
    acct = account(sqlite_runtime, url, pem)
    assert (acct.budget.reads, acct.budget.window_seconds) == (3_600, 3_600)
    sender = sqlite_runtime.channel_connector().sender(acct)
    assert sender is not None
    with pytest.raises(SendRefused, match="5971 of the App Store's 5970 characters"):
        sender.send(reply_item(acct, review, "x" * 5971))
    assert fake.calls("POST", "/v1/customerReviewResponses") == 0

    fake.errors.append(
        api_error(
            429, "RATE_LIMIT_EXCEEDED", "The request rate limit has been reached.", {"Retry-After": "90"}
        )
    )
    health, stop, waits = ChannelHealth("app_store"), StopFlag(), []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        stop.stop()

    http = sqlite_runtime.channel_connector().http(acct)
    AppStorePoller(
        http, APP_ID, lambda p: None, health, MemoryCursorStore(), sleep=sleep, clock=sqlite_runtime.clock
    ).run(stop)
    assert health.snapshot().state is HealthState.DEGRADED and "429" in health.snapshot().reason
    assert waits == [90.0]
