"""Routing, assignment, the team queue and SLA clocks through the REST API (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from socialdesk.actions.care.sla import do_check_slas
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from tests.web.api.care_fixtures import admin, online, person
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def _ingest(api: Api, *posts: dict[str, Any]) -> None:
    r = api.client.post("/api/v1/posts", json={"posts": list(posts)}, headers=api.h())
    assert r.status_code == 200, r.text


def _conv_of(api: Api, author: str) -> dict[str, Any]:
    items = api.client.get("/api/v1/conversations", params={"limit": 200}, headers=api.h()).json()["items"]
    conv: dict[str, Any] = next(i for i in items if i["author_handle"] == author)
    return conv


def _case_of(api: Api, author: str) -> dict[str, Any]:
    case: dict[str, Any] = _conv_of(api, author)["case"]
    return case


def test_new_cases_are_routed_assigned_and_queued(api: Api, runtime: Runtime) -> None:
    carl = person(runtime, "acme", "carl@acme.io", "Carl Doe")
    dana = person(runtime, "acme", "dana@acme.io", "Dana Roe")
    for agent in (carl, dana):
        online(api, agent, capacity=1)
    team = api.client.post(
        "/api/v1/teams", json={"name": "billing", "strategy": "round_robin"}, headers=api.h()
    ).json()
    for agent in (carl, dana):
        r = api.client.post(
            f"/api/v1/teams/{team['id']}/members", json={"user_id": agent.id}, headers=api.h()
        )
        assert r.status_code == 204
    rules = [
        {"name": "spam", "position": 0, "conditions": {"text_any": ["giveaway"]}, "auto_resolve": True},
        {"name": "bills", "position": 1, "conditions": {"text_any": ["bill"]}, "team_id": team["id"],
         "priority": "high", "tags": ["billing"]},
    ]  # fmt: skip
    for rule in rules:
        assert api.client.post("/api/v1/routing-rules", json=rule, headers=api.h()).status_code == 201
    bad = api.client.post("/api/v1/routing-rules", json={"name": "x", "team_id": 999}, headers=api.h())
    assert bad.status_code == 404
    _ingest(api, _post(1, "my bill is wrong"), _post(2, "bill doubled"), _post(3, "bill again?"))
    _ingest(api, _post(4, "free giveaway"), _post(5, "hello there"))

    first, second, third = (_case_of(api, f"cust{i}") for i in (1, 2, 3))
    assert (first["assignee_id"], second["assignee_id"], third["assignee_id"]) == (carl.id, dana.id, None)
    assert (third["team_id"], third["priority"], third["tags"]) == (team["id"], "high", ["billing"])
    assert _case_of(api, "cust4")["status"] == "resolved"
    assert _case_of(api, "cust5")["team_id"] is None
    queued = api.client.get(
        "/api/v1/conversations", params={"team": team["id"], "assignee": "none"}, headers=api.h()
    )
    assert [i["case"]["id"] for i in queued.json()["items"]] == [third["id"]]

    # Carl is at capacity: nothing to pull until his case is resolved.
    full = api.client.post("/api/v1/queue/next", headers=carl.h())
    assert (full.status_code, full.json()["reason"]) == (409, "at_capacity")
    assert full.json()["detail"] == "Nothing pulled: you are at capacity (1 of 1 open cases)"
    api.client.post(f"/api/v1/cases/{first['id']}/status", json={"status": "resolved"}, headers=carl.h())
    pulled = api.client.post("/api/v1/queue/next", headers=carl.h()).json()
    assert (pulled["id"], pulled["assignee_id"]) == (third["id"], carl.id)
    alone = api.client.post("/api/v1/queue/next", headers=api.h())  # ada is in no team
    assert (alone.status_code, alone.json()["reason"]) == (409, "not_in_team")

    moved = api.client.post(
        f"/api/v1/cases/{third['id']}/assign", json={"assignee_id": dana.id}, headers=api.h()
    )
    assert moved.json()["assignee_id"] == dana.id
    freed = api.client.post(
        f"/api/v1/cases/{third['id']}/assign", json={"assignee_id": None}, headers=api.h()
    )
    assert freed.json()["assignee_id"] is None
    audit = api.client.get(f"/api/v1/cases/{third['id']}/audit", headers=api.h())
    if audit.status_code == 200:  # the audit endpoint comes with step 9
        assert [e["action"] for e in audit.json()][:1] == ["routed"]

    # Agents set only their own status; admins set the rest.
    assert (
        api.client.patch(f"/api/v1/agents/{dana.id}", json={"status": "away"}, headers=carl.h()).status_code
        == 403
    )
    assert (
        api.client.patch(f"/api/v1/agents/{carl.id}", json={"capacity": 9}, headers=carl.h()).status_code
        == 403
    )
    assert (
        api.client.patch(f"/api/v1/agents/{carl.id}", json={"status": "away"}, headers=carl.h()).status_code
        == 200
    )


def test_routing_endpoints_stay_in_their_workspace(api: Api, runtime: Runtime) -> None:
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    team = api.client.post("/api/v1/teams", json={"name": "care"}, headers=api.h()).json()
    _ingest(api, _post(1))
    case = _case_of(api, "cust1")
    ada = admin(api)
    other = boss.h()
    assert api.client.get("/api/v1/teams", headers=other).json() == []
    assert (
        api.client.patch(
            f"/api/v1/teams/{team['id']}", json={"strategy": "skills"}, headers=other
        ).status_code
        == 404
    )
    r = api.client.post(f"/api/v1/teams/{team['id']}/members", json={"user_id": boss.id}, headers=other)
    assert r.status_code == 404
    r = api.client.post(f"/api/v1/teams/{team['id']}/members", json={"user_id": boss.id}, headers=api.h())
    assert r.status_code == 404  # a user of another workspace
    assert (
        api.client.patch(f"/api/v1/agents/{ada.id}", json={"status": "online"}, headers=other).status_code
        == 404
    )
    assert (
        api.client.post(
            f"/api/v1/cases/{case['id']}/assign", json={"assignee_id": None}, headers=other
        ).status_code
        == 404
    )
    r = api.client.post(f"/api/v1/cases/{case['id']}/assign", json={"assignee_id": boss.id}, headers=api.h())
    assert r.status_code == 404
    rule = api.client.post("/api/v1/routing-rules", json={"name": "r"}, headers=api.h()).json()
    assert api.client.delete(f"/api/v1/routing-rules/{rule['id']}", headers=other).status_code == 404
    assert api.client.get("/api/v1/routing-rules", headers=other).json() == []
    for method, path in [
        ("get", "/api/v1/teams"),
        ("post", "/api/v1/queue/next"),
        ("put", "/api/v1/sla-policy"),
    ]:
        assert getattr(api.client, method)(path).status_code == 401


POLICY = {
    "targets": [{"first_response_s": 600, "next_response_s": 600, "resolution_s": 3600}],
    "warn_fraction": 0.5,
    "escalations": [
        {
            "id": "late",
            "when": "breached",
            "clock": "first_response",
            "actions": ["notify_supervisor", "raise_priority"],
        }
    ],
}


def test_sla_clocks_to_the_second(api: Api, runtime: Runtime, clock: FixedClock) -> None:
    assert api.client.put("/api/v1/sla-policy", json=POLICY, headers=api.h()).status_code == 200
    clock.advance(60)  # 09:01:00, when the post below was written
    _ingest(api, _post(1))
    case = _case_of(api, "cust1")
    first = next(c for c in case["sla"]["clocks"] if c["kind"] == "first_response")
    assert (case["sla"]["state"], first["deadline"], first["warning_at"]) == (
        "ok", "2026-01-05T09:11:00Z", "2026-01-05T09:06:00Z",
    )  # fmt: skip

    def listed(sla: str) -> list[int]:
        page = api.client.get("/api/v1/conversations", params={"sla": sla}, headers=api.h()).json()
        return [i["case"]["id"] for i in page["items"]]

    clock.advance(299)  # 09:05:59: one second before the warning
    assert do_check_slas(runtime.uow, clock).checked == 0
    clock.advance(1)
    assert do_check_slas(runtime.uow, clock).checked == 1
    assert listed("at_risk") == [case["id"]]
    assert listed("breached") == []
    clock.advance(300)  # 09:11:00 is the deadline itself: not yet breached
    assert do_check_slas(runtime.uow, clock).checked == 0
    clock.advance(1)
    report = do_check_slas(runtime.uow, clock)
    assert (report.checked, report.escalations) == (1, 1)
    assert listed("breached") == [case["id"]]
    assert do_check_slas(runtime.uow, clock).escalations == 0  # fires once
    assert _case_of(api, "cust1")["priority"] == "high"
    notes = api.client.get("/api/v1/notifications", headers=api.h())
    if notes.status_code == 200:
        assert [n["kind"] for n in notes.json()] == ["sla_escalation"]

    conv_id = _conv_of(api, "cust1")["id"]
    r = api.client.post(f"/api/v1/conversations/{conv_id}/replies", json={"text": "On it"}, headers=api.h())
    assert r.status_code == 201
    after = _case_of(api, "cust1")["sla"]
    assert after["state"] == "ok"  # the late first response is met; resolution still runs
    assert listed("breached") == []
    api.client.post(
        f"/api/v1/cases/{case['id']}/status", json={"status": "pending_customer"}, headers=api.h()
    )
    assert _case_of(api, "cust1")["sla"]["state"] == "paused"
    clock.advance(3600)
    again = {**_post(2, "still broken", in_reply_to="1"), "author": _post(1)["author"]}
    again["created_at"] = "2026-01-05T10:11:01Z"
    _ingest(api, again)  # the customer writes again: clocks resume
    resumed = _case_of(api, "cust1")["sla"]
    assert resumed["state"] == "ok"
    assert [c["kind"] for c in resumed["clocks"]] == ["first_response", "next_response", "resolution"]
