"""The REST API on SQLite and PostgreSQL: auth, ingest, listing, replies, status, isolation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app


@dataclass
class Api:
    client: TestClient
    token: str
    other_token: str

    def h(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def _post(i: int, text: str = "wifi down since 9am", **extra: object) -> dict[str, object]:
    return {
        "id": str(i),
        "channel": "x",
        "text": text,
        "created_at": f"2026-01-05T09:{i:02d}:00Z",
        "author": {"id": f"u{i}", "handle": f"cust{i}", "name": f"Customer {i}", "followers": 10 * i},
        **extra,
    }


@pytest.fixture
def api(runtime: Runtime) -> Iterator[Api]:
    with runtime.uow() as uow:
        acme = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, acme.id, "x", "AcmeCares")
        ada = check_create_user(uow, acme.id, "ada@acme.io", "Ada Byron", "correct-horse-1", Role.ADMIN)
        beta = ensure_workspace(uow, "beta")
        bob = check_create_user(uow, beta.id, "bob@beta.io", "Bob", "correct-horse-2", Role.ADMIN)
        token = do_create_api_token(uow, ada, "t", runtime.clock.now())
        other = do_create_api_token(uow, bob, "t", runtime.clock.now())
        uow.commit()
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield Api(client, token, other)


def test_health_and_openapi(api: Api) -> None:
    assert api.client.get("/api/v1/health").json() == {"status": "ok"}
    spec = api.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/conversations" in spec["paths"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/conversations"), ("get", "/api/v1/conversations/1"), ("post", "/api/v1/posts"),
     ("post", "/api/v1/conversations/1/replies"), ("post", "/api/v1/cases/1/status")],
)  # fmt: skip
def test_every_endpoint_needs_authentication(api: Api, method: str, path: str) -> None:
    assert getattr(api.client, method)(path).status_code == 401
    bad = getattr(api.client, method)(path, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_ingest_reports_bad_posts_and_keeps_good_ones(api: Api) -> None:
    body = {"posts": [_post(1), {"id": "x"}, _post(2), _post(1)]}
    out = api.client.post("/api/v1/posts", json=body, headers=api.h()).json()
    assert out["added"] == 2
    assert out["duplicates"] == 1
    assert out["errors"] == [{"index": 1, "field": "channel", "message": "is required"}]
    again = api.client.post("/api/v1/posts", json=body, headers=api.h()).json()
    assert again["added"] == 0


def test_list_filters_and_paginates_oldest_waiting_first(api: Api) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(i) for i in range(1, 8)]}, headers=api.h())
    api.client.post("/api/v1/posts", json={"posts": [_post(9, "refund please")]}, headers=api.h())
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.client.get("/api/v1/conversations", params=params, headers=api.h()).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 8
    assert len(set(seen)) == 8
    waits = [
        api.client.get(f"/api/v1/conversations/{i}", headers=api.h()).json()["conversation"]["waiting_since"]
        for i in seen
    ]
    assert waits == sorted(waits)
    found = api.client.get("/api/v1/conversations", params={"q": "REFUND"}, headers=api.h()).json()
    assert [i["author_handle"] for i in found["items"]] == ["cust9"]
    assert (
        api.client.get("/api/v1/conversations", params={"cursor": "%%%"}, headers=api.h()).status_code == 422
    )
    mine = api.client.get("/api/v1/conversations", params={"assignee": "me"}, headers=api.h()).json()
    assert mine["items"] == []


def test_reply_goes_through_outbox_and_records_first_response(api: Api, runtime: Runtime) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1)]}, headers=api.h())
    conv = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"][0]
    runtime.clock.advance(300)  # type: ignore[attr-defined]
    r = api.client.post(
        f"/api/v1/conversations/{conv['id']}/replies",
        json={"text": "Sorry! Checking now ^AB"},
        headers=api.h(),
    )
    assert r.status_code == 201
    assert r.json()["delivery"] == "pending"
    assert r.json()["direction"] == "outbound"
    sender = SimulatedSender()
    report = do_dispatch_outbox(runtime.uow, {}, runtime.clock, default=sender)
    assert report.sent == 1
    assert sender.send_calls == 1
    assert do_dispatch_outbox(runtime.uow, {}, runtime.clock, default=sender).sent == 0  # never twice
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.h()).json()
    assert [m["delivery"] for m in detail["messages"]] == ["received", "sent"]
    assert detail["conversation"]["case"]["status"] == "open"
    assert detail["conversation"]["waiting_since"] is None
    assert detail["messages"][1]["in_reply_to"] == "1"


def test_status_changes_follow_the_state_machine(api: Api) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1)]}, headers=api.h())
    case = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"][0]["case"]
    ok = api.client.post(f"/api/v1/cases/{case['id']}/status", json={"status": "resolved"}, headers=api.h())
    assert ok.status_code == 200
    assert ok.json()["status"] == "resolved"
    bad = api.client.post(
        f"/api/v1/cases/{case['id']}/status", json={"status": "pending_customer"}, headers=api.h()
    )
    assert bad.status_code == 409
    assert "cannot go from resolved to pending_customer" in bad.json()["detail"]
    typo = api.client.post(f"/api/v1/cases/{case['id']}/status", json={"status": "done"}, headers=api.h())
    assert typo.status_code == 422


def test_no_access_across_workspaces(api: Api) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1)]}, headers=api.h())
    conv = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"][0]
    other = api.h(api.other_token)
    assert api.client.get("/api/v1/conversations", headers=other).json()["items"] == []
    assert api.client.get(f"/api/v1/conversations/{conv['id']}", headers=other).status_code == 404
    reply = api.client.post(f"/api/v1/conversations/{conv['id']}/replies", json={"text": "hi"}, headers=other)
    assert reply.status_code == 404
    status = api.client.post(
        f"/api/v1/cases/{conv['case']['id']}/status", json={"status": "closed"}, headers=other
    )
    assert status.status_code == 404
    # the other workspace ingesting the same ids gets its own posts, not the first workspace's
    out = api.client.post("/api/v1/posts", json={"posts": [_post(1)]}, headers=other).json()
    assert out["added"] == 1
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.h()).json()
    assert detail["conversation"]["message_count"] == 1


def test_the_total_is_counted_up_to_a_cap_then_says_more(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting stops at the cap (a million matches cost no more than the cap), and says so."""
    from socialdesk.web.api import routes

    api.client.post("/api/v1/posts", json={"posts": [_post(i) for i in range(1, 9)]}, headers=api.h())
    exact = api.client.get("/api/v1/conversations", params={"limit": 3}, headers=api.h()).json()
    assert (exact["total"], exact["total_capped"], exact["next_offset"]) == (8, False, 3)
    monkeypatch.setattr(routes, "TOTAL_CAP", 5)
    capped = api.client.get("/api/v1/conversations", params={"limit": 3}, headers=api.h()).json()
    assert (capped["total"], capped["total_capped"], capped["next_offset"]) == (5, True, 3)
    # Past the cap, the page asked still knows whether another follows.
    deep = api.client.get("/api/v1/conversations", params={"limit": 3, "offset": 3}, headers=api.h()).json()
    assert (deep["total"], deep["total_capped"], deep["next_offset"]) == (6, True, 6)
    last = api.client.get("/api/v1/conversations", params={"limit": 3, "offset": 6}, headers=api.h()).json()
    assert (last["total"], last["total_capped"], last["next_offset"]) == (8, False, None)
    assert len(last["items"]) == 2
