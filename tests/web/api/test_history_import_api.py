"""History import (issue #15, item 7): past conversations the brand answered last are stored resolved,
with their first-response time, neither routed nor timed; only unanswered ones open cases."""

from __future__ import annotations

from typing import Any

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from tests.web.api.test_channels_api import Api
from tests.web.api.test_channels_api import api as api


def _post(
    ident: str, minute: int, text: str, *, brand: bool = False, reply_to: str | None = None
) -> dict[str, Any]:
    author = (
        {"id": "b1", "handle": "AcmeCares"}
        if brand
        else {"id": f"c-{ident[0]}", "handle": f"cust_{ident[0]}"}
    )
    post: dict[str, Any] = {
        "id": ident, "channel": "x", "text": text,
        "created_at": f"2025-03-01T10:{minute:02d}:00Z", "author": author,
    }  # fmt: skip
    if reply_to:
        post["in_reply_to"] = reply_to
    return post


# a: answered (customer, brand); b: the customer wrote after the brand's answer; c: never answered;
# d: answered twice over.
PAST = [
    _post("a1", 0, "@AcmeCares my router is dead"),
    _post("a2", 12, "@cust_a sorry! Try a reset", brand=True, reply_to="a1"),
    _post("b1", 1, "@AcmeCares bill doubled?"),
    _post("b2", 5, "@cust_b checking, DM us", brand=True, reply_to="b1"),
    _post("b3", 9, "@AcmeCares still waiting...", reply_to="b2"),
    _post("c1", 2, "@AcmeCares anyone there?"),
    _post("d1", 3, "@AcmeCares app crashes"),
    _post("d2", 4, "@cust_d which phone?", brand=True, reply_to="d1"),
    _post("d3", 6, "@AcmeCares pixel 7", reply_to="d2"),
    _post("d4", 20, "@cust_d fixed in 2.1, thanks!", brand=True, reply_to="d3"),
]


def _brand_and_routing(api: Api) -> None:
    with api.runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug("acme")
        assert ws is not None
        check_add_brand_account(uow, ws.id, "x", "AcmeCares")
        uow.commit()
    c = api.client
    team = c.post("/api/v1/teams", json={"name": "Care"}, headers=api.admin).json()
    me = c.get("/api/v1/agents", headers=api.agent).json()
    eve = next(a for a in me if a["email"] == "eve@acme.io")
    assert (
        c.post(
            f"/api/v1/teams/{team['id']}/members", json={"user_id": eve["id"]}, headers=api.admin
        ).status_code
        < 300
    )
    rule = {"name": "all", "team_id": team["id"]}
    assert c.post("/api/v1/routing-rules", json=rule, headers=api.admin).status_code == 201
    assert (
        c.patch(f"/api/v1/agents/{eve['id']}", json={"status": "online"}, headers=api.agent).status_code
        == 200
    )


def _cases(api: Api) -> dict[str, dict[str, Any]]:
    """Each conversation's current case, by the id of its first post."""
    out = {}
    for status in ("new", "open", "pending_customer", "resolved"):
        items = api.client.get("/api/v1/conversations", params={"status": status}, headers=api.admin).json()[
            "items"
        ]
        for item in items:
            detail = api.client.get(f"/api/v1/conversations/{item['id']}", headers=api.admin).json()
            out[detail["messages"][0]["external_id"]] = detail["cases"][-1]
    return out


def test_history_import_resolves_what_the_brand_answered_last(api: Api) -> None:
    _brand_and_routing(api)
    answer = api.client.post("/api/v1/posts", json={"posts": PAST, "history": True}, headers=api.admin)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["cases_opened"], answer.json()["cases_resolved"]) == (2, 2)
    cases = _cases(api)
    assert {k: v["status"] for k, v in cases.items()} == {
        "a1": "resolved",
        "b1": "open",
        "c1": "new",
        "d1": "resolved",
    }
    assert cases["a1"]["first_response_seconds"] == 12 * 60
    assert cases["a1"]["resolved_at"].startswith("2025-03-01T10:12:00")
    assert cases["d1"]["first_response_seconds"] == 60 and cases["d1"]["resolved_at"].startswith(
        "2025-03-01T10:20"
    )
    assert cases["b1"]["first_response_seconds"] == 4 * 60
    # Resolved history is neither assigned nor on an SLA clock; the open ones are routed as usual.
    assert cases["a1"]["assignee_id"] is None and cases["d1"]["assignee_id"] is None
    assert cases["b1"]["assignee_id"] is not None and cases["c1"]["assignee_id"] is not None


def test_without_the_flag_every_conversation_opens_a_case(api: Api) -> None:
    _brand_and_routing(api)
    answer = api.client.post("/api/v1/posts", json={"posts": PAST}, headers=api.admin)
    assert answer.status_code == 200 and answer.json()["cases_resolved"] == 0
    assert all(case["status"] != "resolved" for case in _cases(api).values())


def test_history_spread_over_batches_and_a_new_message_reopens(api: Api) -> None:
    _brand_and_routing(api)
    c = api.client
    first = c.post("/api/v1/posts", json={"posts": [PAST[0], PAST[5]], "history": True}, headers=api.admin)
    assert first.json()["cases_opened"] == 2  # a1 and c1 wait, as far as this batch knows
    later = c.post("/api/v1/posts", json={"posts": [PAST[1]], "history": True}, headers=api.admin)
    assert later.json()["cases_resolved"] == 1  # the brand's answer arrives in a later batch
    assert {k: v["status"] for k, v in _cases(api).items()} == {"a1": "resolved", "c1": "new"}
    # Live traffic afterwards: the customer writes again, the resolved case reopens.
    live = _post("a3", 30, "@AcmeCares it died again", reply_to="a2")
    assert c.post("/api/v1/posts", json={"posts": [live]}, headers=api.admin).status_code == 200
    assert _cases(api)["a1"]["status"] == "open"


class _RefusingNats:
    """Scale-out mode's post stream, standing in: a history import must not be queued through it."""

    def publish_posts(self, *_args: object) -> int:
        raise AssertionError("a history import was sent to the ingest workers")

    def close(self) -> None:
        pass


def test_in_scale_out_mode_history_is_stored_by_the_web_process(api: Api) -> None:
    _brand_and_routing(api)
    api.runtime.nats = _RefusingNats()  # type: ignore[assignment]
    try:
        answer = api.client.post("/api/v1/posts", json={"posts": PAST, "history": True}, headers=api.admin)
    finally:
        api.runtime.nats = None
    assert answer.status_code == 200, answer.text
    assert (answer.json()["queued"], answer.json()["cases_opened"], answer.json()["cases_resolved"]) == (
        0,
        2,
        2,
    )
    assert _cases(api)["a1"]["status"] == "resolved"
