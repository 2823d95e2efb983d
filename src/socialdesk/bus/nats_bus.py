"""The scale-out bus: live events over NATS, posts into JetStream. A sync face over one asyncio thread."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg

from socialdesk.bus.streams import (
    DEAD_STREAM,
    EVENTS_SUBJECT,
    ensure_streams,
    events_subject,
    post_msg_id,
    posts_subject,
)
from socialdesk.domain.events import Event

log = logging.getLogger(__name__)
T = TypeVar("T")


async def connect(url: str, name: str) -> Client:
    """A connection that reconnects by itself, forever, with a short wait between tries."""
    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        allow_reconnect=True,
        connect_timeout=5,
    )


class NatsBus:
    def __init__(self, url: str, name: str = "socialdesk") -> None:
        self.url = url
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="nats-bus", daemon=True)
        self._thread.start()
        self._nc: Client = self._run(connect(url, name))
        self._run(ensure_streams(self._nc.jetstream()))

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout)

    # --- Bus port -------------------------------------------------------------------------------
    def publish(self, events: Sequence[Event]) -> None:
        async def send() -> None:
            for e in events:
                payload = json.dumps({"workspace_id": e.workspace_id, "kind": e.kind, "data": e.data})
                await self._nc.publish(events_subject(e.workspace_id), payload.encode())
            await self._nc.flush(timeout=5)

        try:
            self._run(send())
        except Exception:  # live updates are best effort; the data is committed already
            log.warning("could not publish %d live events", len(events), exc_info=True)

    def subscribe(self, handler: Callable[[Event], None]) -> Callable[[], None]:
        async def on_message(msg: Msg) -> None:
            try:
                body = json.loads(msg.data)
                handler(Event(int(body["workspace_id"]), str(body["kind"]), dict(body.get("data") or {})))
            except Exception:
                log.exception("bad live event on %s", msg.subject)

        sub = self._run(self._nc.subscribe(f"{EVENTS_SUBJECT}.>", cb=on_message))

        def unsubscribe() -> None:
            if not self._loop.is_closed():
                self._run(sub.unsubscribe())

        return unsubscribe

    # --- the posts stream -----------------------------------------------------------------------
    def publish_posts(self, workspace_id: int, posts: Sequence[dict[str, Any]], window: int = 256) -> int:
        """Queue normalized posts for the ingest workers; returns how many were new to the stream.

        Publishes `window` posts at a time and waits for all their acks before the next window, so
        a full stream slows the caller down instead of piling up unacknowledged messages.
        """

        async def send() -> int:
            js = self._nc.jetstream()
            fresh = 0
            for start in range(0, len(posts), window):
                acks = await asyncio.gather(
                    *(
                        js.publish(
                            posts_subject(workspace_id),
                            json.dumps(post).encode(),
                            headers={"Nats-Msg-Id": post_msg_id(workspace_id, post["channel"], post["id"])},
                            timeout=30,
                        )
                        for post in posts[start : start + window]
                    )
                )
                fresh += sum(0 if ack.duplicate else 1 for ack in acks)
            return fresh

        return self._run(send(), timeout=600)

    def dead_letters(self, limit: int = 100, workspace_id: int | None = None) -> list[dict[str, Any]]:
        """The newest messages that a stage gave up on, with why; only one workspace's posts when
        ``workspace_id`` is given (the newest 10,000 dead letters are searched)."""
        wanted = None if workspace_id is None else posts_subject(workspace_id)

        async def read() -> list[dict[str, Any]]:
            js = self._nc.jetstream()
            info = await js.stream_info(DEAD_STREAM)
            out: list[dict[str, Any]] = []
            seq = info.state.last_seq
            oldest = max(info.state.first_seq, seq - 10_000)
            while seq >= oldest and len(out) < limit and seq > 0:
                try:
                    raw = await js.get_msg(DEAD_STREAM, seq)
                except Exception:  # deleted or aged out
                    seq -= 1
                    continue
                headers = raw.headers or {}
                origin = headers.get("Sd-Subject", "")  # where it came from: sd.posts.<workspace id>
                if wanted is None or origin == wanted:
                    out.append(
                        {
                            "seq": seq,
                            "subject": raw.subject,
                            "origin": origin,
                            "error": headers.get("Sd-Error", ""),
                            "attempts": headers.get("Sd-Attempts", ""),
                            "data": (raw.data or b"").decode("utf-8", "replace")[:2000],
                        }
                    )
                seq -= 1
            return out

        return self._run(read())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            self._run(self._nc.flush(timeout=5), timeout=10)
            self._run(self._nc.close(), timeout=10)
        except Exception:
            log.debug("nats close failed", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
