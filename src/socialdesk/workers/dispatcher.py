"""The outbox relay stage: a thread that sends queued replies every few tenths of a second, and a
heartbeat that holds its lease on the replies it claimed (see actions/inbox/dispatch.py)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from socialdesk.actions.inbox.dispatch import (
    Relay,
    do_dispatch_outbox,
    do_join_relay,
    do_leave_relay,
    do_relay_heartbeat,
)
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)
BEATS_PER_LEASE = 5
# Items claimed per pass: small, so that a relay holds few replies at a time (few to take over when it
# dies) and a restarted relay reaches a dead one's replies within a pass of its lease running out.
BATCH = 20


class DispatcherThread(threading.Thread):
    def __init__(self, runtime: Runtime, interval: float) -> None:
        super().__init__(name="outbox-dispatcher", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.relay = Relay.new(timedelta(seconds=runtime.settings.outbox_lease_seconds))
        self.host = socket.gethostname()
        self.stopping = threading.Event()
        self.heartbeat = threading.Thread(target=self._beat, name="outbox-relay-heartbeat", daemon=True)

    def run(self) -> None:
        joined = False
        while not joined and not self.stopping.is_set():
            try:
                do_join_relay(self.runtime.uow, self.relay, self.runtime.clock, self.host, os.getpid())
                joined = True
            except Exception:  # the database may be briefly away
                log.exception("outbox relay could not register; trying again")
                self.stopping.wait(self.interval)
        self.heartbeat.start()
        while not self.stopping.is_set():
            busy = False
            try:
                report = do_dispatch_outbox(
                    self.runtime.uow,
                    self.runtime.senders,
                    self.runtime.clock,
                    default=self.runtime.default_sender,
                    limit=BATCH,
                    relay=self.relay,
                )
                busy = report.claimed == BATCH and report.sent + report.recovered > 0
            except Exception:  # the database may be briefly away; try again next pass
                log.exception("outbox dispatch pass failed")
            if not busy:  # after a full batch that sent, more may wait: go on at once
                self.stopping.wait(self.interval)
        try:
            do_leave_relay(self.runtime.uow, self.relay)
        except Exception:  # its claims pass to another relay when its lease runs out
            log.exception("outbox relay could not hand back its claims")

    def _beat(self) -> None:
        every = self.relay.lease.total_seconds() / BEATS_PER_LEASE
        while not self.stopping.wait(every):
            try:
                do_relay_heartbeat(self.runtime.uow, self.relay, self.runtime.clock, self.host, os.getpid())
            except Exception as exc:  # noqa: BLE001 (logged; without beats the relay stops sending)
                log.warning("outbox relay heartbeat failed: %s", exc)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
