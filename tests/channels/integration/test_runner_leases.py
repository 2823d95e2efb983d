"""Several channel runners (scale-out): each account's client runs in exactly one, and another takes it
over when that runner stops, or dies without a word. Leases live in a real NATS server's KV store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialdesk.bus.leases import NatsLeases
from socialdesk.bus.nats_server import LocalNats
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner, lease_name
from tests.channels.integration.conftest import use_fake_network
from tests.channels.integration.test_runner import FakeMastodon, mastodon_account, message_count, wait_for
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def nats_url() -> Iterator[str]:
    server = LocalNats().start()
    yield server.url
    server.cleanup()


def test_one_runner_per_account_and_take_over(
    sqlite_runtime: Runtime, nats_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: dict[int, int] = {}  # runner -> passes made (each asks for the lease)
    supervise_once = ChannelRunner.supervise_once

    def counted(runner: ChannelRunner, *, start_clients: bool = True) -> None:
        supervise_once(runner, start_clients=start_clients)
        passes[id(runner)] = passes.get(id(runner), 0) + 1

    monkeypatch.setattr(ChannelRunner, "supervise_once", counted)
    fake = FakeMastodon()
    fake.add(1)
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime)
    # The holder renews every pass (0.05 s); the lease outlives a pass held up by a busy machine.
    leases = [NatsLeases(nats_url, bucket="test_leases", ttl=5.0) for _ in range(3)]
    first, second = (ChannelRunner(sqlite_runtime, interval=0.05, leases=lease) for lease in leases[:2])
    try:
        first.start()
        second.start()
        wait_for(lambda: message_count(sqlite_runtime, account) == 1)
        seen = {id(r): passes.get(id(r), 0) for r in (first, second)}
        wait_until(
            lambda: all(passes.get(r, 0) >= n + 5 for r, n in seen.items()), "5 more passes of both runners"
        )
        running = [r for r in (first, second) if account.id in r.workers]
        assert len(running) == 1  # never both: no doubled reads, no racing cursors
        holder, other = running[0], first if running[0] is second else second

        holder.stop()  # a clean stop hands the lease back at once
        fake.add(2)
        wait_for(lambda: account.id in other.workers)
        wait_for(lambda: message_count(sqlite_runtime, account) == 2)

        # A third process grabs nothing while the lease is renewed, then the holder dies silently.
        assert not leases[2].acquire(lease_name(account.id))
        other._stopping.set()  # no more passes, no renewal, no release: as after kill -9
        wait_until(lambda: leases[2].acquire(lease_name(account.id)), "the dead runner's lease to expire")
    finally:
        for runner in (first, second):
            runner._stopping.set()
            for worker in runner.workers.values():
                worker.stop.stop()
        for lease in leases:
            lease.close()


def test_leases_are_exclusive_and_renewable(nats_url: str) -> None:
    one, two = NatsLeases(nats_url, bucket="unit_leases", ttl=30), NatsLeases(nats_url, bucket="unit_leases")
    try:
        assert one.acquire("channel-account-7")
        assert not two.acquire("channel-account-7")
        assert one.acquire("channel-account-7")  # renewal
        assert two.acquire("channel-account-8")
        one.release("channel-account-7")
        assert two.acquire("channel-account-7")
        assert not one.acquire("channel-account-7")
        one.release("channel-account-7")  # not held: nothing happens
        assert not one.acquire("channel-account-7")
        two._held.clear()  # forgot its revision (as after a NATS outage): its own lease is adopted
        assert two.acquire("channel-account-7")
        assert two.acquire("channel-account-7")
    finally:
        one.close()
        two.close()
