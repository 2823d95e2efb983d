"""Logging in and out, the session cookie, the login form's CSRF token and the `next` target."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from socialdesk.web.ui.login import safe_next
from tests.web.ui.conftest import LoginFn, login_token


def _set_cookie(response_headers: list[str], name: str) -> str:
    found = [h for h in response_headers if h.startswith(f"{name}=")]
    assert len(found) == 1, response_headers
    return found[0]


def test_login_form_sets_a_short_lived_csrf_cookie(ui_client: TestClient) -> None:
    page = ui_client.get("/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text
    assert 'name="password"' in page.text
    assert '<label for="email">' in page.text
    assert '<label for="password">' in page.text
    cookie = _set_cookie(page.headers.get_list("set-cookie"), "sd_login_csrf")
    assert login_token(page.text) in cookie
    assert "HttpOnly" in cookie
    assert "Path=/login" in cookie
    assert "Max-Age=3600" in cookie


def test_login_sets_the_session_cookie_and_redirects(ui_client: TestClient, ui_login: LoginFn) -> None:
    answer = ui_login()
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    cookie = _set_cookie(answer.headers.get_list("set-cookie"), "sd_session")
    lowered = cookie.lower()
    assert "httponly" in lowered
    assert "samesite=lax" in lowered
    assert "secure" in lowered
    assert "path=/" in lowered
    assert ui_client.get("/").status_code == 200
    assert ui_client.get("/login").headers["location"] == "/"  # already logged in


def test_cookie_is_not_secure_when_settings_say_so(ui_client: TestClient, ui_login: LoginFn) -> None:
    ui_client.app.state.runtime.settings.cookie_secure = False  # type: ignore[attr-defined]
    cookie = _set_cookie(ui_login().headers.get_list("set-cookie"), "sd_session")
    assert "secure" not in cookie.lower()


@pytest.mark.parametrize(
    ("email", "password"), [("a@x.io", "wrong-password-1"), ("nobody@x.io", "correct-horse-1"), ("", "")]
)
def test_wrong_credentials_get_the_same_answer(
    ui_client: TestClient, ui_login: LoginFn, email: str, password: str
) -> None:
    answer = ui_login(email, password)
    assert answer.status_code == 401
    assert "Wrong email or password." in answer.text
    assert "sd_session" not in ui_client.cookies
    assert ui_client.get("/").status_code == 303


def test_email_is_matched_without_case(ui_login: LoginFn) -> None:
    assert ui_login(" A@X.io ").status_code == 303


def test_login_without_its_csrf_token_is_refused(ui_client: TestClient) -> None:
    ui_client.get("/login")
    data = {"email": "a@x.io", "password": "correct-horse-1", "csrf_token": "forged"}
    answer = ui_client.post("/login", data=data)
    assert answer.status_code == 403
    assert "expired" in answer.text
    ui_client.cookies.clear()
    token_only = ui_client.post("/login", data={**data, "csrf_token": ""})
    assert token_only.status_code == 403


def test_login_goes_to_a_local_next(ui_login: LoginFn) -> None:
    assert ui_login(next_url="/conversations/7").headers["location"] == "/conversations/7"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "evil", "", None,
     "/\tx", "http:/x"],
)  # fmt: skip
def test_next_refuses_anything_but_a_local_path(target: str | None) -> None:
    assert safe_next(target) == "/"


def test_next_keeps_local_paths_and_queries() -> None:
    assert safe_next("/?q=wifi&channel=x") == "/?q=wifi&channel=x"


def test_login_page_keeps_next_in_the_form_escaped(ui_client: TestClient) -> None:
    page = ui_client.get("/login", params={"next": '/x"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in page.text
    assert 'value="/x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page.text


@pytest.mark.parametrize("path", ["/", "/inbox/rows", "/conversations/1"])
def test_pages_send_strangers_to_login(ui_client: TestClient, path: str) -> None:
    answer = ui_client.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")


def test_event_stream_needs_a_session(ui_client: TestClient) -> None:
    assert ui_client.get("/events").status_code == 401


def test_logout_needs_csrf_then_ends_the_session(ui_client: TestClient, ui_agent: str) -> None:
    assert ui_client.post("/logout").status_code == 403
    assert ui_client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert ui_client.get("/").status_code == 200
    out = ui_client.post("/logout", data={"csrf_token": ui_agent})
    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    assert "sd_session" not in ui_client.cookies
    assert ui_client.get("/").status_code == 303


def test_old_session_token_is_dead_after_logout(ui_client: TestClient, ui_agent: str) -> None:
    token = ui_client.cookies["sd_session"]
    ui_client.post("/logout", headers={"X-CSRF-Token": ui_agent})
    ui_client.cookies.set("sd_session", token)
    assert ui_client.get("/").status_code == 303


def test_a_new_login_ends_the_browser_s_previous_session(ui_client: TestClient, ui_login: LoginFn) -> None:
    form = ui_client.get("/login")  # e.g. a second tab, opened before logging in elsewhere
    ui_login()
    first = ui_client.cookies["sd_session"]
    data = {"email": "b@y.io", "password": "correct-horse-2", "csrf_token": login_token(form.text)}
    ui_client.cookies.set("sd_login_csrf", login_token(form.text), path="/login")
    assert ui_client.post("/login", data=data).status_code == 303
    assert ui_client.cookies["sd_session"] != first
    with_old = TestClient(ui_client.app, base_url="https://testserver", follow_redirects=False)
    with_old.cookies.set("sd_session", first)
    assert with_old.get("/").status_code == 303
