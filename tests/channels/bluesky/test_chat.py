"""Bluesky chat (issue 15 item 2): chat messages are private posts, and a private reply is a chat
message sent through the chat service proxy (``atproto-proxy``), never a public post record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from tests.channels.support import assert_valid, load

from socialdesk.channels.bluesky import chat
from socialdesk.channels.bluesky.chat_poll import ChatLog
from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.bluesky.send import BlueskySender
from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession
from socialdesk.channels.framework import MemoryCursorStore, SendRefused
from socialdesk.ports.inbox import OutboxItem

CONVO = "3l7xpzrpfmg2a"
DANA, ACME = "did:plc:dana4u6nsqw3nrr5hd3rgctz", "did:plc:acme7mkk3mkdlujhsxqmgqxe"
QUEUED = datetime(2024, 11, 5, 10, 24, tzinfo=UTC)
TEXT, ASKED = "Thanks Dana, we reset your session", "Hi Dana, could you tell us your customer number?"


def members() -> dict[str, Any]:
    return chat.members_by_did(load("bluesky", "chat_convo.json")["convo"])


def test_get_messages_gives_private_posts_oldest_first_without_deleted_ones() -> None:
    brand, customer = chat.messages_page(load("bluesky", "chat_get_messages.json"), CONVO, members())
    for post in (brand, customer):
        assert_valid(post)
        assert post["visibility"] == "private"
        assert post["conversation_id"] == f"bsky-chat:{CONVO}"
    assert customer["id"] == f"bsky-chat:{CONVO}:3l7xq6zq4xk2b"
    assert customer["author"] == {"id": DANA, "handle": "dana.bsky.social", "name": "Dana W."}
    assert "40112233" in customer["text"]
    assert customer["created_at"] == "2024-11-05T10:21:07.512000Z"
    assert brand["author"]["handle"] == "acme.bsky.social"  # the brand's own message: outbound
    assert chat.convo_of(customer["id"]) == CONVO
    assert chat.convo_of("at://did:plc:x/app.bsky.feed.post/3k") is None


def test_get_log_gives_the_created_messages_only() -> None:
    [post] = chat.log_page(load("bluesky", "chat_get_log.json"), {CONVO: members()})
    assert_valid(post)
    assert post["id"] == f"bsky-chat:{CONVO}:3l7xq6zq4xk2b" and post["visibility"] == "private"
    [unknown] = chat.log_page(load("bluesky", "chat_get_log.json"), {})
    assert unknown["author"] == {"id": DANA, "handle": DANA}  # no profile known: the DID stands in


class FakePds:
    """The brand's PDS: a session, and the chat methods, which must carry the chat proxy header."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            return httpx.Response(
                200, json={"accessJwt": "a", "refreshJwt": "r", "did": ACME, "handle": "acme.bsky.social"}
            )
        body = json.loads(request.content) if request.content else dict(request.url.params.multi_items())
        self.calls.append((nsid, request.headers.get("atproto-proxy", ""), body))
        if request.headers.get("atproto-proxy") != chat.CHAT_PROXY:
            return httpx.Response(400, json={"error": "MethodNotImplemented", "message": nsid})
        answers = {
            "chat.bsky.convo.getConvoForMembers": "chat_convo.json",
            "chat.bsky.convo.sendMessage": "chat_send_message.json",
            "chat.bsky.convo.getMessages": "chat_get_messages.json",
        }
        return httpx.Response(200, json=load("bluesky", answers[nsid]))


def sender(fake: FakePds) -> BlueskySender:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    session = XrpcSession("https://pds.test", Credentials("acme.bsky.social", "pw"), http=http)
    return BlueskySender(session, IdentityResolver(plc_url="https://plc.test", http=http))


def item(**payload: Any) -> OutboxItem:
    base = {
        "text": "Thanks Dana, we reset your session",
        "visibility": "private",
        "recipient": "dana.bsky.social",
    }
    return OutboxItem(1, 1, 10, "bluesky", "key-1", {**base, **payload}, "pending", 0, QUEUED)


def test_a_private_reply_in_a_chat_is_a_chat_message_through_the_proxy() -> None:
    fake = FakePds()
    result = sender(fake).send(item(in_reply_to=f"bsky-chat:{CONVO}:3l7xq6zq4xk2b"))
    assert result.external_id == f"bsky-chat:{CONVO}:3l7xq9eeeee2b"
    assert fake.calls == [
        (
            "chat.bsky.convo.sendMessage",
            chat.CHAT_PROXY,
            {"convoId": CONVO, "message": {"text": "Thanks Dana, we reset your session"}},
        )
    ]


def test_a_private_reply_to_a_public_post_opens_the_chat_with_its_author() -> None:
    fake = FakePds()
    post_uri = f"at://{DANA}/app.bsky.feed.post/3l7xp2aaaaa2b"
    sender(fake).send(item(in_reply_to=post_uri))
    assert [(nsid, body) for nsid, _, body in fake.calls] == [
        ("chat.bsky.convo.getConvoForMembers", {"members": DANA}),
        (
            "chat.bsky.convo.sendMessage",
            {"convoId": CONVO, "message": {"text": "Thanks Dana, we reset your session"}},
        ),
    ]


def test_find_sent_finds_the_brand_s_message_in_the_chat() -> None:
    fake = FakePds()
    in_chat = f"bsky-chat:{CONVO}:x"
    assert sender(fake).find_sent(item(in_reply_to=in_chat, text=ASKED)) is None  # sent before it was queued
    payload = {**item().payload, "in_reply_to": in_chat, "text": ASKED}
    early = OutboxItem(
        1, 1, 10, "bluesky", "k", payload, "pending", 0, datetime(2024, 11, 5, 10, 18, tzinfo=UTC)
    )
    again = sender(fake).find_sent(early)
    assert again is not None and again.external_id == f"bsky-chat:{CONVO}:3l7xq4bbbbb2b"
    assert {proxy for _, proxy, _ in fake.calls} == {chat.CHAT_PROXY}


def test_a_chat_message_over_1000_characters_is_refused_before_any_call() -> None:
    fake = FakePds()
    with pytest.raises(SendRefused, match="at most 1000"):
        sender(fake).send(item(text="é" * 1001, in_reply_to=f"bsky-chat:{CONVO}:x"))
    assert fake.calls == []


class FakeChatLog(FakePds):
    """The PDS answering the chat log: the fixture page without a cursor, nothing new after it."""

    def __init__(self, chat_allowed: bool = True) -> None:
        super().__init__()
        self.chat_allowed = chat_allowed

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.removeprefix("/xrpc/")
        if nsid == "app.bsky.notification.listNotifications":
            return httpx.Response(200, json={"notifications": []})
        if nsid.startswith("chat.") and not self.chat_allowed:
            self.calls.append((nsid, request.headers.get("atproto-proxy", ""), None))
            return httpx.Response(401, json={"error": "InvalidToken", "message": "Bad token scope"})
        if nsid == "chat.bsky.convo.getLog":
            self.calls.append((nsid, request.headers.get("atproto-proxy", ""), dict(request.url.params)))
            if request.url.params.get("cursor"):
                return httpx.Response(200, json={"logs": [], "cursor": request.url.params["cursor"]})
            return httpx.Response(200, json=load("bluesky", "chat_get_log.json"))
        if nsid == "chat.bsky.convo.getConvo":
            self.calls.append((nsid, request.headers.get("atproto-proxy", ""), dict(request.url.params)))
            return httpx.Response(200, json=load("bluesky", "chat_convo.json"))
        return super().__call__(request)


def chat_poller(
    fake: FakePds, got: list[list[dict[str, Any]]], cursors: MemoryCursorStore
) -> NotificationsPoller:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    session = XrpcSession("https://pds.test", Credentials("acme.bsky.social", "pw"), http=http)
    return NotificationsPoller(session, got.append, cursors, chat=ChatLog(session, cursors))


def test_the_poller_reads_the_chat_log_once_and_saves_its_cursor() -> None:
    fake, cursors = FakeChatLog(), MemoryCursorStore()
    got: list[list[dict[str, Any]]] = []
    poller = chat_poller(fake, got, cursors)
    assert poller.poll_once() == 1
    [[post]] = got
    assert post["visibility"] == "private" and post["author"]["handle"] == "dana.bsky.social"
    assert cursors.get(f"bluesky:chat:{ACME}") == "3l7xq6zq4xq2c"
    assert poller.poll_once() == 0 and len(got) == 1  # nothing twice
    assert {proxy for _, proxy, _ in fake.calls} == {chat.CHAT_PROXY}


def test_without_chat_access_the_notifications_go_on() -> None:
    fake = FakeChatLog(chat_allowed=False)
    got: list[list[dict[str, Any]]] = []
    poller = chat_poller(fake, got, MemoryCursorStore())
    assert poller.poll_once() == 0
    assert poller.poll_once() == 0
    tried = [nsid for nsid, _, _ in fake.calls if nsid.startswith("chat.")]
    assert tried == ["chat.bsky.convo.getLog"] * 2  # the first poll (and its retry with a new token) only
    assert poller.chat is not None and not poller.chat.enabled
