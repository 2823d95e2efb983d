from __future__ import annotations

from typing import Any

import httpx
import pytest

from socialdesk.channels.framework import ChannelHealth, HealthState, MemoryCursorStore, StopFlag
from socialdesk.channels.x.client import XMentionsPoller, x_http
from tests.channels.support import T0, FakeTime, assert_valid, load

KEY = "x:mentions:783214"


class FakeMentions:
    def __init__(self, responses: list[httpx.Response]) -> None:
        self.responses = responses
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/2/users/783214/mentions"
        self.requests.append(request)
        return self.responses.pop(0)


def poller(fake: FakeMentions, on_posts: Any, cursors: MemoryCursorStore, time: FakeTime) -> XMentionsPoller:
    http = x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(fake))
    return XMentionsPoller(
        http, "783214", on_posts, ChannelHealth("x"), cursors, interval=30, sleep=time.sleep, clock=time
    )


def test_all_pages_go_to_one_callback_oldest_first_then_the_cursor_moves() -> None:
    fake = FakeMentions(
        [
            httpx.Response(200, json=load("x", "mentions_page_1.json")),
            httpx.Response(200, json=load("x", "mentions_page_2.json")),
            httpx.Response(200, json=load("x", "mentions_empty.json")),
        ]
    )
    batches: list[list[dict[str, Any]]] = []
    cursors = MemoryCursorStore({KEY: "1775580000000000000"})
    client = poller(fake, batches.append, cursors, FakeTime())
    client.poll_once()
    [batch] = batches
    assert [p["id"] for p in batch] == ["1775590000000000001", "1775590000000000002", "1775590000000000003"]
    for post in batch:
        assert_valid(post)
    assert cursors.get(KEY) == "1775590000000000003"  # newest_id of the first page
    first, second = fake.requests[0].url.params, fake.requests[1].url.params
    assert first["since_id"] == second["since_id"] == "1775580000000000000"
    assert "pagination_token" not in first
    assert second["pagination_token"] == "7140dibdnow9c7btw3z2vwioavpvutgzrzm9icis4ndix"
    assert first["expansions"] == "author_id"
    client.poll_once()  # nothing new: no callback, cursor unchanged
    assert len(batches) == 1
    assert fake.requests[2].url.params["since_id"] == "1775590000000000003"


def test_a_failing_callback_leaves_the_cursor_so_nothing_is_lost() -> None:
    page = load("x", "mentions_page_2.json")
    fake = FakeMentions([httpx.Response(200, json=page), httpx.Response(200, json=page)])
    cursors = MemoryCursorStore()
    calls: list[int] = []

    def commit(posts: list[dict[str, Any]]) -> None:
        calls.append(len(posts))
        if len(calls) == 1:
            raise RuntimeError("database is down")

    client = poller(fake, commit, cursors, FakeTime())
    with pytest.raises(RuntimeError):
        client.poll_once()
    assert cursors.get(KEY) is None
    client.poll_once()  # the restart asks again from the same place
    assert "since_id" not in fake.requests[1].url.params
    assert cursors.get(KEY) == "1775590000000000001"
    assert calls == [1, 1]


def test_run_waits_for_the_rate_limit_reset_then_polls_on_interval() -> None:
    reset = str(int(T0.timestamp()) + 300)
    fake = FakeMentions(
        [
            httpx.Response(
                429, json=load("x", "error_429_too_many_requests.json"), headers={"x-rate-limit-reset": reset}
            ),
            httpx.Response(503, json=load("x", "error_503_service_unavailable.json")),
            httpx.Response(200, json=load("x", "mentions_empty.json")),
            httpx.Response(401, json=load("x", "error_401_unauthorized.json")),
        ]
    )
    stop = StopFlag()
    time = FakeTime(stop, stop_after=10)
    client = poller(fake, lambda posts: None, MemoryCursorStore(), time)
    client.run(stop)
    assert time.sleeps == [300.0, 5.0, 30.0]
    assert client.health.state is HealthState.BROKEN
