"""Issue 15, item 2: private messages stay private, end to end (webhook -> inbox -> reply -> network).

An X DM with an account number came in through Account Activity and was stored public; the agent's
default reply to it went out as a public tweet. Here the DM is stored private, the default reply goes
out through X's DM endpoint of a fake X on 127.0.0.1 (never as a tweet), and a public reply needs an
explicit confirmation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from socialdesk.actions.channels.accounts import do_ingest_channel_posts, list_active_channel_accounts
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore
from socialdesk.channels.mastodon.client import MastodonPoller
from tests.channels.bluesky.loopback import FakePds
from tests.channels.mastodon.loopback import FakeMastodon
from tests.channels.support import LOOPBACK, live_server, load, raw
from tests.channels.x.loopback import FakeX
from tests.web.api.test_channels_api import CONSUMER, KEY, Api, x_body
from tests.web.api.test_channels_api import api as api

__all__ = ["api"]  # the fixture, used by name
CUSTOMER_ID = "1266396210433814528"


def x_signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(CONSUMER.encode(), body, hashlib.sha256).digest()
    return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(digest).decode()}


@pytest.fixture
def loopback(api: Api) -> Api:
    """The runtime's senders go through the stored channel accounts, to fakes on 127.0.0.1."""
    runtime = api.runtime
    runtime.settings = runtime.settings.model_copy(
        update={"secret_key": SecretStr(KEY), "allow_private_urls": True}
    )
    runtime.connector = Connector(KEY, clock=runtime.clock, url_policy=LOOPBACK)
    runtime.use_channel_senders()
    return api


@pytest.fixture
def fake_x(loopback: Api) -> Iterator[tuple[FakeX, str]]:
    """A fake X on loopback."""
    fake = FakeX()
    with live_server(fake.app) as base:
        yield fake, base


def dispatch(api: Api) -> None:
    do_dispatch_outbox(api.runtime.uow, api.runtime.senders, api.runtime.clock)


def the_dm_conversation(api: Api, account: dict[str, Any]) -> dict[str, Any]:
    body = raw("x", "aaa_direct_message_account_number.json")
    hook = api.client.post(f"/api/v1/webhooks/x/{account['id']}", content=body, headers=x_signed(body))
    assert hook.status_code == 200 and hook.json()["added"] == 1, hook.text
    [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
    return dict(conv)


def test_an_x_dm_is_stored_private_and_the_default_reply_is_a_dm(api: Api, fake_x: tuple[FakeX, str]) -> None:
    fake, base = fake_x
    account = api.add(x_body(settings={"user_id": "783214", "api_url": base}))
    conv = the_dm_conversation(api, account)
    assert conv["private"] is True
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()
    [dm] = detail["messages"]
    assert "40112233" in dm["text"] and dm["visibility"] == "private"

    sent = api.client.post(
        f"/api/v1/conversations/{conv['id']}/replies",
        json={"text": "Thanks Dana, we see a fault on your line and a technician is booked"},
        headers=api.admin,
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["visibility"] == "private"
    dispatch(api)
    [posted] = fake.posts()
    assert posted.path == f"/2/dm_conversations/with/{CUSTOMER_ID}/messages"  # never POST /2/tweets
    assert posted.body == {"text": "Thanks Dana, we see a fault on your line and a technician is booked"}
    after = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()
    assert after["messages"][-1]["delivery"] == "sent"


def test_a_public_reply_to_a_dm_needs_confirmation(api: Api, fake_x: tuple[FakeX, str]) -> None:
    fake, base = fake_x
    account = api.add(x_body(settings={"user_id": "783214", "api_url": base}))
    conv = the_dm_conversation(api, account)
    url = f"/api/v1/conversations/{conv['id']}/replies"
    text = {"text": "We are looking into it"}

    refused = api.client.post(url, json={**text, "visibility": "public"}, headers=api.admin)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"]["confirm"] == "confirm_public"
    assert "@danaw wrote privately" in refused.json()["detail"]["message"]
    handoff = api.client.post(
        f"/api/v1/conversations/{conv['id']}/handoff",
        json={"to": "dm", "public_reply": "We sent you a DM", "message": "Hi"},
        headers=api.admin,
    )
    assert handoff.status_code == 409 and handoff.json()["detail"]["confirm"] == "confirm_public"
    dispatch(api)
    assert fake.posts() == []  # nothing was queued, nothing went out
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()
    assert len(detail["messages"]) == 1

    confirmed = api.client.post(
        url, json={**text, "visibility": "public", "confirm_public": True}, headers=api.admin
    )
    assert confirmed.status_code == 201 and confirmed.json()["visibility"] == "public"
    dispatch(api)
    [tweet] = fake.posts()
    assert tweet.path == "/2/tweets"
    assert tweet.body == {"text": "We are looking into it ^A"}  # a new tweet: it answers no DM's id


def test_an_explicit_private_reply_in_a_public_conversation_is_a_dm(
    api: Api, fake_x: tuple[FakeX, str]
) -> None:
    fake, base = fake_x
    account = api.add(x_body(settings={"user_id": "783214", "api_url": base}))
    body = raw("x", "aaa_tweet_create_events.json")
    assert (
        api.client.post(f"/api/v1/webhooks/x/{account['id']}", content=body, headers=x_signed(body)).json()[
            "added"
        ]
        == 1
    )
    [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
    assert conv["private"] is False
    url = f"/api/v1/conversations/{conv['id']}/replies"
    default = api.client.post(url, json={"text": "Sorry to hear that"}, headers=api.admin)
    assert default.status_code == 201 and default.json()["visibility"] == "public"
    private = api.client.post(
        url, json={"text": "Could you DM us your account number?", "visibility": "private"}, headers=api.admin
    )
    assert private.status_code == 201 and private.json()["visibility"] == "private"
    too_long = api.client.post(url, json={"text": "x" * 10_001, "visibility": "private"}, headers=api.admin)
    assert too_long.status_code == 422
    dispatch(api)
    assert [p.path for p in fake.posts()] == ["/2/tweets", f"/2/dm_conversations/with/{CUSTOMER_ID}/messages"]


# -- Mastodon: a direct status ---------------------------------------------------------------------


def poll_account(api: Api, account_id: object) -> None:
    """What the channel runner does for the account: one poll, each batch ingested."""
    runtime = api.runtime
    with runtime.uow() as uow:
        [account] = [a for a in list_active_channel_accounts(uow) if a.id == account_id]

    def on_posts(posts: list[dict[str, Any]]) -> None:
        with runtime.uow() as uow:
            do_ingest_channel_posts(uow, account, posts, runtime.clock.now(), runtime.annotator)
            uow.commit()

    health, cursors = ChannelHealth(account.network), MemoryCursorStore()
    poller = runtime.channel_connector().inbound(account, on_posts, health, cursors)
    assert isinstance(poller, MastodonPoller | NotificationsPoller)
    poller.poll_once()


def test_a_mastodon_direct_status_is_private_and_answered_by_a_direct_status(loopback: Api) -> None:
    api = loopback
    fake = FakeMastodon([load("mastodon", "notification_direct_mention.json")])
    with live_server(fake.app) as base:
        masto = {
            "network": "mastodon",
            "handle": "acme",
            "settings": {"instance_url": base, "mode": "poll"},
            "credentials": {"token": "masto-token"},
        }
        account = api.add(masto)
        poll_account(api, account["id"])
        [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
        assert conv["private"] is True
        [dm] = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()["messages"]
        assert dm["visibility"] == "private" and "5551234" in dm["text"]

        url = f"/api/v1/conversations/{conv['id']}/replies"
        public = api.client.post(url, json={"text": "Thanks!", "visibility": "public"}, headers=api.admin)
        assert public.status_code == 409 and public.json()["detail"]["confirm"] == "confirm_public"
        sent = api.client.post(url, json={"text": "Thanks Dana, your account is fixed"}, headers=api.admin)
        assert sent.status_code == 201 and sent.json()["visibility"] == "private"
        dispatch(api)
        [posted] = fake.posted
    assert posted == {
        "status": "@dana@fosstodon.org Thanks Dana, your account is fixed",
        "visibility": "direct",
        "in_reply_to_id": "112203070000000000",
    }


# -- Bluesky: a chat message ------------------------------------------------------------------------


def test_a_bluesky_chat_message_is_private_and_answered_in_the_chat(loopback: Api) -> None:
    api = loopback
    fake = FakePds()
    with live_server(fake.app) as base:
        bluesky = {
            "network": "bluesky",
            "handle": "acme.bsky.social",
            "settings": {"service": base, "plc_url": base},
            "credentials": {"app_password": "app-pass-1"},
        }
        account = api.add(bluesky)
        poll_account(api, account["id"])
        [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
        assert conv["private"] is True and conv["author_handle"] == "dana.bsky.social"
        [dm] = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()["messages"]
        assert dm["visibility"] == "private" and "40112233" in dm["text"]

        url = f"/api/v1/conversations/{conv['id']}/replies"
        public = api.client.post(url, json={"text": "Fixed!", "visibility": "public"}, headers=api.admin)
        assert public.status_code == 409 and public.json()["detail"]["confirm"] == "confirm_public"
        sent = api.client.post(url, json={"text": "Thanks Dana, we reset your session"}, headers=api.admin)
        assert sent.status_code == 201 and sent.json()["visibility"] == "private"
        dispatch(api)
        assert fake.sent == [
            {"convoId": "3l7xpzrpfmg2a", "message": {"text": "Thanks Dana, we reset your session"}}
        ]
    after = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()
    assert after["messages"][-1]["delivery"] == "sent"


# -- the SLA clocks -----------------------------------------------------------------------------------

SLA_POLICY = {"targets": [{"first_response_s": 600, "next_response_s": 600, "resolution_s": 3600}]}


def test_a_dm_answered_by_dm_meets_the_first_response_clock(api: Api) -> None:
    """A private conversation is answered by a private message: its SLA clock must stop (it used to
    count only public replies, so every DM answered privately would breach)."""
    assert api.client.put("/api/v1/sla-policy", json=SLA_POLICY, headers=api.admin).status_code == 200
    dm = {
        "id": "dm-1",
        "channel": "x",
        "text": "my account number is 40112233",
        "created_at": api.runtime.clock.now().isoformat(),
        "author": {"id": "1266396210433814528", "handle": "danaw"},
        "visibility": "private",
    }
    added = api.client.post("/api/v1/posts", json={"posts": [dm]}, headers=api.admin)
    assert added.status_code == 200 and added.json()["errors"] == [], added.text
    [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
    assert conv["private"] is True
    url = f"/api/v1/conversations/{conv['id']}/replies"
    assert (
        api.client.post(url, json={"text": "Checking now"}, headers=api.admin).json()["visibility"]
        == "private"
    )
    [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
    first = next(c for c in conv["case"]["sla"]["clocks"] if c["kind"] == "first_response")
    assert first["state"] == "met"
