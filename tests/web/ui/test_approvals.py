"""Held replies: a trainee's reply waits, admins approve (optionally edited) or return it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.care.teams import check_create_team
from socialdesk.actions.inbox.conversations import get_conversation_detail
from socialdesk.actions.inbox.replies import check_reply
from socialdesk.domain.people import Role
from socialdesk.domain.post import Visibility
from tests.web.ui.care_world import save_agent, trainee
from tests.web.ui.conftest import PASSWORD, UiWorld, htmx, login_client, ui_post
from tests.web.ui.test_inbox import HOSTILE_TEXT


@pytest.fixture
def held(ui_world: UiWorld) -> tuple[int, int]:
    """Carl (in training) replied to Grace; returns (conversation id, approval id)."""
    trainee(ui_world)
    [cid] = ui_world.ingest(
        ui_world.ada.workspace_id, ui_post("1", "router down", minutes_ago=5, name="Grace", handle="grace")
    ).conversation_ids
    carl, token = login_client(ui_world.app, "c@x.io")
    sent = carl.post(f"/conversations/{cid}/reply", data={"text": "Try a restart"}, headers=htmx(token))
    assert sent.status_code == 200
    assert "Awaiting approval" in sent.text
    approval = re.search(r'href="/approvals#approval-(\d+)"', ui_client_page(ui_world, cid))
    assert approval
    return cid, int(approval.group(1))


def ui_client_page(ui_world: UiWorld, cid: int) -> str:
    ada, _ = login_client(ui_world.app, "a@x.io")
    return ada.get(f"/conversations/{cid}").text


def _last(ui_world: UiWorld, cid: int) -> tuple[str, str]:
    with ui_world.runtime.uow() as uow:
        m = get_conversation_detail(uow, ui_world.ada, cid).messages[-1]
    return m.text, m.delivery


def test_a_trainee_s_reply_waits_and_shows_its_state(ui_world: UiWorld, held: tuple[int, int]) -> None:
    cid, _ = held
    assert _last(ui_world, cid) == ("Try a restart ^CA", "awaiting_approval")
    carl, _ = login_client(ui_world.app, "c@x.io")
    page = carl.get(f"/conversations/{cid}").text
    assert "Awaiting approval" in page
    assert "Waiting for an approver: the agent is in training." in page
    assert "Review it" not in page  # only approvers get the link


def test_approvals_page_is_for_admins_only(ui_world: UiWorld, held: tuple[int, int]) -> None:
    _, approval_id = held
    carl, token = login_client(ui_world.app, "c@x.io")
    assert carl.get("/approvals").status_code == 403
    assert 'href="/approvals"' not in carl.get("/").text
    for action in ("approve", "return"):
        refused = carl.post(f"/approvals/{approval_id}/{action}", data={"comment": "x"}, headers=htmx(token))
        assert refused.status_code == 403
    ada, _ = login_client(ui_world.app, "a@x.io")
    page = ada.get("/approvals")
    assert page.status_code == 200
    assert f'id="approval-{approval_id}"' in page.text
    assert "Carl Agent" in page.text
    assert "the agent is in training" in page.text


def test_approve_with_an_edit_sends_the_edited_signed_text(ui_world: UiWorld, held: tuple[int, int]) -> None:
    cid, approval_id = held
    ada, token = login_client(ui_world.app, "a@x.io")
    data = {"text": "Please restart the router", "original": "Try a restart ^CA"}
    assert ada.post(f"/approvals/{approval_id}/approve", data=data).status_code == 403  # no token
    done = ada.post(f"/approvals/{approval_id}/approve", data=data, headers=htmx(token))
    assert done.status_code == 200
    assert "Approved" in done.text
    assert _last(ui_world, cid) == ("Please restart the router ^CA", "pending")  # in the outbox now
    again = ada.post(f"/approvals/{approval_id}/approve", data=data, headers=htmx(token))
    assert again.status_code == 422
    assert "already approved" in again.text
    assert "No replies are waiting" in ada.get("/approvals").text


def test_approve_unchanged_by_plain_form(ui_world: UiWorld, held: tuple[int, int]) -> None:
    cid, approval_id = held
    ada, token = login_client(ui_world.app, "a@x.io")
    data = {"text": "Try a restart ^CA", "original": "Try a restart ^CA", "csrf_token": token}
    done = ada.post(f"/approvals/{approval_id}/approve", data=data)
    assert done.status_code == 303
    assert done.headers["location"] == "/approvals"
    assert _last(ui_world, cid) == ("Try a restart ^CA", "pending")


def test_return_needs_a_comment_and_shows_it_to_the_agent(ui_world: UiWorld, held: tuple[int, int]) -> None:
    cid, approval_id = held
    ada, token = login_client(ui_world.app, "a@x.io")
    empty = ada.post(f"/approvals/{approval_id}/return", data={"comment": " "}, headers=htmx(token))
    assert empty.status_code == 422
    comment = "Ask for the model first " + HOSTILE_TEXT
    returned = ada.post(f"/approvals/{approval_id}/return", data={"comment": comment}, headers=htmx(token))
    assert returned.status_code == 200
    assert _last(ui_world, cid) == ("Try a restart ^CA", "returned")
    carl, _ = login_client(ui_world.app, "c@x.io")
    page = carl.get(f"/conversations/{cid}").text
    assert "Returned by Ada Byron" in page
    assert "Ask for the model first &lt;script&gt;" in page
    assert "<script>alert" not in page


def test_another_workspace_s_approval_is_404(ui_world: UiWorld) -> None:
    bob = save_agent(ui_world, ui_world.bob, in_training=True)
    [cid] = ui_world.ingest(bob.workspace_id, ui_post("9", "beta post", minutes_ago=1)).conversation_ids
    with ui_world.runtime.uow() as uow:
        result = check_reply(uow, bob, cid, "held in beta", Visibility.PUBLIC, ui_world.runtime.clock.now())
        uow.commit()
    assert result.approval is not None
    ada, token = login_client(ui_world.app, "a@x.io")
    for action in ("approve", "return"):
        answer = ada.post(
            f"/approvals/{result.approval.id}/{action}", data={"comment": "x"}, headers=htmx(token)
        )
        assert answer.status_code == 404
    assert "held in beta" not in ada.get("/approvals").text


def _team_of_held_reply(ui_world: UiWorld, cid: int) -> tuple[int, int]:
    """Teams Billing (the held reply's case is Billing's) and Care; Dana, an agent; returns their ids."""
    ws, now = ui_world.ada.workspace_id, ui_world.runtime.clock.now()
    with ui_world.runtime.uow() as uow:
        billing = check_create_team(uow, ui_world.ada, "Billing", "least_loaded", "least_loaded", None, now)
        care = check_create_team(uow, ui_world.ada, "Care", "least_loaded", "least_loaded", None, now)
        check_create_user(uow, ws, "d@x.io", "Dana Approver", PASSWORD, Role.AGENT)
        case = uow.cases.current_for(ws, [cid])[cid]
        uow.cases.save_many([replace(case, team_id=billing.id)])
    return billing.id, care.id


def _dana_approves_for(ada: TestClient, token: str, team_id: int, dana_id: int) -> None:
    data = {"approver": str(dana_id), "csrf_token": token}
    assert ada.post(f"/settings/approvals/teams/{team_id}", data=data).status_code == 303


def test_a_team_s_approvers_review_only_its_held_replies(ui_world: UiWorld, held: tuple[int, int]) -> None:
    cid, approval_id = held
    billing, care = _team_of_held_reply(ui_world, cid)
    with ui_world.runtime.read_uow() as uow:
        dana_id = next(u.id for u in uow.users.list(ui_world.ada.workspace_id) if u.email == "d@x.io")
    dana, dana_token = login_client(ui_world.app, "d@x.io")
    refused = dana.get("/approvals")
    assert (
        refused.status_code == 403
        and "only admins and a team&#39;s approvers review approvals" in refused.text
    )
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    data = {"approver": str(dana_id), "csrf_token": carl_token}
    assert carl.post(f"/settings/approvals/teams/{billing}", data=data).status_code == 403
    ada, token = login_client(ui_world.app, "a@x.io")
    bad = ada.post(f"/settings/approvals/teams/{billing}", data={"approver": "999999", "csrf_token": token})
    assert bad.status_code == 422 and "Not saved: approvers of Billing: no active user 999999" in bad.text

    _dana_approves_for(ada, token, care, dana_id)  # another team's approver: not this reply's
    assert f'id="approval-{approval_id}"' not in dana.get("/approvals").text
    data = {"text": "Try a restart ^CA", "original": "Try a restart ^CA", "csrf_token": dana_token}
    wrong = dana.post(f"/approvals/{approval_id}/approve", data=data)
    assert wrong.status_code == 403 and f"approvers of its team review approval {approval_id}" in wrong.text
    assert _last(ui_world, cid) == ("Try a restart ^CA", "awaiting_approval")

    _dana_approves_for(ada, token, billing, dana_id)
    page = ada.get("/settings/approvals").text
    assert page.count(f'name="approver" value="{dana_id}" checked') == 2
    assert f'id="approval-{approval_id}"' in dana.get("/approvals").text
    assert dana.post(f"/approvals/{approval_id}/approve", data=data).status_code == 303
    assert _last(ui_world, cid) == ("Try a restart ^CA", "pending")
    with ui_world.runtime.read_uow() as uow:
        audit = [e.action for e in uow.audit.between(ui_world.ada.workspace_id, None, None)]
    assert audit.count("team_approvers_changed") == 2
