from __future__ import annotations

from typing import Any

import httpx
import pytest

from socialdesk.channels.framework import ChannelHealth, HealthState, MemoryCursorStore, StopFlag
from socialdesk.channels.rss.client import RssPoller
from socialdesk.channels.rss.parse import feed_posts
from tests.channels.support import T0, FakeTime, assert_valid, raw

FEED = "https://status.example.com/history.rss"


def test_rss2_entries() -> None:
    first, second = feed_posts(raw("rss", "rss2_feed.xml"), FEED, T0)
    for post in (first, second):
        assert_valid(post)
        assert post["channel"] == "rss"
    assert first["id"] == "incident-8812"
    assert first["text"] == (
        "Fibre outage in Leeds\n\nWe are investigating a fibre cut affecting Leeds & Bradford.\n\n"
        "Next update in 30 minutes."
    )
    assert first["created_at"] == "2024-04-03T17:00:00+00:00"
    assert first["author"] == {"id": FEED, "handle": "Acme Status", "name": "Acme Status"}
    assert first["lang"] == "en-us"
    assert second["id"] == "https://status.example.com/incidents/2024-04-02-billing"  # no guid: the link
    assert second["author"]["name"] == "Ops Team"


def test_atom_entries() -> None:
    dated, undated = feed_posts(raw("rss", "atom_feed.xml"), "https://blog.example.com/atom.xml", T0)
    assert_valid(dated)
    assert dated["id"] == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert dated["text"] == "Neue Router-Firmware 2.4\n\nWLAN-Abbrüche behoben.\nBitte aktualisieren."
    assert dated["created_at"] == "2024-04-03T08:30:00+00:00"
    assert dated["author"]["handle"] == "Jana Becker"
    assert dated["lang"] == "de"
    assert undated["created_at"] == T0.isoformat()  # no date: when it was fetched


class FakeFeed:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.changed = False
        self.status: int | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status:
            return httpx.Response(self.status)
        etag = '"v2"' if self.changed else '"v1"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304)
        headers = {"ETag": etag, "Last-Modified": "Wed, 03 Apr 2024 18:00:00 GMT"}
        return httpx.Response(200, content=raw("rss", "rss2_feed.xml"), headers=headers)


def poller(
    fake: FakeFeed, on_posts: Any, cursors: MemoryCursorStore, time: FakeTime | None = None
) -> RssPoller:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    time = time or FakeTime()
    return RssPoller(http, FEED, on_posts, ChannelHealth("rss"), cursors, sleep=time.sleep, clock=time)


def test_conditional_get_and_no_repeats() -> None:
    fake, cursors = FakeFeed(), MemoryCursorStore()
    batches: list[list[dict[str, Any]]] = []
    client = poller(fake, batches.append, cursors)
    assert len(client.poll_once()) == 2
    assert [p["created_at"] for p in batches[0]] == sorted(p["created_at"] for p in batches[0])
    assert client.poll_once() == []  # 304
    assert fake.requests[1].headers["if-none-match"] == '"v1"'
    assert fake.requests[1].headers["if-modified-since"] == "Wed, 03 Apr 2024 18:00:00 GMT"
    fake.changed = True  # new ETag, same entries: nothing is handed over twice
    restarted = poller(fake, batches.append, cursors)
    assert restarted.poll_once() == []
    assert len(batches) == 1


def test_a_failed_callback_keeps_the_cursor() -> None:
    fake, cursors = FakeFeed(), MemoryCursorStore()

    def fail(posts: list[dict[str, Any]]) -> None:
        raise RuntimeError("db down")

    with pytest.raises(RuntimeError):
        poller(fake, fail, cursors).poll_once()
    assert cursors.values == {}
    assert len(poller(fake, lambda p: None, cursors).poll_once()) == 2


def test_gone_feed_is_broken_and_server_errors_back_off() -> None:
    fake = FakeFeed()
    fake.status = 503
    stop = StopFlag()
    time = FakeTime(stop, stop_after=3)
    client = poller(fake, lambda p: None, MemoryCursorStore(), time)
    client.run(stop)
    assert time.sleeps == [60.0, 120.0, 240.0]
    assert client.health.state is HealthState.DEGRADED
    fake.status = 410
    client.run(StopFlag())
    assert client.health.state is HealthState.BROKEN
