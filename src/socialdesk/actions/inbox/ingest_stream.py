"""Ingest a stream of records in batches, one transaction per batch, with progress."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.inbox.annotate import Ahead, Annotator
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_posts
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError
from socialdesk.ports.inbox import PostKey
from socialdesk.ports.ingest import Acceptance, PostSink
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork

Record = tuple[int, Post | PostError]
REASON_CHARS = 200
"""A storage failure is reported by its first line, cut to this many characters."""


def failure_reason(exc: BaseException) -> str:
    """One line saying why storing failed (a driver's message may carry the SQL and its values)."""
    first = (str(exc).strip().splitlines() or [""])[0]
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS] + "..."


def do_ingest_post_by_post(
    uow_factory: Callable[[], UnitOfWork],
    workspace_id: int,
    posts: Sequence[Post],
    now: datetime,
    annotator: Annotator | None = None,
    *,
    ahead: Mapping[PostKey, Ahead] | None = None,
    transient: Callable[[Exception], bool] = lambda exc: False,
    history: bool = False,
) -> IngestReport:
    """Each post in a transaction of its own: what a batch whose transaction failed falls back to, so
    that only the post at fault is lost (in the report's `failed`, with the reason) and its neighbours
    are stored. A `transient` failure (the database is away) is raised: no post would fare better."""
    report = IngestReport()
    for post in posts:
        try:
            with uow_factory() as uow:
                part = do_ingest_posts(
                    uow, workspace_id, [post], now, annotator, ahead=ahead, history=history
                )
        except Exception as exc:
            if transient(exc):
                raise
            report.received += 1
            report.failed.append((post.key, failure_reason(exc)))
            continue
        report.merge(part)
    return report


@dataclass
class StreamReport(IngestReport):
    errors: list[PostError] = field(default_factory=list)
    queued: int = 0  # handed to the posts stream for the ingest workers (scale-out), not yet stored

    def take(self, accepted: Acceptance) -> None:
        """Count in what the post sink did with one batch."""
        self.received += accepted.received
        self.failed += [(r.key, r.reason) for r in accepted.refused]
        self.added += accepted.added
        self.duplicates += accepted.duplicates
        self.queued += accepted.queued
        self.conversations_created += accepted.conversations_created
        self.cases_opened += accepted.cases_opened
        self.cases_resolved += accepted.cases_resolved
        self.listening_only += accepted.listening_only
        self.conversation_ids |= accepted.conversation_ids


def ingest_records(  # noqa: C901 (its closures share one batch's state; to split into a class)
    uow_factory: Callable[[], UnitOfWork],
    workspace_id: int,
    records: Iterable[Record],
    clock: Clock,
    *,
    batch_size: int = 1000,
    brand_handles: Callable[[], set[tuple[str, str]]] | None = None,
    on_progress: Callable[[StreamReport], None] | None = None,
    annotator: Annotator | None = None,
    sink: PostSink | None = None,
    history: bool = False,
) -> StreamReport:
    """Store every good record; collect the bad ones with their line and field. Idempotent.

    `brand_handles` is asked before each batch for (channel, handle) pairs the reader has learned
    are the brand's own accounts; they are registered before the batch is stored. With a `sink` (the
    runtime's `PostSink`), batches are handed to it (which accepts them, `annotator` aside, while
    the next batch is read); the first failure stops the reading and is raised once the batches
    handed over are accepted. Without one, each batch is stored here, in a transaction of its own.
    `history`: the records are past conversations (answered ones are stored resolved).
    """
    report = StreamReport()
    batch: list[Post] = []
    lines: dict[PostKey, int] = {}  # the batch's posts' line numbers, for the posts storing fails
    registered: set[tuple[str, str]] = set()
    handed: deque[tuple[Future[Acceptance], dict[PostKey, int]]] = deque()

    def register(uow: UnitOfWork) -> None:
        for channel, handle in sorted((brand_handles() if brand_handles else set()) - registered):
            check_add_brand_account(uow, workspace_id, channel, handle)
            registered.add((channel, handle))

    def collect(wait: bool) -> None:
        """Fold in the reports of the batches stored so far, in order (all of them when `wait`)."""
        while handed and (wait or handed[0][0].done()):
            future, where = handed.popleft()
            accepted = future.result()  # a failure propagates from here
            report.take(accepted)
            told([(r.key, r.reason) for r in accepted.refused], where)

    def fold(part: IngestReport, where: dict[PostKey, int]) -> None:
        report.merge(part)
        told(part.failed, where)

    def told(failed: list[tuple[PostKey, str]], where: dict[PostKey, int]) -> None:
        report.errors += [PostError(where.get(key, 0), "", f"not stored: {why}") for key, why in failed]
        if on_progress is not None:
            on_progress(report)

    def flush() -> None:
        if not batch:
            return
        if brand_handles is not None:
            with uow_factory() as uow:
                register(uow)
        if sink is not None:
            handed.append((sink.submit(workspace_id, list(batch), history=history), dict(lines)))
            batch.clear()
            lines.clear()
            collect(wait=False)
            return
        try:
            with uow_factory() as uow:
                part = do_ingest_posts(uow, workspace_id, batch, clock.now(), annotator, history=history)
        except Exception:  # noqa: BLE001 (find the post at fault: each alone, each failure reported)
            part = do_ingest_post_by_post(
                uow_factory, workspace_id, batch, clock.now(), annotator, history=history
            )
        fold(part, dict(lines))
        batch.clear()
        lines.clear()

    try:
        for line, item in records:
            if isinstance(item, PostError):
                report.errors.append(item)
                continue
            batch.append(item)
            lines.setdefault(item.key, line)
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


def _drain(handed: deque[tuple[Future[Acceptance], dict[PostKey, int]]]) -> None:
    """Wait until every batch handed over is stored or has failed (nothing left half-done)."""
    for future, _ in list(handed):
        future.exception()
