"""The care clock stage, every few seconds: SLA warnings, breaches and escalations, missed follow-ups,
idle agents set away, and the waiting-time part of open conversations' urgency."""

from __future__ import annotations

import logging
import threading

from socialdesk.actions.care.agent_presence import do_check_idle_agents
from socialdesk.actions.care.follow_ups import do_check_follow_ups
from socialdesk.actions.care.sla import do_check_slas
from socialdesk.actions.inbox.conversation_urgency import do_age_urgency
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)


class CareChecksThread(threading.Thread):
    def __init__(self, runtime: Runtime, interval: float = 15.0) -> None:
        super().__init__(name="care-checks", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.stopping = threading.Event()

    def run_once(self) -> None:
        do_check_slas(self.runtime.uow, self.runtime.clock)
        do_check_follow_ups(self.runtime.uow, self.runtime.clock)
        do_check_idle_agents(self.runtime.uow, self.runtime.clock, self.runtime.settings.agent_idle_minutes)
        do_age_urgency(self.runtime.uow, self.runtime.clock)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.run_once()
            except Exception:  # the database may be briefly away; the next pass catches up
                log.exception("care checks pass failed")
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
