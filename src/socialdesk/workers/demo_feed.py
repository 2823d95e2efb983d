"""The demo feed: streams generated customer-care traffic into a workspace, live."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)


class DemoFeedThread(threading.Thread):
    def __init__(
        self, runtime: Runtime, workspace_id: int, stream: Iterable[tuple[float, dict[str, Any]]]
    ) -> None:
        super().__init__(name="demo-feed", daemon=True)
        self.runtime = runtime
        self.workspace_id = workspace_id
        self.stream = stream
        self.stopping = threading.Event()
        self.ingested = 0

    def run(self) -> None:
        for wait, data in self.stream:
            if self.stopping.wait(max(0.0, wait)):
                return
            post = post_from_dict(data)
            if isinstance(post, PostError):
                log.warning("demo generator produced a bad post: %s", post)
                continue
            try:
                with self.runtime.uow() as uow:
                    do_ingest_posts(
                        uow, self.workspace_id, [post], self.runtime.clock.now(), self.runtime.annotator
                    )
                self.ingested += 1
            except Exception:
                log.exception("demo feed could not store a post")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
