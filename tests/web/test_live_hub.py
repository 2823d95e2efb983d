"""The live hub wakes the event loop only for workspaces someone is listening to."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from socialdesk.bus.inprocess import InProcessBus
from socialdesk.domain.events import Event
from socialdesk.web.live import LiveHub
from tests.support.waiting import PATIENCE


def test_events_reach_listeners_and_wake_the_loop_only_for_them() -> None:
    async def scenario() -> tuple[list[Event], int]:
        loop = asyncio.get_running_loop()
        woken = 0
        original = loop.call_soon_threadsafe

        def counting(*args: object) -> object:
            nonlocal woken
            woken += 1
            return original(*args)  # type: ignore[arg-type]

        loop.call_soon_threadsafe = counting  # type: ignore[method-assign]
        bus = InProcessBus()
        hub = LiveHub()
        hub.start(bus, loop)
        got: list[Event] = []
        async with hub.listen(1) as queue:
            bus.publish([Event(2, "conversation.updated", {"conversation_id": 5})])  # nobody of 2 listens
            bus.publish([Event(1, "posts.ingested", {"posts": ["a"]})])  # internal: never streamed
            bus.publish([Event(1, "conversation.updated", {"conversation_id": 7})])
            got.append(await asyncio.wait_for(queue.get(), PATIENCE))
        bus.publish([Event(1, "conversation.updated", {"conversation_id": 8})])  # the listener left
        hub.stop()
        return got, woken

    # On a thread of its own: an earlier test (the browser's) may leave this thread a running loop.
    with ThreadPoolExecutor(1) as pool:
        got, woken = pool.submit(asyncio.run, scenario()).result(PATIENCE)
    assert [(e.workspace_id, e.data) for e in got] == [(1, {"conversation_id": 7})]
    assert woken == 1
