"""Every HTTP entry point for incoming posts hands them to the runtime's one PostSink: the ingest API,
the generic webhook and X Account Activity. With the sink's back end away, none of them answers as if
the posts were taken (the sender keeps them and tries again)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from socialdesk.web.app import create_app
from socialdesk.workers.post_sinks import MemorySink
from tests.channels.support import raw
from tests.web.api.test_channels_api import HOOK_SECRET, Api, hook_body, x_body
from tests.web.api.test_channels_api import api as api
from tests.web.api.test_webhooks_api import now, signed, x_signed


def _ids(sink: MemorySink) -> list[str]:
    return [p.id for _, posts, _ in sink.batches for p in posts]


def test_the_api_and_both_webhooks_hand_their_posts_to_the_sink(api: Api) -> None:
    sink = MemorySink()
    api.runtime.use_post_sink(sink)
    one = {
        "id": "api-1", "channel": "x", "text": "my parcel is late", "created_at": "2026-03-01T10:00:00Z",
        "author": {"id": "c1", "handle": "carol"},
    }  # fmt: skip
    resp = api.client.post("/api/v1/posts", json={"posts": [one]}, headers=api.admin)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["queued"], _ids(sink)) == (1, ["api-1"])

    source = api.add(hook_body())
    body = raw("webhook", "posts_batch.json")
    hook = api.client.post(
        f"/api/v1/webhooks/generic/{source['id']}", content=body, headers=signed(body, HOOK_SECRET, now(api))
    )
    assert hook.status_code == 200, hook.text
    assert hook.json()["queued"] == 2 and len(_ids(sink)) == 3

    account = api.add(x_body())
    events = raw("x", "aaa_tweet_create_events.json")
    x = api.client.post(f"/api/v1/webhooks/x/{account['id']}", content=events, headers=x_signed(events))
    assert x.status_code == 200, x.text
    assert len(_ids(sink)) == 3 + len(json.loads(events)["tweet_create_events"])


@pytest.mark.parametrize("entry", ["api", "webhook"])
def test_a_sink_that_is_away_is_never_answered_as_taken(api: Api, entry: str) -> None:
    sink = MemorySink()
    sink.away = ConnectionError("NATS is unreachable")
    api.runtime.use_post_sink(sink)
    with TestClient(
        create_app(api.runtime), base_url="https://testserver", raise_server_exceptions=False
    ) as c:
        if entry == "api":
            one = {
                "id": "api-1", "channel": "x", "text": "late", "created_at": "2026-03-01T10:00:00Z",
                "author": {"id": "c1", "handle": "carol"},
            }  # fmt: skip
            resp = c.post("/api/v1/posts", json={"posts": [one]}, headers=api.admin)
        else:
            source = api.add(hook_body())
            body = raw("webhook", "posts_batch.json")
            at = now(api)
            resp = c.post(
                f"/api/v1/webhooks/generic/{source['id']}",
                content=body,
                headers=signed(body, HOOK_SECRET, at),
            )
    assert resp.status_code >= 500
    assert sink.batches == []
