"""Issue 22 item 2: Google Business Profile end to end against a fake My Business API v4 on loopback
(tests/channels/google_business/fake_google_business.py): reviews come in with their stars through the
channel runner, the owner's reply is sent once (find_sent reads the review's reply), a 429 waits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore, SendRefused, StopFlag
from socialdesk.channels.google_business.client import BusinessPoller
from socialdesk.channels.health import HealthState
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.google_business.fake_google_business import (
    ACCOUNT,
    LOCATION,
    PREFIX,
    FakeGoogleBusiness,
    google_error,
)
from tests.channels.integration.conftest import KEY, add_account
from tests.channels.support import live_server
from tests.support.waiting import wait_until

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SECRETS = {
    "client_id": "123.apps.googleusercontent.com",
    "client_secret": "shh",
    "refresh_token": "refresh-1",
}


@pytest.fixture
def gbp(sqlite_runtime: Runtime) -> Iterator[tuple[FakeGoogleBusiness, str]]:
    fake = FakeGoogleBusiness(now=sqlite_runtime.clock.now())
    with live_server(fake.app()) as url:
        sqlite_runtime.connector = Connector(
            KEY, clock=sqlite_runtime.clock, url_policy=UrlPolicy(allow_private=True)
        )
        yield fake, url


def account(runtime: Runtime, url: str) -> ChannelAccount:
    settings = {
        "account_id": ACCOUNT,
        "location_id": LOCATION,
        "api_url": url,
        "token_url": f"{url}/token",
        "interval": 1,
    }
    return add_account(runtime, "google_business", LOCATION, settings, SECRETS)


def stored(runtime: Runtime, account: ChannelAccount) -> dict[str, tuple[int | None, str, int | None]]:
    with runtime.uow() as uow:
        return {
            m.external_id: (m.conversation_id, m.direction.value, m.rating)
            for m in uow.messages.recent(account.workspace_id, 50)
            if m.external_id
        }


def reply_item(account: ChannelAccount, to: str, text: str) -> OutboxItem:
    payload = {"text": text, "in_reply_to": to}
    return OutboxItem(1, account.workspace_id, 1, "google_business", "k1", payload, "pending", 0, T0)


def test_reviews_come_in_with_their_stars_and_the_reply_is_sent_once(
    sqlite_runtime: Runtime, gbp: tuple[FakeGoogleBusiness, str]
) -> None:
    fake, url = gbp
    slow = fake.add_review("Sam Lee", "Waited 40 minutes", 2, fake.now - timedelta(hours=1))
    fake.add_review("", "", 5, fake.now - timedelta(minutes=30), anonymous=True)
    acct = account(sqlite_runtime, url)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 2, "the two reviews to be stored")
        assert stored(sqlite_runtime, acct)[slow][1:] == ("inbound", 2)
        sender = sqlite_runtime.channel_connector().sender(acct)
        assert sender is not None
        item = reply_item(acct, slow, "Sorry Sam: we've added staff at lunch ^AB")
        assert sender.find_sent(item) is None
        sent = sender.send(item)
        again = sender.find_sent(replace(item, attempted_at=item.created_at))
        assert again is not None and again.external_id == sent.external_id
        assert fake.calls("PUT", f"{PREFIX}/{slow}/reply") == 1
        with pytest.raises(SendRefused, match="4097 of Business Profile's 4096 characters"):
            sender.send(reply_item(acct, slow, "x" * 4097))
        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 3, "the reply polled back")
        found = stored(sqlite_runtime, acct)
        assert found[sent.external_id] == (found[slow][0], "outbound", None)
    finally:
        runner.stop()


def test_a_429_waits_its_retry_after_and_the_budget_is_the_per_minute_quota(
    sqlite_runtime: Runtime, gbp: tuple[FakeGoogleBusiness, str]
) -> None:
    fake, url = gbp
    acct = account(sqlite_runtime, url)
    assert (acct.budget.reads, acct.budget.window_seconds) == (300, 60)
    fake.add_review("Sam Lee", "ok", 4, fake.now)
    assert (
        f"connected: location {LOCATION} readable (1 reviews)"
        in probe(sqlite_runtime.channel_connector(), acct).message
    )
    fake.errors.append(
        google_error(429, "Quota exceeded for quota metric 'Requests'.", {"Retry-After": "30"})
    )
    health, stop, waits = ChannelHealth("google_business"), StopFlag(), []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        stop.stop()

    http = sqlite_runtime.channel_connector().http(acct)
    poller = BusinessPoller(
        http,
        ACCOUNT,
        LOCATION,
        lambda p: None,
        health,
        MemoryCursorStore(),
        sleep=sleep,
        clock=sqlite_runtime.clock,
    )
    poller.run(stop)
    assert health.snapshot().state is HealthState.DEGRADED and "429" in health.snapshot().reason
    assert waits == [30.0]
