"""send.py offline: deterministic record keys and the replies Bluesky would refuse."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.bluesky.send import BlueskySender, reply_rkey, tid
from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession
from socialdesk.channels.framework import SendRefused
from socialdesk.ports.inbox import OutboxItem

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")  # the atproto TID syntax


def item(key: str = "k1", **payload: Any) -> OutboxItem:
    body = {"text": "Sorry about that!", "visibility": "public", "in_reply_to": None, "conversation_id": 1}
    return OutboxItem(1, 1, 7, "bluesky", key, {**body, **payload}, "pending", 0, T0)


def test_tid_is_valid_and_sorts_by_time() -> None:
    early, late = tid(T0, 5), tid(datetime(2026, 1, 5, 9, 0, 0, 1, tzinfo=UTC), 0)
    assert TID.match(early) and TID.match(late)
    assert early < late


def test_reply_rkey_is_stable_per_item_and_differs_between_keys() -> None:
    assert reply_rkey(item("k1")) == reply_rkey(item("k1", text="edited"))
    assert reply_rkey(item("k1")) != reply_rkey(item("k2"))


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"text": "   "}, "empty"),
        ({"visibility": "private"}, "a chat message, not a post record"),
        ({"text": "é" * 301}, "301 of Bluesky's 300"),
    ],
)
def test_refused_before_any_network_call(payload: dict[str, Any], reason: str) -> None:
    session = XrpcSession("http://127.0.0.1:1", Credentials("acme.test", "x"))
    sender = BlueskySender(session, IdentityResolver(plc_url="http://127.0.0.1:1"))
    with pytest.raises(SendRefused, match=reason):
        sender.build_record(item(**payload))


def test_limits_are_300_graphemes_and_3000_bytes() -> None:
    family = "👩‍👩‍👧"  # one grapheme, five code points, 18 bytes
    session = XrpcSession("http://127.0.0.1:1", Credentials("acme.test", "x"))
    sender = BlueskySender(session, IdentityResolver(plc_url="http://127.0.0.1:1"))
    record = sender.build_record(item(text="é" * 300))
    assert record["text"] == "é" * 300
    assert record["socialdeskKey"] == "k1"
    assert "reply" not in record
    assert sender.build_record(item(text=family * 150))["text"] == family * 150
    with pytest.raises(SendRefused, match="3000 bytes"):
        sender.build_record(item(text=family * 200))  # 200 graphemes, 3600 bytes
