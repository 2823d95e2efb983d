"""The `PostSink` implementations (ports/ingest.py): where every entry point hands incoming posts.

- `QueueSink` (embedded mode): the ingest queue's writer thread stores the batch (grouped with
  others under load); accepted when its transaction has committed.
- `StreamSink` (scale-out mode): published to the JetStream posts stream; accepted when the stream
  has acknowledged every post. The ingest workers store them and ack only after their commit.
  History imports are stored at once (a one-off, and their flag does not travel in the stream).
- `MemorySink`: keeps what it is given, for tests of the entry points.

`Runtime.post_sink()` chooses one, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Protocol

from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_posts
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import post_to_dict
from socialdesk.ports.ingest import Acceptance, PostKey, RefusedPost
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork
from socialdesk.workers.ingest_queue import IngestQueue


def acceptance_of(report: IngestReport, posts: Sequence[Post]) -> Acceptance:
    """A stored batch's report as an acceptance, its failed posts named by position in the batch."""
    index_of: dict[PostKey, int] = {}
    for index, post in enumerate(posts):
        index_of.setdefault(post.key, index)
    refused = tuple(RefusedPost(index_of.get(key, -1), key, why) for key, why in report.failed)
    return Acceptance(
        received=len(posts),
        stored=True,
        added=report.added,
        duplicates=report.duplicates,
        conversations_created=report.conversations_created,
        cases_opened=report.cases_opened,
        cases_resolved=report.cases_resolved,
        listening_only=report.listening_only,
        conversation_ids=frozenset(report.conversation_ids),
        refused=tuple(sorted(refused, key=lambda r: r.index)),
    )


def _done(value: Acceptance) -> Future[Acceptance]:
    future: Future[Acceptance] = Future()
    future.set_result(value)
    return future


class QueueSink:
    """Embedded mode: the ingest queue stores each batch; accepted once committed."""

    def __init__(self, queue: Callable[[], IngestQueue]) -> None:
        self.queue = queue  # the runtime's (started on first use, replaced after stop_ingest)

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[Acceptance]:
        batch = list(posts)
        stored = self.queue().submit(workspace_id, batch, history=history)
        accepted: Future[Acceptance] = Future()

        def done(result: Future[IngestReport]) -> None:
            error = result.exception()
            if error is not None:
                accepted.set_exception(error)
            else:
                accepted.set_result(acceptance_of(result.result(), batch))

        stored.add_done_callback(done)
        return accepted

    def accept(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> Acceptance:
        return self.submit(workspace_id, posts, history=history).result()


class PostStream(Protocol):
    """The part of the NATS bus the stream sink needs (bus/nats_bus.py `NatsBus`)."""

    def publish_posts(
        self, workspace_id: int, posts: Sequence[dict[str, object]], window: int = ...
    ) -> int: ...


class StreamSink:
    """Scale-out mode: the posts stream holds each batch; accepted once the stream acked every post
    (`publish_posts` waits for the acks and raises when NATS does not give them)."""

    def __init__(
        self,
        stream: PostStream,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        annotator: Annotator | None = None,
    ) -> None:
        self.stream, self.uow_factory, self.clock, self.annotator = stream, uow_factory, clock, annotator
        self._order = threading.Lock()  # batches reach the stream in the order they were handed in

    def accept(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> Acceptance:
        batch = list(posts)
        if not batch:
            return Acceptance(received=0, stored=False)
        if history:  # a one-off import: stored here, with its flag
            with self.uow_factory() as uow:
                report = do_ingest_posts(
                    uow, workspace_id, batch, self.clock.now(), self.annotator, history=True
                )
            return acceptance_of(report, batch)
        with self._order:
            fresh = self.stream.publish_posts(workspace_id, [post_to_dict(p) for p in batch])
        return Acceptance(received=len(batch), stored=False, queued=fresh, duplicates=len(batch) - fresh)

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[Acceptance]:
        try:
            return _done(self.accept(workspace_id, posts, history=history))
        except Exception as exc:  # noqa: BLE001 (handed to the caller, raised by the future)
            failed: Future[Acceptance] = Future()
            failed.set_exception(exc)
            return failed


class MemorySink:
    """Keeps every batch it accepts (in `batches`), for tests of the entry points; `refuse` names
    posts to refuse, and `away` makes every call raise as a sink whose back end is down."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, list[Post], bool]] = []
        self.refuse: dict[PostKey, str] = {}
        self.away: Exception | None = None
        self._seen: set[tuple[int, PostKey]] = set()

    def accept(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> Acceptance:
        if self.away is not None:
            raise self.away
        batch = list(posts)
        refused = tuple(
            RefusedPost(i, p.key, self.refuse[p.key]) for i, p in enumerate(batch) if p.key in self.refuse
        )
        kept = [p for p in batch if p.key not in self.refuse]
        fresh = [p for p in kept if (workspace_id, p.key) not in self._seen]
        self._seen |= {(workspace_id, p.key) for p in kept}
        self.batches.append((workspace_id, kept, history))
        return Acceptance(
            received=len(batch),
            stored=False,
            queued=len(fresh),
            duplicates=len(kept) - len(fresh),
            refused=refused,
        )

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[Acceptance]:
        try:
            return _done(self.accept(workspace_id, posts, history=history))
        except Exception as exc:  # noqa: BLE001 (handed to the caller, raised by the future)
            failed: Future[Acceptance] = Future()
            failed.set_exception(exc)
            return failed
