"""Channel URLs over HTTP with private URLs refused (the default): issue #14 item 2's attacks.

An admin (or a stolen admin token) must not be able to point an account at the server's neighbours,
nor move an account's stored credentials to a host of their choosing.
"""

from __future__ import annotations

import httpx
import pytest

from socialdesk.channels.bluesky.network import DEFAULT_SERVICE as DEFAULT_BLUESKY_SERVICE
from socialdesk.channels.connect import Connector
from socialdesk.channels.registry import REGISTRY
from socialdesk.channels.x.client import API as X_API
from socialdesk.ports.channels import NewChannelAccount
from tests.channels.recording_server import recording_server
from tests.web.api.test_channels_api import KEY, X_TOKEN, Api, api, fake_x, x_body

__all__ = ["api"]  # the fixture, used by name
HINT = "set SOCIALDESK_ALLOW_PRIVATE_URLS=true to allow it"


def _refused(api: Api, body: dict[str, object]) -> str:
    answer = api.client.post("/api/v1/channels", json=body, headers=api.admin)
    assert answer.status_code == 422, answer.text
    return str(answer.json()["detail"])


def test_private_and_odd_account_urls_are_refused_with_the_reason(api: Api) -> None:
    masto = {"network": "mastodon", "handle": "acme", "credentials": {"token": "t"}}
    detail = _refused(api, {**masto, "settings": {"instance_url": "http://10.0.0.1"}})
    assert detail == f"instance_url: http://10.0.0.1 is a private address; {HINT}"
    assert "link-local" in _refused(api, {**masto, "settings": {"instance_url": "http://169.254.169.254"}})
    assert "CGNAT" in _refused(api, {**masto, "settings": {"instance_url": "https://100.64.1.1"}})
    assert "user:password@host" in _refused(
        api, {"network": "rss", "handle": "f", "settings": {"feed_url": "https://u:pw@feeds.example/rss"}}
    )
    assert "loopback" in _refused(api, x_body(settings={"user_id": "783214", "api_url": "http://[::1]:8080"}))
    added = api.add(x_body())
    patch = {"settings": {"api_url": "http://[::ffff:127.0.0.1]/"}}
    answer = api.client.patch(f"/api/v1/channels/{added['id']}", json=patch, headers=api.admin)
    assert answer.status_code == 422 and "loopback" in answer.json()["detail"]


def test_a_loopback_feed_is_refused_and_hears_nothing(api: Api) -> None:
    api.runtime.connector = Connector(KEY, clock=api.runtime.clock)  # the real network, strict policy
    with recording_server() as server:
        feed = {"network": "rss", "handle": "status", "settings": {"feed_url": f"{server.url}/feed.xml"}}
        assert _refused(api, feed) == f"feed_url: {server.url} is a loopback address; {HINT}"
        # An account stored before the policy existed: its test (and its poller) send nothing.
        with api.runtime.uow() as uow:
            [ws] = [w for w in uow.workspaces.list() if w.slug == "acme"]
            new = NewChannelAccount("rss", "status", {"feed_url": f"{server.url}/feed.xml"}, None)
            old = uow.channels.add(ws.id, new, api.runtime.clock.now())
            uow.commit()
        probe = api.client.post(f"/api/v1/channels/{old.id}/test", headers=api.admin).json()
        assert probe == {"ok": False, "message": f"not allowed: {server.url} is a loopback address; {HINT}"}
    assert server.connections == 0 and server.requests == []


def test_moving_the_endpoint_drops_the_credentials(api: Api) -> None:
    sent: list[tuple[str, str | None]] = []

    def network(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.host, request.headers.get("authorization")))
        return fake_x(request)

    api.runtime.connector = Connector(KEY, transport=httpx.MockTransport(network), clock=api.runtime.clock)
    added = api.add(x_body())
    path = f"/api/v1/channels/{added['id']}"
    same_host = {"settings": {"api_url": "https://API.x.test:443/"}}
    kept = api.client.patch(path, json=same_host, headers=api.admin).json()
    assert kept["has_credentials"] is True

    moved = api.client.patch(
        path, json={"settings": {"api_url": "https://collector.example"}}, headers=api.admin
    )
    assert moved.status_code == 200
    answer = moved.json()
    assert answer["has_credentials"] is False
    assert answer["health"]["state"] == "broken"
    assert answer["health"]["reason"] == (
        "credentials dropped because api_url moved to collector.example: enter them again"
    )
    probe = api.client.post(f"{path}/test", headers=api.admin).json()
    assert probe["ok"] is False and "enter the credentials again" in probe["message"]
    assert [auth for host, auth in sent if host == "collector.example"] == []

    # New credentials in the same change as the move are kept (they were made for the new host).
    back = {"settings": {"api_url": "https://api.x.test"}, "credentials": {"token": X_TOKEN}}
    again = api.client.patch(path, json=back, headers=api.admin).json()
    assert again["has_credentials"] is True and again["health"]["reason"] == "reconfigured"
    assert api.client.post(f"{path}/test", headers=api.admin).json()["ok"] is True


def test_moving_a_mastodon_instance_drops_its_token(api: Api) -> None:
    body = {
        "network": "mastodon",
        "handle": "acme",
        "settings": {"instance_url": "https://mastodon.example"},
        "credentials": {"token": "masto-token"},
    }
    added = api.add(body)
    patch = {"settings": {"instance_url": "https://mastodon.example:8443"}}
    moved = api.client.patch(f"/api/v1/channels/{added['id']}", json=patch, headers=api.admin).json()
    assert moved["has_credentials"] is False and "instance_url moved" in moved["health"]["reason"]


@pytest.mark.parametrize("network", ["x", "mastodon", "bluesky"])
def test_credential_endpoint_defaults_match_the_clients(network: str) -> None:
    defaults = {"x": X_API, "mastodon": "", "bluesky": DEFAULT_BLUESKY_SERVICE}
    endpoint = REGISTRY.get(network).schema.credential_endpoint
    assert endpoint is not None and endpoint[1] == defaults[network]
