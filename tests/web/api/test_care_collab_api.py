"""Approvals, the stale-reply guard, notes, presence, saved replies, signatures, follow-ups and audit
through the REST API (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from socialdesk.actions.care.follow_ups import do_check_follow_ups
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from tests.web.api.care_fixtures import Person, online, person
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def _conversation(api: Api, i: int = 1, text: str = "wifi down since 9am") -> dict[str, Any]:
    api.client.post("/api/v1/posts", json={"posts": [_post(i, text)]}, headers=api.h())
    items = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"]
    conv: dict[str, Any] = next(c for c in items if c["author_handle"] == f"cust{i}")
    return conv


def _detail(api: Api, conv_id: int, who: Person | None = None) -> dict[str, Any]:
    headers = who.h() if who else api.h()
    found: dict[str, Any] = api.client.get(f"/api/v1/conversations/{conv_id}", headers=headers).json()
    return found


def _dispatch(runtime: Runtime) -> list[str]:
    sender = SimulatedSender()
    sent: list[str] = []
    original = sender.send

    def send(item: Any) -> Any:
        sent.append(item.payload["text"])
        return original(item)

    sender.send = send  # type: ignore[method-assign]
    do_dispatch_outbox(runtime.uow, {}, runtime.clock, default=sender)
    return sent


def test_unapproved_replies_never_reach_the_outbox(api: Api, runtime: Runtime) -> None:
    trainee = person(runtime, "acme", "tina@acme.io", "Tina Rook")
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    api.client.patch(f"/api/v1/agents/{trainee.id}", json={"in_training": True}, headers=api.h())
    rules = [{"kind": "term", "value": "refund"}, {"kind": "money"}]
    assert api.client.put("/api/v1/approval-rules", json=rules, headers=api.h()).status_code == 200
    assert (
        api.client.put(
            "/api/v1/approval-rules", json=[{"kind": "regex", "value": "("}], headers=api.h()
        ).status_code
        == 422
    )
    conv = _conversation(api)
    url = f"/api/v1/conversations/{conv['id']}/replies"
    held = api.client.post(url, json={"text": "Hi there"}, headers=trainee.h()).json()
    assert (held["delivery"], held["approval_id"] is not None) == ("awaiting_approval", True)
    risky = api.client.post(url, json={"text": "We can refund you $50"}, headers=api.h()).json()
    assert risky["delivery"] == "awaiting_approval"
    fine = api.client.post(url, json={"text": "Looking into it"}, headers=api.h()).json()
    assert fine["delivery"] == "pending"
    assert _dispatch(runtime) == ["Looking into it ^AB"]  # nothing held is sent

    assert api.client.get("/api/v1/approvals", headers=trainee.h()).status_code == 403
    pending = api.client.get("/api/v1/approvals", headers=api.h()).json()
    assert [(a["text"], a["reasons"]) for a in pending] == [
        ("Hi there ^TR", ["the agent is in training"]),
        ("We can refund you $50 ^AB", ["matches term 'refund'", "matches an amount of money"]),
    ]
    first, second = pending
    assert (
        api.client.post(f"/api/v1/approvals/{first['id']}/approve", json={}, headers=boss.h()).status_code
        == 404
    )
    ok = api.client.post(f"/api/v1/approvals/{first['id']}/approve", json={"text": "Hello!"}, headers=api.h())
    assert ok.json()["status"] == "approved"
    again = api.client.post(f"/api/v1/approvals/{first['id']}/approve", json={}, headers=api.h())
    assert again.status_code == 422
    back = api.client.post(
        f"/api/v1/approvals/{second['id']}/return", json={"comment": "no promises"}, headers=api.h()
    )
    assert back.json()["status"] == "returned"
    assert _dispatch(runtime) == [
        "Hello! ^TR"
    ]  # the edited text, signed by its agent; the returned one stays
    assert _dispatch(runtime) == []
    messages = sorted(_detail(api, conv["id"])["messages"], key=lambda m: m["id"])
    assert [m["delivery"] for m in messages] == ["received", "sent", "returned", "sent"]
    # The admin is told of the trainee's held reply (not of their own, which they returned themselves);
    # the trainee is told their reply was approved.
    kinds = [n["kind"] for n in api.client.get("/api/v1/notifications", headers=api.h()).json()]
    assert kinds == ["approval_requested"]
    told = api.client.get("/api/v1/notifications", headers=trainee.h()).json()
    assert [n["kind"] for n in told] == ["approval_approved"]


def test_stale_replies_notes_presence_and_saved_replies(
    api: Api, runtime: Runtime, clock: FixedClock, bus: RecordingBus
) -> None:
    carl = person(runtime, "acme", "carl@acme.io", "Carl Doe")
    dana = person(runtime, "acme", "dana@acme.io", "Dana Roe")
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    conv = _conversation(api)
    seen = _detail(api, conv["id"])["messages"][-1]["id"]
    url = f"/api/v1/conversations/{conv['id']}/replies"
    first = api.client.post(url, json={"text": "On it", "seen_message_id": seen}, headers=carl.h())
    assert first.status_code == 201
    second = api.client.post(url, json={"text": "Checking", "seen_message_id": seen}, headers=dana.h())
    assert second.status_code == 409
    assert "newer message" in second.json()["detail"]["message"]
    assert [m["text"] for m in second.json()["detail"]["new_messages"]] == ["On it ^CD"]
    forced = api.client.post(
        url, json={"text": "Checking", "seen_message_id": seen, "confirm_stale": True}, headers=dana.h()
    )
    assert forced.status_code == 201

    before = _dispatch(runtime)
    note = api.client.post(
        f"/api/v1/conversations/{conv['id']}/notes",
        json={"text": "@carl @dana.roe see refund"},
        headers=api.h(),
    )
    assert note.status_code == 201
    assert sorted(note.json()["mentions"]) == [carl.id, dana.id]
    assert _dispatch(runtime) == []  # a note never reaches the outbox
    assert len(before) == 2
    assert [n["kind"] for n in api.client.get("/api/v1/notifications", headers=carl.h()).json()] == [
        "mention"
    ]
    assert [n["text"] for n in _detail(api, conv["id"])["notes"]] == ["@carl @dana.roe see refund"]

    presence_url = f"/api/v1/conversations/{conv['id']}/presence"
    api.client.post(presence_url, json={"state": "typing"}, headers=carl.h())
    assert [(p["user_id"], p["state"]) for p in api.client.get(presence_url, headers=dana.h()).json()] == [
        (carl.id, "typing")
    ]
    assert any(e.kind == "presence.changed" for e in bus.events)
    clock.advance(31)
    assert api.client.get(presence_url, headers=dana.h()).json() == []
    assert api.client.get(presence_url, headers=boss.h()).status_code == 404

    body = "Hi {{customer.name}} ({{customer.handle}}), {{agent.name}} here {{agent.signature}}"
    shared = api.client.post(
        "/api/v1/saved-replies",
        json={"title": "Greeting", "body": body, "scope": "workspace"},
        headers=api.h(),
    ).json()
    assert (
        api.client.post(
            "/api/v1/saved-replies", json={"title": "x", "body": "y", "scope": "workspace"}, headers=carl.h()
        ).status_code
        == 403
    )
    mine = api.client.post(
        "/api/v1/saved-replies", json={"title": "Mine", "body": "carl only"}, headers=carl.h()
    ).json()
    assert [
        r["title"]
        for r in api.client.get("/api/v1/saved-replies", params={"q": "greet"}, headers=carl.h()).json()
    ] == ["Greeting"]
    assert [r["title"] for r in api.client.get("/api/v1/saved-replies", headers=dana.h()).json()] == [
        "Greeting"
    ]
    rendered = api.client.post(
        f"/api/v1/saved-replies/{shared['id']}/render",
        params={"conversation_id": conv["id"]},
        headers=carl.h(),
    )
    assert rendered.json() == {"text": "Hi Customer 1 (@cust1), Carl Doe here ^CD"}
    hidden = api.client.post(
        f"/api/v1/saved-replies/{mine['id']}/render", params={"conversation_id": conv["id"]}, headers=dana.h()
    )
    assert hidden.status_code == 404
    other = api.client.post(
        f"/api/v1/saved-replies/{shared['id']}/render",
        params={"conversation_id": conv["id"]},
        headers=boss.h(),
    )
    assert other.status_code == 404
    assert (
        api.client.post(
            f"/api/v1/conversations/{conv['id']}/notes", json={"text": "x"}, headers=boss.h()
        ).status_code
        == 404
    )

    count = api.client.get(
        "/api/v1/compose/count", params={"channel": "x", "text": "Sorry! 🙏"}, headers=carl.h()
    ).json()
    assert count == {"text": "Sorry! 🙏 ^CD", "count": 13, "limit": 280, "remaining": 267, "thread_parts": 1}
    long = api.client.post(url, json={"text": "word " * 100, "confirm_stale": True}, headers=carl.h())
    assert long.status_code == 422 and "x allows 280" in long.text  # never shortened (issue 15, item 3)


def test_follow_ups_and_audit(api: Api, runtime: Runtime, clock: FixedClock) -> None:
    carl = person(runtime, "acme", "carl@acme.io", "Carl Doe")
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    online(api, carl)
    conv = _conversation(api)
    url = f"/api/v1/conversations/{conv['id']}/replies"
    body = {
        "text": "We'll get back to you tomorrow with an update",
        "follow_up": {"due_at": "2026-01-05T10:00:00Z", "note": "check"},
    }
    r = api.client.post(url, json=body, headers=carl.h()).json()
    assert r["proposed_follow_up"]["due_at"] == "2026-01-06T17:00:00Z"
    assert r["follow_up_id"] is not None
    confirmed = api.client.post(
        "/api/v1/follow-ups",
        json={"conversation_id": conv["id"], "due_at": r["proposed_follow_up"]["due_at"]},
        headers=carl.h(),
    )
    assert confirmed.status_code == 201
    assert (
        api.client.post(
            "/api/v1/follow-ups",
            json={"conversation_id": conv["id"], "due_at": "2026-01-06T17:00:00Z"},
            headers=boss.h(),
        ).status_code
        == 404
    )
    assert api.client.get("/api/v1/follow-ups", params={"due": "now"}, headers=carl.h()).json() == []
    clock.advance(3600)  # 10:00:00: due, not yet missed
    assert [
        f["note"]
        for f in api.client.get("/api/v1/follow-ups", params={"due": "now"}, headers=carl.h()).json()
    ] == ["check"]
    assert do_check_follow_ups(runtime.uow, clock).breached == 0
    clock.advance(1)
    assert do_check_follow_ups(runtime.uow, clock).breached == 1
    assert [n["kind"] for n in api.client.get("/api/v1/notifications", headers=carl.h()).json()] == [
        "follow_up_missed"
    ]
    api.client.post(url, json={"text": "Update: fixed ^CD"}, headers=carl.h())  # keeps the open one
    assert api.client.get("/api/v1/follow-ups", headers=carl.h()).json() == []

    case_id = conv["case"]["id"]
    api.client.post(f"/api/v1/cases/{case_id}/status", json={"status": "resolved"}, headers=carl.h())
    actions = [e["action"] for e in api.client.get(f"/api/v1/cases/{case_id}/audit", headers=api.h()).json()]
    assert actions == [
        "replied",
        "follow_up_created",
        "follow_up_created",
        "follow_up_breached",
        "replied",
        "status_changed",
    ]
    assert api.client.get(f"/api/v1/cases/{case_id}/audit", headers=boss.h()).status_code == 404
    assert api.client.get("/api/v1/audit.csv", headers=carl.h()).status_code == 403
    export = api.client.get("/api/v1/audit.csv", params={"from": "2026-01-05T10:00:01Z"}, headers=api.h())
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == [
        "at", "actor_id", "action", "case_id", "conversation_id", "data", "actor", "before", "after"
    ]  # fmt: skip
    assert [row[2] for row in rows[1:]] == ["follow_up_breached", "replied", "status_changed"]
    # Another workspace's export holds none of acme's entries (only its own token creations).
    other = list(csv.reader(io.StringIO(api.client.get("/api/v1/audit.csv", headers=boss.h()).text)))[1:]
    assert [row[2] for row in other if row[2] != "token.created"] == []


def test_approval_rule_patterns_refuse_what_re2_cannot_run(api: Api) -> None:
    for pattern, named in [(r"(a)\1", "backreference"), (r"(?<!no )refund", "lookbehind")]:
        answer = api.client.put(
            "/api/v1/approval-rules", json=[{"kind": "regex", "value": pattern}], headers=api.h()
        )
        assert answer.status_code == 422 and named in answer.json()["detail"]


@pytest.mark.timeout(120)  # a hang guard: on a backtracking matcher this reply takes about 2**50 steps
def test_catastrophic_approval_pattern_does_not_freeze_replies(api: Api) -> None:
    rules = [{"kind": "regex", "value": "(a+)+x"}]
    assert api.client.put("/api/v1/approval-rules", json=rules, headers=api.h()).status_code == 200
    conv = _conversation(api)
    url = f"/api/v1/conversations/{conv['id']}/replies"
    sent = api.client.post(url, json={"text": "a" * 50 + "c"}, headers=api.h())
    assert sent.status_code == 201 and sent.json()["delivery"] == "pending"
    held = api.client.post(url, json={"text": "a" * 50 + "x"}, headers=api.h()).json()
    assert held["delivery"] == "awaiting_approval"


def test_audit_csv_cells_cannot_become_formulas_in_any_locale(api: Api) -> None:
    hostile = [{"kind": "term", "value": 'x;=HYPERLINK("http://evil";"y")'}, {"kind": "term", "value": "@a"}]
    assert api.client.put("/api/v1/approval-rules", json=hostile, headers=api.h()).status_code == 200
    text = api.client.get("/api/v1/audit.csv", headers=api.h()).text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for cell in cells:
        for part in cell.split(";"):  # a `;` locale's spreadsheet splits cells there
            assert part.lstrip(' "')[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert any(";'=HYPERLINK" in cell for cell in cells)
