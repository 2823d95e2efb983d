from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from socialdesk.channels.framework import ChannelAuthError, SendRefused
from socialdesk.channels.mastodon.client import mastodon_http
from socialdesk.channels.mastodon.send import MastodonSender
from socialdesk.ports.inbox import OutboxItem
from tests.channels.support import load

QUEUED = datetime(2024, 4, 3, 17, 9, tzinfo=UTC)
ORIGINAL = "112203040506070809"


def item(**payload: Any) -> OutboxItem:
    base = {
        "text": "Sorry about that! We're on it ^AB",
        "visibility": "public",
        "in_reply_to": ORIGINAL,
        "conversation_id": 3,
        "recipient": "dana@fosstodon.org",
    }
    return OutboxItem(1, 1, 10, "mastodon", "idem-42", {**base, **payload}, "pending", 0, QUEUED)


class FakeMastodon:
    def __init__(self, original_visibility: str = "unlisted", post_status: int = 200) -> None:
        self.original = {**load("mastodon", "status_mention.json"), "visibility": original_visibility}
        self.post_status = post_status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "GET" and path == f"/api/v1/statuses/{ORIGINAL}":
            return httpx.Response(200, json=self.original)
        if request.method == "POST" and path == "/api/v1/statuses":
            if self.post_status == 401:
                return httpx.Response(401, json=load("mastodon", "error_401.json"))
            return httpx.Response(200, json=load("mastodon", "status_created.json"))
        if path == "/api/v1/accounts/verify_credentials":
            return httpx.Response(200, json=load("mastodon", "account_verify_credentials.json"))
        if path == "/api/v1/accounts/108000000000000001/statuses":
            if "max_id" in request.url.params:  # the fixture is the brand's whole timeline
                return httpx.Response(200, json=[])
            return httpx.Response(200, json=load("mastodon", "account_statuses.json"))
        return httpx.Response(404, json={"error": "Record not found"})

    def posted(self) -> dict[str, Any]:
        post = next(r for r in self.requests if r.method == "POST")
        return dict(json.loads(post.content)) | {"Idempotency-Key": post.headers["idempotency-key"]}


def sender(fake: FakeMastodon) -> MastodonSender:
    return MastodonSender(mastodon_http("https://mastodon.test", "t", transport=httpx.MockTransport(fake)))


@pytest.mark.parametrize("original", ["public", "unlisted", "private", "direct"])
def test_public_reply_matches_the_original_visibility_and_mentions_its_author(original: str) -> None:
    fake = FakeMastodon(original)
    assert sender(fake).send(item()).external_id == "112203099999999999"
    assert fake.posted() == {
        "status": "@dana@fosstodon.org Sorry about that! We're on it ^AB",
        "visibility": original,
        "in_reply_to_id": ORIGINAL,
        "Idempotency-Key": "idem-42",
    }


def test_private_reply_is_direct_and_an_existing_mention_is_not_repeated() -> None:
    fake = FakeMastodon("public")
    sender(fake).send(item(visibility="private", text="@dana please send your account number"))
    assert fake.posted()["visibility"] == "direct"
    assert fake.posted()["status"] == "@dana please send your account number"


def test_private_message_without_a_parent_goes_to_the_recipient() -> None:
    fake = FakeMastodon()
    sender(fake).send(item(visibility="private", in_reply_to=None, text="hello"))
    assert fake.posted()["status"] == "@dana@fosstodon.org hello"
    assert "in_reply_to_id" not in fake.posted()


def test_500_characters_with_links_counting_23() -> None:
    fake = FakeMastodon()
    mention = len("@dana ")  # the remote domain of a mention does not count
    fits = "x" * (500 - mention - 24) + " https://example.com/" + "a" * 200
    sender(fake).send(item(text=fits))
    with pytest.raises(SendRefused, match="501 of Mastodon's 500"):
        sender(fake).send(item(text="y" + fits))


def test_find_sent_sees_the_brand_reply_already_posted() -> None:
    fake = FakeMastodon()
    found = sender(fake).find_sent(item(text="@dana Sorry about that! We're on it ^AB"))
    assert found is not None and found.external_id == "112203050000000001"
    assert sender(fake).find_sent(item(text="Sorry about that! We're on it ^AB")) is not None
    assert sender(fake).find_sent(item(text="a different reply")) is None
    assert sender(fake).find_sent(item(in_reply_to="1")) is None


def test_revoked_token() -> None:
    with pytest.raises(ChannelAuthError):
        sender(FakeMastodon(post_status=401)).send(item())
