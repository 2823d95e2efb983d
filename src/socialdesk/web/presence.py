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
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from socialdesk.domain.events import Event, EventKind
from socialdesk.ports.care import Presence, PresenceHub
from socialdesk.ports.services import Bus

log = logging.getLogger(__name__)

SEEN = EventKind.PRESENCE_SEEN
TTL_SECONDS = 30


class MemoryPresenceHub:
    """Entries expire ``ttl`` seconds after their last refresh (clients re-announce every ~10 s)."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = timedelta(seconds=ttl)
        self._lock = threading.Lock()
        # (workspace, conversation) -> user -> (state, since, last seen)
        self._rooms: dict[tuple[int, int], dict[int, tuple[str, datetime, datetime]]] = {}

    def set(self, workspace_id: int, conversation_id: int, user_id: int, state: str, now: datetime) -> bool:
        with self._lock:
            room = self._rooms.setdefault((workspace_id, conversation_id), {})
            self._expire(room, now)
            old = room.get(user_id)
            if state == "left":
                room.pop(user_id, None)
                return old is not None
            since = old[1] if old is not None and old[0] == state else now
            room[user_id] = (state, since, now)
            return old is None or old[0] != state

    def who(self, workspace_id: int, conversation_id: int, now: datetime) -> list[Presence]:
        with self._lock:
            room = self._rooms.get((workspace_id, conversation_id), {})
            self._expire(room, now)
            return [Presence(uid, state, since) for uid, (state, since, _) in sorted(room.items())]

    def _expire(self, room: dict[int, tuple[str, datetime, datetime]], now: datetime) -> None:
        for uid in [uid for uid, (_, _, seen) in room.items() if now - seen > self.ttl]:
            del room[uid]


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
