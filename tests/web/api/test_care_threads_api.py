"""Handoff, merge, split and problems through the REST API (SQLite and PostgreSQL)."""

from __future__ import annotations

from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from tests.web.api.care_fixtures import person
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def test_handoff_merge_split_and_problems(api: Api, runtime: Runtime) -> None:
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    follow = {**_post(3, "also: bill?", in_reply_to="1"), "author": _post(1)["author"]}
    posts = [_post(1, "router dead"), _post(2, "router dead too"), follow]
    api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h())
    convs = {
        c["author_handle"]: c
        for c in api.client.get("/api/v1/conversations", headers=api.h()).json()["items"]
    }
    a, b = convs["cust1"], convs["cust2"]

    dm = {"to": "dm", "public_reply": "We've sent you a DM", "message": "Your account number?"}
    r = api.client.post(f"/api/v1/conversations/{a['id']}/handoff", json=dm, headers=api.h())
    assert r.status_code == 200, r.text
    assert r.json()["public_reply"]["visibility"] == "public"
    assert r.json()["private_message"]["visibility"] == "private"
    email = api.client.post(f"/api/v1/conversations/{a['id']}/handoff", json={"to": "email"}, headers=api.h())
    assert email.status_code == 422
    email = api.client.post(
        f"/api/v1/conversations/{a['id']}/handoff", json={"to": "email", "address": "c@x.io"}, headers=api.h()
    )
    assert email.status_code == 200
    audit = [
        e["action"] for e in api.client.get(f"/api/v1/cases/{a['case']['id']}/audit", headers=api.h()).json()
    ]
    assert audit.count("handoff") == 2
    assert (
        api.client.post(
            f"/api/v1/conversations/{a['id']}/handoff", json={"to": "phone", "address": "1"}, headers=boss.h()
        ).status_code
        == 404
    )

    merged = api.client.post(
        f"/api/v1/conversations/{a['id']}/merge", json={"source_id": b["id"]}, headers=api.h()
    )
    assert merged.status_code == 200
    detail = api.client.get(f"/api/v1/conversations/{a['id']}", headers=api.h()).json()
    assert len(detail["messages"]) == 5  # two posts, the public reply, the DM, and b's post
    old = api.client.get(f"/api/v1/conversations/{b['id']}", headers=api.h()).json()
    assert old["messages"] == []
    assert (old["conversation"]["case"]["status"], old["conversation"]["case"]["merged_into_id"]) == (
        "closed",
        a["case"]["id"],
    )
    assert (
        api.client.post(
            f"/api/v1/conversations/{a['id']}/merge", json={"source_id": b["id"]}, headers=boss.h()
        ).status_code
        == 404
    )

    bill = next(m for m in detail["messages"] if m["text"] == "also: bill?")
    split = api.client.post(
        f"/api/v1/conversations/{a['id']}/split", json={"message_ids": [bill["id"]]}, headers=api.h()
    )
    assert split.status_code == 201
    new = split.json()
    assert (new["conversation"]["message_count"], new["case"]["status"]) == (1, "new")
    assert len(api.client.get(f"/api/v1/conversations/{a['id']}", headers=api.h()).json()["messages"]) == 4
    everything = [
        m["id"]
        for m in api.client.get(f"/api/v1/conversations/{new['conversation']['id']}", headers=api.h()).json()[
            "messages"
        ]
    ]
    assert (
        api.client.post(
            f"/api/v1/conversations/{new['conversation']['id']}/split",
            json={"message_ids": everything},
            headers=api.h(),
        ).status_code
        == 422
    )
    assert (
        api.client.post(
            f"/api/v1/conversations/{a['id']}/split", json={"message_ids": [bill["id"]]}, headers=api.h()
        ).status_code
        == 404
    )

    problem = api.client.post("/api/v1/problems", json={"title": "Router outage"}, headers=api.h()).json()
    linked = api.client.post(
        f"/api/v1/problems/{problem['id']}/cases",
        json={"case_ids": [a["case"]["id"], new["case"]["id"]]},
        headers=api.h(),
    )
    assert sorted(linked.json()["case_ids"]) == sorted([a["case"]["id"], new["case"]["id"]])
    assert api.client.get(f"/api/v1/problems/{problem['id']}", headers=boss.h()).status_code == 404
    assert (
        api.client.post(
            f"/api/v1/problems/{problem['id']}/cases", json={"case_ids": [a["case"]["id"]]}, headers=boss.h()
        ).status_code
        == 404
    )
    mine = api.client.post("/api/v1/problems", json={"title": "Beta"}, headers=boss.h()).json()
    assert (
        api.client.post(
            f"/api/v1/problems/{mine['id']}/cases", json={"case_ids": [a["case"]["id"]]}, headers=boss.h()
        ).status_code
        == 404
    )
    actions = [
        e["action"] for e in api.client.get(f"/api/v1/cases/{a['case']['id']}/audit", headers=api.h()).json()
    ]
    assert {"merged", "split", "linked_to_problem"} <= set(actions)
