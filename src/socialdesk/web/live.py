"""Live updates: bus events fanned out to the server-sent-event streams of one workspace."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from socialdesk.domain.events import INTERNAL_KINDS, Event, EventKind
from socialdesk.ports.services import Bus

QUEUE_LIMIT = 256  # a client that falls this far behind gets one "resync" instead of a backlog


class LiveHub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clients: dict[int, set[asyncio.Queue[Event]]] = {}
        self._unsubscribe: Callable[[], None] | None = None

    def start(self, bus: Bus, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._unsubscribe = bus.subscribe(self._from_bus)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _from_bus(self, event: Event) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or event.kind in INTERNAL_KINDS:
            return
        if not self._clients.get(event.workspace_id):
            return  # nobody of that workspace listens: the ingest writer need not wake the loop
        with contextlib.suppress(RuntimeError):  # the loop closed while we were publishing
            loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, event: Event) -> None:
        for queue in list(self._clients.get(event.workspace_id, ())):
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    while True:
                        queue.get_nowait()
                queue.put_nowait(Event(event.workspace_id, EventKind.RESYNC))
            else:
                queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def listen(self, workspace_id: int) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_LIMIT)
        self._clients.setdefault(workspace_id, set()).add(queue)
        try:
            yield queue
        finally:
            self._clients[workspace_id].discard(queue)

    def client_count(self, workspace_id: int) -> int:
        return len(self._clients.get(workspace_id, ()))
