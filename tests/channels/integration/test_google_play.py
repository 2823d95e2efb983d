"""Issue 22 item 2: Google Play end to end against a fake Developer API v3 and OAuth token endpoint on
loopback (tests/channels/google_play/fake_google_play.py): reviews come in with their stars through
the channel runner, the developer replies once (find_sent reads the review's reply), replies past 350
characters are refused, reads are budgeted against the hourly 200, a 429 waits its Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore, SendRefused, StopFlag
from socialdesk.channels.google_play.client import PlayPoller
from socialdesk.channels.health import HealthState
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.google_play.fake_google_play import PACKAGE, PREFIX, FakeGooglePlay, google_error
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
def play(sqlite_runtime: Runtime) -> Iterator[tuple[FakeGooglePlay, str]]:
    fake = FakeGooglePlay(now=sqlite_runtime.clock.now())
    with live_server(fake.app()) as url:
        sqlite_runtime.connector = Connector(
            KEY, clock=sqlite_runtime.clock, url_policy=UrlPolicy(allow_private=True)
        )
        yield fake, url


def account(runtime: Runtime, url: str, **settings: Any) -> ChannelAccount:
    chosen = {"package_name": PACKAGE, "api_url": url, "token_url": f"{url}/token", "interval": 1, **settings}
    return add_account(runtime, "google_play", PACKAGE, chosen, SECRETS)


def stored(runtime: Runtime, account: ChannelAccount) -> dict[str, tuple[int | None, str, int | None]]:
    """external id -> (conversation id, direction, rating)"""
    with runtime.uow() as uow:
        return {
            m.external_id: (m.conversation_id, m.direction.value, m.rating)
            for m in uow.messages.recent(account.workspace_id, 50)
            if m.external_id
        }


def reply_item(account: ChannelAccount, to: str, text: str, n: int = 1) -> OutboxItem:
    payload = {"text": text, "in_reply_to": to}
    return OutboxItem(n, account.workspace_id, n, "google_play", f"k{n}", payload, "pending", 0, T0)


def test_reviews_come_in_with_their_stars_and_the_reply_is_sent_once(
    sqlite_runtime: Runtime, play: tuple[FakeGooglePlay, str]
) -> None:
    fake, url = play
    t0 = fake.now - timedelta(hours=1)
    crash = fake.add_review("Dana", "Crashes since the update", 1, t0)
    fake.add_review("Lee", "Great app", 5, t0 + timedelta(minutes=5))
    acct = account(sqlite_runtime, url)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 2, "the two reviews to be stored")
        found = stored(sqlite_runtime, acct)
        assert found[crash][1:] == ("inbound", 1)
        assert sorted(r for _, _, r in found.values()) == [1, 5]

        sender = sqlite_runtime.channel_connector().sender(acct)
        assert sender is not None
        item = reply_item(acct, crash, "Sorry Dana: version 1.2.4 fixes it ^AB")
        assert sender.find_sent(item) is None  # not answered yet
        sent = sender.send(item)
        assert fake.reply_of(crash) is not None and fake.reply_of(crash)["text"] == item.payload["text"]
        # The answer was lost: the dispatcher asks before resending, and the reply is found.
        again = sender.find_sent(replace(item, attempted_at=item.created_at))
        assert again is not None and again.external_id == sent.external_id
        assert fake.calls("POST", f"{PREFIX}/{crash}:reply") == 1

        wait_until(lambda: len(stored(sqlite_runtime, acct)) == 3, "the developer reply polled back")
        found = stored(sqlite_runtime, acct)
        assert found[sent.external_id] == (found[crash][0], "outbound", None)  # the brand's, in the review
    finally:
        runner.stop()


def test_replies_stay_within_350_characters_and_public(
    sqlite_runtime: Runtime, play: tuple[FakeGooglePlay, str]
) -> None:
    fake, url = play
    review = fake.add_review("Dana", "Hm", 2, fake.now)
    acct = account(sqlite_runtime, url)
    sender = sqlite_runtime.channel_connector().sender(acct)
    assert sender is not None
    item = reply_item(acct, review, "x" * 351)
    with pytest.raises(SendRefused, match="351 of Google Play's 350 characters"):
        sender.send(item)
    with pytest.raises(SendRefused, match="Google Play has no private messages"):
        sender.send(replace(item, payload={**item.payload, "text": "hi", "visibility": "private"}))
    assert fake.calls("POST", f"{PREFIX}/{review}:reply") == 0


def test_reads_are_budgeted_per_hour_and_a_429_waits_its_retry_after(
    sqlite_runtime: Runtime, play: tuple[FakeGooglePlay, str]
) -> None:
    fake, url = play
    fake.add_review("Dana", "Hm", 2, fake.now)
    acct = account(sqlite_runtime, url)
    assert (acct.budget.reads, acct.budget.window_seconds) == (200, 3_600)
    connector = sqlite_runtime.channel_connector()
    assert f"connected: {PACKAGE} readable" in probe(connector, acct).message
    with sqlite_runtime.uow() as uow:
        found = uow.channels.get(acct.workspace_id, acct.id)
    assert found is not None and found.budget.spent == 1  # one list; the token refresh costs nothing

    fake.errors.append(google_error(429, "Quota exceeded.", "rateLimitExceeded", {"Retry-After": "120"}))
    health, stop, waits = ChannelHealth("google_play"), StopFlag(), []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        stop.stop()

    http = connector.http(acct)
    poller = PlayPoller(
        http,
        PACKAGE,
        lambda posts: None,
        health,
        MemoryCursorStore(),
        sleep=sleep,
        clock=sqlite_runtime.clock,
    )
    poller.run(stop)
    snapshot = health.snapshot()
    assert snapshot.state is HealthState.DEGRADED and "429" in snapshot.reason
    assert waits == [120.0]

    fake.errors.append(google_error(403, "The caller does not have permission", "permissionDenied"))
    stop = StopFlag()
    poller.run(stop)
    assert health.snapshot().state is HealthState.BROKEN
