"""Triage in a child process, so that the embedded ingest queue triages the next batch on a second
core while its writer stores the batch before.

The child loads the packaged model once (as `runtime.load_triager` does in the parent) and answers
each batch with the same dicts `Annotator` would compute. A child that dies (killed, out of memory)
only costs its pending batches their triage ahead: their futures fail, the writer triages those posts
itself, and the next batch starts a new child.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from socialdesk.actions.annotate import triage_request
from socialdesk.domain.post import Post

log = logging.getLogger(__name__)

Row = tuple[str, str | None, bool, str | None, int | None]  # a TriageRequest's fields, cheap to send

_triager: Any = None  # the child's model, loaded by `_load`


def _load() -> None:
    global _triager
    from socialdesk.triage import Triager

    _triager = Triager()  # the packaged model, as `runtime.load_triager` loads it in the parent


def _triage_rows(rows: list[Row]) -> list[dict[str, Any]]:
    from socialdesk.triage import TriageRequest

    requests = [
        TriageRequest(text=text, lang_hint=lang, is_reply=reply, author_handle=handle, followers=followers)
        for text, lang, reply, handle, followers in rows
    ]
    return [result.to_dict() for result in _triager.triage_many(requests)]


def row_of(post: Post) -> Row:
    r = triage_request(post)
    return (r.text, r.lang_hint, r.is_reply, r.author_handle, r.followers)


class TriageProcess:
    """`submit(posts)` triages them in a child process (`processes` of them) and returns a future of
    one triage dict per post. Start-up (spawning, loading the model) happens on the first call, or
    ahead of it with `start()`."""

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

    def submit(self, posts: Sequence[Post]) -> Future[list[dict[str, Any]]]:
        rows = [row_of(p) for p in posts]
        pool = self._ensure_pool()
        try:
            return pool.submit(_triage_rows, rows)
        except BrokenProcessPool:  # the child died since the last batch: start a new one
            log.warning("the triage process died; starting a new one")
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            return self._ensure_pool().submit(_triage_rows, rows)

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
