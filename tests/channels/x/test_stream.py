"""The filtered stream against a fake X on 127.0.0.1 that errors, rate-limits, disconnects and stalls."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from socialdesk.channels.framework import ChannelHealth, HealthState, StopFlag
from socialdesk.channels.x.client import XStream, x_http
from tests.channels.support import LOOPBACK, T0, FakeTime, assert_valid, live_server, load

pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)
RESET_IN = 42  # seconds between the fake clock's "now" and x-rate-limit-reset


# Every answer of the fake server must come within the client's read timeout, on a busy machine too:
# the timeout is far above an answer's time, and the stall far above the timeout.
READ_TIMEOUT = 3.0
STALL = 30.0


def fake_x(script: list[Callable[[], Response]], seen: list[Request]) -> Starlette:
    """Each connection to the stream gets the next response of ``script``."""

    async def stream(request: Request) -> Response:
        seen.append(request)
        return script.pop(0)()

    return Starlette(routes=[Route("/2/tweets/search/stream", stream)])


def problem(name: str, status: int, headers: dict[str, str] | None = None) -> Callable[[], Response]:
    return lambda: JSONResponse(load("x", name), status_code=status, headers=headers)


def lines(*chunks: bytes, stall: float = 0.0) -> Callable[[], Response]:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk
        if stall:
            await asyncio.sleep(stall)  # not a wait: the stall the read timeout must end

    return lambda: StreamingResponse(body(), media_type="application/json")


def line(name: str) -> bytes:
    return json.dumps(load("x", name)).encode() + b"\r\n"


def test_stream_follows_x_reconnect_rules_against_a_live_fake_server() -> None:
    reset_at = str(int(T0.timestamp()) + 5 + RESET_IN)  # the clock has moved 5 s by then
    script = [
        problem("error_503_service_unavailable.json", 503),
        problem("error_429_too_many_requests.json", 429, {"x-rate-limit-reset": reset_at}),
        problem("error_429_too_many_requests.json", 429),
        lines(
            b"\r\n",
            line("stream_tweet.json"),
            b"\r\n",
            line("stream_reply.json"),
            line("stream_operational_disconnect.json"),
        ),
        lines(b"\r\n", stall=STALL),  # stalls: the read timeout ends it
        problem("error_401_unauthorized.json", 401),
    ]
    seen: list[Request] = []
    received: list[dict[str, Any]] = []
    stop = StopFlag()
    time = FakeTime(stop, stop_after=20)
    health = ChannelHealth("x")
    with live_server(fake_x(script, seen)) as url, x_http("app-token", base_url=url, policy=LOOPBACK) as http:
        client = XStream(
            http, received.extend, health, sleep=time.sleep, clock=time, read_timeout=READ_TIMEOUT
        )
        client.run(stop)
    # 503: 5 s; 429 with reset: until the reset; 429 without: the schedule's second step (60, 120);
    # after a good connection the schedules start over: closed stream 0.25 s, stall 0.25 s.
    assert time.sleeps == [5.0, float(RESET_IN), 120.0, 0.25, 0.25]
    assert [p["id"] for p in received] == ["1775583219848794370", "1775583311234567890"]
    for post in received:
        assert_valid(post)
    assert health.state is HealthState.BROKEN
    assert "401" in health.snapshot().last_error
    assert seen[0].query_params["expansions"] == "author_id"
    assert seen[0].headers["authorization"] == "Bearer app-token"
    states = [s.state for s in health.history]
    assert HealthState.CONNECTED in states and HealthState.DEGRADED in states
    degraded = next(s for s in health.history if s.state is HealthState.DEGRADED)
    assert degraded.until is not None and (degraded.until - T0).total_seconds() == 5.0


def _run_mock(handler: Callable[[httpx.Request], httpx.Response], sleeps: int) -> list[float]:
    stop = StopFlag()
    time = FakeTime(stop, stop_after=sleeps)
    with x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(handler)) as http:
        XStream(http, lambda posts: None, ChannelHealth("x"), sleep=time.sleep, clock=time).run(stop)
    return time.sleeps


def test_network_errors_back_off_linearly_by_250_ms_up_to_16_s() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    sleeps = _run_mock(refuse, sleeps=70)
    assert sleeps[:4] == [0.25, 0.5, 0.75, 1.0]
    assert sleeps[63] == 16.0 and sleeps[62] == 15.75
    assert sleeps[64:] == [16.0] * 6


def test_http_errors_back_off_exponentially_from_5_s_up_to_320_s() -> None:
    sleeps = _run_mock(lambda request: httpx.Response(500, json={"title": "boom"}), sleeps=9)
    assert sleeps == [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 320.0, 320.0]


def test_429_backs_off_exponentially_from_a_minute() -> None:
    sleeps = _run_mock(lambda request: httpx.Response(429, json={"title": "Too Many Requests"}), sleeps=4)
    assert sleeps == [60.0, 120.0, 240.0, 480.0]


def test_403_is_broken_without_retrying() -> None:
    assert _run_mock(lambda request: httpx.Response(403, json={"title": "Forbidden"}), sleeps=1) == []
