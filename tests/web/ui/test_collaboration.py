"""Notes with @-mentions, presence, assignment and the audit trail on the conversation page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.care.notifications import list_notifications
from socialdesk.actions.inbox.conversations import get_conversation_detail
from socialdesk.domain.post import Direction
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post
from tests.web.ui.test_conversation import _case_id
from tests.web.ui.test_inbox import HOSTILE_TEXT


@pytest.fixture
def cid(ui_world: UiWorld) -> int:
    post = ui_post("1", "my router is down", minutes_ago=30, name="Grace", handle="grace")
    [found] = ui_world.ingest(ui_world.ada.workspace_id, post).conversation_ids
    return found


def test_a_note_mentions_a_colleague_and_never_joins_the_thread(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    text = f"@carl can you check the outage map? {HOSTILE_TEXT}"
    added = ui_client.post(f"/conversations/{cid}/notes", data={"text": text}, headers=htmx(ui_agent))
    assert added.status_code == 200
    assert 'class="note"' in added.text
    assert "mentions Carl Agent" in added.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in added.text
    assert "<script>alert" not in added.text
    with ui_world.runtime.uow() as uow:
        detail = get_conversation_detail(uow, ui_world.ada, cid)
        [mention] = list_notifications(uow, ui_world.carl, True)
    assert [m.direction for m in detail.messages] == [Direction.INBOUND]  # nothing outbound
    assert mention.kind == "mention"
    empty = ui_client.post(f"/conversations/{cid}/notes", data={"text": "  "}, headers=htmx(ui_agent))
    assert empty.status_code == 422
    plain = ui_client.post(f"/conversations/{cid}/notes", data={"text": "by form", "csrf_token": ui_agent})
    assert plain.status_code == 303


def test_presence_shows_colleagues_viewing_and_typing(ui_world: UiWorld, cid: int) -> None:
    ada, ada_token = login_client(ui_world.app, "a@x.io")
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    ada.post(f"/conversations/{cid}/presence", data={"state": "viewing"}, headers=htmx(ada_token))
    seen_by_carl = carl.post(
        f"/conversations/{cid}/presence", data={"state": "typing"}, headers=htmx(carl_token)
    )
    assert seen_by_carl.status_code == 200
    assert "Ada Byron is viewing" in seen_by_carl.text
    assert "Carl Agent" not in seen_by_carl.text  # never yourself
    assert "Carl Agent is typing…" in ada.get(f"/conversations/{cid}/presence").text
    assert "Carl Agent is typing" in ada.get("/").text  # the inbox row shows the avatar too
    bad = ada.post(f"/conversations/{cid}/presence", data={"state": "dancing"}, headers=htmx(ada_token))
    assert bad.status_code == 422
    carl.post(f"/conversations/{cid}/presence", data={"state": "left"}, headers=htmx(carl_token))
    assert "Carl Agent" not in ada.get(f"/conversations/{cid}/presence").text


def test_assign_to_me_to_a_colleague_and_to_nobody(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{cid}").text)
    mine = ui_client.post(f"/cases/{case_id}/assign", data={"assignee": "me"}, headers=htmx(ui_agent))
    assert mine.status_code == 200
    assert '<strong class="assignee">Ada Byron</strong>' in mine.text
    assert 'id="assign-me"' not in mine.text
    carl = ui_client.post(
        f"/cases/{case_id}/assign", data={"assignee": str(ui_world.carl.id), "csrf_token": ui_agent}
    )
    assert carl.status_code == 303
    page = ui_client.get(f"/conversations/{cid}").text
    assert '<strong class="assignee">Carl Agent</strong>' in page
    assert "Audit trail" in page and "Assigned" in page
    nobody = ui_client.post(f"/cases/{case_id}/assign", data={"assignee": ""}, headers=htmx(ui_agent))
    assert '<strong class="assignee">nobody</strong>' in nobody.text
    assert (
        ui_client.post(f"/cases/{case_id}/assign", data={"assignee": "x"}, headers=htmx(ui_agent)).status_code
        == 422
    )
    outsider = ui_client.post(
        f"/cases/{case_id}/assign", data={"assignee": str(ui_world.bob.id)}, headers=htmx(ui_agent)
    )
    assert outsider.status_code == 404  # a user of another workspace is nobody here
    assert ui_client.post(f"/cases/{case_id}/assign", data={"assignee": "me"}).status_code == 403


def test_another_workspace_cannot_assign(ui_world: UiWorld, cid: int) -> None:
    ada, _ = login_client(ui_world.app, "a@x.io")
    case_id = _case_id(ada.get(f"/conversations/{cid}").text)
    bob, token = login_client(ui_world.app, "b@y.io", "correct-horse-2")
    assert (
        bob.post(f"/cases/{case_id}/assign", data={"assignee": "me"}, headers=htmx(token)).status_code == 404
    )


@pytest.mark.parametrize("assignee", [str(2**64), "²", "0"])
def test_assigning_to_a_hostile_id_is_refused(
    ui_client: TestClient, ui_agent: str, cid: int, assignee: str
) -> None:
    case_id = _case_id(ui_client.get(f"/conversations/{cid}").text)
    answer = ui_client.post(f"/cases/{case_id}/assign", data={"assignee": assignee}, headers=htmx(ui_agent))
    assert answer.status_code == 422
    assert "is not a colleague" in answer.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/conversations/{cid}/notes", {"text": "call \x00 back"}),
        ("/conversations/{cid}/reply", {"text": "on it\x00"}),
    ],
)
def test_a_nul_in_a_form_is_refused_before_anything_is_stored(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int, path: str, data: dict[str, str]
) -> None:
    """PostgreSQL cannot store NUL: the write failed with a server error."""
    answer = ui_client.post(path.format(cid=cid), data=data, headers=htmx(ui_agent))
    assert answer.status_code == 422
    assert "NUL character" in answer.text
    with ui_world.runtime.uow() as uow:
        detail = get_conversation_detail(uow, ui_world.ada, cid)
    assert [m.text for m in detail.messages if "\x00" in m.text] == []
    assert [n.text for n in detail.notes] == []
