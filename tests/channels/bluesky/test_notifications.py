"""notifications.py against a listNotifications page.

The page (fixtures/notifications_page.json) is built on the lexicon of
``app.bsky.notification.listNotifications`` around records the reference PDS wrote: the local test
network has no AppView to capture one from.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession
from socialdesk.channels.framework import MemoryCursorStore

PAGE = json.loads((Path(__file__).parent / "fixtures" / "notifications_page.json").read_text())
Load = Callable[[str], dict[str, Any]]


def transport(pages: list[dict[str, Any]], calls: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.path.endswith("createSession"):
            return httpx.Response(
                200, json={"accessJwt": "a", "refreshJwt": "r", "did": "did:plc:brand", "handle": "acme.test"}
            )
        return httpx.Response(200, json=pages.pop(0) if pages else {"notifications": []})

    return httpx.MockTransport(handle)


def poller(
    pages: list[dict[str, Any]], calls: list[httpx.Request], got: list[list[dict[str, Any]]]
) -> NotificationsPoller:
    http = httpx.Client(transport=transport(pages, calls))
    session = XrpcSession("https://pds.example", Credentials("acme.test", "app-pass"), http=http)
    return NotificationsPoller(session, got.append, MemoryCursorStore())


def test_mentions_and_replies_oldest_first_then_nothing_twice(record_fixture: Load) -> None:
    calls: list[httpx.Request] = []
    got: list[list[dict[str, Any]]] = []
    p = poller([PAGE, {"notifications": []}, PAGE], calls, got)
    assert p.poll_once() == 2
    [batch] = got
    assert [post["id"] for post in batch] == [
        record_fixture("reply")["uri"],
        record_fixture("post_mention")["uri"],
    ]
    assert batch[0]["author"] == {
        "id": record_fixture("reply")["author"]["did"],
        "handle": "carol-customer.test",
        "name": "Carol",
    }
    assert batch[0]["in_reply_to"] == record_fixture("post")["uri"]
    assert p.cursors.get(p.cursor_key) == "2026-01-05T09:20:00.400Z"  # the newest seen, the like too
    listing = calls[-1]
    assert listing.headers["Authorization"] == "Bearer a"
    assert listing.url.params.get_list("reasons") == ["mention", "reply", "quote"]
    assert p.poll_once() == 0  # the same page again: all already handed over
    assert len(got) == 1


def test_a_failing_callback_keeps_the_cursor() -> None:
    calls: list[httpx.Request] = []

    def refuse(posts: list[dict[str, Any]]) -> None:
        raise RuntimeError("database down")

    http = httpx.Client(transport=transport([PAGE], calls))
    session = XrpcSession("https://pds.example", Credentials("acme.test", "app-pass"), http=http)
    p = NotificationsPoller(session, refuse, MemoryCursorStore())
    with pytest.raises(RuntimeError, match="database down"):
        p.poll_once()
    assert p.cursors.get(p.cursor_key) is None
