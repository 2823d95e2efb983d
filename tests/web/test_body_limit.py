"""Body limits per route, enforced before reading: 413, and the app never pulls past the limit.

The requests are driven at the ASGI level with a body that counts what the app pulls from it (the
test client would read a streamed body whole before the app sees it), through the real app.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI

from socialdesk.channels.webhook.verify import sign
from socialdesk.web.body_limit import body_limit
from tests.web.api.test_channels_api import HOOK_SECRET, Api, hook_body
from tests.web.api.test_channels_api import api as api

CHUNK = 64 * 1024
WEBHOOK_LIMIT = 256 * 1024
DEFAULT_LIMIT = 512 * 1024
INGEST_LIMIT = 4 * 1024 * 1024


@dataclass
class Sent:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0  # body bytes the app took from the client

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: FastAPI,
    path: str,
    *,
    total: int,
    headers: dict[str, str] | None = None,
    content_length: bool = False,
) -> Sent:
    """POST ``total`` bytes to ``path``, streamed in 64 KiB chunks (chunked unless ``content_length``)."""
    sent = Sent()
    pieces: Iterator[bytes] = iter([b"{" + b" " * (CHUNK - 1)] * (total // CHUNK))
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    raw_headers.append(
        (b"content-length", str(total).encode()) if content_length else (b"transfer-encoding", b"chunked")
    )
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "https", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), *raw_headers], "client": ("127.0.0.1", 5000),
        "server": ("testserver", 443),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        piece = next(pieces, None)
        if piece is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent.pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent.status = message["status"]
            sent.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            sent.body += message.get("body", b"")

    with start_blocking_portal() as portal:  # its own loop: the test's thread may be running one
        portal.call(app, scope, receive, send)
    return sent


@pytest.fixture
def limited(api: Api) -> Api:
    api.runtime.settings = api.runtime.settings.model_copy(
        update={
            "webhook_max_body_bytes": WEBHOOK_LIMIT,
            "max_body_bytes": DEFAULT_LIMIT,
            "ingest_max_body_bytes": INGEST_LIMIT,
        }
    )
    return api


def app_of(api: Api) -> FastAPI:
    app = api.client.app
    assert isinstance(app, FastAPI)
    return app


def test_streamed_webhook_body_stops_at_the_limit(limited: Api) -> None:
    """Issue #14 item 7: a 100 MB body was read whole before the source was even looked up."""
    source = limited.add(hook_body())
    at = int(limited.runtime.clock.now().timestamp())
    headers = {"X-Socialdesk-Timestamp": str(at), "X-Socialdesk-Signature": sign(b"", at, HOOK_SECRET)}
    sent = call(
        app_of(limited), f"/api/v1/webhooks/generic/{source['id']}", total=100 * 2**20, headers=headers
    )
    assert sent.status == 413, sent.body
    assert sent.pulled <= WEBHOOK_LIMIT + CHUNK
    assert "at most 262144 bytes (SOCIALDESK_WEBHOOK_MAX_BODY_BYTES)" in sent.json()["detail"]


def test_unknown_sources_are_refused_without_reading_the_body(limited: Api) -> None:
    at = int(limited.runtime.clock.now().timestamp())
    headers = {"X-Socialdesk-Timestamp": str(at), "X-Socialdesk-Signature": "sha256=00"}
    for path in ("/api/v1/webhooks/generic/424242", "/api/v1/webhooks/x/424242"):
        sent = call(
            app_of(limited), path, total=8 * 2**20, headers=headers | {"x-twitter-webhooks-signature": "x"}
        )
        assert (sent.status, sent.pulled) == (401, 0)


def test_declared_length_over_the_limit_is_refused_before_reading(limited: Api) -> None:
    app = app_of(limited)
    source = limited.add(hook_body())
    at = int(limited.runtime.clock.now().timestamp())
    headers = {"X-Socialdesk-Timestamp": str(at), "X-Socialdesk-Signature": sign(b"", at, HOOK_SECRET)}
    path = f"/api/v1/webhooks/generic/{source['id']}"
    over = call(app, path, total=WEBHOOK_LIMIT + CHUNK, headers=headers, content_length=True)
    assert (over.status, over.pulled, over.headers["connection"]) == (413, 0, "close")
    assert f"the request sent {WEBHOOK_LIMIT + CHUNK} bytes" in over.json()["detail"]
    # Every other route has the default limit; POST /api/v1/posts declares a larger one.
    monitors = call(app, "/api/v1/monitors", total=DEFAULT_LIMIT + CHUNK, content_length=True)
    assert (monitors.status, monitors.pulled) == (413, 0)
    assert "SOCIALDESK_MAX_BODY_BYTES" in monitors.json()["detail"]
    admin = limited.admin
    posts = call(app, "/api/v1/posts", total=DEFAULT_LIMIT + CHUNK, headers=admin, content_length=True)
    assert posts.status == 422  # read whole: not JSON
    big = call(app, "/api/v1/posts", total=INGEST_LIMIT + CHUNK, headers=admin, content_length=True)
    assert (big.status, big.pulled) == (413, 0)
    assert "SOCIALDESK_INGEST_MAX_BODY_BYTES" in big.json()["detail"]


def test_streamed_bodies_stop_at_the_limit_on_json_and_form_routes(limited: Api) -> None:
    app = app_of(limited)
    for path in ("/api/v1/posts", "/api/v1/monitors", "/login"):
        form = {"content-type": "application/x-www-form-urlencoded"}
        sent = call(app, path, total=64 * 2**20, headers=form | limited.admin)
        limit = INGEST_LIMIT if path == "/api/v1/posts" else DEFAULT_LIMIT
        assert sent.status == 413, (path, sent.status, sent.body[:200])
        assert sent.pulled <= limit + CHUNK, path


def test_the_test_client_sees_a_plain_413(limited: Api) -> None:
    resp = limited.client.post("/api/v1/monitors", content=b"x" * (DEFAULT_LIMIT + 1), headers=limited.admin)
    assert resp.status_code == 413
    assert resp.json()["detail"].startswith("request body too large: this endpoint accepts at most")


def test_a_limit_must_name_a_setting() -> None:
    with pytest.raises(ValueError, match="no setting 'webhook_max_bytes'"):
        body_limit("webhook_max_bytes")


def test_ingest_authenticates_before_reading_its_large_body(limited: Api) -> None:
    """POST /api/v1/posts may take 64 MiB: only a caller with a valid token gets it read."""
    app = app_of(limited)
    for headers in ({}, {"Authorization": "Bearer sdk_not-a-token"}):
        sent = call(app, "/api/v1/posts", total=INGEST_LIMIT, headers=headers)
        assert (sent.status, sent.pulled, sent.headers["connection"]) == (401, 0, "close")
    body = json.dumps({"posts": [{"id": "1"}]}).encode()
    ok = limited.client.post("/api/v1/posts", content=body, headers=limited.admin)
    assert ok.status_code == 200, ok.text
    assert ok.json()["errors"][0]["index"] == 0
    assert "connection" not in ok.headers  # read whole: the connection may be kept
    for bad in (b"not json", b"\xcb\xff", b'{"posts": 1}', json.dumps({"posts": [{}] * 5001}).encode()):
        refused = limited.client.post("/api/v1/posts", content=bad, headers=limited.admin)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"][0] == "body"
        assert len(refused.content) < 1000  # the body is not echoed back
