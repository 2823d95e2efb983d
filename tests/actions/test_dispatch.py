"""The outbox relay's never-twice rules, on an SQLite database with a network that ignores keys."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialdesk.actions.inbox.dispatch import NEEDS_A_CHECK, Relay, do_dispatch_outbox, do_join_relay
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports.inbox import NewMessage, OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.support.sqlite_copies import SqliteStore


class Network:
    """Records every post; ignores idempotency keys; `find_sent` matches on text and parent."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str]] = []  # (text, in_reply_to)
        self.looked = 0
        self.unconfirmed = False

    def send(self, item: OutboxItem) -> SendResult:
        self.posts.append((str(item.payload["text"]), str(item.payload["in_reply_to"])))
        return SendResult(f"net-{len(self.posts)}")

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        self.looked += 1
        assert item.attempted_at is not None, "looked for an item never handed to the network"
        if self.unconfirmed:
            raise SendUnconfirmed("looked through the brand's 1000 latest statuses")
        wanted = (str(item.payload["text"]), str(item.payload["in_reply_to"]))
        matches = [n for n, post in enumerate(self.posts, 1) if post == wanted]
        return SendResult(f"net-{matches[0]}") if matches else None


class Killed(BaseException):
    """kill -9: no except clause of the relay runs."""


class DiesAfterPosting(Network):
    def send(self, item: OutboxItem) -> SendResult:
        super().send(item)
        raise Killed


@pytest.fixture
def store(sqlite_store: SqliteStore) -> SqliteStore:
    return sqlite_store


def _uow(store: SqliteStore) -> UnitOfWork:
    return store.unit_of_work(RecordingBus())


def _queue(store: SqliteStore, texts: list[str]) -> list[int]:
    with _uow(store) as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        ids = []
        for text in texts:
            message = NewMessage(
                None, "mastodon", None, Direction.OUTBOUND, Visibility.PUBLIC, text, T0, "acme", "A"
            )
            [mid] = uow.messages.add_many(ws, [message])
            payload = {"text": text, "in_reply_to": "p1", "conversation_id": 1}
            ids.append(uow.outbox.add(ws, mid, "mastodon", f"key-{mid}", payload, T0).id)
        uow.commit()
    return ids


def _item(store: SqliteStore, item_id: int) -> OutboxItem:
    with _uow(store) as uow:
        found = uow.outbox.get(item_id)
    assert found is not None
    return found


def test_a_fresh_item_is_sent_without_looking_and_its_attempt_is_recorded_first(store: SqliteStore) -> None:
    [only] = _queue(store, ["hello"])
    network = Network()
    report = do_dispatch_outbox(lambda: _uow(store), {"mastodon": network}, FixedClock(T0))
    assert (report.sent, network.looked, network.posts) == (1, 0, [("hello", "p1")])
    assert _item(store, only).attempted_at == T0


def test_a_crash_after_the_post_is_recovered_never_posted_twice(store: SqliteStore) -> None:
    [only] = _queue(store, ["hello"])
    network = DiesAfterPosting()
    with pytest.raises(Killed):
        do_dispatch_outbox(lambda: _uow(store), {"mastodon": network}, FixedClock(T0))
    again = Network()
    again.posts = network.posts  # the same network, seen by the restarted relay
    report = do_dispatch_outbox(
        lambda: _uow(store), {"mastodon": again}, FixedClock(T0 + timedelta(seconds=1))
    )
    assert (report.sent, report.recovered, len(again.posts)) == (0, 1, 1)
    assert _item(store, only).external_id == "net-1"


def test_an_item_that_cannot_be_checked_is_failed_for_an_agent_not_sent(store: SqliteStore) -> None:
    [only] = _queue(store, ["hello"])
    with pytest.raises(Killed):
        do_dispatch_outbox(lambda: _uow(store), {"mastodon": DiesAfterPosting()}, FixedClock(T0))
    network = Network()  # the post is there, but beyond what find_sent may look through
    network.unconfirmed = True
    report = do_dispatch_outbox(lambda: _uow(store), {"mastodon": network}, FixedClock(T0))
    assert (report.failed, network.posts) == (1, [])
    failed = _item(store, only)
    assert failed.status == "failed"
    assert failed.last_error is not None and failed.last_error.startswith(NEEDS_A_CHECK)
    with _uow(store) as uow:
        message = uow.messages.get(1, 1)
    assert message is not None and message.delivery == "failed"


def test_a_relay_whose_lease_ran_out_neither_sends_nor_records(store: SqliteStore) -> None:
    [first, second] = _queue(store, ["one", "two"])
    clock = FixedClock(T0)
    old, new = Relay.new(timedelta(seconds=5)), Relay.new(timedelta(seconds=5))
    do_join_relay(lambda: _uow(store), old, clock, "h", 1)
    with _uow(store) as uow:  # the old relay claimed both, then stalled past its lease
        uow.outbox.claim(old.token, 5, T0, T0 - old.lease)
        uow.commit()
    clock.advance(6)
    do_join_relay(lambda: _uow(store), new, clock, "h", 2)
    network = Network()
    report = do_dispatch_outbox(lambda: _uow(store), {"mastodon": network}, clock, relay=new)
    assert report.sent == 2  # taken over seconds after the old relay's last heartbeat
    stale = OutboxItem(first, 1, 1, "mastodon", "k", {"text": "one", "in_reply_to": "p1"}, "sending", 0, T0)
    with _uow(store) as uow:
        assert uow.outbox.begin_attempt(stale.id, old.token, clock.now(), clock.now() - old.lease) is None
        assert not uow.outbox.mark_sent(second, "net-x", clock.now(), relay=old.token)
    assert [post[0] for post in network.posts] == ["one", "two"]
