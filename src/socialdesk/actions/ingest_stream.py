"""Ingest a stream of records in batches, one transaction per batch, with progress."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from socialdesk.actions.accounts import check_add_brand_account
from socialdesk.actions.annotate import Annotator
from socialdesk.actions.ingest import IngestReport, do_ingest_posts
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError
from socialdesk.ports import Clock, UnitOfWork

Record = tuple[int, Post | PostError]


@dataclass
class StreamReport(IngestReport):
    errors: list[PostError] = field(default_factory=list)


class BatchQueue(Protocol):
    """Stores batches in order in the background (the embedded ingest queue)."""

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[IngestReport]: ...


def ingest_records(
    uow_factory: Callable[[], UnitOfWork],
    workspace_id: int,
    records: Iterable[Record],
    clock: Clock,
    *,
    batch_size: int = 1000,
    brand_handles: Callable[[], set[tuple[str, str]]] | None = None,
    on_progress: Callable[[StreamReport], None] | None = None,
    annotator: Annotator | None = None,
    queue: BatchQueue | None = None,
    history: bool = False,
) -> StreamReport:
    """Store every good record; collect the bad ones with their line and field. Idempotent.

    `brand_handles` is asked before each batch for (channel, handle) pairs the reader has learned
    are the brand's own accounts; they are registered before the batch is stored. With a `queue`,
    batches are handed to it (which stores them, `annotator` aside, while the next batch is read);
    the first failure stops the reading and is raised once the batches handed over are stored.
    `history`: the records are past conversations (answered ones are stored resolved).
    """
    report = StreamReport()
    batch: list[Post] = []
    registered: set[tuple[str, str]] = set()
    handed: deque[Future[IngestReport]] = deque()

    def register(uow: UnitOfWork) -> bool:
        added = False
        for channel, handle in sorted((brand_handles() if brand_handles else set()) - registered):
            check_add_brand_account(uow, workspace_id, channel, handle)
            registered.add((channel, handle))
            added = True
        return added

    def collect(wait: bool) -> None:
        """Fold in the reports of the batches stored so far, in order (all of them when `wait`)."""
        while handed and (wait or handed[0].done()):
            part = handed.popleft().result()  # a failure propagates from here
            report.merge(part)
            if on_progress is not None:
                on_progress(report)

    def flush() -> None:
        if not batch:
            return
        if queue is not None:
            if brand_handles is not None:
                with uow_factory() as uow:
                    if register(uow):
                        uow.commit()
            handed.append(queue.submit(workspace_id, list(batch), history=history))
            batch.clear()
            collect(wait=False)
            return
        with uow_factory() as uow:
            register(uow)
            part = do_ingest_posts(uow, workspace_id, batch, clock.now(), annotator, history=history)
            uow.commit()
        report.merge(part)
        batch.clear()
        if on_progress is not None:
            on_progress(report)

    try:
        for _line, item in records:
            if isinstance(item, PostError):
                report.errors.append(item)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
    finally:
        _drain(handed)
    collect(wait=True)
    return report


def case_tally(uow: UnitOfWork, workspace_id: int, conversation_ids: Iterable[int]) -> dict[str, int]:
    """How the current cases of these conversations stand: `open` (active) and `resolved` (or
    closed): what an import leaves in the inbox, whichever batch opened or settled each case."""
    cases = uow.cases.current_for(workspace_id, list(conversation_ids)).values()
    active = sum(1 for case in cases if case.is_active)
    return {"open": active, "resolved": len(cases) - active}


def _drain(handed: deque[Future[IngestReport]]) -> None:
    """Wait until every batch handed over is stored or has failed (nothing left half-done)."""
    for future in list(handed):
        future.exception()
