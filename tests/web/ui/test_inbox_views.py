"""Inbox views with counts, SLA countdowns, team queues and pull next."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from socialdesk.actions.care.routing import check_assign_case
from socialdesk.actions.care.sla import do_check_slas
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.cases import check_change_case_status
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.domain.case import CaseStatus
from socialdesk.web.ui.sla_display import span
from tests.web.ui.care_world import online, sla_policy, team_with_rule
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post
from tests.web.ui.test_inbox import _conversation_links


def _count(html: str, label: str) -> str:
    found = re.search(rf">{re.escape(label)} <span class=\"count-badge\">([^<]+)</span>", html)
    assert found, label
    return found.group(1)


def test_views_list_and_count_their_conversations(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws, now = ui_world.ada.workspace_id, ui_world.runtime.clock.now()
    a, b, c = (
        min(ui_world.ingest(ws, ui_post(str(i), f"post {i}", minutes_ago=10 * i)).conversation_ids)
        for i in (1, 2, 3)
    )
    with ui_world.runtime.uow() as uow:
        case_a = uow.conversations.get(ws, a).current_case_id  # type: ignore[union-attr]
        case_c = uow.conversations.get(ws, c).current_case_id  # type: ignore[union-attr]
        assert case_a and case_c
        check_assign_case(uow, ui_world.ada, case_a, ui_world.ada.id, now)
        check_change_case_status(uow, ui_world.ada, case_c, CaseStatus.PENDING_CUSTOMER, now)
        uow.commit()
    page = ui_client.get("/").text
    assert (_count(page, "Mine"), _count(page, "Unassigned"), _count(page, "All open")) == ("1", "2", "3")
    assert _count(page, "Waiting on customer") == "1"
    assert _conversation_links(ui_client.get("/", params={"view": "mine"}).text) == [a]
    assert _conversation_links(ui_client.get("/inbox/rows", params={"view": "unassigned"}).text) == [c, b]
    assert _conversation_links(ui_client.get("/", params={"view": "waiting"}).text) == [c]
    assert "You" in ui_client.get("/", params={"view": "mine"}).text  # the assignee column
    rows = ui_client.get("/inbox/rows", params={"view": "mine", "channel": "mastodon"}).text
    assert 'href="/?view=unassigned&amp;channel=mastodon"' in rows  # tabs keep the filters
    assert "No conversations in “Mine” match this search." in rows
    unknown = ui_client.get("/", params={"view": "<script>"}).text
    assert "<script>" not in unknown  # an unknown view is the default one
    assert 'aria-current="page">Needs reply' in unknown


def test_sla_countdown_and_the_at_risk_and_breached_views(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    sla_policy(ui_world, first_response_s=3600)
    ws = ui_world.ada.workspace_id
    [late] = ui_world.ingest(ws, ui_post("1", "late one", minutes_ago=70)).conversation_ids
    [soon] = ui_world.ingest(ws, ui_post("2", "fresh one", minutes_ago=1)).conversation_ids
    page = ui_client.get("/").text
    assert re.search(r'class="sla sla-breached"[^>]*>breached 1[01]m ago<', page)
    assert re.search(r'class="sla sla-ok"[^>]*data-deadline="[^"]+">5[89]m left<', page)
    do_check_slas(ui_world.runtime.uow, ui_world.runtime.clock)
    assert _conversation_links(ui_client.get("/", params={"view": "breached"}).text) == [late]
    assert _count(ui_client.get("/").text, "SLA breached") == "1"
    conversation = ui_client.get(f"/conversations/{soon}").text
    assert "first response" in conversation and "m left" in conversation


def test_span_is_short() -> None:
    assert [span(s) for s in (-5, 45, 60 * 12, 3600 * 3 + 300, 3600 * 3, 86400 * 2 + 3600 * 4)] == [
        "0s", "45s", "12m", "3h 5m", "3h", "2d 4h"
    ]  # fmt: skip


def test_team_queue_and_pull_next(ui_world: UiWorld) -> None:
    team = team_with_rule(ui_world, "Billing", ui_world.ada)  # Ada is offline: cases wait in the queue
    ws = ui_world.ada.workspace_id
    [first] = ui_world.ingest(ws, ui_post("1", "double charge", minutes_ago=20)).conversation_ids
    [second] = ui_world.ingest(ws, ui_post("2", "refund?", minutes_ago=5)).conversation_ids
    ada, token = login_client(ui_world.app, "a@x.io")
    page = ada.get("/", params={"view": f"team-{team}"}).text
    assert _count(page, "Team Billing") == "2"
    assert _conversation_links(page) == [first, second]
    online(ui_world, ui_world.ada)
    pulled = ada.post("/queue/next", headers=htmx(token))
    assert pulled.status_code == 204
    assert pulled.headers["HX-Redirect"] == f"/conversations/{first}"  # longest waiting first
    plain = ada.post("/queue/next", data={"csrf_token": token})
    assert plain.headers["location"] == f"/conversations/{second}"
    empty = ada.post("/queue/next", headers=htmx(token))
    assert empty.status_code == 409
    assert "queues are empty" in empty.text
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    assert "you are not in a team" in carl.post("/queue/next", headers=htmx(carl_token)).text


def test_deadline_in_a_row_is_an_iso_time(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    sla_policy(ui_world, first_response_s=600)
    before = datetime.now(UTC)  # the real clock: bracket the work, whatever time it takes
    ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", "x", minutes_ago=1))
    found = re.search(r'data-deadline="([^"]+)"', ui_client.get("/").text)
    after = datetime.now(UTC)
    assert found
    deadline = datetime.fromisoformat(found.group(1))
    # 10 minutes from the post (written a minute before `before`), or at most from its arrival.
    assert before + timedelta(minutes=9, seconds=-1) <= deadline <= after + timedelta(minutes=10)


def test_customer_history_and_monitor_filter(ui_world: UiWorld) -> None:
    with ui_world.runtime.uow() as uow:
        check_create_monitor(
            uow, ui_world.ada, name="outage", query="down", mode="listening", now=ui_world.runtime.clock.now()
        )
        uow.commit()
    posts = [
        ui_post("h1", "wifi down again", minutes_ago=120, handle="zoe"),
        ui_post("h2", "thanks for the refund", minutes_ago=10, handle="zoe"),
    ]
    with ui_world.runtime.uow() as uow:
        do_ingest_posts(uow, ui_world.ada.workspace_id, posts, ui_world.runtime.clock.now(), Annotator())
        uow.commit()
    client, _ = login_client(ui_world.app, "a@x.io")
    rows = client.get("/inbox/rows", params={"monitor": "outage"}).text
    assert "wifi down again" in rows
    assert "thanks for the refund" not in rows
    with ui_world.runtime.uow() as uow:
        ref = uow.messages.find_by_keys(ui_world.ada.workspace_id, [("x", "h2")])[("x", "h2")]
    page = client.get(f"/conversations/{ref.conversation_id}").text
    assert "Other conversations" in page
    assert "wifi down again" in page
