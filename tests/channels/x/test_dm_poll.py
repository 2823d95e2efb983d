"""Polling X DMs (GET /2/dm_events): private posts, oldest first, nothing twice, one page at first."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from socialdesk.channels.framework import MemoryCursorStore
from socialdesk.channels.x.client import x_http
from socialdesk.channels.x.dm_poll import XDirectMessages
from tests.channels.support import load

KEY = "x:dm_events:783214"


def reader(
    pages: list[dict[str, Any]], seen: list[httpx.Request], cursors: MemoryCursorStore
) -> XDirectMessages:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/2/dm_events"
        seen.append(request)
        return httpx.Response(200, json=pages.pop(0))

    http = x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(answer))
    return XDirectMessages(http, "783214", cursors)


def test_the_first_poll_takes_one_page_and_later_ones_stop_at_the_cursor() -> None:
    first = load("x", "dm_events_page.json")
    first["meta"]["next_token"] = "older"  # X has more: the first poll does not walk 30 days back
    newer = copy.deepcopy(load("x", "dm_events_page.json"))
    newer["data"].insert(0, {**newer["data"][0], "id": "1775620000000000300", "text": "any news?"})
    newer["meta"]["next_token"] = "older"
    cursors, seen = MemoryCursorStore(), list[httpx.Request]()
    dms = reader([first, newer], seen, cursors)

    posts, cursor = dms.fetch()
    assert [p["id"] for p in posts] == ["1775600000000000077", "1775610000000000101"]  # oldest first
    assert all(p["visibility"] == "private" for p in posts)
    assert (
        seen[0].url.params["event_types"] == "MessageCreate"
        and seen[0].url.params["expansions"] == "sender_id"
    )
    dms.save(cursor)
    assert cursors.get(KEY) == "1775610000000000101"

    posts, cursor = dms.fetch()  # the page holds older events too: the walk stops there
    assert [p["id"] for p in posts] == ["1775620000000000300"]
    assert len(seen) == 2 and "pagination_token" not in seen[1].url.params
    dms.save(cursor)
    assert cursors.get(KEY) == "1775620000000000300"
