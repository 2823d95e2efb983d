"""Issue 22 item 4: YouTube end to end against a fake Data API v3 and OAuth token endpoint on loopback
(tests/channels/youtube/fake_youtube.py): comments come in threaded, the brand replies once, tokens
are refreshed, quota units are budgeted, a spent quota waits for the Pacific midnight."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialdesk.channels.connect import BudgetSpent, Connector
from socialdesk.channels.framework import (
    ChannelAuthError,
    ChannelHealth,
    MemoryCursorStore,
    SendRefused,
    StopFlag,
)
from socialdesk.channels.health import HealthState
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.channels.youtube.client import YouTubePoller
from socialdesk.channels.youtube.quota import next_quota_day
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.integration.conftest import KEY, add_account
from tests.channels.support import live_server
from tests.channels.youtube.fake_youtube import BRAND, FakeYouTube, google_error
from tests.support.waiting import wait_until

DANA, LEE = "UCdanadanadanadanadana01", "UCleeleeleeleeleeleelee1"
T0 = datetime(2026, 1, 1, tzinfo=UTC)  # not after the fake's clock: created_at bounds find_sent's search
SECRETS = {
    "client_id": "123.apps.googleusercontent.com",
    "client_secret": "shh",
    "refresh_token": "refresh-1",
}


@pytest.fixture
def youtube(sqlite_runtime: Runtime) -> Iterator[tuple[FakeYouTube, str]]:
    fake = FakeYouTube(now=sqlite_runtime.clock.now())
    with live_server(fake.app()) as url:
        sqlite_runtime.connector = Connector(
            KEY, clock=sqlite_runtime.clock, url_policy=UrlPolicy(allow_private=True)
        )
        yield fake, url


def account(runtime: Runtime, url: str, **settings: Any) -> ChannelAccount:
    chosen = {"channel_id": BRAND, "api_url": url, "token_url": f"{url}/token", "interval": 1, **settings}
    return add_account(runtime, "youtube", str(chosen["channel_id"]), chosen, SECRETS)


def messages(runtime: Runtime, account: ChannelAccount) -> dict[str, tuple[int, str]]:
    """external id -> (conversation id, direction)"""
    with runtime.uow() as uow:
        return {
            m.external_id: (m.conversation_id, m.direction.value)
            for m in uow.messages.recent(account.workspace_id, 50)
            if m.external_id
        }


def reply_item(account: ChannelAccount, to: str, text: str, n: int = 1, now: datetime = T0) -> OutboxItem:
    return OutboxItem(
        n, account.workspace_id, n, "youtube", f"k{n}", {"text": text, "in_reply_to": to}, "pending", 0, now
    )


def test_comments_come_in_threaded_and_the_brand_reply_is_found_not_repeated(
    sqlite_runtime: Runtime, youtube: tuple[FakeYouTube, str]
) -> None:
    fake, url = youtube
    t0 = fake.now - timedelta(hours=1)
    top = fake.add_thread(DANA, "The update bricked my router", t0)
    fake.add_reply(top, LEE, "Same here", t0 + timedelta(minutes=5))
    fake.add_thread(LEE, "Where is the manual?", t0 + timedelta(minutes=10))
    acct = account(sqlite_runtime, url)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_until(lambda: len(messages(sqlite_runtime, acct)) == 3, "the three comments to be stored")
        found = messages(sqlite_runtime, acct)
        assert found[top][0] == found[f"{top}.reply00000002"][0]  # the reply is in its thread
        assert len({conv for conv, _ in found.values()}) == 2

        sender = sqlite_runtime.channel_connector().sender(acct)
        assert sender is not None
        item = reply_item(acct, f"{top}.reply00000002", "So sorry Dana and Lee: a fix is rolling out ^AB")
        sent = sender.send(item)
        [brand_reply] = fake.replies_by(BRAND)
        assert brand_reply["snippet"]["parentId"] == top  # a reply to a reply goes under the top comment
        assert sent.external_id == brand_reply["id"]
        # The answer was lost: the dispatcher asks before resending, and the reply is found.
        again = sender.find_sent(replace(item, attempted_at=item.created_at))
        assert again is not None and again.external_id == sent.external_id
        assert fake.calls("POST", "/youtube/v3/comments") == 1

        fake.add_reply(top, DANA, "Thanks, it works again", fake.now + timedelta(minutes=1))
        wait_until(lambda: len(messages(sqlite_runtime, acct)) == 5, "the brand's reply and Dana's answer")
        found = messages(sqlite_runtime, acct)
        assert found[sent.external_id] == (found[top][0], "outbound")  # the brand's own comment
        assert len({conv for conv, _ in found.values()}) == 2  # Dana's answer joined her thread
    finally:
        runner.stop()


def test_an_expired_access_token_is_renewed_and_a_revoked_grant_needs_a_person(
    sqlite_runtime: Runtime, youtube: tuple[FakeYouTube, str]
) -> None:
    fake, url = youtube
    top = fake.add_thread(DANA, "Hello?", fake.now)
    acct = account(sqlite_runtime, url)
    sender = sqlite_runtime.channel_connector().sender(acct)
    assert sender is not None
    sender.send(reply_item(acct, top, "Hi Dana ^AB"))
    fake.expire_next = 1
    sender.send(reply_item(acct, top, "Anything else, Dana? ^AB", 2))
    assert fake.tokens_issued == 2 and len(fake.replies_by(BRAND)) == 2
    fake.refresh_token = "rotated"
    fake.expire_next = 1
    with pytest.raises(ChannelAuthError, match="Google refused the refresh token"):
        sender.send(reply_item(acct, top, "Still there? ^AB", 3))
    assert len(fake.replies_by(BRAND)) == 2


def test_quota_units_are_budgeted_per_request_kind(
    sqlite_runtime: Runtime, youtube: tuple[FakeYouTube, str]
) -> None:
    fake, url = youtube
    top = fake.add_thread(DANA, "Hello?", fake.now)
    acct = account(sqlite_runtime, url)
    assert (acct.budget.reads, acct.budget.window_seconds) == (10_000, 86_400)  # the default daily quota
    connector = sqlite_runtime.channel_connector()
    assert "connected as Acme Support" in probe(connector, acct).message
    sender = connector.sender(acct)
    assert sender is not None
    sender.send(reply_item(acct, top, "Hi Dana ^AB"))

    def spent() -> int:
        with sqlite_runtime.uow() as uow:
            found = uow.channels.get(acct.workspace_id, acct.id)
        assert found is not None
        return found.budget.spent

    assert spent() == 1 + 1 + 50  # two lists by the probe, an insert: the token refresh costs none
    with sqlite_runtime.uow() as uow:
        uow.channels.set_budget(
            acct.workspace_id,
            acct.id,
            replace(acct.budget, reads=100, spent=60, window_started_at=sqlite_runtime.clock.now()),
        )
    with pytest.raises(BudgetSpent, match="read budget spent: 60 of 100"):
        sender.send(reply_item(acct, top, "Hi again ^AB", 2))  # 50 more units would pass the quota
    assert fake.calls("POST", "/youtube/v3/comments") == 1


def test_a_spent_quota_waits_for_midnight_pacific_and_a_wrong_channel_is_named(
    sqlite_runtime: Runtime, youtube: tuple[FakeYouTube, str]
) -> None:
    fake, url = youtube
    acct = account(sqlite_runtime, url)
    fake.errors.append(
        google_error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
            "youtube.quota",
        )
    )
    health, stop, waits = ChannelHealth("youtube"), StopFlag(), []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        stop.stop()

    clock = sqlite_runtime.clock
    http = sqlite_runtime.channel_connector().http(acct)
    YouTubePoller(http, BRAND, lambda posts: None, health, MemoryCursorStore(), sleep=sleep, clock=clock).run(
        stop
    )
    snapshot = health.snapshot()
    assert snapshot.state is HealthState.DEGRADED and "quotaExceeded" in snapshot.reason
    assert snapshot.until == next_quota_day(clock.now())
    assert waits == [(next_quota_day(clock.now()) - clock.now()).total_seconds()]

    wrong = account(sqlite_runtime, url, channel_id="UCotherotherotherother01")
    result = probe(sqlite_runtime.channel_connector(), wrong)
    assert not result.ok and "wrong channel: the token is for Acme Support" in result.message


def test_no_private_replies_on_youtube(sqlite_runtime: Runtime, youtube: tuple[FakeYouTube, str]) -> None:
    fake, url = youtube
    top = fake.add_thread(DANA, "my order number is 1234", fake.now)
    acct = account(sqlite_runtime, url)
    sender = sqlite_runtime.channel_connector().sender(acct)
    assert sender is not None
    item = reply_item(acct, top, "Sent you the details ^AB")
    with pytest.raises(SendRefused, match="YouTube has no private messages"):
        sender.send(replace(item, payload={**item.payload, "visibility": "private"}))
    assert fake.calls("POST", "/youtube/v3/comments") == 0
