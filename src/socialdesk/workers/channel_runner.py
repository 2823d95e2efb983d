"""The channel stage: one thread per active channel account running its client (stream or poller),
and a supervisor that persists health and read spend and raises the silence alarm.

In scale-out mode several processes may run the stage; each account's client runs in one of them,
the holder of the account's lease (`bus/leases.py`), which also persists its health and raises its
alarms; when that process stops or dies, another takes the account over on its next pass.

Each batch a client delivers goes to the runtime's post sink (`accept_channel_posts`: the embedded
ingest queue, or the JetStream posts stream in scale-out mode), and the client saves its cursor (in
the database, `DbCursorStore`) only after the sink has durably accepted the batch (committed, or
acknowledged by the stream): a crash replays the batch (ingest is idempotent), never skips it.
Started by `socialdesk serve` and `socialdesk worker --stage channels`; it starts no client for a
workspace without accounts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from socialdesk.actions.channels.accounts import (
    accept_channel_posts,
    budget_spent,
    do_set_channel_cursor,
    do_spend_reads,
    do_update_channel_health,
    get_channel_cursor,
    list_active_channel_accounts,
    rolled_budget,
    silence_alarm,
)
from socialdesk.channels.backoff import Backoff
from socialdesk.channels.connect import BudgetSpent, Connector, request_units
from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.framework import ChannelAuthError, ChannelHealth, HealthState, StopFlag
from socialdesk.channels.health import HealthSnapshot
from socialdesk.channels.registry import REGISTRY
from socialdesk.ports.channels import ChannelAccount, ChannelHealthRow, Leases, ReadBudget, SoleLeases
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWorkFactory
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)


def _runs_client(account: ChannelAccount) -> bool:
    """A client of ours brings the account's posts in (its network's descriptor has one)."""
    descriptor = REGISTRY.find(account.network)
    return descriptor is not None and descriptor.client is not None


def _pushed(account: ChannelAccount) -> bool:
    """The network pushes the account's posts (webhooks): no client of ours runs."""
    descriptor = REGISTRY.find(account.network)
    return descriptor is not None and descriptor.pushed


class DbCursorStore:
    """A CursorStore in the `channel_cursors` table; each `set` is its own committed transaction."""

    def __init__(self, uow_factory: UnitOfWorkFactory, account: ChannelAccount, clock: Clock) -> None:
        self.uow_factory, self.account, self.clock = uow_factory, account, clock

    def get(self, key: str) -> str | None:
        with self.uow_factory() as uow:
            return get_channel_cursor(uow, self.account, key)

    def set(self, key: str, value: str) -> None:
        with self.uow_factory() as uow:
            do_set_channel_cursor(uow, self.account, key, value, self.clock.now())


class ReadMeter:
    """An httpx request hook: counts each request's units (one, or its network's quota cost), and
    refuses it once the window's budget would be overspent."""

    def __init__(self, budget: ReadBudget, clock: Clock, network: str | None = None) -> None:
        self.budget, self.clock = budget, clock
        self.descriptor = REGISTRY.find(network) if network else None
        self.pending = 0
        self._lock = threading.Lock()

    def __call__(self, request: Any) -> None:
        units = request_units(self.descriptor, request) if self.descriptor is not None else 1
        with self._lock:
            budget = rolled_budget(self.budget, self.clock.now())
            if units and budget.reads is not None and budget.spent + self.pending + units > budget.reads:
                raise BudgetSpent("read budget spent for this window", request=request)
            self.pending += units

    def take(self) -> int:
        with self._lock:
            taken, self.pending = self.pending, 0
            return taken


@dataclass
class AccountWorker:
    account: ChannelAccount
    health: ChannelHealth
    meter: ReadMeter
    stop: StopFlag = field(default_factory=StopFlag)
    thread: threading.Thread | None = None


def lease_name(account_id: int) -> str:
    return f"channel-account-{account_id}"


def default_leases(runtime: Runtime) -> Leases:
    """Leases in NATS when processes may share the accounts (scale-out mode), else every one is ours."""
    if runtime.settings.nats_url:
        from socialdesk.bus.leases import NatsLeases

        return NatsLeases(runtime.settings.nats_url)
    return SoleLeases()


def _configuration(account: ChannelAccount) -> tuple[object, ...]:
    """What a running client was built from: when it changes, the client is replaced."""
    return (account.settings, account.sealed_credentials)


def health_row(snapshot: HealthSnapshot) -> ChannelHealthRow:
    return ChannelHealthRow(
        snapshot.state.value, snapshot.reason, snapshot.until, snapshot.last_error, snapshot.changed_at
    )


class ChannelRunner:
    """``start()``/``stop()`` bracket it (as a `create_app` background task or in a worker process)."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        connector: Connector | None = None,
        interval: float | None = None,
        clock: Clock | None = None,
        leases: Leases | None = None,
    ) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.connector = connector or runtime.channel_connector()
        self.interval = settings.channel_check_interval if interval is None else interval
        self.clock: Clock = clock or runtime.clock
        self.silence_minutes = settings.silence_alarm_minutes
        self.busy_per_hour = settings.silence_alarm_min_hourly
        self.workers: dict[int, AccountWorker] = {}
        self._owns_leases = leases is None
        self.leases: Leases = leases or default_leases(runtime)
        self._leased: set[int] = set()  # accounts this runner holds the lease of
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life ----------------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="channel-runner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        workers = list(self.workers.values())
        for worker in workers:
            worker.stop.stop()
        for worker in workers:
            if worker.thread is not None:
                worker.thread.join(timeout=5)
        self.supervise_once(start_clients=False)  # persist the last health and spend
        for account_id in sorted(self._leased):
            self.leases.release(lease_name(account_id))  # another process may take over at once
        self._leased.clear()
        close = getattr(self.leases, "close", None)
        if self._owns_leases and close is not None:
            close()

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            try:
                self.supervise_once()
            except Exception:  # the database may be briefly away; try again next pass
                log.exception("channel runner pass failed")
            self._stopping.wait(min(self.interval, self.leases.ttl / 3))  # renew leases in time

    # -- one pass ------------------------------------------------------------------------------------

    def supervise_once(self, *, start_clients: bool = True) -> None:
        """Start clients of new accounts, stop those of deactivated or removed ones, restart those whose
        settings or credentials changed, persist health and spend."""
        with self.runtime.uow() as uow:
            accounts = list_active_channel_accounts(uow)
        active = {a.id for a in accounts}
        for account_id in [i for i in self.workers if i not in active]:
            self.workers.pop(account_id).stop.stop()
        for account_id in sorted(self._leased - active):
            self._leased.discard(account_id)
            self.leases.release(lease_name(account_id))
        for account in accounts:
            if not start_clients and account.id not in self._leased:
                continue  # stopping: only the accounts this runner ran
            if not self.leases.acquire(lease_name(account.id)):
                # Another process runs this account (its client, health and alarms), or took it over.
                self._leased.discard(account.id)
                lost = self.workers.pop(account.id, None)
                if lost is not None:
                    lost.stop.stop()
                continue
            self._leased.add(account.id)
            worker = self.workers.get(account.id)
            if worker is not None and _configuration(worker.account) != _configuration(account):
                # New settings or credentials (an admin fixed a broken account): a new client below.
                self.workers.pop(account.id).stop.stop()
            startable = _runs_client(account) and account.id not in self.workers
            if start_clients and startable and not self._stopping.is_set():
                self._start(account)
            self._persist(account, self.clock.now())

    def _persist(self, account: ChannelAccount, now: datetime) -> None:
        worker = self.workers.get(account.id)
        with self.runtime.uow() as uow:
            budget = account.budget
            if worker is not None:
                budget = do_spend_reads(uow, account, worker.meter.take(), now)
                worker.meter.budget = budget
                reported = health_row(worker.health.snapshot())
            elif _pushed(account):
                reported = ChannelHealthRow("connected") if account.last_post_at else account.health
            else:
                reported = account.health
            if worker is not None and budget_spent(budget, now) and reported.state != HealthState.BROKEN:
                rolled = rolled_budget(budget, now)
                until = (rolled.window_started_at or now) + timedelta(seconds=rolled.window_seconds)
                reason = f"read budget spent: {rolled.spent} of {rolled.reads} reads this window"
                reported = ChannelHealthRow("degraded", reason, until, reported.last_error, now)
            alarm = silence_alarm(
                uow, account, now, minutes=self.silence_minutes, busy_per_hour=self.busy_per_hour
            )
            do_update_channel_health(uow, account, reported, now, alarm=alarm)

    # -- one account ---------------------------------------------------------------------------------

    def _start(self, account: ChannelAccount) -> None:
        worker = AccountWorker(
            account, ChannelHealth(account.network), ReadMeter(account.budget, self.clock, account.network)
        )
        worker.thread = threading.Thread(
            target=self._run_account, args=(worker,), name=f"channel-{account.label}", daemon=True
        )
        self.workers[account.id] = worker
        worker.thread.start()

    def _run_account(self, worker: AccountWorker) -> None:
        account, health, stop = worker.account, worker.health, worker.stop
        cursors = DbCursorStore(self.runtime.uow, account, self.clock)
        retry = Backoff.exponential(5.0, cap=300.0)

        def on_posts(posts: list[dict[str, Any]]) -> None:
            # Returns only once the sink holds the batch durably: the client saves its cursor after.
            sink = self.runtime.post_sink()
            accept_channel_posts(sink, self.runtime.uow, account, posts, self.clock.now())

        while not stop.is_set():
            try:
                client = self.connector.inbound(account, on_posts, health, cursors, on_request=worker.meter)
                if client is None:
                    return
                client.run(stop)
                return  # clients return when stopped or broken (401/403: a person must act)
            except (CredentialError, ChannelAuthError) as exc:
                health.broken(str(exc), at=self.clock.now())
                return
            except Exception as exc:  # the ingest transaction failed: the batch is fetched again later
                log.exception("channel %s: client failed", account.label)
                delay = retry.next_delay()
                now = self.clock.now()
                health.degraded(
                    f"ingest failed: {type(exc).__name__}", now + timedelta(seconds=delay), at=now
                )
                stop.sleep(delay)
