"""The outbox relay stage: a thread that sends queued replies every few tenths of a second."""

from __future__ import annotations

import logging
import threading

from socialdesk.actions.dispatch import do_dispatch_outbox
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)


class DispatcherThread(threading.Thread):
    def __init__(self, runtime: Runtime, interval: float) -> None:
        super().__init__(name="outbox-dispatcher", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                do_dispatch_outbox(
                    self.runtime.uow,
                    self.runtime.senders,
                    self.runtime.clock,
                    default=self.runtime.default_sender,
                )
            except Exception:  # the database may be briefly away; try again next pass
                log.exception("outbox dispatch pass failed")
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
