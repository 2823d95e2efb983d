"""One conversation: the thread, replies, case status, CSRF, escaping and workspace isolation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.inbox.conversations import get_conversation_detail
from socialdesk.domain.post import Direction, Visibility
from tests.web.ui.conftest import LoginFn, UiWorld, session_token, ui_post
from tests.web.ui.test_inbox import HOSTILE_ATTR, HOSTILE_TEXT


@pytest.fixture
def ui_conversation(ui_world: UiWorld) -> int:
    [cid] = ui_world.ingest(
        ui_world.ada.workspace_id,
        ui_post("1", "my router is down\nsince this morning", minutes_ago=30, name="Grace", handle="grace"),
    ).conversation_ids
    return cid


def _case_id(html: str) -> int:
    found = re.search(r'action="/cases/(\d+)/status"', html)
    assert found, "no status buttons on the page"
    return int(found.group(1))


def _messages(ui_world: UiWorld, cid: int) -> list[tuple[Direction, Visibility, str, str]]:
    with ui_world.runtime.uow() as uow:
        detail = get_conversation_detail(uow, ui_world.ada, cid)
    return [(m.direction, m.visibility, m.text, m.delivery) for m in detail.messages]


def test_page_shows_the_thread_and_the_case(
    ui_client: TestClient, ui_agent: str, ui_conversation: int
) -> None:
    page = ui_client.get(f"/conversations/{ui_conversation}")
    assert page.status_code == 200
    assert "my router is down\nsince this morning" in page.text  # line breaks kept; CSS shows them
    assert "@grace" in page.text
    assert 'class="badge badge-new"' in page.text
    assert f'data-live-url="/conversations/{ui_conversation}/live"' in page.text
    for status in ("open", "pending_customer", "pending_internal", "resolved", "closed"):
        assert f'name="status" value="{status}"' in page.text
    assert 'name="status" value="new"' not in page.text  # no button for a move the state machine forbids
    assert '<label for="reply-text">' in page.text


def test_plain_form_reply_creates_an_outbound_message(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_conversation: int
) -> None:
    data = {"text": "Sorry!\nWe are on it.", "visibility": "public", "csrf_token": ui_agent}
    answer = ui_client.post(f"/conversations/{ui_conversation}/reply", data=data)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/conversations/{ui_conversation}"
    # Public replies carry the agent's signature (Ada Byron: ^AB), so many agents can share one account.
    assert _messages(ui_world, ui_conversation)[-1] == (
        Direction.OUTBOUND, Visibility.PUBLIC, "Sorry!\nWe are on it. ^AB", "pending"
    )  # fmt: skip
    page = ui_client.get(f"/conversations/{ui_conversation}").text
    assert "We are on it." in page
    assert "Sending…" in page
    assert 'class="badge badge-open"' in page  # a reply moves a new case to open


def test_htmx_reply_returns_the_thread_fragment(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_conversation: int
) -> None:
    answer = ui_client.post(
        f"/conversations/{ui_conversation}/reply",
        data={"text": "Check your DMs", "visibility": "private"},
        headers={"HX-Request": "true", "X-CSRF-Token": ui_agent},
    )
    assert answer.status_code == 200
    assert "<html" not in answer.text
    assert "Check your DMs" in answer.text
    assert "msg-private" in answer.text
    assert _messages(ui_world, ui_conversation)[-1][:2] == (Direction.OUTBOUND, Visibility.PRIVATE)


def test_empty_reply_shows_an_error_and_sends_nothing(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_conversation: int
) -> None:
    for headers in ({}, {"HX-Request": "true"}):
        answer = ui_client.post(
            f"/conversations/{ui_conversation}/reply",
            data={"text": "   ", "visibility": "public", "csrf_token": ui_agent},
            headers=headers,
        )
        assert answer.status_code == 422
        assert "Reply not sent: reply text is empty." in answer.text
        assert 'role="alert"' in answer.text
    bad_visibility = ui_client.post(
        f"/conversations/{ui_conversation}/reply",
        data={"text": "hi", "visibility": "shout", "csrf_token": ui_agent},
    )
    assert bad_visibility.status_code == 422
    assert len(_messages(ui_world, ui_conversation)) == 1


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"])
def test_state_changes_without_the_csrf_token_are_forbidden(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_conversation: int, csrf: str | None
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{ui_conversation}").text)
    extra = {} if csrf is None else {"csrf_token": csrf}
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    reply = ui_client.post(
        f"/conversations/{ui_conversation}/reply", data={"text": "hi", **extra}, headers=headers
    )
    assert reply.status_code == 403
    status = ui_client.post(f"/cases/{case_id}/status", data={"status": "resolved", **extra}, headers=headers)
    assert status.status_code == 403
    assert len(_messages(ui_world, ui_conversation)) == 1
    assert 'class="badge badge-new"' in ui_client.get(f"/conversations/{ui_conversation}").text


def test_status_change_by_form_and_by_htmx(
    ui_client: TestClient, ui_agent: str, ui_conversation: int
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{ui_conversation}").text)
    plain = ui_client.post(
        f"/cases/{case_id}/status", data={"status": "pending_customer", "csrf_token": ui_agent}
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/conversations/{ui_conversation}"
    assert (
        'class="badge badge-pending_customer">Pending customer'
        in ui_client.get(plain.headers["location"]).text
    )
    htmx = ui_client.post(
        f"/cases/{case_id}/status",
        data={"status": "resolved"},
        headers={"HX-Request": "true", "X-CSRF-Token": ui_agent},
    )
    assert htmx.status_code == 200
    assert "<html" not in htmx.text
    assert 'class="badge badge-resolved">Resolved' in htmx.text


def test_invalid_transition_shows_a_clear_error(
    ui_client: TestClient, ui_agent: str, ui_conversation: int
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{ui_conversation}").text)
    ui_client.post(f"/cases/{case_id}/status", data={"status": "closed", "csrf_token": ui_agent})
    for headers in ({}, {"HX-Request": "true"}):
        again = ui_client.post(
            f"/cases/{case_id}/status", data={"status": "open", "csrf_token": ui_agent}, headers=headers
        )
        assert again.status_code == 409
        assert "Status not changed: a case cannot go from closed to open." in again.text
        assert 'class="badge badge-closed"' in again.text
    unknown = ui_client.post(f"/cases/{case_id}/status", data={"status": "deleted", "csrf_token": ui_agent})
    assert unknown.status_code == 422
    assert "is not a case status" in unknown.text


def test_priority_by_form_and_by_htmx(ui_client: TestClient, ui_agent: str, ui_conversation: int) -> None:
    page = ui_client.get(f"/conversations/{ui_conversation}").text
    case_id = _case_id(page)
    assert '<option value="normal" selected>Normal</option>' in page
    assert ui_client.post(f"/cases/{case_id}/priority", data={"priority": "high"}).status_code == 403
    plain = ui_client.post(f"/cases/{case_id}/priority", data={"priority": "high", "csrf_token": ui_agent})
    assert (plain.status_code, plain.headers["location"]) == (303, f"/conversations/{ui_conversation}")
    after = ui_client.get(plain.headers["location"]).text
    assert '<span class="tag">High priority</span>' in after
    assert '<option value="high" selected>High</option>' in after
    htmx = ui_client.post(
        f"/cases/{case_id}/priority",
        data={"priority": "someday"},
        headers={"HX-Request": "true", "X-CSRF-Token": ui_agent},
    )
    assert htmx.status_code == 422 and "<html" not in htmx.text
    expected = "Priority not changed: priority &#39;someday&#39;: expected one of low, normal, high, urgent."
    assert expected in htmx.text


def test_hostile_text_is_escaped_on_the_conversation_page(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    hostile = ui_post(
        "1", f"{HOSTILE_TEXT}\n{HOSTILE_ATTR}", minutes_ago=5, name=HOSTILE_TEXT, handle=HOSTILE_ATTR
    )
    [cid] = ui_world.ingest(ui_world.ada.workspace_id, hostile).conversation_ids
    ui_client.post(f"/conversations/{cid}/reply", data={"text": HOSTILE_ATTR, "csrf_token": ui_agent})
    for path in (f"/conversations/{cid}", f"/conversations/{cid}/live"):
        html = ui_client.get(path).text
        assert "<script>alert" not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_pages_carry_no_inline_script_or_style(
    ui_client: TestClient, ui_agent: str, ui_conversation: int
) -> None:
    logged_out = TestClient(ui_client.app, base_url="https://testserver")
    for answer in (
        ui_client.get("/"),
        ui_client.get(f"/conversations/{ui_conversation}"),
        logged_out.get("/login"),
    ):
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "no-store"
        assert "<style" not in answer.text
        assert " style=" not in answer.text
        assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", answer.text))


def test_other_workspace_gets_404(
    ui_client: TestClient, ui_agent: str, ui_login: LoginFn, ui_world: UiWorld, ui_conversation: int
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{ui_conversation}").text)
    ui_client.cookies.clear()
    assert ui_login("b@y.io", "correct-horse-2").status_code == 303
    bob_csrf = session_token(ui_client.get("/").text)
    assert ui_client.get(f"/conversations/{ui_conversation}").status_code == 404
    assert ui_client.get(f"/conversations/{ui_conversation}/live").status_code == 404
    reply = ui_client.post(
        f"/conversations/{ui_conversation}/reply", data={"text": "hi", "csrf_token": bob_csrf}
    )
    assert reply.status_code == 404
    status = ui_client.post(f"/cases/{case_id}/status", data={"status": "closed", "csrf_token": bob_csrf})
    assert status.status_code == 404
    assert len(_messages(ui_world, ui_conversation)) == 1
    assert ui_client.get("/conversations/999999").status_code == 404
