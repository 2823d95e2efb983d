"""The streaming API against a fake Mastodon on 127.0.0.1, and the notifications poller."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from socialdesk.channels.framework import ChannelHealth, HealthState, MemoryCursorStore, StopFlag
from socialdesk.channels.mastodon.client import MastodonPoller, MastodonStream, mastodon_http
from tests.channels.support import LOOPBACK, T0, FakeTime, assert_valid, live_server, load

pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)
KEY = "mastodon:notifications"


def sse(*events: tuple[str, Any]) -> Callable[[], Response]:
    async def body() -> AsyncIterator[bytes]:
        yield b":)\n"
        for name, data in events:
            payload = data if isinstance(data, str) else json.dumps(data)
            yield f"event: {name}\ndata: {payload}\n\n".encode()
            yield b":thump\n"

    return lambda: StreamingResponse(body(), media_type="text/event-stream")


def test_user_stream_with_gap_fill_reconnects_and_breaks_on_401() -> None:
    script = [
        sse(
            ("update", load("mastodon", "status_mention.json")),
            ("notification", load("mastodon", "notification_mention.json")),
            ("notification", load("mastodon", "notification_favourite.json")),
            ("delete", "112203040506070809"),
        ),
        lambda: JSONResponse(
            load("mastodon", "error_429.json"),
            status_code=429,
            headers={"X-RateLimit-Reset": "2024-04-03T18:05:00.000Z"},
        ),
        lambda: JSONResponse(load("mastodon", "error_401.json"), status_code=401),
    ]
    seen: list[Request] = []

    async def stream(request: Request) -> Response:
        seen.append(request)
        return script.pop(0)()

    received: list[dict[str, Any]] = []
    fills: list[int] = []
    cursors = MemoryCursorStore()
    stop = StopFlag()
    time = FakeTime(stop, stop_after=10)
    health = ChannelHealth("mastodon")
    app = Starlette(routes=[Route("/api/v1/streaming/user", stream)])
    with live_server(app) as url, mastodon_http(url, "token", policy=LOOPBACK) as http:
        client = MastodonStream(
            http,
            received.extend,
            health,
            gap_filler=lambda: fills.append(1),
            cursors=cursors,
            sleep=time.sleep,
            clock=time,
            read_timeout=10.0,  # nothing stalls here: it only ends a hung test
        )
        client.run(stop)
    assert [p["id"] for p in received] == ["112203040506070809", "112203040506070809"]
    for post in received:
        assert_valid(post)
    assert cursors.get(KEY) == "34975862"  # notifications seen on the stream move the poll cursor
    assert len(fills) == 3  # before every connection
    # closed by the server: 1 s; 429: until X-RateLimit-Reset (5 minutes after T0 + 1 s)
    assert time.sleeps == [1.0, 299.0]
    assert health.state is HealthState.BROKEN
    assert seen[0].headers["authorization"] == "Bearer token"


def test_hashtag_stream_path() -> None:
    seen: list[Request] = []

    async def stream(request: Request) -> Response:
        seen.append(request)
        return JSONResponse({"error": "gone"}, status_code=401)

    app = Starlette(routes=[Route("/api/v1/streaming/hashtag", stream)])
    with live_server(app) as url, mastodon_http(url, "token", policy=LOOPBACK) as http:
        MastodonStream(http, lambda p: None, ChannelHealth("mastodon"), hashtag="acme").run(StopFlag())
    assert seen[0].query_params["tag"] == "acme"


def test_stalled_stream_times_out_and_reconnects() -> None:
    def stalled() -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b":)\n"
            import asyncio

            await asyncio.sleep(30)  # not a wait: the stall, far beyond the read timeout
            yield b""

        return StreamingResponse(body(), media_type="text/event-stream")

    async def stream(request: Request) -> Response:
        return stalled()

    stop = StopFlag()
    time = FakeTime(stop, stop_after=2)
    app = Starlette(routes=[Route("/api/v1/streaming/user", stream)])
    with live_server(app) as url, mastodon_http(url, "token", policy=LOOPBACK) as http:
        MastodonStream(
            http, lambda p: None, ChannelHealth("mastodon"), sleep=time.sleep, clock=time, read_timeout=3.0
        ).run(stop)
    assert time.sleeps == [1.0, 1.0]  # each connection succeeded, so the schedule restarts


def test_poller_pages_with_link_headers_and_saves_the_cursor_after_the_callback() -> None:
    page = load("mastodon", "notifications_page.json")
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if "max_id" not in request.url.params:
            link = (
                '<https://mastodon.test/api/v1/notifications?max_id=34975861>; rel="next", '
                '<https://mastodon.test/api/v1/notifications?min_id=34975870>; rel="prev"'
            )
            return httpx.Response(200, json=page, headers={"Link": link})
        return httpx.Response(200, json=[])

    batches: list[list[dict[str, Any]]] = []
    cursors = MemoryCursorStore({KEY: "34975800"})
    http = mastodon_http("https://mastodon.test", "t", transport=httpx.MockTransport(handler))
    MastodonPoller(http, batches.append, ChannelHealth("mastodon"), cursors).poll_once()
    [batch] = batches
    assert [p["id"] for p in batch] == ["112203040506070809", "112203090000000000"]  # oldest first
    assert cursors.get(KEY) == "34975870"
    first, second = requests[0].url.params, requests[1].url.params
    assert first.get_list("types[]") == ["mention"]
    assert first["since_id"] == second["since_id"] == "34975800"
    assert second["max_id"] == "34975861"


def test_poller_run_breaks_on_401_after_backing_off() -> None:
    answers = [
        httpx.Response(502),
        httpx.Response(200, json=[]),
        httpx.Response(401, json={"error": "revoked"}),
    ]
    stop = StopFlag()
    time = FakeTime(stop, stop_after=10)
    http = mastodon_http("https://m.test", "t", transport=httpx.MockTransport(lambda r: answers.pop(0)))
    health = ChannelHealth("mastodon")
    MastodonPoller(
        http, lambda p: None, health, MemoryCursorStore(), interval=60, sleep=time.sleep, clock=time
    ).run(stop)
    assert time.sleeps == [1.0, 60.0]
    assert health.snapshot().last_error == "HTTP 401: revoked"
    assert time.now() > T0
