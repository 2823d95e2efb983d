"""Notifications (mentions) and saved replies pages: per user, per workspace, CSRF-checked, escaped."""

from __future__ import annotations

from socialdesk.actions.care.notes import check_add_note
from tests.web.ui.conftest import UiWorld, login_client, ui_post


def test_a_mention_shows_up_for_the_colleague_and_can_be_marked_read(ui_world: UiWorld) -> None:
    ws = ui_world.ada.workspace_id
    conv = min(ui_world.ingest(ws, ui_post("n1", "router dead", minutes_ago=5)).conversation_ids)
    with ui_world.runtime.uow() as uow:
        check_add_note(
            uow, ui_world.ada, conv, "@carl can you check <b>this</b>?", ui_world.runtime.clock.now()
        )
        uow.commit()
    carl, token = login_client(ui_world.app, "c@x.io")
    page = carl.get("/notifications").text
    assert "Ada Byron" in page
    assert "mentioned you" in page
    assert "&lt;b&gt;this&lt;/b&gt;" in page
    assert f"/conversations/{conv}" in page
    assert 'class="notification unread"' in page
    assert carl.post("/notifications/read", data={}).status_code == 403  # no CSRF token
    carl.post("/notifications/read", data={"csrf_token": token})
    assert "notification unread" not in carl.get("/notifications").text
    ada, _ = login_client(ui_world.app, "a@x.io")
    assert "mentioned you" not in ada.get("/notifications").text  # Ada wrote it; it is Carl's


def test_saved_replies_are_added_listed_and_validated(ui_world: UiWorld) -> None:
    carl, token = login_client(ui_world.app, "c@x.io")
    form = {
        "title": "Outage",
        "body": "Hi {{customer.name}}, we know <b>and</b> are on it",
        "scope": "personal",
    }
    assert carl.post("/settings/saved-replies", data=form).status_code == 403
    done = carl.post("/settings/saved-replies", data={**form, "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    page = carl.get("/settings/saved-replies").text
    assert "Outage" in page
    assert "&lt;b&gt;and&lt;/b&gt;" in page
    refused = carl.post("/settings/saved-replies", data={**form, "scope": "workspace", "csrf_token": token})
    assert refused.status_code == 422
    assert "only admins" in refused.text
    bob, _ = login_client(ui_world.app, "b@y.io", password="correct-horse-2")
    assert "Outage" not in bob.get("/settings/saved-replies").text


def test_dead_letters_page_in_the_embedded_mode(ui_world: UiWorld) -> None:
    admin, _ = login_client(ui_world.app, "a@x.io")
    page = admin.get("/admin/dead-letters")
    assert page.status_code == 200
    assert "embedded mode" in page.text
    agent, _ = login_client(ui_world.app, "c@x.io")
    assert agent.get("/admin/dead-letters").status_code == 403
