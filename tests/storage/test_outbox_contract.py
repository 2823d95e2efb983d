"""The outbox's claims, relays (leases with a heartbeat) and attempt records, on every back-end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports.inbox import NewConversation, NewMessage, OutboxItem
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]
LEASE = timedelta(seconds=5)


def _items(uow_factory: Factory, count: int) -> list[int]:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        [cid] = uow.conversations.add_many(
            ws, [NewConversation("x", None, "s", T0, T0, T0, 1, "carol", "Carol", 10, "hi", 0)]
        )
        message = NewMessage(cid, "x", None, Direction.OUTBOUND, Visibility.PUBLIC, "hi", T0, "acme", "Acme")
        mids = uow.messages.add_many(ws, [message] * count)
        ids = [uow.outbox.add(ws, mid, "x", f"k{mid}", {"text": f"t{mid}"}, T0).id for mid in mids]
        uow.outbox.join_relay("relay-a", "host", 1, T0)
        uow.outbox.join_relay("relay-b", "host", 2, T0)
        uow.commit()
    return ids


def test_claims_are_exclusive_while_their_relay_beats(uow_factory: Factory) -> None:
    first, second = _items(uow_factory, 2)
    with uow_factory() as uow:
        assert [c.id for c in uow.outbox.claim("relay-a", 1, T0, T0 - LEASE)] == [first]
        uow.commit()
    with uow_factory() as uow:  # another relay: the first item is taken, the second is free
        assert [c.id for c in uow.outbox.claim("relay-b", 5, T0, T0 - LEASE)] == [second]
        uow.commit()
    later = T0 + timedelta(minutes=10)
    with uow_factory() as uow:  # both relays beat: however long a send takes, nothing is taken over
        assert uow.outbox.beat("relay-a", later)
        assert uow.outbox.beat("relay-b", later)
        assert uow.outbox.claim("relay-b", 5, later, later - LEASE) == []


def test_a_silent_relays_claims_pass_to_another_after_the_lease(uow_factory: Factory) -> None:
    first, second = _items(uow_factory, 2)
    with uow_factory() as uow:
        assert [c.id for c in uow.outbox.claim("relay-a", 5, T0, T0 - LEASE)] == [first, second]
        uow.commit()
    soon = T0 + LEASE - timedelta(seconds=1)
    with uow_factory() as uow:
        assert uow.outbox.beat("relay-b", soon)
        assert uow.outbox.claim("relay-b", 5, soon, soon - LEASE) == []  # relay-a beat within the lease
        uow.commit()
    after = T0 + LEASE + timedelta(seconds=1)
    with uow_factory() as uow:  # relay-a died (kill -9): its claims resume seconds later
        assert [c.id for c in uow.outbox.claim("relay-b", 5, after, after - LEASE)] == [first, second]
        uow.commit()
    with uow_factory() as uow:  # fenced: the old holder can neither attempt nor complete them
        assert uow.outbox.begin_attempt(first, "relay-a", after, after - LEASE) is None
        assert not uow.outbox.mark_sent(first, "net-1", after, relay="relay-a")
        assert not uow.outbox.mark_failed(second, "boom", True, relay="relay-a")
        assert uow.outbox.mark_sent(first, "net-1", after, relay="relay-b")
        uow.commit()
        item = uow.outbox.get(first)
        assert item is not None
        assert (item.status, item.external_id) == ("sent", "net-1")


def test_an_attempt_is_recorded_once_and_only_by_a_live_holder(uow_factory: Factory) -> None:
    [only] = _items(uow_factory, 1)
    with uow_factory() as uow:
        [claimed] = uow.outbox.claim("relay-a", 5, T0, T0 - LEASE)
        uow.commit()
    assert claimed.attempted_at is None  # never handed to the network: no need to look for it
    with uow_factory() as uow:
        assert uow.outbox.begin_attempt(only, "relay-b", T0, T0 - LEASE) is None  # not its claim
        assert uow.outbox.begin_attempt(only, "relay-a", T0, T0 - LEASE) == T0
        uow.commit()
    with uow_factory() as uow:  # a retry keeps the first attempt's time: find_sent looks back to it
        assert uow.outbox.mark_failed(only, "timeout", False, relay="relay-a")
        [again] = uow.outbox.claim("relay-a", 5, T0 + LEASE, T0)
        assert again.attempted_at == T0
        later = T0 + LEASE * 3
        assert uow.outbox.begin_attempt(only, "relay-a", later, later - LEASE) is None  # lease ran out
        assert uow.outbox.beat("relay-a", later)
        assert uow.outbox.begin_attempt(only, "relay-a", later, later - LEASE) == T0


def test_a_relay_that_leaves_hands_its_claims_back_at_once(uow_factory: Factory) -> None:
    first, second = _items(uow_factory, 2)
    with uow_factory() as uow:
        uow.outbox.claim("relay-a", 5, T0, T0 - LEASE)
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.leave_relay("relay-a") == 2
        assert not uow.outbox.beat("relay-a", T0)
        uow.commit()
    with uow_factory() as uow:
        assert [c.id for c in uow.outbox.claim("relay-b", 5, T0, T0 - LEASE)] == [first, second]


def test_relays_silent_for_an_hour_are_forgotten(uow_factory: Factory) -> None:
    _items(uow_factory, 1)
    later = T0 + timedelta(hours=2)
    with uow_factory() as uow:
        uow.outbox.join_relay("relay-c", "host", 3, later)
        assert not uow.outbox.beat("relay-a", later)
        assert uow.outbox.beat("relay-c", later)


def test_a_claim_takes_at_most_its_limit(uow_factory: Factory) -> None:
    ids = _items(uow_factory, 300)
    with uow_factory() as uow:
        assert [c.id for c in uow.outbox.claim("relay-a", 20, T0, T0 - LEASE)] == ids[:20]
        uow.commit()
    with uow_factory() as uow:
        assert len([c for c in _all(uow, ids) if c.status == "sending"]) == 20


def _all(uow: UnitOfWork, ids: list[int]) -> list[OutboxItem]:
    return [item for item in (uow.outbox.get(i) for i in ids) if item is not None]
