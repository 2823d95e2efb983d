"""Channel accounts over HTTP (no secrets in any answer); the webhook receivers: test_webhooks_api.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.channels.accounts import do_spend_reads
from socialdesk.channels.connect import Connector
from socialdesk.channels.crypto import new_key
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app

KEY = new_key()
X_TOKEN = "x-user-token-0b9f7e"
CONSUMER = "x-consumer-secret-a41d"
HOOK_SECRET = "webhook-secret-77c2"
SECRETS = (X_TOKEN, CONSUMER, HOOK_SECRET, KEY)


@dataclass
class Api:
    client: TestClient
    runtime: Runtime
    admin: dict[str, str]
    agent: dict[str, str]
    other: dict[str, str]

    def add(self, body: dict[str, object]) -> dict[str, object]:
        resp = self.client.post("/api/v1/channels", json=body, headers=self.admin)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())


def fake_x(request: httpx.Request) -> httpx.Response:
    if request.headers["authorization"] != f"Bearer {X_TOKEN}":
        return httpx.Response(401, json={"title": "Unauthorized", "detail": "Unauthorized"})
    if request.url.path == "/2/users/me":
        return httpx.Response(200, json={"data": {"id": "783214", "username": "AcmeCares"}})
    return httpx.Response(200, json={"meta": {"result_count": 0}})


@pytest.fixture
def api(runtime: Runtime) -> Iterator[Api]:
    runtime.settings = runtime.settings.model_copy(update={"secret_key": SecretStr(KEY)})
    runtime.connector = Connector(KEY, transport=httpx.MockTransport(fake_x), clock=runtime.clock)
    with runtime.uow() as uow:
        acme = ensure_workspace(uow, "acme")
        ada = check_create_user(uow, acme.id, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN)
        eve = check_create_user(uow, acme.id, "eve@acme.io", "Eve", "correct-horse-3", Role.AGENT)
        beta = ensure_workspace(uow, "beta")
        bob = check_create_user(uow, beta.id, "bob@beta.io", "Bob", "correct-horse-2", Role.ADMIN)
        tokens = [do_create_api_token(uow, u, "t", runtime.clock.now()) for u in (ada, eve, bob)]
        uow.commit()
    headers = [{"Authorization": f"Bearer {t}"} for t in tokens]
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield Api(client, runtime, *headers)


def x_body(**extra: object) -> dict[str, object]:
    return {
        "network": "x",
        "handle": "AcmeCares",
        "settings": {"user_id": "783214", "api_url": "https://api.x.test"},
        "credentials": {"token": X_TOKEN, "consumer_secret": CONSUMER},
        "budget_reads": 450,
        **extra,
    }


def hook_body() -> dict[str, object]:
    return {"network": "webhook", "handle": "reviews", "credentials": {"secret": HOOK_SECRET}}


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_add_list_health_and_test_never_show_secrets(api: Api) -> None:
    added = api.add(x_body())
    assert added["has_credentials"] is True
    assert added["webhook_path"] == f"/api/v1/webhooks/x/{added['id']}"
    listed = api.client.get("/api/v1/channels", headers=api.agent)
    [one] = listed.json()
    assert one["budget"] == {
        "reads": 450, "window_seconds": 900, "spent": 0, "remaining": 450, "window_started_at": None
    }  # fmt: skip
    assert one["health"]["state"] == "starting"
    health = api.client.get(f"/api/v1/channels/{one['id']}/health", headers=api.agent)
    probe = api.client.post(f"/api/v1/channels/{one['id']}/test", headers=api.admin)
    assert probe.json() == {"ok": True, "message": "connected as @AcmeCares (id 783214); mentions readable"}
    openapi = api.client.get("/api/v1/openapi.json")
    for resp in (listed, health, probe, openapi):
        assert_no_secret(resp.text)
    assert "credentials" not in one


def test_permissions_and_workspaces(api: Api) -> None:
    added = api.add(x_body())
    assert api.client.post("/api/v1/channels", json=hook_body(), headers=api.agent).status_code == 403
    assert api.client.post(f"/api/v1/channels/{added['id']}/test", headers=api.agent).status_code == 403
    assert api.client.get("/api/v1/channels", headers=api.other).json() == []
    assert api.client.get(f"/api/v1/channels/{added['id']}/health", headers=api.other).status_code == 404
    assert api.client.get("/api/v1/channels").status_code == 401
    bad = api.client.post("/api/v1/channels", json=x_body(settings={"user_id": "@acme"}), headers=api.admin)
    assert bad.status_code == 422
    assert "numeric id" in bad.text


def test_revoked_token_is_explained(api: Api) -> None:
    body = x_body(credentials={"token": "revoked-token"})
    added = api.add(body)
    probe = api.client.post(f"/api/v1/channels/{added['id']}/test", headers=api.admin).json()
    assert probe["ok"] is False
    assert probe["message"].startswith("X refused the credentials (HTTP 401)")


def test_budget_spend_is_reported(api: Api) -> None:
    added = api.add(x_body())
    with api.runtime.uow() as uow:
        acme = uow.workspaces.get_by_slug("acme")
        assert acme is not None
        account = uow.channels.get(acme.id, int(str(added["id"])))
        assert account is not None
        do_spend_reads(uow, account, 7, api.runtime.clock.now() - timedelta(minutes=1))
        uow.commit()
    [one] = api.client.get("/api/v1/channels", headers=api.admin).json()
    assert (one["budget"]["spent"], one["budget"]["remaining"]) == (7, 443)


def test_a_network_registered_by_descriptor_alone_is_added_and_listed(api: Api) -> None:
    from socialdesk.channels.registry import REGISTRY
    from tests.channels.extra_network import DESCRIPTOR

    body = {"network": "reddit", "handle": "AcmeHelp", "settings": {"subreddit": "acme"}}
    with REGISTRY.registered(DESCRIPTOR):
        added = api.add({**body, "credentials": {"token": "reddit-token"}})
        listed = api.client.get("/api/v1/channels", headers=api.admin).json()
        networks = api.client.get("/api/v1/networks", headers=api.agent).json()
        missing = api.client.post("/api/v1/channels", json={**body, "handle": "b"}, headers=api.admin)
    assert [(a["network"], a["handle"], a["webhook_path"]) for a in listed] == [
        ("reddit", "AcmeHelp", f"/api/v1/webhooks/reddit-test/{added['id']}")
    ]
    assert missing.status_code == 422 and "reddit: the credential token is required" in missing.text
    [reddit] = [n for n in networks if n["network"] == "reddit"]
    assert reddit["settings"] == {"subreddit": "the subreddit to read, without r/", "interval": ""}
    assert reddit["required_secrets"] == ["token"] and reddit["sends"] is True
    unknown = api.client.post("/api/v1/channels", json={**body, "handle": "c"}, headers=api.admin)
    assert unknown.status_code == 422 and "network 'reddit': expected one of x, mastodon" in unknown.text
