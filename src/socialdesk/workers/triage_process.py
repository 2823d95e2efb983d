"""Triage in a child process, so that the embedded ingest queue triages the next batch on a second
core while its writer stores the batch before.

The child loads the packaged model once (as `runtime.load_triager` does in the parent) and answers
each batch with, per post, what `actions.annotate.ahead_of` computes: the `TriageResult` `Annotator`
would compute (sent as its compact `to_row()` tuple), its JSON text, and the post's dedupe key. A
child that dies (killed, out of memory) only costs its pending batches their triage ahead: their
futures fail, the writer triages those posts itself, and the next batch starts a new child.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from socialdesk.actions.inbox.annotate import Ahead, make_ahead
from socialdesk.domain.post import Post
from socialdesk.triage.result import TriageResult, TriageRow

log = logging.getLogger(__name__)

# A TriageRequest's fields, then the post's channel and author id (for the dedupe key): cheap to send.
Row = tuple[str, str | None, bool, str | None, int | None, str, str]
# What comes back per post: the triage as `TriageResult.to_row()`, its JSON text, the dedupe key.
Answer = tuple[TriageRow | None, str | None, str]

_triager: Any = None  # the child's model, loaded by `_load`


def _load() -> None:
    global _triager
    from socialdesk.triage import Triager

    _triager = Triager()  # the packaged model, as `runtime.load_triager` loads it in the parent


def _prepare_rows(rows: list[Row]) -> list[Answer]:
    from socialdesk.triage import TriageRequest

    requests = [
        TriageRequest(text=r[0], lang_hint=r[1], is_reply=r[2], author_handle=r[3], followers=r[4])
        for r in rows
    ]
    results = _triager.triage_many(requests)
    # Plain tuples travel faster than Ahead and TriageResult; the parent makes them again (`_ahead`).
    out: list[Answer] = []
    for row, result in zip(rows, results, strict=True):
        ahead = make_ahead(result, row[5], row[6], row[0])
        out.append((result.to_row(), ahead.triage_json, ahead.dedupe_key))
    return out


def _ahead(answer: Answer) -> Ahead:
    row, encoded, key = answer
    return Ahead(None if row is None else TriageResult.from_row(row), encoded, key)


def row_of(post: Post) -> Row:
    """`triage_request(post)`'s fields (tests hold the two together), then channel and author id."""
    a = post.author
    return (post.text, post.lang, post.in_reply_to is not None, a.handle, a.followers, post.channel, a.id)


class TriageProcess:
    """`submit(posts)` prepares them in a child process (`processes` of them) and returns a future of
    one `Ahead` per post (triage, its JSON text, dedupe key). Start-up (spawning, loading the model)
    happens on the first call, or ahead of it with `start()`."""

    def __init__(self, processes: int = 1) -> None:
        if processes < 1:
            raise ValueError(f"processes: expected at least 1, got {processes}")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Spawn the child now and wait until its model is loaded."""
        self.submit([]).result()

    def submit(self, posts: Sequence[Post]) -> Future[list[Ahead]]:
        rows = [row_of(p) for p in posts]
        out: Future[list[Ahead]] = Future()
        try:
            sent = self._send(rows)
        except Exception as exc:  # noqa: BLE001 (no child: the caller triages itself)
            out.set_exception(exc)
            return out

        def done(found: Future[list[Answer]]) -> None:
            error = found.exception()
            if error is not None:
                out.set_exception(error)
            else:
                out.set_result([_ahead(answer) for answer in found.result()])

        sent.add_done_callback(done)
        return out

    def _send(self, rows: list[Row]) -> Future[list[Answer]]:
        pool = self._ensure_pool()
        try:
            return pool.submit(_prepare_rows, rows)
        except BrokenProcessPool:  # the child died since the last batch: start a new one
            log.warning("the triage process died; starting a new one")
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            return self._ensure_pool().submit(_prepare_rows, rows)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the triage process is closed")
            if self._pool is None:
                # spawn, not fork: the parent runs threads (the web server, the writer, checkpoints).
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_load)
            return self._pool

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
