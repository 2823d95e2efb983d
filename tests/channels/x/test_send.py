from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from socialdesk.channels.framework import ChannelAuthError, SendRefused
from socialdesk.channels.x.client import XRulesClient, x_http
from socialdesk.channels.x.rules import XRule
from socialdesk.channels.x.send import XSender
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendUnconfirmed
from tests.channels.support import load

QUEUED = datetime(2024, 4, 3, 17, 49, tzinfo=UTC)


def item(**payload: Any) -> OutboxItem:
    base = {
        "text": "@danaw Sorry about that, we're on it ^AB",
        "visibility": "public",
        "in_reply_to": "1775583219848794370",
        "conversation_id": 7,
        "recipient": "danaw",
    }
    return OutboxItem(1, 1, 10, "x", "key-1", {**base, **payload}, "pending", 0, QUEUED)


class FakeX:
    def __init__(self, routes: dict[tuple[str, str], httpx.Response]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.routes[(request.method, request.url.path)]

    def body(self, index: int) -> Any:
        return json.loads(self.requests[index].content)


def sender(fake: FakeX) -> XSender:
    return XSender(
        x_http("user-token", base_url="https://api.x.test", transport=httpx.MockTransport(fake)), "783214"
    )


def test_public_reply_posts_in_reply_to() -> None:
    fake = FakeX({("POST", "/2/tweets"): httpx.Response(201, json=load("x", "create_tweet_response.json"))})
    assert sender(fake).send(item()).external_id == "1775600000000000001"
    assert fake.body(0) == {
        "text": "@danaw Sorry about that, we're on it ^AB",
        "reply": {"in_reply_to_tweet_id": "1775583219848794370"},
    }


def test_too_long_for_x_is_refused_before_any_request() -> None:
    fake = FakeX({})
    with pytest.raises(SendRefused, match="280"):
        sender(fake).send(item(text="漢" * 141))  # CJK weighs 2: 282
    assert fake.requests == []


def test_direct_message_looks_up_the_recipient_once() -> None:
    fake = FakeX(
        {
            ("GET", "/2/users/by/username/danaw"): httpx.Response(
                200, json=load("x", "user_by_username.json")
            ),
            ("POST", "/2/dm_conversations/with/1266396210433814528/messages"): httpx.Response(
                201, json=load("x", "create_dm_response.json")
            ),
        }
    )
    x = sender(fake)
    assert x.send(item(visibility="private", text="Could you DM your account number?")).external_id == (
        "1775600000000000077"
    )
    x.send(item(visibility="private", text="again"))
    assert [r.url.path for r in fake.requests].count("/2/users/by/username/danaw") == 1
    assert fake.body(1) == {"text": "Could you DM your account number?"}


def test_find_sent_matches_a_reply_whose_link_x_rewrote() -> None:
    fake = FakeX({("GET", "/2/users/783214/tweets"): httpx.Response(200, json=load("x", "user_tweets.json"))})
    reply = item(text="@danaw Sorry about that, see https://status.example.com/incidents/1 ^AB")
    assert sender(fake).find_sent(reply) is not None
    assert fake.requests[0].url.params["start_time"] == "2024-04-03T17:47:00Z"
    assert sender(fake).find_sent(item(text="something else")) is None
    assert sender(fake).find_sent(replace(reply, payload={**reply.payload, "in_reply_to": "1"})) is None


def test_find_sent_for_a_direct_message() -> None:
    fake = FakeX(
        {
            ("GET", "/2/users/by/username/danaw"): httpx.Response(
                200, json=load("x", "user_by_username.json")
            ),
            ("GET", "/2/dm_conversations/with/1266396210433814528/dm_events"): httpx.Response(
                200, json=load("x", "dm_events.json")
            ),
        }
    )
    dm = item(visibility="private", text="Thanks Dana, could you send your account number? ^AB")
    found = sender(fake).find_sent(dm)
    assert found is not None and found.external_id == "1775600000000000077"


def test_duplicate_content_is_recovered_not_failed() -> None:
    fake = FakeX(
        {
            ("POST", "/2/tweets"): httpx.Response(403, json=load("x", "error_403_duplicate.json")),
            ("GET", "/2/users/783214/tweets"): httpx.Response(200, json=load("x", "user_tweets.json")),
        }
    )
    found = sender(fake).send(item(text="@danaw Sorry about that, see https://t.co/AbCdEf12 ^AB"))
    assert found.external_id == "1775600000000000001"


def test_revoked_token_is_an_auth_error() -> None:
    fake = FakeX({("POST", "/2/tweets"): httpx.Response(401, json=load("x", "error_401_unauthorized.json"))})
    with pytest.raises(ChannelAuthError, match="401"):
        sender(fake).send(item())


def test_rules_sync_deletes_stale_and_adds_missing() -> None:
    fake = FakeX(
        {
            ("GET", "/2/tweets/search/stream/rules"): httpx.Response(200, json=load("x", "rules_list.json")),
            ("POST", "/2/tweets/search/stream/rules"): httpx.Response(
                200, json=load("x", "rules_add_response.json")
            ),
        }
    )
    http = x_http("app", base_url="https://api.x.test", transport=httpx.MockTransport(fake))
    wanted = [XRule("@acmesupport", "acme-brand"), XRule("(acme OR acmecorp) outage", "acme-outages")]
    report = XRulesClient(http).sync(wanted)
    assert report["deleted"] == ["1775580000000000002"]
    assert fake.body(1) == {"delete": {"ids": ["1775580000000000002"]}}
    assert fake.body(2) == {"add": [{"value": "(acme OR acmecorp) outage", "tag": "acme-outages"}]}
    assert report["added"][0]["id"] == "1775580000000000003"


class PagedX:
    """GET /2/users/:id/tweets in pages of ``max_results`` with ``meta.next_token``, newest first."""

    def __init__(self, tweets: list[dict[str, Any]]) -> None:
        self.tweets = tweets
        self.pages = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.pages += 1
        size = int(request.url.params["max_results"])
        start = int(request.url.params.get("pagination_token", "0"))
        meta: dict[str, Any] = {"result_count": len(self.tweets[start : start + size])}
        if start + size < len(self.tweets):
            meta["next_token"] = str(start + size)
        return httpx.Response(200, json={"data": self.tweets[start : start + size], "meta": meta})


def _tweet(n: int, text: str) -> dict[str, Any]:
    replied = [{"type": "replied_to", "id": "1775583219848794370"}]
    return {
        "id": str(1_800_000 + n),
        "text": text,
        "created_at": "2024-04-03T17:50:00Z",
        "referenced_tweets": replied,
    }


def test_find_sent_pages_through_every_tweet_since_the_attempt() -> None:
    tweets = [_tweet(n, f"other {n}") for n in range(250)] + [
        _tweet(999, "@danaw Sorry about that, we're on it ^AB")
    ]
    fake = PagedX(tweets)
    x = XSender(x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(fake)), "783214")
    found = x.find_sent(replace(item(), attempted_at=QUEUED))
    assert found is not None and found.external_id == "1800999"
    assert fake.pages == 3


def test_find_sent_says_so_when_its_page_budget_runs_out() -> None:
    fake = PagedX([_tweet(n, f"other {n}") for n in range(500)])
    x = XSender(
        x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(fake)),
        "783214",
        find_pages=3,
    )
    with pytest.raises(SendUnconfirmed, match="300 latest tweets"):
        x.find_sent(replace(item(), attempted_at=QUEUED))


def test_find_sent_pages_through_the_direct_messages_since_the_attempt() -> None:
    text = "Thanks Dana, could you send your account number? ^AB"
    customer = [
        {"id": str(n), "event_type": "MessageCreate", "sender_id": "1266", "text": f"more {n}",
         "created_at": "2024-04-03T17:55:00.000Z"}
        for n in range(150)
    ]  # fmt: skip
    ours = {"id": "77", "event_type": "MessageCreate", "sender_id": "783214", "text": text,
            "created_at": "2024-04-03T17:50:00.000Z"}  # fmt: skip
    fake = PagedX([*customer, ours])
    x = XSender(x_http("t", base_url="https://api.x.test", transport=httpx.MockTransport(fake)), "783214")
    dm = replace(item(visibility="private", text=text, recipient_id="1266"), attempted_at=QUEUED)
    found = x.find_sent(dm)
    assert found is not None and found.external_id == "77"
    assert fake.pages == 2
