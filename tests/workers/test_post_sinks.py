"""One contract for every PostSink (ports/ingest.py): the embedded queue, the JetStream stream and
the in-memory one. `accept` returns only once the posts are durably accepted, names a post refused
on its own with why, and raises when its back end is away (so a caller keeps its posts)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import nats
import pytest
from nats.errors import Error as NatsError
from sqlalchemy.exc import OperationalError

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.bus.nats_bus import NatsBus
from socialdesk.bus.nats_server import LocalNats
from socialdesk.bus.streams import POSTS_STREAM
from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.post import Post
from socialdesk.ports.ingest import Acceptance, PostSink
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.workers.ingest_queue import IngestQueue
from socialdesk.workers.post_sinks import MemorySink, QueueSink, StreamSink
from tests.factories import post
from tests.support.waiting import wait_until


@dataclass
class Case:
    sink: PostSink
    workspace: int
    held: Callable[[], int]  # how many posts the back end durably holds now (read apart from the sink)
    go_away: Callable[[], None]  # make the back end unreachable
    away_error: type[Exception]  # what accept raises then


class _Exploding(Annotator):
    """Storing the post whose text says "boom" fails (each alone after its batch failed)."""

    def annotate(self, uow: UnitOfWork, workspace_id: int, posts: object, ahead: object = None) -> object:  # type: ignore[override]
        if any(p.text == "boom" for p in posts):  # type: ignore[attr-defined]
            raise RuntimeError("the annotator broke on a post")
        return super().annotate(uow, workspace_id, posts, ahead)  # type: ignore[arg-type]


def _queue_case(sqlite_url: str, clock: FixedClock) -> Iterator[Case]:
    runtime = Runtime(
        settings=Settings(database_url=sqlite_url, triage=False),
        engine=make_engine(sqlite_url),
        bus=RecordingBus(),
        clock=clock,
    )
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme").id
        uow.commit()
    broken = {"away": False}

    def uow_factory() -> UnitOfWork:
        if broken["away"]:
            raise OperationalError("connect", {}, Exception("the database is away"))
        return runtime.uow()

    queue = IngestQueue(uow_factory, clock, _Exploding(), database_away=runtime.database_away)
    sink = QueueSink(lambda: queue)

    def held() -> int:
        with runtime.uow() as uow:
            return uow.messages.count(ws)

    yield Case(sink, ws, held, lambda: broken.update(away=True), OperationalError)
    queue.close()
    runtime.close()


def _stream_case(clock: FixedClock) -> Iterator[Case]:
    server = LocalNats().start()
    bus = NatsBus(server.url)

    def held() -> int:
        async def read() -> int:
            nc = await nats.connect(server.url)
            info = await nc.jetstream().stream_info(POSTS_STREAM)
            await nc.close()
            return int(info.state.messages)

        # On a thread of its own: an earlier test of the session may leave an event loop running in
        # this one (asyncio.run refuses to start inside it).
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, read()).result()

    def unused_uow() -> UnitOfWork:
        raise AssertionError("live posts never touch the database here")

    try:
        yield Case(StreamSink(bus, unused_uow, clock), 1, held, server.stop, NatsError)
    finally:
        if server.process is None:  # back, so that the client closes cleanly
            server.start()
            wait_until(lambda: not bus.state.down, "the NATS bus reconnected")
        bus.close()
        server.cleanup()


def _memory_case() -> Iterator[Case]:
    sink = MemorySink()
    sink.refuse[("x", "boom-post")] = "refused for the test"

    def away() -> None:
        sink.away = ConnectionError("the memory sink is away")

    yield Case(sink, 1, lambda: sum(len(posts) for _, posts, _ in sink.batches), away, ConnectionError)


@pytest.fixture(params=["queue", "stream", "memory"])
def case(request: pytest.FixtureRequest, clock: FixedClock) -> Iterator[Case]:
    if request.param == "queue":
        yield from _queue_case(request.getfixturevalue("sqlite_url"), clock)
    elif request.param == "stream":
        yield from _stream_case(clock)
    else:
        yield from _memory_case()


def _posts(n: int, start: int = 0) -> list[Post]:
    return [post(f"my parcel {i} is late", id=f"p{i}", author=f"c{i}") for i in range(start, start + n)]


def test_accept_returns_once_the_posts_are_durably_held(case: Case) -> None:
    accepted = case.sink.accept(case.workspace, _posts(5))
    assert isinstance(accepted, Acceptance)
    assert (accepted.received, accepted.accepted, accepted.refused) == (5, 5, ())
    assert case.held() == 5  # read apart from the sink, right after accept returned


def test_a_second_accept_of_the_same_posts_holds_nothing_new(case: Case) -> None:
    case.sink.accept(case.workspace, _posts(3))
    again = case.sink.accept(case.workspace, _posts(3))
    assert (again.accepted, again.duplicates, again.added, again.queued) == (3, 3, 0, 0)


def test_submitted_batches_are_accepted_in_order(case: Case) -> None:
    futures = [case.sink.submit(case.workspace, _posts(2, start=2 * i)) for i in range(4)]
    assert [f.result(timeout=30).accepted for f in futures] == [2, 2, 2, 2]
    assert case.held() == 8


def test_a_back_end_away_raises_and_accepts_nothing(case: Case) -> None:
    case.go_away()
    with pytest.raises(case.away_error):
        case.sink.accept(case.workspace, _posts(2))


def test_a_refused_post_is_named_by_position_and_its_neighbours_held(
    sqlite_url: str, clock: FixedClock
) -> None:
    for found in (_queue_case(sqlite_url, clock), _memory_case()):
        case = next(found)
        posts = [*_posts(1), post("boom", id="boom-post", author="dan"), *_posts(1, start=1)]
        accepted = case.sink.accept(case.workspace, posts)
        assert [(r.index, r.key) for r in accepted.refused] == [(1, ("x", "boom-post"))]
        assert accepted.refused[0].reason
        assert (accepted.accepted, case.held()) == (2, 2)
        next(found, None)
