"""The embedded mode's ingest stage: callers hand in batches of posts, one writer thread stores them.

- **Group commit.** When several batches are waiting, the writer stores them in one transaction (up
  to `group_posts` posts) and each caller still gets its own batch's report. A store's fixed costs
  (the workspace's brands, rules and monitors, the commit) are then paid once for many batches, so
  under load the mode keeps up with many small batches (API calls, channel pages); with one batch at
  a time nothing waits for company.
- **Triage ahead.** With a `TriageProcess`, a batch's triage starts in the child process as soon as
  the batch is submitted, on another core, while the writer is still storing earlier batches.
- **Back-pressure.** At most `queued_posts` posts wait (or one larger batch); `submit` blocks
  beyond that, so a flood cannot grow memory without bound.
- **Failure isolation.** When a group's transaction fails, each of its batches is stored again on
  its own; when a batch fails alone, each of its posts is stored in a transaction of its own, so only
  the post at fault is lost, reported in its batch's `failed` with the reason. Only a database that
  is away fails a whole batch (through its future): no post would fare better.

SQLite has one writer at a time, so one writer thread loses nothing; other writers (agents' replies,
channel runners) take turns with it through SQLite's lock as before.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from socialdesk.actions.inbox.annotate import Ahead, Annotator
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_batches
from socialdesk.actions.inbox.ingest_stream import do_ingest_post_by_post
from socialdesk.domain.post import Post
from socialdesk.ports.inbox import PostKey
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork
from socialdesk.workers.triage_process import TriageProcess

log = logging.getLogger(__name__)

TRIAGE_WAIT = 30.0  # seconds the writer waits for a batch's triage ahead before triaging it itself


@dataclass(frozen=True, slots=True)
class _Batch:
    workspace_id: int
    posts: list[Post]
    triage: Future[list[Ahead]] | None
    result: Future[IngestReport]
    history: bool = False  # past conversations (see do_ingest_posts)


class IngestQueue:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        annotator: Annotator | None = None,
        *,
        database_away: Callable[[BaseException], bool],
        triage: TriageProcess | None = None,
        queued_posts: int = 2000,
        group_posts: int = 1000,
    ) -> None:
        if queued_posts < 1 or group_posts < 1:
            raise ValueError("queued_posts and group_posts: expected at least 1")
        self.uow_factory = uow_factory
        self.clock = clock
        self.annotator = annotator
        self.database_away = database_away  # a lost connection: fail the batch, never each post
        self.triage = triage if annotator is not None and annotator.triager is not None else None
        self.queued_posts = queued_posts
        self.group_posts = group_posts
        self.groups = 0  # transactions committed (for tests and the benchmark)
        self._items: deque[_Batch] = deque()
        self._queued = 0  # posts in `_items`
        self._cond = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[IngestReport]:
        """Queue a batch; its future gives the batch's report once committed (or its error).
        `history`: past conversations, stored as `do_ingest_posts` says."""
        result: Future[IngestReport] = Future()
        batch = list(posts)
        if not batch:
            result.set_result(IngestReport())
            return result
        with self._cond:
            if self._closing:
                raise RuntimeError("the ingest queue is closed")
            while self._queued and self._queued + len(batch) > self.queued_posts:
                self._cond.wait()  # back-pressure: wait for the writer to take some
                if self._closing:
                    raise RuntimeError("the ingest queue is closed")
            triage = self._triage_ahead(batch)
            self._items.append(_Batch(workspace_id, batch, triage, result, history))
            self._queued += len(batch)
            self._cond.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
                self._thread.start()
        return result

    def warm_up(self, *, wait: bool = False) -> None:
        """Start the triage process now rather than with the first batch (`wait`: until its model is
        loaded). Without a child to be had, batches are triaged by the writer as before."""
        if self.triage is None:
            return
        try:
            started = self.triage.submit([])
            if wait:
                started.result()
        except Exception:
            log.exception("the triage process did not start; the writer triages posts itself")

    def ingest(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> IngestReport:
        """Store a batch and wait for its report."""
        return self.submit(workspace_id, posts, history=history).result()

    @property
    def closing(self) -> bool:
        """`close` was called: no more batches are taken, those queued are still stored."""
        return self._closing

    def close(self) -> None:
        """Store everything queued, then stop the writer (and the triage process)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()
        if self.triage is not None:
            self.triage.close()

    def _triage_ahead(self, posts: list[Post]) -> Future[list[Ahead]] | None:
        if self.triage is None:
            return None
        try:
            return self.triage.submit(posts)
        except Exception:  # no child to be had: the writer triages these posts itself
            log.exception("could not send a batch to the triage process")
            return None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._items and not self._closing:
                    self._cond.wait()
                if not self._items:
                    return  # closing, and everything is stored
                group = [self._items.popleft()]
                size = len(group[0].posts)
                while self._items and size + len(self._items[0].posts) <= self.group_posts:
                    size += len(self._items[0].posts)
                    group.append(self._items.popleft())
                self._queued -= size
                self._cond.notify_all()
            try:
                self._store(group)
            except BaseException as exc:  # a bug here must not leave callers waiting forever
                log.exception("the ingest writer failed on a group of %d batches", len(group))
                for batch in group:
                    if not batch.result.done():
                        batch.result.set_exception(exc)

    def _store(self, group: list[_Batch]) -> None:
        ahead: dict[int, dict[PostKey, Ahead]] = {}
        for batch in group:
            if batch.triage is None:
                continue
            try:
                found = batch.triage.result(timeout=TRIAGE_WAIT)
            except Exception:  # the child failed, died or hangs
                log.warning("triage ahead failed for a batch; the writer triages it", exc_info=True)
                continue
            ahead.setdefault(batch.workspace_id, {}).update(
                zip((p.key for p in batch.posts), found, strict=True)
            )
        by_workspace: dict[tuple[int, bool], list[_Batch]] = {}  # history is stored apart from live posts
        for batch in group:
            by_workspace.setdefault((batch.workspace_id, batch.history), []).append(batch)
        try:
            with self.uow_factory() as uow:
                reports: list[tuple[_Batch, IngestReport]] = []
                for (workspace_id, history), batches in by_workspace.items():
                    stored = do_ingest_batches(
                        uow,
                        workspace_id,
                        [b.posts for b in batches],
                        self.clock.now(),
                        self.annotator,
                        ahead=ahead.get(workspace_id),
                        history=history,
                    )
                    reports += zip(batches, stored, strict=True)
        except Exception as exc:
            if len(group) == 1:
                self._store_post_by_post(group[0], ahead.get(group[0].workspace_id), exc)
            else:  # find the batch at fault: each on its own
                log.warning("a group of %d batches failed; storing each alone", len(group), exc_info=True)
                for batch in group:
                    self._store([batch])
            return
        self.groups += 1
        for batch, report in reports:
            batch.result.set_result(report)

    def _store_post_by_post(self, batch: _Batch, ahead: dict[PostKey, Ahead] | None, exc: Exception) -> None:
        """A batch failed alone: store each post alone, so only the one at fault is lost."""
        if self.database_away(exc):
            batch.result.set_exception(exc)
            return
        log.warning("a batch of %d posts failed; storing each alone", len(batch.posts), exc_info=True)
        try:
            report = do_ingest_post_by_post(
                self.uow_factory,
                batch.workspace_id,
                batch.posts,
                self.clock.now(),
                self.annotator,
                ahead=ahead,
                transient=self.database_away,
                history=batch.history,
            )
        except Exception as again:  # noqa: BLE001 (handed to the batch's caller)
            batch.result.set_exception(again)
            return
        batch.result.set_result(report)
