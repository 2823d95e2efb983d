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
from nats import errors as nats_errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.errors import APIError, NotFoundError

from socialdesk.bus.streams import (
    DEAD_STREAM,
    EVENTS_SUBJECT,
    dead_post_subject,
    ensure_streams,
    events_subject,
    post_msg_id,
    posts_subject,
)
from socialdesk.domain.events import Event, EventKind

log = logging.getLogger(__name__)
T = TypeVar("T")


CONNECTION_LOST = (
    OSError,
    asyncio.TimeoutError,
    nats_errors.UnexpectedEOF,
    nats_errors.ConnectionClosedError,
    nats_errors.StaleConnectionError,
)


class ConnectionLog:
    """Logs a NATS connection's outages as one line per change of state: "unreachable ... retrying"
    when it is lost, "back" when it is regained. The client retries every 250 ms and reports each
    failed try to its error callback; those tries are logged at debug level only, never with a
    traceback (nats-py's default callback logs a traceback per try)."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.down = False
        self.client: Client | None = None

    def lost(self, reason: object = None) -> None:
        if not self.down:
            self.down = True
            why = f" ({_short(reason)})" if reason is not None else ""
            log.warning("%s: NATS unreachable at %s%s: retrying", self.name, self.url, why)

    def back(self) -> None:
        if self.down:
            self.down = False
            log.warning("%s: NATS back at %s", self.name, self.url)

    async def on_error(self, exc: Exception) -> None:
        if self.down:
            log.debug("%s: NATS still unreachable: %s", self.name, _short(exc))
        elif isinstance(exc, CONNECTION_LOST):  # the client reports the loss, then starts reconnecting
            self.lost(exc)
        else:
            log.warning("%s: NATS error: %s", self.name, _short(exc))

    async def on_disconnected(self) -> None:
        if self.client is not None and self.client.is_closed:
            return  # closed on purpose (or given up on): not an outage
        self.lost()

    async def on_reconnected(self) -> None:
        self.back()


def _short(reason: object) -> str:
    text = f"{type(reason).__name__}: {reason}" if isinstance(reason, BaseException) else str(reason)
    return text.replace("\n", " ")[:200]


async def connect(url: str, name: str, state: ConnectionLog | None = None) -> Client:
    """A connection that reconnects by itself, forever, with a short wait between tries; its outages
    are logged once per change of state (`ConnectionLog`)."""
    state = state or ConnectionLog(url, name)
    state.client = await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        allow_reconnect=True,
        connect_timeout=5,
        error_cb=state.on_error,
        disconnected_cb=state.on_disconnected,
        reconnected_cb=state.on_reconnected,
    )
    return state.client


class NatsBus:
    def __init__(self, url: str, name: str = "socialdesk") -> None:
        self.url = url
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="nats-bus", daemon=True)
        self._thread.start()
        self.state = ConnectionLog(url, name)
        self._nc: Client = self._run(connect(url, name, self.state))
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
        except Exception as exc:  # noqa: BLE001 (live updates are best effort, logged; the data is committed)
            if self.state.down:
                log.debug("%d live events not published: NATS is unreachable", len(events))
            else:
                log.warning("could not publish %d live events: %s", len(events), _short(exc))

    def subscribe(self, handler: Callable[[Event], None]) -> Callable[[], None]:
        async def on_message(msg: Msg) -> None:
            try:
                body = json.loads(msg.data)
                handler(
                    Event(int(body["workspace_id"]), EventKind(body["kind"]), dict(body.get("data") or {}))
                )
            except Exception:
                log.exception("bad live event on %s", msg.subject)

        sub = self._run(self._nc.subscribe(f"{EVENTS_SUBJECT}.>", cb=on_message))
        # The server knows the subscription once it answered a PING sent after it: from here on an
        # event published from any connection reaches the handler (without the flush, one published
        # at once from another connection could pass the server before the SUB, as under load).
        self._run(self._nc.flush())

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

    def dead_letter_for(self, workspace_id: int, channel: str, external_id: str) -> dict[str, Any] | None:
        """The newest dead letter of one post of the workspace (its error and attempts), or None."""

        async def read() -> dict[str, Any] | None:
            js = self._nc.jetstream()
            try:
                raw = await js.get_last_msg(
                    DEAD_STREAM, dead_post_subject(workspace_id, channel, external_id)
                )
            except NotFoundError:
                return None
            headers = raw.headers or {}
            return {"error": headers.get("Sd-Error", ""), "attempts": headers.get("Sd-Attempts", "")}

        return self._run(read())

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
                except APIError:  # deleted or aged out (404), or refused: skip that one
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
