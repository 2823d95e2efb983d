"""One contract for every implementation of the `Bus` port (live events): the in-process bus of the
embedded mode, the `RecordingBus` the tests use in its place, and the NATS bus of scale-out, both on
one connection (a process publishing to its own listeners) and across two (one process to another).

What the port promises, and so what this suite checks:
- a handler gets every event published after it subscribed, exactly once, in the order published,
  with its workspace, kind and data (JSON values) intact;
- every subscribed handler gets each event; an unsubscribed one gets nothing more;
- a handler that raises neither stops the others nor loses its own later events, and `publish`
  never raises for it (the data is committed already: live events are best effort);
- nothing is kept for later: a handler never gets events published before it subscribed.

Acknowledgement and redelivery are not part of this port: live events are not queued. The posts
stream (JetStream, acked after commit) is checked in tests/scaleout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from socialdesk.bus.inprocess import InProcessBus, RecordingBus
from socialdesk.bus.nats_bus import NatsBus
from socialdesk.bus.nats_server import LocalNats
from socialdesk.domain.events import Event, EventKind
from socialdesk.ports.services import Bus

WAIT = 60.0  # seconds an event may take to arrive on a loaded machine; waits end as soon as it has


class Received:
    """A handler that keeps what it is given and lets the test wait for it."""

    def __init__(self, fails: bool = False) -> None:
        self.events: list[Event] = []
        self.fails = fails
        self._seen = threading.Condition()

    def __call__(self, event: Event) -> None:
        with self._seen:
            self.events.append(event)
            self._seen.notify_all()
        if self.fails:
            raise RuntimeError("a broken listener")

    def wait_for(self, event: Event) -> list[Event]:
        """Everything received up to and including `event` (which must arrive within WAIT)."""
        with self._seen:
            arrived = self._seen.wait_for(lambda: event in self.events, timeout=WAIT)
            assert arrived, f"{event} did not arrive within {WAIT} s; got {self.events}"
            return list(self.events)


class Pair:
    """A bus to publish on and a bus to subscribe on (the same one, or two connections to one server)."""

    def __init__(self, publisher: Bus, subscriber: Bus, closers: list[Callable[[], None]]) -> None:
        self.publisher, self.subscriber, self.closers = publisher, subscriber, closers


@pytest.fixture(params=["inprocess", "recording", "nats", "nats-two-connections"])
def buses(request: pytest.FixtureRequest) -> Iterator[Pair]:
    if request.param in ("inprocess", "recording"):
        bus = InProcessBus() if request.param == "inprocess" else RecordingBus()
        yield Pair(bus, bus, [])
        return
    server: LocalNats = request.getfixturevalue("nats_server")
    publisher = NatsBus(server.url, name="contract-publisher")
    subscriber = publisher if request.param == "nats" else NatsBus(server.url, name="contract-subscriber")
    closers = [publisher.close] if subscriber is publisher else [publisher.close, subscriber.close]
    yield Pair(publisher, subscriber, closers)
    for close in closers:
        close()


def _event(n: int, workspace_id: int = 1, **data: Any) -> Event:
    return Event(workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": n, **data})


def test_a_subscriber_gets_each_event_once_in_the_order_published(buses: Pair) -> None:
    got = Received()
    buses.subscriber.subscribe(got)
    batches = [
        [_event(1), _event(2, workspace_id=2)],
        [Event(1, EventKind.CASE_SLA_CHANGED, {"case_id": 7, "sla_state": "warning", "by": None})],
        [_event(n) for n in range(3, 40)],
    ]
    for batch in batches:
        buses.publisher.publish(batch)
    published = [e for batch in batches for e in batch]
    assert got.wait_for(published[-1]) == published


def test_workspace_kind_and_json_data_arrive_intact(buses: Pair) -> None:
    got = Received()
    buses.subscriber.subscribe(got)
    event = Event(
        42,
        EventKind.NOTE_ADDED,
        {
            "text": "Ça ne marche pas 😡 \u202e <script>",
            "ids": [1, 2, 3],
            "nested": {"ok": True, "none": None, "score": -0.25, "big": 2**53},
            "empty": {},
        },
    )
    buses.publisher.publish([event])
    assert got.wait_for(event) == [event]


def test_every_subscriber_gets_every_event(buses: Pair) -> None:
    first, second = Received(), Received()
    buses.subscriber.subscribe(first)
    buses.subscriber.subscribe(second)
    events = [_event(n) for n in range(5)]
    buses.publisher.publish(events)
    assert first.wait_for(events[-1]) == events
    assert second.wait_for(events[-1]) == events


def test_an_unsubscribed_handler_gets_nothing_more(buses: Pair) -> None:
    leaving, staying = Received(), Received()
    unsubscribe = buses.subscriber.subscribe(leaving)
    buses.subscriber.subscribe(staying)
    before = _event(1)
    buses.publisher.publish([before])
    assert leaving.wait_for(before) == [before]
    unsubscribe()  # once: a second call raises on NATS (BadSubscriptionError); callers call it once
    after, marker = _event(2), _event(3)
    buses.publisher.publish([after])
    buses.publisher.publish([marker])
    assert staying.wait_for(marker) == [before, after, marker]
    # The marker was published after `after`, and the staying handler has seen it: had the leaving
    # handler still been subscribed, `after` would have reached it by now.
    assert leaving.events == [before]


def test_a_failing_handler_stops_neither_the_others_nor_its_own_next_events(
    buses: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    broken, healthy = Received(fails=True), Received()
    buses.subscriber.subscribe(broken)
    buses.subscriber.subscribe(healthy)
    events = [_event(n) for n in range(3)]
    buses.publisher.publish(events[:2])  # never raises to the publisher: its data is committed
    buses.publisher.publish(events[2:])
    assert healthy.wait_for(events[-1]) == events
    assert broken.wait_for(events[-1]) == events
    assert "a broken listener" in caplog.text  # logged, not swallowed silently


def test_events_published_before_subscribing_are_not_replayed(buses: Pair) -> None:
    buses.publisher.publish([])  # nothing to publish is fine
    early = _event(1)
    buses.publisher.publish([early])  # nobody is listening: nothing is kept for later
    got, witness = Received(), Received()
    buses.subscriber.subscribe(got)
    buses.subscriber.subscribe(witness)
    late = _event(2)
    buses.publisher.publish([late])
    assert got.wait_for(late) == [late]
    assert witness.wait_for(late) == [late]
