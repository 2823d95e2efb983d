"""The embedded bus: handlers are called in the publishing thread, after the commit."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from socialdesk.domain.events import Event

log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(self) -> None:
        self._handlers: list[Callable[[Event], None]] = []
        self._lock = threading.Lock()

    def publish(self, events: Sequence[Event]) -> None:
        with self._lock:
            handlers = list(self._handlers)
        for event in events:
            for handler in handlers:
                try:
                    handler(event)
                except Exception:  # one broken listener must not stop the others
                    log.exception("bus handler failed for %s", event.kind)

    def subscribe(self, handler: Callable[[Event], None]) -> Callable[[], None]:
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe


class RecordingBus(InProcessBus):
    """An in-process bus that also keeps every event, for tests."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def publish(self, events: Sequence[Event]) -> None:
        self.events.extend(events)
        super().publish(events)
