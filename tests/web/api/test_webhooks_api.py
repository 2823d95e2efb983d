"""The webhook receivers over HTTP: signatures, the X CRC, refusals that reveal nothing, hostile input."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import httpx
from fastapi.testclient import TestClient

from socialdesk.channels.connect import Connector
from socialdesk.channels.crypto import new_key
from socialdesk.channels.webhook.verify import sign
from socialdesk.web.api.webhooks import CRC_PER_ADDRESS, CRC_PER_ID, REFUSED, CrcGuard
from socialdesk.web.ratelimit import RateLimiter
from tests.channels.support import raw
from tests.web.api.test_channels_api import CONSUMER, HOOK_SECRET, Api, assert_no_secret, hook_body, x_body
from tests.web.api.test_channels_api import api as api

X_SIGNATURE = "x-twitter-webhooks-signature"


def signed(body: bytes, secret: str, at: int) -> dict[str, str]:
    return {"X-Socialdesk-Timestamp": str(at), "X-Socialdesk-Signature": sign(body, at, secret)}


def x_signed(body: bytes, secret: str = CONSUMER) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {X_SIGNATURE: "sha256=" + base64.b64encode(digest).decode()}


def now(api: Api) -> int:
    return int(api.runtime.clock.now().timestamp())


def conversation_count(api: Api) -> int:
    return len(api.client.get("/api/v1/conversations", headers=api.admin).json()["items"])


# -- the generic webhook -------------------------------------------------------------------------


def test_generic_webhook_accepts_signed_posts_and_rejects_the_rest(api: Api) -> None:
    source = api.add(hook_body())
    url = f"/api/v1/webhooks/generic/{source['id']}"
    body = raw("webhook", "posts_batch.json")
    ok = api.client.post(url, content=body, headers=signed(body, HOOK_SECRET, now(api)))
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"received": 2, "added": 2, "duplicates": 0, "errors": []}
    again = api.client.post(url, content=body, headers=signed(body, HOOK_SECRET, now(api)))
    assert again.json()["duplicates"] == 2

    unsigned = api.client.post(url, content=body)
    wrong = api.client.post(url, content=body, headers=signed(body, "not-the-secret", now(api)))
    stale = api.client.post(url, content=body, headers=signed(body, HOOK_SECRET, now(api) - 301))
    for resp, reason in ((unsigned, "unsigned request"), (wrong, REFUSED), (stale, "301 s old")):
        assert resp.status_code == 401
        assert reason in resp.json()["detail"]
        assert_no_secret(resp.text)
    junk = b'{"items": []}'
    assert api.client.post(url, content=junk, headers=signed(junk, HOOK_SECRET, now(api))).status_code == 400
    health = api.client.get(f"/api/v1/channels/{source['id']}/health", headers=api.admin).json()
    assert health["last_post_at"] is not None


def test_invalid_posts_are_reported_by_position(api: Api) -> None:
    source = api.add(hook_body())
    body = raw("webhook", "posts_batch_with_invalid.json")
    url = f"/api/v1/webhooks/generic/{source['id']}"
    resp = api.client.post(url, content=body, headers=signed(body, HOOK_SECRET, now(api)))
    answer = resp.json()
    assert resp.status_code == 200
    assert answer["errors"]
    assert all(isinstance(e["index"], int) and e["message"] for e in answer["errors"])


def test_absurd_signature_timestamps_answer_401_with_the_reason(api: Api) -> None:
    """Issue #14 item 8: a 400-digit timestamp header answered 500 (float overflow)."""
    source = api.add(hook_body())
    body = raw("webhook", "posts_batch.json")
    url = f"/api/v1/webhooks/generic/{source['id']}"
    for stamp in ("9" * 400, "-" + "9" * 400, "1e400", "NaN", "0x10", "9" * 12):
        headers = {"X-Socialdesk-Timestamp": stamp, "X-Socialdesk-Signature": "sha256=00"}
        resp = api.client.post(url, content=body, headers=headers)
        assert resp.status_code == 401, (stamp[:20], resp.text)
        assert "X-Socialdesk-Timestamp is not Unix seconds" in resp.json()["detail"] or (
            "in the future" in resp.json()["detail"]
        )


def test_deeply_nested_or_nan_bodies_answer_400(api: Api) -> None:
    source = api.add(hook_body())
    url = f"/api/v1/webhooks/generic/{source['id']}"
    for body, reason in ((b'{"posts": [' * 50_000, "nested too deeply"), (b'{"posts": [NaN]}', "NaN")):
        resp = api.client.post(url, content=body, headers=signed(body, HOOK_SECRET, now(api)))
        assert resp.status_code == 400, resp.text
        assert reason in resp.json()["detail"]


# -- X: the CRC and signed events ----------------------------------------------------------------


def test_x_crc_and_signed_account_activity(api: Api) -> None:
    account = api.add(x_body())
    url = f"/api/v1/webhooks/x/{account['id']}"
    crc = api.client.get(url, params={"crc_token": "challenge-123"})
    digest = hmac.new(CONSUMER.encode(), b"challenge-123", hashlib.sha256).digest()
    assert crc.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}
    assert api.client.get(url).status_code == 422  # no crc_token

    body = raw("x", "aaa_tweet_create_events.json")
    ok = api.client.post(url, content=body, headers=x_signed(body))
    assert ok.status_code == 200, ok.text
    assert ok.json()["added"] == len(json.loads(body)["tweet_create_events"])
    forged = api.client.post(url, content=body + b" ", headers=x_signed(body))
    assert forged.status_code == 401
    assert forged.json() == {"detail": REFUSED}
    missing = api.client.post(url, content=body)
    assert (missing.status_code, missing.headers["connection"]) == (401, "close")
    assert "missing x-twitter-webhooks-signature" in missing.json()["detail"]


def test_crc_endpoint_signs_no_body_an_attacker_chose(api: Api) -> None:
    """Issue #14 item 1: the CRC answered HMAC(consumer_secret, T) for any T, and X signs event POSTs
    with that same HMAC, so a forged customer message got in with the CRC's answer as its signature."""
    account = api.add(x_body())
    url = f"/api/v1/webhooks/x/{account['id']}"
    forged = json.dumps(
        {
            "for_user_id": "783214",
            "tweet_create_events": [
                {
                    "created_at": "Wed Apr 03 17:05:12 +0000 2024",
                    "id_str": "666",
                    "text": "@AcmeCares forged: refund me now",
                    "user": {"id_str": "42", "screen_name": "mallory"},
                }
            ],
        }
    )
    crc = api.client.get(url, params={"crc_token": forged})
    # Whatever the CRC answered, it must not sign the attacker's body.
    signature = crc.json().get("response_token") if crc.status_code == 200 else "sha256=none"
    post = api.client.post(url, content=forged.encode(), headers={X_SIGNATURE: signature})
    assert (post.status_code, conversation_count(api)) == (401, 0)
    assert crc.status_code == 422  # not a token of X's shape
    assert "response_token" not in crc.text
    for token in ("abc\n", "a" * 129, "{}", "a b", ""):
        assert api.client.get(url, params={"crc_token": token}).status_code == 422, token

    # A body of token shape, which the CRC does sign, is refused whatever its signature.
    token = "eyJ0d2VldF9jcmVhdGVfZXZlbnRzIjogW119"
    answer = api.client.get(url, params={"crc_token": token}).json()["response_token"]
    assert api.client.post(url, content=token.encode(), headers={X_SIGNATURE: answer}).status_code == 401


def _guard(api: Api, clock: list[float]) -> CrcGuard:
    guard = CrcGuard()
    guard.per_id = RateLimiter(CRC_PER_ID, clock=lambda: clock[0])
    guard.per_address = RateLimiter(CRC_PER_ADDRESS, clock=lambda: clock[0])
    api.client.app.state.crc_guard = guard  # type: ignore[attr-defined]
    return guard


def test_crc_is_rate_limited_per_id_and_per_address(api: Api) -> None:
    clock = [0.0]
    _guard(api, clock)
    account = api.add(x_body())
    url = f"/api/v1/webhooks/x/{account['id']}"
    answers = [api.client.get(url, params={"crc_token": "tok"}) for _ in range(CRC_PER_ID.capacity + 1)]
    assert [a.status_code for a in answers] == [200] * CRC_PER_ID.capacity + [429]
    assert answers[-1].headers["Retry-After"] == "60"
    assert "too many CRC requests" in answers[-1].json()["detail"]
    assert api.client.get("/api/v1/webhooks/x/999", params={"crc_token": "tok"}).status_code == 200
    clock[0] += 60.0
    assert api.client.get(url, params={"crc_token": "tok"}).status_code == 200

    # One address asking about many ids runs out too; another address does not.
    _guard(api, clock)
    statuses = [
        api.client.get(f"/api/v1/webhooks/x/{n}", params={"crc_token": "tok"}).status_code
        for n in range(1000, 1000 + CRC_PER_ADDRESS.capacity + 1)
    ]
    assert statuses == [200] * CRC_PER_ADDRESS.capacity + [429]
    other = TestClient(api.client.app, base_url="https://testserver", client=("203.0.113.9", 5000))
    assert other.get("/api/v1/webhooks/x/2000", params={"crc_token": "tok"}).status_code == 200


# -- refusals that tell nothing ------------------------------------------------------------------


def test_refusals_are_the_same_for_unknown_foreign_paused_unkeyed_and_badly_signed(api: Api) -> None:
    """Issue #14 item 9: 404 "no webhook source 7" vs 401 vs 409 told which ids exist and their network."""
    hook = api.add(hook_body())
    x = api.add(x_body())
    x_without_secret = api.add(x_body(handle="AcmeNoSecret", credentials={"token": "t"}))
    paused = api.add(hook_body() | {"handle": "paused"})
    assert (
        api.client.patch(f"/api/v1/channels/{paused['id']}", json={"is_active": False}, headers=api.admin)
    ).status_code == 200
    body = raw("webhook", "posts_batch.json")
    at = now(api)

    generic = [
        api.client.post(f"/api/v1/webhooks/generic/{n}", content=body, headers=signed(body, HOOK_SECRET, at))
        for n in (987654, x["id"], paused["id"])
    ]
    generic.append(
        api.client.post(
            f"/api/v1/webhooks/generic/{hook['id']}", content=body, headers=signed(body, "wrong", at)
        )
    )
    x_body_bytes = raw("x", "aaa_tweet_create_events.json")
    x_answers = [
        api.client.post(f"/api/v1/webhooks/x/{n}", content=x_body_bytes, headers=x_signed(x_body_bytes))
        for n in (987654, hook["id"], x_without_secret["id"])
    ]
    x_answers.append(
        api.client.post(
            f"/api/v1/webhooks/x/{x['id']}", content=x_body_bytes, headers=x_signed(x_body_bytes, "wrong")
        )
    )
    # A server that cannot open the stored secret (another key) refuses the same way.
    api.runtime.connector = Connector(new_key(), transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    generic.append(
        api.client.post(
            f"/api/v1/webhooks/generic/{hook['id']}", content=body, headers=signed(body, HOOK_SECRET, at)
        )
    )
    assert generic[0].json() == {"detail": REFUSED}
    assert {(r.status_code, r.content) for r in generic + x_answers} == {(401, generic[0].content)}
    assert len({tuple(sorted(r.headers.keys())) for r in generic + x_answers}) == 1

    # The CRC answers every id alike too: one shaped answer, never the real one for a decoy.
    crc = {
        n: api.client.get(f"/api/v1/webhooks/x/{n}", params={"crc_token": "tok"})
        for n in (987654, hook["id"], x_without_secret["id"])
    }
    real = "sha256=" + base64.b64encode(hmac.new(CONSUMER.encode(), b"tok", hashlib.sha256).digest()).decode()
    assert {r.status_code for r in crc.values()} == {200}
    assert len({r.json()["response_token"] for r in crc.values()} | {real}) == 4
    assert {len(r.json()["response_token"]) for r in crc.values()} == {len(real)}
