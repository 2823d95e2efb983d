"""SQLite WAL checkpoints on a thread of their own, off the writer's path.

In WAL mode a commit appends pages to the `-wal` file; a checkpoint copies them back into the
database file, with an fsync of each file (with synchronous=NORMAL these are the only syncs, so a
commit is safe from power loss once a checkpoint has covered it; an application crash loses nothing
either way). SQLite's own automatic checkpoint runs inside the COMMIT that takes the log past 1,000
pages, and on the ingest path that costs the writer tens of milliseconds every few batches.

Here the engine's connections turn the automatic checkpoint off, and each commit wakes a thread that,
a short moment later, runs a PASSIVE checkpoint on a connection of its own (PASSIVE never waits for
or blocks readers and writers). The writer goes on with its next batch meanwhile, and a commit is
synced within about `delay` seconds rather than whenever the log next fills up.

The log restarts from its beginning only when a writer begins while every frame is checkpointed;
a writer that never pauses would find it never is, and the log would grow. So once a checkpoint
reports a log of `limit` pages or more, the writer runs one checkpoint itself before its next BEGIN
(`before_begin`), as SQLite's automatic checkpoint would, and the log restarts. The thread stops
after `idle` seconds without commits and starts again with the next one.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class WalCheckpointer:
    def __init__(self, path: str, *, delay: float = 0.2, limit: int = 4000, idle: float = 5.0) -> None:
        self.uri = Path(path).absolute().as_uri() + "?mode=rw"  # never creates a missing file
        self.delay = delay
        self.limit = limit  # pages in the log past which the writer checkpoints before it begins
        self.idle = idle
        self.log_pages = 0  # the log's size at the last checkpoint, in pages
        self.checkpoints = 0  # how many the thread has run (for tests)
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """A transaction is committing: checkpoint soon."""
        self._wake.set()
        thread = self._thread
        if thread is None or not thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
                    self._thread.start()

    def before_begin(self, dbapi_conn: Any) -> None:
        """On the writer's connection, before BEGIN: checkpoint here if the log has grown past `limit`
        (then this transaction starts the log afresh)."""
        if self.log_pages < self.limit:
            return
        busy, _pages, _done = dbapi_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy:
            self.log_pages = 0

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Let the thread finish what it was woken for (tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            log.debug("no checkpoints for %s: %s", self.uri, exc)
            return
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            while self._wake.wait(self.idle):
                time.sleep(self.delay)  # let the commit land, and gather the next ones
                self._wake.clear()
                busy, pages, _done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.checkpoints += 1
                if not busy:
                    self.log_pages = max(pages, 0)
        except sqlite3.Error as exc:  # the file was removed, say: the writer checkpoints at `limit`
            log.debug("checkpoints of %s stopped: %s", self.uri, exc)
        finally:
            conn.close()
