"""The queue shows what needs people (issue 15, item 6; triage issue, item 3), through the REST API:
SLA clocks only for cases that need a reply, the needs-reply view, reposts joining their conversation,
urgency that grows while a customer waits (the care checks' tick), sorting, paging with counts, and
an agent's label correction re-scoring urgency, audited."""

from __future__ import annotations

from typing import Any

import pytest

from socialdesk.actions.care.sla import do_check_slas
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.domain.clock import FixedClock
from socialdesk.runtime import Runtime
from socialdesk.triage import Triager
from socialdesk.workers.care_checks import CareChecksThread
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api

POLICY = {
    "targets": [{"first_response_s": 3600, "next_response_s": 3600, "resolution_s": 86400}],
    "escalations": [
        {"id": "late", "clock": "first_response", "when": "breached", "actions": ["notify_supervisor"]}
    ],
}


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


@pytest.fixture
def runtime(runtime: Runtime, triager: Triager) -> Runtime:
    """The API's runtime with triage, as `serve` runs it (in this process: no triage child)."""
    runtime.annotator = Annotator(triager)
    runtime.settings = runtime.settings.model_copy(update={"triage_processes": 0})
    return runtime


def _ingest(api: Api, *posts: dict[str, Any]) -> None:
    r = api.client.post("/api/v1/posts", json={"posts": list(posts)}, headers=api.h())
    assert r.status_code == 200, r.text


def _page(api: Api, **params: Any) -> dict[str, Any]:
    r = api.client.get("/api/v1/conversations", params=params, headers=api.h())
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


def _by_author(api: Api) -> dict[str, dict[str, Any]]:
    return {i["author_handle"]: i for i in _page(api, limit=200)["items"]}


def test_praise_and_spam_never_breach_or_escalate(api: Api, runtime: Runtime) -> None:
    assert api.client.put("/api/v1/sla-policy", json=POLICY, headers=api.h()).status_code == 200
    _ingest(
        api,
        _post(1, "@AcmeCares my internet has been down since 9am and I work from home, fix it"),
        _post(2, "@AcmeCares thank you so much, the new router is great! love it"),
        _post(3, "@AcmeCares WIN FREE CRYPTO giveaway click http://spam.example/x follow for follow"),
    )
    rows = _by_author(api)
    outage, praise, spam = rows["cust1"], rows["cust2"], rows["cust3"]
    assert outage["case"]["needs_reply"] is True and outage["case"]["sla"] is not None
    for quiet in (praise, spam):
        assert quiet["case"]["needs_reply"] is False, quiet
        assert quiet["case"]["sla"] is None  # no clock to breach
    needing = _page(api, needs_reply="true")
    assert [i["author_handle"] for i in needing["items"]] == ["cust1"] and needing["total"] == 1

    # A day later: the outage breached and escalated; praise and spam did neither.
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    clock.advance(86400)
    do_check_slas(runtime.uow, clock)
    rows = _by_author(api)
    assert rows["cust1"]["case"]["sla"]["state"] == "breached"
    assert rows["cust2"]["case"]["sla"] is None and rows["cust3"]["case"]["sla"] is None
    audit = api.client.get(f"/api/v1/cases/{praise['case']['id']}/audit", headers=api.h()).json()
    assert not [e for e in audit if e["action"] == "sla_escalated"]

    # An agent says the praise needs a reply after all: its clocks start (from the customer's
    # message, so it is breached at once), and "no reply needed" stops them again. Both audited.
    case_id = praise["case"]["id"]
    said = api.client.post(
        f"/api/v1/cases/{case_id}/needs-reply", json={"needs_reply": True}, headers=api.h()
    )
    assert said.status_code == 200, said.text
    assert said.json()["needs_reply"] is True and said.json()["sla"]["state"] == "breached"
    assert "cust2" in [i["author_handle"] for i in _page(api, needs_reply="true")["items"]]
    undo = api.client.post(
        f"/api/v1/cases/{case_id}/needs-reply", json={"needs_reply": False}, headers=api.h()
    )
    assert undo.json()["needs_reply"] is False and undo.json()["sla"] is None
    audit = api.client.get(f"/api/v1/cases/{case_id}/audit", headers=api.h()).json()
    changes = [
        (e["data"]["before"], e["data"]["after"]) for e in audit if e["action"] == "needs_reply_changed"
    ]
    assert changes == [
        ({"needs_reply": False}, {"needs_reply": True}),
        ({"needs_reply": True}, {"needs_reply": False}),
    ]


def test_a_repost_joins_the_conversation_of_what_it_reposts(api: Api) -> None:
    _ingest(api, _post(1, "@AcmeCares billing charged me twice this month"))
    before = _by_author(api)["cust1"]
    repost = _post(2, "@AcmeCares billing charged me twice this month", is_repost=True, repost_of="1")
    _ingest(api, repost)
    rows = _page(api, limit=200)["items"]
    assert len(rows) == 1  # no conversation of its own
    after = rows[0]
    assert after["id"] == before["id"] and after["message_count"] == 2
    assert after["waiting_since"] == before["waiting_since"] and after["case"]["id"] == before["case"]["id"]
    detail = api.client.get(f"/api/v1/conversations/{after['id']}", headers=api.h()).json()
    assert [m["external_id"] for m in detail["messages"]] == ["1", "2"]


def test_urgency_grows_while_a_customer_waits(api: Api, runtime: Runtime) -> None:
    _ingest(
        api,
        _post(1, "@AcmeCares how do I change the email address on my account?"),
        _post(50, "@AcmeCares how do I change the email address on my account?!"),
    )
    start = {h: r["urgency"] for h, r in _by_author(api).items()}
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    clock.advance(6 * 3600)
    CareChecksThread(runtime).run_once()  # the care checks' tick
    aged = _by_author(api)
    for handle in ("cust1", "cust50"):
        assert aged[handle]["urgency"] > start[handle], (handle, start, aged)
    # The longer wait weighs more: the customer who wrote 49 minutes earlier gains at least as much.
    assert aged["cust1"]["urgency"] - start["cust1"] >= aged["cust50"]["urgency"] - start["cust50"]
    by_wait = [i["author_handle"] for i in _page(api, sort="waiting")["items"]]
    assert by_wait == ["cust1", "cust50"]
    CareChecksThread(runtime).run_once()
    assert _by_author(api) == aged  # nothing changes without time passing


def test_the_inbox_pages_past_the_first_rows_with_counts(api: Api) -> None:
    _ingest(api, *[_post(i, f"@AcmeCares wifi down again, day {i}") for i in range(1, 56)])
    seen: list[int] = []
    first = _page(api, limit=20)
    assert (first["total"], first["offset"], first["next_offset"], first["prev_offset"]) == (55, 0, 20, None)
    page = first
    while True:
        seen += [i["id"] for i in page["items"]]
        if page["next_offset"] is None:
            break
        page = _page(api, limit=20, offset=page["next_offset"])
    assert (page["offset"], page["prev_offset"], len(page["items"])) == (40, 20, 15)
    assert len(seen) == len(set(seen)) == 55
    for sort in ("urgency", "waiting", "deadline"):  # the cursor walks every order without gaps
        ids: list[int] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 20, "sort": sort, **({"cursor": cursor} if cursor else {})}
            got = _page(api, **params)
            ids += [i["id"] for i in got["items"]]
            cursor = got["next_cursor"]
            if cursor is None:
                break
        assert sorted(ids) == sorted(seen), sort
    wrong = api.client.get(
        "/api/v1/conversations", params={"sort": "waiting", "cursor": first["next_cursor"]}, headers=api.h()
    )
    assert wrong.status_code == 422 and "sort=waiting" in wrong.text


def test_a_label_correction_rescores_urgency_and_is_audited(api: Api, runtime: Runtime) -> None:
    assert api.client.put("/api/v1/sla-policy", json=POLICY, headers=api.h()).status_code == 200
    _ingest(api, _post(1, "@AcmeCares my internet has been down since 9am and I work from home, fix it"))
    conv = _by_author(api)["cust1"]
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.h()).json()
    message = detail["messages"][0]
    before = message["triage"]["urgency"]
    r = api.client.post(
        f"/api/v1/messages/{message['id']}/triage",
        json={"field": "category", "label": "praise"},
        headers=api.h(),
    )
    assert r.status_code == 200, r.text
    assert r.json()["urgency"] < before
    assert _by_author(api)["cust1"]["urgency"] == r.json()["urgency"]  # the inbox order follows
    r = api.client.post(
        f"/api/v1/messages/{message['id']}/triage",
        json={"field": "needs_reply", "label": "false"},
        headers=api.h(),
    )
    assert r.status_code == 200, r.text
    case = _by_author(api)["cust1"]["case"]
    assert case["needs_reply"] is False and case["sla"] is None  # the agent said so: no clock
    audit = api.client.get(f"/api/v1/cases/{case['id']}/audit", headers=api.h()).json()
    corrected = [e["data"] for e in audit if e["action"] == "triage_corrected"]
    category = message["triage"]["category"]
    assert corrected and corrected[0]["before"] == {"category": category, "urgency": before}
    assert corrected[0]["after"]["category"] == "praise"
