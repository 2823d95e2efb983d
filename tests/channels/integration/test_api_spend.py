"""Issue 22 item 5: every read of a pay-per-use API is counted (probes and backfills too), the month's
spend is priced, shown and capped. X's fake answers as X documents them (tests/channels/x/fixtures)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from socialdesk.actions.channels.spend import month_of
from socialdesk.channels.backfill import backfill
from socialdesk.channels.connect import BudgetSpent
from socialdesk.channels.probe import probe
from socialdesk.ports.channels import ChannelAccount, MonthSpend
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.integration.conftest import add_account, use_fake_network
from tests.channels.support import load
from tests.support.waiting import wait_until

USER = "783214"


class FakeX:
    """Mentions pages without end (each names a next page), the user lookup, and posting."""

    def __init__(self, *, endless: bool = True) -> None:
        self.endless = endless
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append((request.method, request.url.path))
        if request.url.path == "/2/users/me":
            return httpx.Response(200, json={"data": {"id": USER, "username": "AcmeCares", "name": "Acme"}})
        if request.url.path == f"/2/users/{USER}/mentions":
            page = load("x", "mentions_page_1.json")
            if not self.endless:
                del page["meta"]["next_token"]
            return httpx.Response(200, json=page)
        if request.url.path == "/2/dm_events":
            return httpx.Response(200, json=load("x", "mentions_empty.json"))
        if request.method == "POST" and request.url.path == "/2/tweets":
            return httpx.Response(201, json={"data": {"id": "1900000000000000001", "text": "ok"}})
        return httpx.Response(404, json={"title": "Not Found Error"})

    def count(self, method: str = "GET") -> int:
        with self.lock:
            return sum(1 for m, _ in self.requests if m == method)


PAGE = load("x", "mentions_page_1.json")
PAGE_READS = len(PAGE["data"]) + len(PAGE["includes"]["users"])
PAGE_USD = Decimal("0.005") * len(PAGE["data"]) + Decimal("0.010") * len(PAGE["includes"]["users"])


def x_account(
    runtime: Runtime, fake: FakeX, settings: dict[str, Any] | None = None, **budget: Any
) -> ChannelAccount:
    use_fake_network(runtime, fake)
    return add_account(
        runtime, "x", "AcmeCares", {"user_id": USER, **(settings or {})}, {"token": "x-user-token"}, **budget
    )


def spent(runtime: Runtime, account: ChannelAccount) -> MonthSpend:
    with runtime.uow() as uow:
        found = uow.channels.month_spend(account.workspace_id, [account.id], month_of(runtime.clock.now()))
    return found.get(account.id, MonthSpend(month_of(runtime.clock.now())))


def reads_in_window(runtime: Runtime, account: ChannelAccount) -> int:
    with runtime.uow() as uow:
        found = uow.channels.get(account.workspace_id, account.id)
    assert found is not None
    return found.budget.spent


def test_a_backfill_counts_every_read_and_stops_when_the_budget_is_spent(sqlite_runtime: Runtime) -> None:
    """Before: a backfill read page after page past a spent budget, and counted none of them."""
    fake = FakeX()
    account = x_account(sqlite_runtime, fake, budget_reads=3)
    now = sqlite_runtime.clock.now()
    with pytest.raises(BudgetSpent, match="read budget spent: 3 of 3"):
        backfill(
            sqlite_runtime.channel_connector(),
            account,
            now - timedelta(days=30),
            now + timedelta(days=1),
            lambda posts: None,
            now=sqlite_runtime.clock.now,
        )
    assert fake.count() == 3  # the fourth page was never asked for
    assert reads_in_window(sqlite_runtime, account) == 3
    assert spent(sqlite_runtime, account) == MonthSpend(
        month_of(now), reads=3 * PAGE_READS, usd_micros=int(3 * PAGE_USD * 1_000_000)
    )


def test_a_probe_is_a_counted_read(sqlite_runtime: Runtime) -> None:
    fake = FakeX()
    account = x_account(sqlite_runtime, fake)
    assert "connected as @AcmeCares" in probe(sqlite_runtime.channel_connector(), account).message
    assert reads_in_window(sqlite_runtime, account) == fake.count() == 2
    month = spent(sqlite_runtime, account)
    assert month.reads == 1 + PAGE_READS  # the user lookup and the mentions page
    assert month.usd == Decimal("0.010") + PAGE_USD


def test_the_monthly_cap_stops_reads_and_sends_with_the_reason(sqlite_runtime: Runtime) -> None:
    fake = FakeX()
    cap = PAGE_USD * 2  # two pages' worth
    account = x_account(sqlite_runtime, fake, {"monthly_cap_usd": str(cap)})
    connector = sqlite_runtime.channel_connector()
    now = sqlite_runtime.clock.now()
    with pytest.raises(BudgetSpent, match=r"monthly spend cap reached: \$0\.\d\d of \$0\.\d\d"):
        backfill(connector, account, now - timedelta(days=30), now, lambda posts: None, now=lambda: now)
    assert fake.count() == 2
    sender = connector.sender(account)
    assert sender is not None
    item = OutboxItem(1, account.workspace_id, 1, "x", "k1", {"text": "Sorry, Ana ^AB"}, "pending", 0, now)
    with pytest.raises(BudgetSpent, match="monthly spend cap reached"):
        sender.send(item)
    assert fake.count("POST") == 0  # nothing went out


def test_a_sent_reply_is_a_billed_write_and_never_a_budget_read(sqlite_runtime: Runtime) -> None:
    fake = FakeX()
    account = x_account(sqlite_runtime, fake, budget_reads=1)
    sender = sqlite_runtime.channel_connector().sender(account)
    assert sender is not None
    now = sqlite_runtime.clock.now()
    for n in range(2):  # a spent read budget never holds a reply back
        item = OutboxItem(
            n, account.workspace_id, n, "x", f"k{n}", {"text": f"Fixed, Ana {n} ^AB"}, "pending", 0, now
        )
        sender.send(item)
    assert fake.count("POST") == 2
    assert reads_in_window(sqlite_runtime, account) == 0
    assert spent(sqlite_runtime, account) == MonthSpend(month_of(now), writes=2, usd_micros=30_000)


def test_the_runners_polls_are_priced_and_shown(sqlite_runtime: Runtime) -> None:
    fake = FakeX(endless=False)
    account = x_account(sqlite_runtime, fake, {"interval": 60, "direct_messages": False})
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_until(lambda: spent(sqlite_runtime, account).reads >= PAGE_READS, "the first poll to be charged")
    finally:
        runner.stop()
    assert fake.count() >= 1
    month = spent(sqlite_runtime, account)
    assert month.reads == PAGE_READS * fake.count()
    assert month.usd == PAGE_USD * fake.count()
