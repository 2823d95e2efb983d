"""Meta's webhook receivers over HTTP: the subscription check, forged and unsigned POSTs, rate limits."""

from __future__ import annotations

import json

import httpx

from socialdesk.channels.connect import Connector
from socialdesk.channels.meta.webhook import sign
from socialdesk.web.api.meta_webhooks import EVENTS_PER_ADDRESS, NOT_VERIFIED, MetaGuard
from socialdesk.web.api.webhooks import REFUSED
from socialdesk.web.ratelimit import Rate, RateLimiter
from tests.channels.support import raw
from tests.web.api.test_channels_api import KEY, Api
from tests.web.api.test_channels_api import api as api

PAGE_ID = "104912345678901"
IG_ID = "17841405822304914"
APP_SECRET = "meta-app-secret-5e1f"
VERIFY = "verify-token-0c3a"
PAGE_TOKEN = "EAAG-page-token-9d2b"
HEADER = "X-Hub-Signature-256"


def facebook_body() -> dict[str, object]:
    return {
        "network": "facebook",
        "handle": PAGE_ID,
        "settings": {"page_id": PAGE_ID},
        "credentials": {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY},
    }


def instagram_body() -> dict[str, object]:
    return {
        "network": "instagram",
        "handle": "nimbuscares",
        "settings": {"ig_user_id": IG_ID},
        "credentials": {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY},
    }


def verify_query(token: str = VERIFY, challenge: str = "1158201444") -> dict[str, str]:
    return {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge}


def conversations(api: Api) -> list[dict[str, object]]:
    items: list[dict[str, object]] = api.client.get("/api/v1/conversations", headers=api.admin).json()[
        "items"
    ]
    return items


def test_subscription_check_echoes_the_challenge_only_for_the_right_token(api: Api) -> None:
    source = api.add(facebook_body())
    url = f"/api/v1/webhooks/facebook/{source['id']}"
    ok = api.client.get(url, params=verify_query())
    assert ok.status_code == 200, ok.text
    assert ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    wrong = api.client.get(url, params=verify_query(token="guess"))
    unknown = api.client.get("/api/v1/webhooks/facebook/999999", params=verify_query())
    foreign = api.client.get(f"/api/v1/webhooks/instagram/{source['id']}", params=verify_query())
    for resp in (wrong, unknown, foreign):
        assert resp.status_code == 403
        assert resp.json()["detail"] == NOT_VERIFIED
        assert "1158201444" not in resp.text
    markup = api.client.get(url, params=verify_query(challenge='{"object":"page"}'))
    assert markup.status_code == 403  # a challenge of any other shape is never echoed
    assert "object" not in markup.text


def test_signed_page_events_are_ingested_and_forged_or_unsigned_ones_refused(api: Api) -> None:
    source = api.add(facebook_body())
    url = f"/api/v1/webhooks/facebook/{source['id']}"
    body = raw("meta", "page_feed_comments.json")
    unsigned = api.client.post(url, content=body)
    forged = api.client.post(url, content=body, headers={HEADER: sign(body, "not-the-app-secret")})
    tampered_body = body.replace(b"any news?", b"refund me!")
    tampered = api.client.post(url, content=tampered_body, headers={HEADER: sign(body, APP_SECRET)})
    sha1 = api.client.post(url, content=body, headers={HEADER: "sha1=" + "0" * 40})
    assert unsigned.status_code == sha1.status_code == 401
    assert forged.status_code == tampered.status_code == 401
    assert forged.json()["detail"] == tampered.json()["detail"] == REFUSED
    assert conversations(api) == []  # nothing was parsed, nothing stored

    ok = api.client.post(url, content=body, headers={HEADER: sign(body, APP_SECRET)})
    assert ok.status_code == 200, ok.text
    assert ok.json()["added"] == 2
    assert ok.json()["ignored"] == 2
    assert len(conversations(api)) == 1  # the comment and the reply to it: one thread
    for resp in (unsigned, forged, tampered, ok):
        assert APP_SECRET not in resp.text and VERIFY not in resp.text


def test_a_signature_for_another_source_is_refused(api: Api) -> None:
    """The app secret of one source cannot sign events into another."""
    page = api.add(facebook_body())
    other = facebook_body()
    other["handle"] = "2049"
    other["settings"] = {"page_id": "2049"}
    other["credentials"] = {"page_token": "t", "app_secret": "second-app-secret", "verify_token": "v"}
    api.add(other)
    body = raw("meta", "messenger_messages.json")
    resp = api.client.post(
        f"/api/v1/webhooks/facebook/{page['id']}",
        content=body,
        headers={HEADER: sign(body, "second-app-secret")},
    )
    assert resp.status_code == 401
    assert resp.json()["detail"] == REFUSED


MENTION = {
    "id": "17894227972186120",
    "text": "@nimbuscares is the app down?",
    "timestamp": "2024-04-03T18:12:00+0000",
    "username": "erin.k",
    "media": {"id": "17918195224117851"},
}


def fake_graph(token: str = PAGE_TOKEN) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {token}":
            error = {"message": "Error validating access token", "type": "OAuthException", "code": 190}
            return httpx.Response(400, json={"error": error})
        fields = request.url.params.get("fields", "")
        if (
            request.url.path == f"/v19.0/{IG_ID}"
            and "mentioned_comment.comment_id(17894227972186120)" in fields
        ):
            return httpx.Response(200, json={"mentioned_comment": MENTION, "id": IG_ID})
        return httpx.Response(404, json={"error": {"message": "Unknown path", "code": 100}})

    return httpx.MockTransport(handle)


def use_graph(api: Api, transport: httpx.MockTransport) -> None:
    api.runtime.connector = Connector(KEY, transport=transport, clock=api.runtime.clock)


def test_instagram_events_with_a_mention_read_back_from_graph(api: Api) -> None:
    use_graph(api, fake_graph())
    source = api.add(instagram_body())
    url = f"/api/v1/webhooks/instagram/{source['id']}"
    body = raw("meta", "instagram_events.json")
    ok = api.client.post(url, content=body, headers={HEADER: sign(body, APP_SECRET)})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["added"], ok.json()["mentions"], ok.json()["errors"]) == (4, 1, [])
    again = api.client.post(url, content=body, headers={HEADER: sign(body, APP_SECRET)})
    assert (again.json()["added"], again.json()["duplicates"]) == (0, 4)  # the mention is a stored post


def test_a_mention_graph_will_not_show_is_reported_and_the_rest_kept(api: Api) -> None:
    use_graph(api, fake_graph(token="another-token"))  # the stored Page token was revoked
    source = api.add(instagram_body())
    url = f"/api/v1/webhooks/instagram/{source['id']}"
    body = raw("meta", "instagram_events.json")
    resp = api.client.post(url, content=body, headers={HEADER: sign(body, APP_SECRET)})
    assert resp.status_code == 200, resp.text
    assert resp.json()["added"] == 3
    [error] = resp.json()["errors"]
    assert error["field"] == "mentions"
    assert "needs re-authorisation" in error["message"]
    assert PAGE_TOKEN not in resp.text


def test_a_page_body_sent_to_instagram_is_refused(api: Api) -> None:
    source = api.add(instagram_body())
    url = f"/api/v1/webhooks/instagram/{source['id']}"
    page_body = raw("meta", "page_feed_comments.json")
    wrong = api.client.post(url, content=page_body, headers={HEADER: sign(page_body, APP_SECRET)})
    assert wrong.status_code == 400
    assert "object" in wrong.json()["detail"]
    junk = json.dumps({"object": "instagram", "entry": "x"}).encode()
    assert api.client.post(url, content=junk, headers={HEADER: sign(junk, APP_SECRET)}).status_code == 400


def test_events_and_checks_are_rate_limited_per_address(api: Api) -> None:
    guard = MetaGuard()
    guard.events_per_address = RateLimiter(Rate(capacity=2, per_seconds=EVENTS_PER_ADDRESS.per_seconds))
    api.client.app.state.meta_guard = guard  # type: ignore[attr-defined]
    source = api.add(facebook_body())
    url = f"/api/v1/webhooks/facebook/{source['id']}"
    answers = [api.client.post(url, content=b"{}").status_code for _ in range(3)]
    assert answers == [401, 401, 429]
    checks = [api.client.get(url, params=verify_query()).status_code for _ in range(11)]
    assert checks[:10] == [200] * 10
    assert checks[10] == 429  # ten checks at once per source, then one a minute
