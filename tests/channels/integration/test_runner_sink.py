"""The channel runner hands each batch to the runtime's post sink and saves its cursor only after
the sink has durably accepted it: while the sink holds the batch, or when it is away (NATS or the
database down), the cursor stays where it was, so nothing is skipped."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future

import pytest

from socialdesk.domain.post import Post
from socialdesk.ports.ingest import Acceptance, PostSink
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.integration.conftest import use_fake_network
from tests.channels.integration.test_runner import (
    FIRST_ID,
    FakeMastodon,
    mastodon_account,
    message_count,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)
CURSOR = "mastodon:notifications"


class GateSink:
    """The runtime's own sink behind a gate: each accept waits for `release`; while `away` is set
    it raises, as a sink does when its back end is unreachable."""

    def __init__(self, inner: PostSink) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.release = threading.Event()
        self.away: Exception | None = None
        self.refusals = 0

    def accept(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> Acceptance:
        self.entered.set()
        if self.away is not None:
            self.refusals += 1
            raise self.away
        assert self.release.wait(30), "the test never released the gate"
        return self.inner.accept(workspace_id, posts, history=history)

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[Acceptance]:
        raise AssertionError("the channel runner waits for each batch")


def _cursor(runtime: Runtime, workspace_id: int, account_id: int) -> str | None:
    with runtime.uow() as uow:
        return uow.channels.get_cursor(workspace_id, account_id, CURSOR)


def test_the_cursor_is_saved_only_after_the_sink_accepted_the_batch(sqlite_runtime: Runtime) -> None:
    fake = FakeMastodon()
    fake.add(1)
    fake.add(2)
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime)
    gate = GateSink(sqlite_runtime.post_sink())
    sqlite_runtime.use_post_sink(gate)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        assert gate.entered.wait(20)  # the batch is in the sink's hands, not yet accepted
        assert _cursor(sqlite_runtime, account.workspace_id, account.id) is None
        assert message_count(sqlite_runtime, account) == 0
        gate.release.set()
        wait_for(lambda: _cursor(sqlite_runtime, account.workspace_id, account.id) == str(FIRST_ID + 2))
        assert message_count(sqlite_runtime, account) == 2  # stored before the cursor moved
    finally:
        gate.release.set()
        runner.stop()


def test_a_sink_that_is_away_leaves_the_cursor_and_the_batch_comes_again(sqlite_runtime: Runtime) -> None:
    fake = FakeMastodon()
    fake.add(1)
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime)
    gate = GateSink(sqlite_runtime.post_sink())
    gate.away = ConnectionError("NATS is unreachable")
    gate.release.set()
    sqlite_runtime.use_post_sink(gate)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_for(lambda: gate.refusals >= 1, 20)
        assert _cursor(sqlite_runtime, account.workspace_id, account.id) is None
        gate.away = None  # back: the client fetches the same batch again, from the old cursor
        wait_for(lambda: message_count(sqlite_runtime, account) == 1, 40)
        wait_for(lambda: _cursor(sqlite_runtime, account.workspace_id, account.id) == str(FIRST_ID + 1))
        assert fake.since_ids.count(None) >= 2  # asked again from the start: nothing skipped
    finally:
        runner.stop()
