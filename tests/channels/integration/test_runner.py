"""The channel runner against a fake Mastodon and X: ingest, cursors across a restart, health,
read budget, and the silence alarm with an injected clock."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.clock import FixedClock
from socialdesk.ports.channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import BudgetSpent, ChannelRunner, ReadMeter
from tests.channels.integration.conftest import add_account, use_fake_network
from tests.channels.support import load
from tests.support.waiting import PATIENCE, wait_until

pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)
FIRST_ID = 34975861


def notification(n: int) -> dict[str, Any]:
    entity = copy.deepcopy(load("mastodon", "notification_mention.json"))
    entity["id"] = str(FIRST_ID + n)
    entity["status"]["id"] = str(112203040506070000 + n)
    entity["status"]["content"] = f"<p>@acme my parcel {n} is late</p>"
    return entity


class FakeMastodon:
    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []  # newest first, as Mastodon pages them
        self.since_ids: list[str | None] = []
        self.lock = threading.Lock()

    def add(self, n: int) -> None:
        with self.lock:
            self.notifications.insert(0, notification(n))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer masto-token"
        if request.url.path != "/api/v1/notifications":
            return httpx.Response(404, json={"error": "Record not found"})
        since = request.url.params.get("since_id")
        with self.lock:
            self.since_ids.append(since)
            page = [n for n in self.notifications if since is None or int(n["id"]) > int(since)]
        return httpx.Response(200, json=page)


def wait_for(condition: Callable[[], bool], seconds: float = PATIENCE) -> None:
    wait_until(condition, "the channel runner", seconds)


def message_count(runtime: Runtime, account: ChannelAccount) -> int:
    with runtime.uow() as uow:
        return uow.messages.count(account.workspace_id)


def stored(runtime: Runtime, account: ChannelAccount) -> ChannelAccount:
    with runtime.uow() as uow:
        found = uow.channels.get(account.workspace_id, account.id)
    assert found is not None
    return found


def mastodon_account(runtime: Runtime, **budget: Any) -> ChannelAccount:
    settings = {"instance_url": "https://social.example", "mode": "poll", "interval": 1}
    return add_account(
        runtime, "mastodon", "acme@social.example", settings, {"token": "masto-token"}, **budget
    )


def test_runner_ingests_and_a_restart_neither_loses_nor_repeats(sqlite_runtime: Runtime) -> None:
    fake = FakeMastodon()
    fake.add(1)
    fake.add(2)
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime)

    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    wait_for(lambda: message_count(sqlite_runtime, account) == 2)
    wait_for(lambda: stored(sqlite_runtime, account).health.state == "connected")
    runner.stop()
    with sqlite_runtime.uow() as uow:
        cursor = uow.channels.get_cursor(account.workspace_id, account.id, "mastodon:notifications")
    assert cursor == str(FIRST_ID + 2)  # saved after the committed batch

    fake.add(3)  # arrives while nothing runs
    polls_before = len(fake.since_ids)
    restarted = ChannelRunner(sqlite_runtime, interval=0.05)
    restarted.start()
    wait_for(lambda: message_count(sqlite_runtime, account) == 3)
    restarted.stop()
    assert fake.since_ids[0] is None
    # The restart asks from the saved cursor: nothing fetched twice, nothing skipped.
    assert fake.since_ids[polls_before] == str(FIRST_ID + 2)
    after = stored(sqlite_runtime, account)
    assert after.last_post_at == sqlite_runtime.clock.now()
    assert after.budget.spent == len(fake.since_ids)  # every request counted against the account
    with sqlite_runtime.uow() as uow:
        assert (
            uow.channels.posts_since(
                account.workspace_id, account.id, sqlite_runtime.clock.now() - timedelta(hours=1)
            )
            == 3
        )


def test_a_spent_read_budget_stops_requests_and_shows_in_health(
    sqlite_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused: list[object] = []
    metered = ReadMeter.__call__

    def counting(meter: ReadMeter, request: Any) -> None:
        try:
            metered(meter, request)
        except BudgetSpent:
            refused.append(request)
            raise

    monkeypatch.setattr(ReadMeter, "__call__", counting)
    fake = FakeMastodon()
    fake.add(1)
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime, budget_reads=2, budget_window_seconds=900)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    wait_for(lambda: len(fake.since_ids) >= 2)
    wait_for(lambda: stored(sqlite_runtime, account).health.state == "degraded")
    # The poller tries again after its interval, and again: each time refused before the network.
    wait_for(lambda: len(refused) >= 2)
    runner.stop()
    assert len(fake.since_ids) == 2
    after = stored(sqlite_runtime, account)
    assert after.budget.spent == 2
    assert after.health.reason == "read budget spent: 2 of 2 reads this window"
    assert after.health.until == sqlite_runtime.clock.now() + timedelta(seconds=900)


def test_revoked_token_marks_the_channel_broken(sqlite_runtime: Runtime) -> None:
    def revoked(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "The access token was revoked"})

    use_fake_network(sqlite_runtime, revoked)
    account = mastodon_account(sqlite_runtime)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    wait_for(lambda: stored(sqlite_runtime, account).health.state == "broken")
    runner.stop()
    assert stored(sqlite_runtime, account).health.last_error == "HTTP 401: The access token was revoked"


def test_x_mentions_and_direct_messages_through_the_runner(sqlite_runtime: Runtime) -> None:
    """Issue 15 item 2: the polling X client reads the brand's DMs too, and stores them private."""
    pages = [load("x", "mentions_page_1.json"), load("x", "mentions_page_2.json")]

    def fake_x(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/2/dm_events":
            return httpx.Response(200, json=load("x", "dm_events_page.json"))
        assert request.url.path == "/2/users/783214/mentions"
        if request.url.params.get("since_id"):
            return httpx.Response(200, json=load("x", "mentions_empty.json"))
        token = request.url.params.get("pagination_token")
        return httpx.Response(200, json=pages[1 if token else 0])

    use_fake_network(sqlite_runtime, fake_x)
    settings = {"user_id": "783214", "api_url": "https://api.x.test", "interval": 1}
    account = add_account(sqlite_runtime, "x", "AcmeCares", settings, {"token": "x-user-token"})
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    wait_for(lambda: message_count(sqlite_runtime, account) == 5)  # 3 mentions, 2 DMs (no join event)
    runner.stop()
    with sqlite_runtime.uow() as uow:
        ws = account.workspace_id
        assert uow.channels.get_cursor(ws, account.id, "x:mentions:783214") == "1775590000000000003"
        assert uow.channels.get_cursor(ws, account.id, "x:dm_events:783214") == "1775610000000000101"
        stored_visibility = {m.external_id: m.visibility.value for m in uow.messages.recent(ws, 10)}
    assert stored_visibility["1775610000000000101"] == "private"  # the DM with the account number
    assert stored_visibility["1775600000000000077"] == "private"
    assert stored_visibility["1775590000000000003"] == "public"


def test_silence_alarm_on_a_usually_busy_channel(
    sqlite_runtime: Runtime, clock: FixedClock, bus: RecordingBus
) -> None:
    busy = add_account(sqlite_runtime, "webhook", "reviews", {}, {"secret": "s3cret"})
    quiet = add_account(sqlite_runtime, "webhook", "forms", {}, {"secret": "s3cret"})
    last = clock.now() - timedelta(minutes=5)
    with sqlite_runtime.uow() as uow:
        uow.channels.record_posts(busy.workspace_id, busy.id, 120, last)  # 5 an hour over the day
        uow.channels.record_posts(quiet.workspace_id, quiet.id, 10, last)  # under 2 an hour
        uow.commit()
    runner = ChannelRunner(sqlite_runtime)  # never started: each pass is driven by hand
    runner.supervise_once()
    assert stored(sqlite_runtime, busy).health.state == "connected"

    clock.advance(55 * 60)  # an hour since the last post
    runner.supervise_once()
    health = stored(sqlite_runtime, busy).health
    assert (health.state, health.reason) == ("degraded", "no posts for 60 minutes")
    assert stored(sqlite_runtime, quiet).health.state == "connected"  # quiet channels stay quiet
    runner.supervise_once()  # still silent: one alarm, not one per pass
    alarms = [e for e in bus.events if e.kind == "channel.alarm"]
    assert [e.data["channel"] for e in alarms] == ["webhook:reviews"]
    assert alarms[0].data["reason"] == "no posts for 60 minutes"

    with sqlite_runtime.uow() as uow:
        uow.channels.record_posts(busy.workspace_id, busy.id, 1, clock.now())
        uow.commit()
    runner.supervise_once()
    assert stored(sqlite_runtime, busy).health.state == "connected"
