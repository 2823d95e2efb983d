"""X's pay-per-use prices applied to exchanges shaped as X documents them (issue 22 item 5)."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx

from socialdesk.channels.x.pricing import PRICES, charge, charge_stream_posts
from socialdesk.domain.api_spend import Charge
from tests.channels.support import load

API = "https://api.x.com"


def _exchange(method: str, path: str, status: int = 200, *, sent: object = None, body: object = None):  # type: ignore[no-untyped-def]
    content = json.dumps(sent).encode() if sent is not None else b""
    request = httpx.Request(method, API + path, content=content)
    return request, httpx.Response(status, json=body if body is not None else {}, request=request)


def test_a_mentions_page_costs_every_post_and_every_expanded_user() -> None:
    page = load("x", "mentions_page_1.json")
    posts, users = len(page["data"]), len(page["includes"]["users"])
    request, response = _exchange("GET", "/2/users/783214/mentions", body=page)
    got = charge(PRICES, request, response)
    assert got == Charge(reads=posts + users, usd=Decimal("0.005") * posts + Decimal("0.010") * users)


def test_direct_message_events_are_billed_as_dm_reads() -> None:
    page = load("x", "dm_events_page.json")
    request, response = _exchange("GET", "/2/dm_events", body=page)
    got = charge(PRICES, request, response)
    assert got.reads >= len(page["data"])
    assert got.usd >= Decimal("0.010") * len(page["data"])


def test_a_user_lookup_is_a_user_read() -> None:
    request, response = _exchange("GET", "/2/users/me", body={"data": {"id": "1", "username": "acme"}})
    assert charge(PRICES, request, response) == Charge(reads=1, usd=Decimal("0.010"))


def test_a_post_costs_more_with_a_url_and_a_dm_is_a_dm_write() -> None:
    plain = _exchange("POST", "/2/tweets", 201, sent={"text": "Sorry about that, Ana ^AB"})
    linked = _exchange("POST", "/2/tweets", 201, sent={"text": "Status: https://status.acme.io ^AB"})
    dm = _exchange("POST", "/2/dm_conversations/with/99/messages", 201, sent={"text": "hi"})
    assert charge(PRICES, *plain) == Charge(writes=1, usd=Decimal("0.015"))
    assert charge(PRICES, *linked) == Charge(writes=1, usd=Decimal("0.200"))
    assert charge(PRICES, *dm) == Charge(writes=1, usd=Decimal("0.015"))


def test_failed_answers_cost_nothing() -> None:
    for status in (400, 401, 429, 503):
        request, response = _exchange("GET", "/2/users/1/mentions", status, body={"data": [{"id": "1"}]})
        assert charge(PRICES, request, response).empty


def test_the_stream_answer_is_never_read_and_its_posts_are_charged_on_delivery() -> None:
    request = httpx.Request("GET", API + "/2/tweets/search/stream")

    def endless() -> object:  # reading it would never end
        raise AssertionError("the stream's body was read")

    response = httpx.Response(200, stream=httpx.ByteStream(b""), request=request)
    response.read = endless  # type: ignore[method-assign]
    assert charge(PRICES, request, response).empty
    assert charge_stream_posts(PRICES, 3) == Charge(reads=3, usd=Decimal("0.015"))


def test_overridden_prices_are_used() -> None:
    prices = {**PRICES, "post_read": Decimal("0.001")}
    page = {"data": [{"id": "1"}, {"id": "2"}]}
    request, response = _exchange("GET", "/2/users/1/mentions", body=page)
    assert charge(prices, request, response).usd == Decimal("0.002")
