"""Replies through the Graph API against a fake Graph on loopback: comment replies, private replies,
Messenger and Instagram messages in and out of the 24-hour window, never twice, Graph's error codes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialdesk.channels.connect import Connector, FernetSealer
from socialdesk.channels.crypto import new_key
from socialdesk.channels.framework import SendRefused
from socialdesk.channels.meta.graph import NEEDS_REAUTHORISATION, GraphRateLimited, TokenInvalid, graph_http
from socialdesk.channels.meta.send import MetaSender
from socialdesk.channels.senders import AccountSender
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.channels.url_policy import AddressNotAllowed, UrlPolicy
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from tests.channels.meta.fake_graph import FakeGraph, graph_error
from tests.channels.support import LOOPBACK, live_server

PAGE_ID = "104912345678901"
TOKEN = "EAAG-page-token"
NOW = datetime(2024, 4, 4, 12, 0, tzinfo=UTC)
COMMENT = "889900112233_551122334455"
CUSTOMER = "6021887766554433"


def item(channel: str = "facebook", **payload: Any) -> OutboxItem:
    base = {"text": "Sorry about that, we're on it ^AB", "visibility": "public", "in_reply_to": COMMENT}
    return OutboxItem(
        1, 1, 10, channel, "key-1", {**base, **payload}, "pending", 0, NOW - timedelta(minutes=1)
    )


def dm(**payload: Any) -> OutboxItem:
    fields: dict[str, Any] = {"in_reply_to": "m_AbCdEf0123456789", "recipient_id": CUSTOMER, **payload}
    return item(visibility="private", **fields)


@pytest.fixture
def graph() -> Iterator[tuple[FakeGraph, str]]:
    fake = FakeGraph(PAGE_ID, TOKEN, NOW)
    with live_server(fake.app()) as url:
        yield fake, url


def sender(
    graph: tuple[FakeGraph, str], *, edge: str = "comments", platform: str = "messenger"
) -> MetaSender:
    http = graph_http(TOKEN, base_url=graph[1], policy=LOOPBACK)
    return MetaSender(http, PAGE_ID, platform=platform, reply_edge=edge, now=lambda: NOW)


def posts(fake: FakeGraph) -> list[tuple[str, str]]:
    return [r for r in fake.requests if r[0] == "POST"]


def test_a_comment_reply_is_posted_under_the_comment_and_found_again(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    out = sender(graph).send(item())
    assert fake.comments[COMMENT][0]["message"] == "Sorry about that, we're on it ^AB"
    assert out.external_id == fake.comments[COMMENT][0]["id"]
    assert posts(fake) == [("POST", f"/v19.0/{COMMENT}/comments")]
    # The answer was lost: the dispatcher asks before resending, and the reply is found, not re-posted.
    again = sender(graph).find_sent(replace(item(), attempted_at=NOW - timedelta(seconds=30)))
    assert again is not None and again.external_id == out.external_id
    assert len(posts(fake)) == 1


def test_find_sent_pages_back_through_other_replies(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    fake.page_size = 2
    sender(graph).send(item())
    for n in range(5):
        fake.comments[COMMENT].append(
            {
                "id": f"c{n}",
                "message": f"me too {n}",
                "from": {"id": "77"},
                "created_time": "2024-04-04T12:00:00+0000",
            }
        )
    found = sender(graph).find_sent(replace(item(), attempted_at=NOW))
    assert found is not None and found.external_id == fake.comments[COMMENT][0]["id"]
    assert sender(graph).find_sent(replace(item(text="another answer"), attempted_at=NOW)) is None


def test_an_instagram_reply_uses_the_replies_edge(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    sender(graph, edge="replies", platform="instagram").send(
        item("instagram", in_reply_to="17865799348089039")
    )
    assert posts(fake) == [("POST", "/v19.0/17865799348089039/replies")]


def test_a_private_reply_to_a_comment_goes_once(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    private = item(visibility="private", recipient_id="7310045566778899")  # the commenter's id: no PSID
    out = sender(graph).send(private)
    assert fake.private_replies == {COMMENT: out.external_id}
    assert sender(graph).find_sent(replace(private, attempted_at=NOW)) is None  # cannot be looked up...
    with pytest.raises(SendRefused, match="2018278"):  # ...and Meta refuses a second one
        sender(graph).send(private)
    assert len(fake.private_replies) == 1


def test_a_message_inside_the_24_hour_window_is_sent(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    fake.customer_wrote(CUSTOMER, "my account number is 40112233", NOW - timedelta(hours=23))
    out = sender(graph).send(dm())
    sent = fake.conversations[CUSTOMER][-1]
    assert (sent["id"], sent["from"]["id"], sent["message"]) == (
        out.external_id,
        PAGE_ID,
        dm().payload["text"],
    )
    found = sender(graph).find_sent(replace(dm(), attempted_at=NOW))
    assert found is not None and found.external_id == out.external_id


def test_a_message_outside_the_window_is_refused_with_the_reason(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    fake.customer_wrote(CUSTOMER, "hello?", NOW - timedelta(hours=24, minutes=1))
    with pytest.raises(
        SendRefused,
        match="outside Meta's 24-hour messaging window: the customer last wrote at 2024-04-03 11:59 UTC",
    ):
        sender(graph).send(dm())
    with pytest.raises(SendRefused, match="has not written"):
        sender(graph).send(dm(recipient_id="1234"))
    assert posts(fake) == []  # nothing was sent


def test_an_instagram_message_over_1000_bytes_is_refused_before_any_request(
    graph: tuple[FakeGraph, str],
) -> None:
    fake, _ = graph
    long = item("instagram", visibility="private", recipient_id=CUSTOMER, text="é" * 501)  # 1,002 bytes
    with pytest.raises(SendRefused, match="1002 of the 1000"):
        sender(graph, platform="instagram").send(long)
    assert fake.requests == []


@pytest.mark.parametrize("code", [190, 102])
def test_an_expired_or_revoked_token_needs_reauthorisation(graph: tuple[FakeGraph, str], code: int) -> None:
    fake, _ = graph
    fake.errors.append(graph_error(code, "Error validating access token: Session has expired", subcode=463))
    with pytest.raises(TokenInvalid, match=f"{NEEDS_REAUTHORISATION}: .*Graph error {code}/463"):
        sender(graph).send(item())
    assert fake.comments == {}


def test_a_wrong_token_is_graphs_code_190(graph: tuple[FakeGraph, str]) -> None:
    fake, url = graph
    http = graph_http("revoked-token", base_url=url, policy=LOOPBACK)
    with pytest.raises(TokenInvalid, match=NEEDS_REAUTHORISATION):
        MetaSender(http, PAGE_ID, platform="messenger", reply_edge="comments", now=lambda: NOW).send(item())
    assert fake.comments == {}


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_rate_limits_are_retried_later(graph: tuple[FakeGraph, str], code: int) -> None:
    fake, _ = graph
    fake.errors.append(graph_error(code, "(#4) Application request limit reached"))
    with pytest.raises(GraphRateLimited, match=f"rate limited by Meta \\(Graph error {code}"):
        sender(graph).send(item())
    assert sender(graph).send(item()).external_id  # the next attempt goes through


def test_the_graph_client_passes_the_url_policy(graph: tuple[FakeGraph, str]) -> None:
    fake, url = graph
    http = graph_http(TOKEN, base_url=url, policy=UrlPolicy())  # public addresses only
    with pytest.raises(AddressNotAllowed):
        MetaSender(http, PAGE_ID, platform="messenger", reply_edge="comments").send(item())
    assert fake.requests == []


def test_after_code_190_sending_is_blocked_until_a_new_token_resumes_it(graph: tuple[FakeGraph, str]) -> None:
    """The dispatcher's sender for a Page: a revoked token blocks it with the reason, calling Graph no
    more; rotating the token (new sealed credentials) builds a new sender on the same account."""
    fake, url = graph
    key = new_key()

    def sealed(token: str) -> str:
        return FernetSealer(key).seal({"page_token": token, "app_secret": "s", "verify_token": "v"})

    settings = {"page_id": PAGE_ID, "api_url": url}
    account = ChannelAccount(7, 1, "facebook", PAGE_ID, settings, sealed(TOKEN), True, NOW)
    accounts = [account]
    connector = Connector(key, url_policy=LOOPBACK)
    senders = AccountSender("facebook", lambda: accounts, connector, SimulatedSender(), refresh_seconds=0)
    fake.token = "the-page-token-after-a-password-change"
    with pytest.raises(TokenInvalid, match=NEEDS_REAUTHORISATION):
        senders.send(item())
    heard = len(fake.requests)
    with pytest.raises(TokenInvalid, match="Graph error 190"):  # the same reason, without asking Graph
        senders.find_sent(replace(item(), attempted_at=NOW))
    with pytest.raises(TokenInvalid, match="Graph error 190"):
        senders.send(item())
    assert len(fake.requests) == heard

    accounts[0] = replace(account, sealed_credentials=sealed(fake.token))
    assert senders.send(item()).external_id == fake.comments[COMMENT][0]["id"]


def test_a_comment_is_hidden_shown_again_and_deleted(graph: tuple[FakeGraph, str]) -> None:
    fake, _ = graph
    sender(graph).hide_comment(COMMENT)
    assert fake.hidden == {COMMENT: "is_hidden=true"}
    sender(graph).hide_comment(COMMENT, hidden=False)
    assert fake.hidden == {COMMENT: "is_hidden=false"}
    instagram = MetaSender(
        graph_http(TOKEN, base_url=graph[1], policy=LOOPBACK), PAGE_ID,
        platform="instagram", reply_edge="replies", hide_field="hide",
    )  # fmt: skip
    instagram.hide_comment("17865799348089039")
    assert fake.hidden["17865799348089039"] == "hide=true"
    sender(graph).delete_comment(COMMENT)
    assert fake.deleted == [COMMENT]
    with pytest.raises(SendRefused, match="no comment id"):
        sender(graph).delete_comment("../me/messages")
    assert fake.deleted == [COMMENT]
