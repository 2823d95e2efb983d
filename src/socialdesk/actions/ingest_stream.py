"""Ingest a stream of records in batches, one transaction per batch, with progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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
) -> StreamReport:
    """Store every good record; collect the bad ones with their line and field. Idempotent.

    `brand_handles` is asked before each batch for (channel, handle) pairs the reader has learned
    are the brand's own accounts; they are registered before the batch is stored.
    """
    report = StreamReport()
    batch: list[Post] = []
    registered: set[tuple[str, str]] = set()

    def flush() -> None:
        if not batch:
            return
        with uow_factory() as uow:
            for channel, handle in sorted((brand_handles() if brand_handles else set()) - registered):
                check_add_brand_account(uow, workspace_id, channel, handle)
                registered.add((channel, handle))
            part = do_ingest_posts(uow, workspace_id, batch, clock.now(), annotator)
            uow.commit()
        report.merge(part)
        batch.clear()
        if on_progress is not None:
            on_progress(report)

    for _line, item in records:
        if isinstance(item, PostError):
            report.errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    return report
