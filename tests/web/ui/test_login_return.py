"""A session that ends mid-work (issue #15, item 10): an HTMX request is sent to the login form as a
whole page (HX-Redirect), and the login returns to the page the agent was on, never to a fragment;
`next` is a local path only (no open redirect)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_end_session
from tests.web.ui.conftest import LoginFn, UiWorld, htmx, login_token, ui_post


def _expire(ui_client: TestClient, ui_world: UiWorld) -> None:
    """The session ends on the server (it expired, or was revoked) while the page is still open."""
    with ui_world.runtime.uow() as uow:
        do_end_session(uow, ui_client.cookies["sd_session"])
        uow.commit()


def _conversation(ui_world: UiWorld) -> int:
    report = ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", "router dead again", minutes_ago=5))
    return min(report.conversation_ids)


def test_an_htmx_request_after_the_session_ended_reloads_the_login_as_a_page(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_login: LoginFn
) -> None:
    cid = _conversation(ui_world)
    page = f"https://testserver/conversations/{cid}"
    _expire(ui_client, ui_world)
    for method, path in (("POST", f"/conversations/{cid}/reply"), ("GET", f"/conversations/{cid}/live")):
        headers = {**htmx(ui_agent), "HX-Current-URL": page}
        answer = ui_client.request(
            method, path, data={"text": "hello"} if method == "POST" else None, headers=headers
        )
        assert answer.status_code == 401, (path, answer.status_code)
        assert answer.headers["HX-Redirect"] == f"/login?next=/conversations/{cid}"
        assert "location" not in answer.headers  # HTMX must not follow a redirect into a fragment
    back = ui_login(next_url=f"/conversations/{cid}")
    assert back.status_code == 303 and back.headers["location"] == f"/conversations/{cid}"
    assert '<header class="topbar">' in ui_client.get(back.headers["location"]).text  # a whole page


@pytest.mark.parametrize(
    "shown", ["https://evil.example/conversations/1", "//evil.example/x", "javascript:alert(1)"]
)
def test_the_page_to_return_to_must_be_this_sites(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, shown: str
) -> None:
    _expire(ui_client, ui_world)
    answer = ui_client.get("/inbox/rows", headers={**htmx(ui_agent), "HX-Current-URL": shown})
    assert answer.status_code == 401 and answer.headers["HX-Redirect"] == "/login?next=/"


def test_a_plain_form_post_returns_to_the_page_that_held_the_form(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    cid = _conversation(ui_world)
    _expire(ui_client, ui_world)
    data = {"text": "hello", "csrf_token": ui_agent}
    own = ui_client.post(
        f"/conversations/{cid}/reply",
        data=data,
        headers={"Referer": f"https://testserver/conversations/{cid}"},
    )
    assert own.status_code == 303 and own.headers["location"] == f"/login?next=/conversations/{cid}"
    foreign = ui_client.post(
        f"/conversations/{cid}/reply", data=data, headers={"Referer": "https://evil.example/x"}
    )
    assert foreign.headers["location"] == "/login?next=/"
    page = ui_client.get(f"/conversations/{cid}?tab=notes")
    assert page.headers["location"] == f"/login?next=/conversations/{cid}%3Ftab%3Dnotes"


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "https:evil.example"]
)
def test_login_never_sends_the_browser_to_another_site(ui_client: TestClient, target: str) -> None:
    form = ui_client.get("/login", params={"next": target})
    assert 'name="next" value="/"' in form.text
    data = {
        "email": "a@x.io",
        "password": "correct-horse-1",
        "csrf_token": login_token(form.text),
        "next": target,
    }
    answer = ui_client.post("/login", data=data)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    assert ui_client.get("/login", params={"next": target}).headers["location"] == "/"  # logged in now


def test_a_scripts_fetch_gets_401_not_a_second_login_form(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    """A background fetch (presence) that followed a redirect would load a login form behind the page's
    back and replace the login cookie's token under the form the agent is about to fill in."""
    cid = _conversation(ui_world)
    _expire(ui_client, ui_world)
    headers = {"Sec-Fetch-Mode": "cors", "X-CSRF-Token": ui_agent}
    answer = ui_client.post(f"/conversations/{cid}/presence", data={"state": "viewing"}, headers=headers)
    assert answer.status_code == 401 and "location" not in answer.headers
    assert "sd_login_csrf" not in answer.headers.get("set-cookie", "")
    page = ui_client.get(f"/conversations/{cid}", headers={"Sec-Fetch-Mode": "navigate"})
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=/conversations/{cid}"
