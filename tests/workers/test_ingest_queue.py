"""The embedded ingest queue: each batch stored once with its own report, group commit under load,
back-pressure, failure isolation, draining on close, and triage ahead in a child process."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.annotate import Ahead, Annotator, PostAnnotation, ahead_of, triage_request
from socialdesk.actions.inbox.ingest import IngestReport
from socialdesk.actions.inbox.ingest_stream import ingest_records
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError
from socialdesk.ports.uow import UnitOfWork
from socialdesk.storage.errors import database_away
from socialdesk.triage import Triager
from socialdesk.workers.ingest_queue import IngestQueue
from socialdesk.workers.post_sinks import QueueSink
from socialdesk.workers.triage_process import TriageProcess, row_of
from tests.conftest import FixedClock
from tests.factories import post
from tests.support.waiting import PATIENCE, wait_until

Factory = Callable[[], UnitOfWork]


class Gate:
    """Wraps a unit-of-work factory; while closed, the writer waits before its next transaction."""

    def __init__(self, inner: Factory) -> None:
        self.inner = inner
        self.open = threading.Event()
        self.entered = threading.Event()

    def __call__(self) -> UnitOfWork:
        self.entered.set()
        assert self.open.wait(PATIENCE)
        return self.inner()


@pytest.fixture
def ws(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        workspace = ensure_workspace(uow, "acme")
        uow.commit()
    return workspace.id


def _batches(count: int, size: int) -> list[list[Post]]:
    return [
        [post(f"outage number {b}-{i}", id=f"{b}-{i}", author=f"a{b}{i}") for i in range(size)]
        for b in range(count)
    ]


def _stored(uow_factory: Factory, ws: int) -> int:
    with uow_factory() as uow:
        return uow.messages.count(ws)


def test_batches_queued_together_commit_together(uow_factory: Factory, ws: int, clock: FixedClock) -> None:
    gate = Gate(uow_factory)
    queue = IngestQueue(gate, clock, queued_posts=1000, group_posts=12, database_away=database_away)
    batches = _batches(7, 4)
    first = queue.submit(ws, batches[0])
    assert gate.entered.wait(PATIENCE)  # the writer holds the first batch and waits at the gate
    rest = [queue.submit(ws, b) for b in batches[1:]]
    gate.open.set()
    reports = [f.result(PATIENCE) for f in [first, *rest]]
    queue.close()
    assert [(r.received, r.added, r.conversations_created) for r in reports] == [(4, 4, 4)] * 7
    # The first alone, then the six waiting ones three at a time (12 posts a transaction at most).
    assert queue.groups == 3
    assert _stored(uow_factory, ws) == 28


def test_a_duplicate_across_grouped_batches_counts_once(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    gate = Gate(uow_factory)
    queue = IngestQueue(gate, clock, database_away=database_away)
    one = post("no signal", id="1")
    blocker = queue.submit(ws, [post("first", id="0")])
    assert gate.entered.wait(PATIENCE)
    a, b = queue.submit(ws, [one]), queue.submit(ws, [one, post("hello?", id="2", author="dan")])
    gate.open.set()
    blocker.result(PATIENCE)
    assert (a.result(PATIENCE).added, a.result(PATIENCE).duplicates) == (1, 0)
    assert (b.result(PATIENCE).added, b.result(PATIENCE).duplicates) == (1, 1)
    queue.close()
    assert queue.groups == 2


def test_back_pressure_blocks_callers_beyond_the_limit(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    gate = Gate(uow_factory)
    queue = IngestQueue(gate, clock, queued_posts=8, database_away=database_away)
    batches = _batches(4, 4)
    queue.submit(ws, batches[0])
    assert gate.entered.wait(PATIENCE)  # taken by the writer: the queue is empty again
    queue.submit(ws, batches[1])
    queue.submit(ws, batches[2])  # 8 posts waiting: full
    done = threading.Event()
    blocked = threading.Thread(target=lambda: (queue.submit(ws, batches[3]), done.set()))
    blocked.start()
    assert not done.wait(0.3)  # the caller waits...
    gate.open.set()
    assert done.wait(PATIENCE)  # ...until the writer takes the waiting batches
    blocked.join()
    queue.close()
    assert _stored(uow_factory, ws) == 16


class _Exploding(Annotator):
    """Fails the transaction of any batch holding a post with `boom` in it."""

    def annotate(self, uow: UnitOfWork, workspace_id: int, posts: Any, triaged: Any = None) -> Any:
        if any("boom" in p.text for p in posts):
            raise RuntimeError("the annotator broke on a post")
        return super().annotate(uow, workspace_id, posts, triaged)


def test_a_failing_batch_fails_alone(uow_factory: Factory, ws: int, clock: FixedClock) -> None:
    gate = Gate(uow_factory)
    queue = IngestQueue(gate, clock, _Exploding(), database_away=database_away)
    blocker = queue.submit(ws, [post("first", id="0")])
    assert gate.entered.wait(PATIENCE)
    good = queue.submit(ws, [post("fine", id="1")])
    bad = queue.submit(ws, [post("boom", id="2")])
    also_good = queue.submit(ws, [post("fine too", id="3", author="dan")])
    gate.open.set()
    refused = bad.result(PATIENCE)  # the post at fault is reported, not raised
    assert (refused.added, refused.failed) == (
        0,
        [(("x", "2"), "RuntimeError: the annotator broke on a post")],
    )
    assert [f.result(PATIENCE).added for f in (blocker, good, also_good)] == [1, 1, 1]
    queue.close()
    assert _stored(uow_factory, ws) == 3


def test_a_failing_batch_loses_only_its_post_at_fault(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    queue = IngestQueue(uow_factory, clock, _Exploding(), database_away=database_away)
    batch = [post(f"fine {i}", id=str(i), author=f"a{i}") for i in range(50)]
    batch[17] = post("boom", id="17", author="a17")
    report = queue.submit(ws, batch).result(PATIENCE)
    queue.close()
    assert (report.added, [key for key, _ in report.failed]) == (49, [("x", "17")])
    assert _stored(uow_factory, ws) == 49


class _DatabaseAway(Annotator):
    def annotate(self, uow: UnitOfWork, workspace_id: int, posts: Any, triaged: Any = None) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_a_database_away_fails_the_batch_not_each_post(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    queue = IngestQueue(uow_factory, clock, _DatabaseAway(), database_away=database_away)
    with pytest.raises(OperationalError):
        queue.submit(ws, [post("fine", id="1"), post("fine", id="2", author="dan")]).result(PATIENCE)
    queue.close()


def test_close_stores_everything_queued(uow_factory: Factory, ws: int, clock: FixedClock) -> None:
    gate = Gate(uow_factory)
    queue = IngestQueue(gate, clock, database_away=database_away)
    futures = [queue.submit(ws, b) for b in _batches(5, 3)]
    assert gate.entered.wait(PATIENCE)  # the writer holds the first batch at the gate
    closer = threading.Thread(target=queue.close)
    closer.start()
    wait_until(lambda: queue.closing, "close() to begin")  # it waits for what is queued...
    gate.open.set()
    closer.join(PATIENCE)
    assert all(f.done() for f in futures)
    assert _stored(uow_factory, ws) == 15
    with pytest.raises(RuntimeError, match="closed"):
        queue.submit(ws, _batches(1, 1)[0])


def test_an_empty_batch_is_answered_at_once(uow_factory: Factory, ws: int, clock: FixedClock) -> None:
    queue = IngestQueue(uow_factory, clock, database_away=database_away)
    assert queue.submit(ws, []).result(0) == IngestReport()
    queue.close()


@pytest.fixture(scope="module")
def triage_process() -> Iterator[TriageProcess]:
    process = TriageProcess(1)
    process.start()
    yield process
    process.close()


def test_triage_ahead_in_a_child_equals_the_writers_own(
    uow_factory: Factory, ws: int, clock: FixedClock, triage_process: TriageProcess
) -> None:
    triager = Triager()
    posts = [
        post("my internet has been down for 3 days, fix it", id="1"),
        post("thanks, all sorted now!", id="2", author="dan", reply_to="1"),
        post("mi factura está mal, ayuda", id="3", author="eva"),
        post("call me on 0612345678 or mail a.b@example.com", id="4", author="flo"),
    ]
    with uow_factory() as uow:
        local = Annotator(triager).annotate(uow, ws, posts)
    ahead = triage_process.submit(posts).result(PATIENCE)
    assert ahead == [ahead_of(p, note.triage) for p, note in zip(posts, local.posts, strict=True)]
    assert all(isinstance(a, Ahead) for a in ahead)


class _DeadTriage(TriageProcess):
    """A triage process whose child is gone: every batch's future fails."""

    def submit(self, posts: Any) -> Future[list[Ahead]]:
        failed: Future[list[Ahead]] = Future()
        failed.set_exception(RuntimeError("the child died"))
        return failed


def test_the_writer_triages_a_batch_whose_triage_ahead_failed(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    triager = Triager()
    queue = IngestQueue(
        uow_factory, clock, Annotator(triager), triage=_DeadTriage(1), database_away=database_away
    )
    one = post("my internet has been down for 3 days, fix it", id="1")
    assert queue.ingest(ws, [one]).added == 1
    queue.close()
    with uow_factory() as uow:
        ref = uow.messages.find_by_keys(ws, [one.key])[one.key]
        stored = uow.messages.get(ws, ref.id)
        expected = Annotator(triager).annotate(uow, ws, [one]).posts[0]
    assert isinstance(expected, PostAnnotation)
    assert expected.triage is not None
    assert stored is not None and stored.triage == expected.triage.to_dict()


def test_a_killed_triage_child_is_replaced() -> None:
    process = TriageProcess(1)
    process.start()
    pool = process._pool
    assert pool is not None
    for child in list(pool._processes.values()):
        child.kill()
        child.join(PATIENCE)
    texts = [post("is the outage over?", id="9")]
    with contextlib.suppress(BrokenProcessPool):  # noticed with this batch, or already at submit
        process.submit(texts).result(PATIENCE)
    answer = process.submit(texts).result(PATIENCE)[0].triage
    assert answer is not None and answer.category
    assert process._pool is not pool
    process.close()


def test_a_stream_through_the_queue_reports_as_without_it(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    records = [(i, p) for i, p in enumerate(p for b in _batches(5, 7) for p in b)]
    records.insert(3, (99, PostError(line=99, field="text", message="missing")))
    queue = IngestQueue(uow_factory, clock, database_away=database_away)
    progress: list[int] = []
    queued = ingest_records(
        uow_factory,
        ws,
        records,
        clock,
        batch_size=6,
        sink=QueueSink(lambda: queue),
        on_progress=lambda r: progress.append(r.added),
    )
    queue.close()
    again = ingest_records(uow_factory, ws, records, clock, batch_size=6)  # the direct path: all stored
    assert (queued.received, queued.added, queued.conversations_created, len(queued.errors)) == (
        35,
        35,
        35,
        1,
    )
    assert (again.added, again.duplicates) == (0, 35)
    assert progress == [6, 12, 18, 24, 30, 35]


def test_a_failing_post_of_a_stream_is_reported_by_line_and_the_others_stored(
    uow_factory: Factory, ws: int, clock: FixedClock
) -> None:
    posts = [
        post("fine", id="1"),
        post("boom", id="2", author="dan"),
        post("fine again", id="3", author="eve"),
    ]
    queue = IngestQueue(uow_factory, clock, _Exploding(), database_away=database_away)
    report = ingest_records(
        uow_factory,
        ws,
        [(i + 1, p) for i, p in enumerate(posts)],
        clock,
        batch_size=2,
        sink=QueueSink(lambda: queue),
    )
    queue.close()
    assert [str(e) for e in report.errors] == [
        "line 2: not stored: RuntimeError: the annotator broke on a post"
    ]
    assert _stored(uow_factory, ws) == 2
    direct = ingest_records(  # the same without the queue
        uow_factory,
        ws,
        [(i + 1, p) for i, p in enumerate(posts)],
        clock,
        batch_size=2,
        annotator=_Exploding(),
    )
    assert [str(e) for e in direct.errors] == [
        "line 2: not stored: RuntimeError: the annotator broke on a post"
    ]


def test_what_goes_to_the_triage_process_is_what_triage_is_told() -> None:
    for one in [post("wifi?", id="1"), post("sorry!", id="2", reply_to="1", followers=None)]:
        text, lang, reply, handle, followers, channel, author_id = row_of(one)
        request = triage_request(one)
        assert (text, lang, reply, handle, followers) == (
            request.text, request.lang_hint, request.is_reply, request.author_handle, request.followers
        )  # fmt: skip
        assert (channel, author_id) == (one.channel, one.author.id)
