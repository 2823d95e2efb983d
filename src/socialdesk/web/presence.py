"""Presence shared by every web process: each process keeps its own hub and tells the others over the bus.

With one process (the embedded mode) the in-memory hub is all there is. With several web processes
(scale-out mode), an agent's browser may announce "viewing" to one process while a colleague's browser
asks another; `SharedPresenceHub` publishes every announcement, refreshes included, as a
``presence.seen`` event, and applies the announcements of the other processes to its own hub. Entries
still expire ``TTL`` after their last announcement, wherever it was made. ``presence.seen`` events are
internal: the live streams to browsers never carry them (browsers get ``presence.changed``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from socialdesk.domain.events import Event, EventKind
from socialdesk.ports import Bus
from socialdesk.ports_care import Presence, PresenceHub
from socialdesk.storage.presence import MemoryPresenceHub

log = logging.getLogger(__name__)

SEEN = EventKind.PRESENCE_SEEN


class SharedPresenceHub:
    """A `PresenceHub` kept in step with the hubs of the other web processes through the bus."""

    def __init__(self, bus: Bus, local: MemoryPresenceHub | None = None) -> None:
        self.bus = bus
        self.local = local or MemoryPresenceHub()
        self.origin = uuid.uuid4().hex  # this process: its own announcements come back and are skipped
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.bus.subscribe(self._from_bus)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def set(self, workspace_id: int, conversation_id: int, user_id: int, state: str, now: datetime) -> bool:
        changed = self.local.set(workspace_id, conversation_id, user_id, state, now)
        data = {
            "conversation_id": conversation_id,
            "user_id": user_id,
            "state": state,
            "at": now.isoformat(),
            "origin": self.origin,
        }
        self.bus.publish([Event(workspace_id, SEEN, data)])
        return changed

    def who(self, workspace_id: int, conversation_id: int, now: datetime) -> list[Presence]:
        return self.local.who(workspace_id, conversation_id, now)

    def _from_bus(self, event: Event) -> None:
        if event.kind != SEEN or event.data.get("origin") == self.origin:
            return
        try:
            data = event.data
            at = datetime.fromisoformat(str(data["at"]))
            conversation_id, user_id = int(data["conversation_id"]), int(data["user_id"])
            state = str(data["state"])
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a malformed %s event: %r", SEEN, event.data)
            return
        self.local.set(event.workspace_id, conversation_id, user_id, state, at)


def presence_hub_for(bus: Bus, *, shared: bool) -> PresenceHub:
    """The hub a web process uses: shared over the bus when several processes serve the same workspaces."""
    return SharedPresenceHub(bus) if shared else MemoryPresenceHub()
