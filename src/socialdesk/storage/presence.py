"""The in-memory presence hub: one process's view of who is viewing or typing in a conversation."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from socialdesk.ports_care import Presence

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
