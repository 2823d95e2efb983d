"""Brute force on the login form: wrong passwords per account and per address answer 429 with
Retry-After, even for the right password, until the window passes; password hashing is bounded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts import password_hashing
from socialdesk.domain.clock import FixedClock
from tests.conftest import T0
from tests.web.ui.conftest import PASSWORD, UiWorld, login_token


@pytest.fixture
def clock(ui_world: UiWorld) -> FixedClock:
    fixed = FixedClock(T0)
    ui_world.runtime.clock = fixed  # before the first request: the throttles read this clock
    settings = ui_world.runtime.settings
    settings.login_failures_per_account = 3
    settings.login_failures_per_address = 5
    settings.auth_failure_window_seconds = 600
    return fixed


def _client(ui_world: UiWorld, address: str) -> TestClient:
    return TestClient(
        ui_world.app, base_url="https://testserver", follow_redirects=False, client=(address, 5000)
    )


@pytest.fixture
def attacker(ui_world: UiWorld) -> Iterator[TestClient]:
    with _client(ui_world, "198.51.100.66") as client:
        yield client


def _login(client: TestClient, email: str, password: str) -> Any:
    form = client.get("/login")
    data = {"email": email, "password": password, "csrf_token": login_token(form.text), "next": "/"}
    return client.post("/login", data=data)


def test_wrong_passwords_lock_the_account_even_for_the_right_password(
    ui_world: UiWorld, clock: FixedClock, attacker: TestClient
) -> None:
    for i in range(3):
        assert _login(attacker, "a@x.io", f"guess-number-{i}").status_code == 401
    locked = _login(attacker, "A@x.io", PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "600"
    assert "Too many failed attempts. Try again in 10 minutes." in locked.text
    assert "sd_session" not in attacker.cookies
    with _client(ui_world, "203.0.113.5") as elsewhere:  # the account, not only the address, waits
        assert _login(elsewhere, "a@x.io", PASSWORD).status_code == 429
        assert _login(elsewhere, "c@x.io", PASSWORD).status_code == 303  # other accounts are free
    clock.advance(599)
    assert _login(attacker, "a@x.io", PASSWORD).headers["retry-after"] == "1"
    clock.advance(1)
    assert _login(attacker, "a@x.io", PASSWORD).status_code == 303


def test_one_address_guessing_across_accounts_is_stopped(
    ui_world: UiWorld, clock: FixedClock, attacker: TestClient
) -> None:
    for i in range(5):
        assert _login(attacker, f"user{i}@x.io", "guess-number-1").status_code == 401
    assert _login(attacker, "c@x.io", PASSWORD).status_code == 429
    with _client(ui_world, "203.0.113.5") as elsewhere:
        assert _login(elsewhere, "c@x.io", PASSWORD).status_code == 303


def test_a_successful_login_resets_the_accounts_count(ui_world: UiWorld, clock: FixedClock) -> None:
    with _client(ui_world, "203.0.113.5") as client:
        for _ in range(2):
            assert _login(client, "a@x.io", "typo-password-1").status_code == 401
        assert _login(client, "a@x.io", PASSWORD).status_code == 303
        client.cookies.clear()
        for _ in range(2):
            assert _login(client, "a@x.io", "typo-password-1").status_code == 401
        assert _login(client, "a@x.io", PASSWORD).status_code == 303  # 4 failures, none 3 in a row


def test_forwarded_for_does_not_escape_the_address_limit(
    ui_world: UiWorld, clock: FixedClock, attacker: TestClient
) -> None:
    for i in range(5):
        attacker.headers["X-Forwarded-For"] = f"192.0.2.{i}"  # no trusted proxy: not believed
        assert _login(attacker, f"user{i}@x.io", "guess-number-1").status_code == 401
    assert _login(attacker, "c@x.io", PASSWORD).status_code == 429


def test_logins_answer_busy_when_every_hashing_slot_stays_taken(
    ui_world: UiWorld, clock: FixedClock, attacker: TestClient
) -> None:
    password_hashing.configure(1, 0.01)
    try:
        with password_hashing.gate().slot():  # a long hash holds the only slot
            busy = _login(attacker, "a@x.io", PASSWORD)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "5"
        assert "The server is busy" in busy.text
        assert _login(attacker, "a@x.io", PASSWORD).status_code == 303
    finally:
        password_hashing.configure(password_hashing.DEFAULT_SLOTS, password_hashing.DEFAULT_WAIT_SECONDS)
