"""Managing what you create (issue #15, item 9): monitors edited, paused, resumed and deleted with their
history kept; saved replies edited and deleted; every change admin-only where creating is, and audited
with before and after; search by the customer's handle or name; `{{customer.handle}}` with one "@"."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.domain.people import User
from tests.web.api.test_api import _post
from tests.web.api.test_channels_api import Api
from tests.web.api.test_channels_api import api as api


def _audit(api: Api, action: str) -> list[dict[str, Any]]:
    answer = api.client.get("/api/v1/audit.csv", headers=api.admin)
    assert answer.status_code == 200, answer.text
    rows = [r for r in csv.DictReader(io.StringIO(answer.text)) if r["action"] == action]
    return [
        {**r, "before": json.loads(r["before"] or "null"), "after": json.loads(r["after"] or "null")}
        for r in rows
    ]


def _user(uow: Any, email: str) -> User:
    found = uow.users.get_by_email(email)
    assert found is not None
    return found[0]


def _ingest(api: Api, *posts: dict[str, object]) -> None:
    answer = api.client.post("/api/v1/posts", json={"posts": list(posts)}, headers=api.admin)
    assert answer.status_code in (200, 201, 202), answer.text


def _monitors(api: Api) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in api.client.get("/api/v1/monitors", headers=api.admin).json()}


def _create(api: Api, name: str, query: str, mode: str = "listening") -> int:
    answer = api.client.post(
        "/api/v1/monitors", json={"name": name, "query": query, "mode": mode}, headers=api.admin
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_a_monitor_is_edited_paused_resumed_and_deleted_keeping_its_history(api: Api) -> None:
    c, admin = api.client, api.admin
    mid = _create(api, "outage", "down")
    _ingest(api, _post(1, "wifi down since 9am"), _post(2, "screen broken"))
    assert _monitors(api)["outage"]["matches"] == 1

    edited = c.patch(
        f"/api/v1/monitors/{mid}", json={"query": "down OR broken", "kind": "topic"}, headers=admin
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["query"], edited.json()["kind"], edited.json()["active"]) == (
        "down OR broken",
        "topic",
        True,
    )
    _ingest(api, _post(3, "router broken again"))
    assert _monitors(api)["outage"]["matches"] == 2  # the edit matches new posts; the old match stays

    paused = c.patch(f"/api/v1/monitors/{mid}", json={"active": False}, headers=admin)
    assert paused.status_code == 200 and paused.json()["active"] is False
    _ingest(api, _post(4, "still down"))
    assert _monitors(api)["outage"]["matches"] == 2  # paused: nothing new
    assert c.patch(f"/api/v1/monitors/{mid}", json={"active": True}, headers=admin).json()["active"] is True
    _ingest(api, _post(5, "down down down"))
    assert _monitors(api)["outage"]["matches"] == 3

    assert c.delete(f"/api/v1/monitors/{mid}", headers=admin).status_code == 204
    assert "outage" not in _monitors(api)
    assert c.delete(f"/api/v1/monitors/{mid}", headers=admin).status_code == 404
    # The posts it matched still say so.
    conv = c.get("/api/v1/conversations", params={"q": "wifi"}, headers=admin).json()["items"][0]
    detail = c.get(f"/api/v1/conversations/{conv['id']}", headers=admin).json()
    assert detail["messages"][0]["monitors"] == ["outage"]
    # A new monitor may take the name again.
    _create(api, "outage", "outage")

    [changed] = _audit(api, "monitor_changed")
    assert (changed["before"], changed["after"]) == (
        {"query": "down", "kind": "brand"},
        {"query": "down OR broken", "kind": "topic"},
    )
    assert changed["actor"] == "ada@acme.io"
    assert [(r["before"], r["after"]) for r in _audit(api, "monitor_paused")] == [
        ({"active": True}, {"active": False})
    ]
    assert [(r["before"], r["after"]) for r in _audit(api, "monitor_resumed")] == [
        ({"active": False}, {"active": True})
    ]
    [deleted] = _audit(api, "monitor_deleted")
    assert deleted["after"] is None
    assert deleted["before"]["query"] == "down OR broken" and deleted["before"]["matches"] == 3


def test_monitor_changes_are_checked_and_admin_only(api: Api) -> None:
    c = api.client
    mid = _create(api, "outage", "down")
    _create(api, "billing", "bill")
    answers = {
        "bad query": c.patch(f"/api/v1/monitors/{mid}", json={"query": "(down OR"}, headers=api.admin),
        "taken name": c.patch(f"/api/v1/monitors/{mid}", json={"name": "billing"}, headers=api.admin),
        "bad mode": c.patch(f"/api/v1/monitors/{mid}", json={"mode": "loud"}, headers=api.admin),
        "agent edits": c.patch(f"/api/v1/monitors/{mid}", json={"query": "x"}, headers=api.agent),
        "agent pauses": c.patch(f"/api/v1/monitors/{mid}", json={"active": False}, headers=api.agent),
        "agent deletes": c.delete(f"/api/v1/monitors/{mid}", headers=api.agent),
        "other workspace": c.patch(f"/api/v1/monitors/{mid}", json={"active": False}, headers=api.other),
        "other deletes": c.delete(f"/api/v1/monitors/{mid}", headers=api.other),
    }
    codes = {k: a.status_code for k, a in answers.items()}
    assert codes == {
        "bad query": 422, "taken name": 422, "bad mode": 422,
        "agent edits": 403, "agent pauses": 403, "agent deletes": 403,
        "other workspace": 404, "other deletes": 404,
    }  # fmt: skip
    assert "column" in answers["bad query"].json()["detail"]
    assert "only admins change monitors" in answers["agent edits"].text
    outage = _monitors(api)["outage"]
    assert (outage["query"], outage["active"]) == ("down", True)
    assert _audit(api, "monitor_changed") == _audit(api, "monitor_deleted") == []


def test_saved_replies_are_edited_and_deleted_by_whom_may_add_them(api: Api) -> None:
    c = api.client
    with api.runtime.uow() as uow:
        ada, eve = _user(uow, "ada@acme.io"), _user(uow, "eve@acme.io")
        now = api.runtime.clock.now()
        everyone = check_add_saved_reply(uow, ada, "Sorry", "Sorry {{customer.name}}", "workspace", None, now)
        mine = check_add_saved_reply(uow, eve, "Mine", "Hi there", "personal", None, now)
        adas = check_add_saved_reply(uow, ada, "Ada's", "Ada here", "personal", None, now)
        uow.commit()
    url = "/api/v1/saved-replies"
    # An agent: their own yes; everyone's is refused; an admin's personal one is not even there.
    own = c.patch(f"{url}/{mine.id}", json={"body": "Hello there"}, headers=api.agent)
    assert own.status_code == 200 and own.json()["body"] == "Hello there"
    assert c.patch(f"{url}/{everyone.id}", json={"body": "x"}, headers=api.agent).status_code == 403
    assert c.delete(f"{url}/{everyone.id}", headers=api.agent).status_code == 403
    assert c.patch(f"{url}/{adas.id}", json={"body": "x"}, headers=api.agent).status_code == 404
    assert c.delete(f"{url}/{everyone.id}", headers=api.other).status_code == 404
    assert c.patch(f"{url}/{mine.id}", json={"title": "   "}, headers=api.agent).status_code == 422
    # An admin changes everyone's.
    changed = c.patch(f"{url}/{everyone.id}", json={"title": "Apology"}, headers=api.admin)
    assert changed.status_code == 200 and changed.json()["title"] == "Apology"
    assert c.delete(f"{url}/{mine.id}", headers=api.agent).status_code == 204
    titles = [r["title"] for r in c.get(url, headers=api.agent).json()]
    assert titles == ["Apology"]

    audit = [(r["actor"], r["before"], r["after"]) for r in _audit(api, "saved_reply_changed")]
    assert audit == [
        ("eve@acme.io", {"body": "Hi there"}, {"body": "Hello there"}),
        ("ada@acme.io", {"title": "Sorry"}, {"title": "Apology"}),
    ]
    [deleted] = _audit(api, "saved_reply_deleted")
    assert deleted["actor"] == "eve@acme.io" and deleted["before"]["body"] == "Hello there"
    assert deleted["after"] is None


def test_search_finds_a_conversation_by_the_customers_handle_or_name(api: Api) -> None:
    post = _post(1, "my parcel never came")
    post["author"] = {"id": "u1", "handle": "JaneDoe77", "name": "Jane Q. Public"}
    _ingest(api, post, _post(2, "wifi down"))

    def found(q: str) -> list[str]:
        items = api.client.get("/api/v1/conversations", params={"q": q}, headers=api.admin).json()["items"]
        return [i["author_handle"] for i in items]

    assert found("parcel") == ["JaneDoe77"]  # text, as before
    assert found("janedoe77") == found("@JaneDoe77") == found("jane q") == ["JaneDoe77"]
    assert found("cust2") == ["cust2"]
    assert found("nobody-by-that-name") == []


def test_customer_handle_in_a_saved_reply_has_one_at_sign(api: Api) -> None:
    _ingest(api, _post(1, "wifi down"))
    conv = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"][0]
    with api.runtime.uow() as uow:
        ada = _user(uow, "ada@acme.io")
        now = api.runtime.clock.now()
        replies = [
            check_add_saved_reply(uow, ada, t, b, "workspace", None, now)
            for t, b in (
                ("a", "Hi @{{customer.handle}}!"),
                ("b", "Hi {{customer.handle}}!"),
                ("c", "Hi @{{ customer.handle }}"),
            )
        ]
        uow.commit()
    texts = [
        api.client.post(
            f"/api/v1/saved-replies/{r.id}/render", params={"conversation_id": conv["id"]}, headers=api.admin
        ).json()["text"]
        for r in replies
    ]
    assert texts == ["Hi @cust1!", "Hi @cust1!", "Hi @cust1"]


def test_monitor_of_another_workspace_with_the_same_name_is_untouched(api: Api) -> None:
    with api.runtime.uow() as uow:
        bob = _user(uow, "bob@beta.io")
        theirs = check_create_monitor(uow, bob, name="outage", query="down", now=api.runtime.clock.now())
        uow.commit()
    _create(api, "outage", "down")
    assert api.client.delete(f"/api/v1/monitors/{theirs.id}", headers=api.admin).status_code == 404
    assert [m["name"] for m in api.client.get("/api/v1/monitors", headers=api.other).json()] == ["outage"]
