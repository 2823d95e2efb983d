"""Changing one's password in the UI: current password and the new one twice, CSRF, the user's other
sessions end and this one stays; a wrong current password is throttled like a login."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.users import authenticate_password
from tests.web.ui.conftest import PASSWORD, LoginFn, UiWorld, login_client, session_token

NEW = "a-brand-new-secret-7"


def _change(client: TestClient, token: str, current: str, new: str, again: str | None = None) -> Any:
    data = {
        "current_password": current,
        "new_password": new,
        "new_password_again": again or new,
        "csrf_token": token,
    }
    return client.post("/settings/password", data=data)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(
    ui_world: UiWorld, ui_client: TestClient, ui_agent: str
) -> None:
    other, _ = login_client(ui_world.app, "a@x.io")  # the same user in a second browser
    page = ui_client.get("/settings/password")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    changed = _change(ui_client, ui_agent, PASSWORD, NEW)
    assert changed.status_code == 200
    assert "Password changed; 1 other session ended." in changed.text
    assert ui_client.get("/").status_code == 200  # this browser stays logged in
    assert other.get("/").status_code == 303  # the other one is sent to the login page
    assert authenticate_password(ui_world.runtime.uow, "a@x.io", NEW) is not None
    assert authenticate_password(ui_world.runtime.uow, "a@x.io", PASSWORD) is None
    with ui_world.runtime.uow() as uow:
        entry = uow.audit.between(ui_world.ada.workspace_id, None, None)[-1]
    assert (entry.actor_id, entry.action, entry.data["sessions_ended"]) == (
        ui_world.ada.id,
        "user.password_changed",
        1,
    )
    assert NEW not in str(entry.data)


def test_mistakes_are_named_and_change_nothing(
    ui_world: UiWorld, ui_client: TestClient, ui_agent: str
) -> None:
    wrong = _change(ui_client, ui_agent, "not-my-password", NEW)
    assert wrong.status_code == 403
    assert "The current password is wrong." in wrong.text
    differ = _change(ui_client, ui_agent, PASSWORD, NEW, NEW + "x")
    assert differ.status_code == 422
    assert "The new passwords differ." in differ.text
    short = _change(ui_client, ui_agent, PASSWORD, "short")
    assert short.status_code == 422
    assert "at least 10 characters" in short.text
    no_csrf = _change(ui_client, "forged", PASSWORD, NEW)
    assert no_csrf.status_code == 403
    assert authenticate_password(ui_world.runtime.uow, "a@x.io", PASSWORD) is not None


def test_guessing_the_current_password_is_throttled(
    ui_world: UiWorld, ui_client: TestClient, ui_login: LoginFn
) -> None:
    ui_world.runtime.settings.login_failures_per_account = 3  # before the first login makes the throttles
    assert ui_login().status_code == 303
    ui_agent = session_token(ui_client.get("/").text)
    for i in range(3):
        assert _change(ui_client, ui_agent, f"guess-number-{i}", NEW).status_code == 403
    locked = _change(ui_client, ui_agent, PASSWORD, NEW)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Too many failed attempts" in locked.text
    assert authenticate_password(ui_world.runtime.uow, "a@x.io", PASSWORD) is not None


def test_a_disabled_users_browser_is_logged_out_at_once(
    ui_world: UiWorld, ui_client: TestClient, ui_login: LoginFn
) -> None:
    from socialdesk.actions.accounts.lifecycle import check_set_active

    carl, _ = login_client(ui_world.app, "c@x.io")
    assert carl.get("/").status_code == 200
    with ui_world.runtime.uow() as uow:
        check_set_active(
            uow,
            ui_world.ada,
            ui_world.ada.workspace_id,
            ui_world.carl.id,
            False,
            ui_world.runtime.clock.now(),
        )
        uow.commit()
    assert carl.get("/").status_code == 303
    assert ui_login("c@x.io").status_code == 401
