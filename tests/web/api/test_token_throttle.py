"""Guessing API tokens: wrong tokens from one address answer 429 with Retry-After, before any lookup;
expired tokens are refused."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app


def _token(runtime: Runtime, expires_in: timedelta | None = None) -> str:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        ada = check_create_user(uow, ws.id, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, ada, "ci", runtime.clock.now(), expires_in=expires_in)
        uow.commit()
    return token


def test_wrong_tokens_from_one_address_get_429(runtime: Runtime, clock: FixedClock) -> None:
    runtime.settings.token_failures_per_address = 4
    runtime.settings.auth_failure_window_seconds = 300
    good = _token(runtime)
    app = create_app(runtime)
    with (
        TestClient(app, base_url="https://testserver", client=("198.51.100.66", 5000)) as attacker,
        TestClient(app, base_url="https://testserver", client=("203.0.113.5", 5000)) as other,
    ):
        for i in range(4):
            wrong = attacker.get("/api/v1/conversations", headers={"Authorization": f"Bearer sdk_guess{i}"})
            assert wrong.status_code == 401
        refused = attacker.get("/api/v1/conversations", headers={"Authorization": f"Bearer {good}"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "300"
        assert "Too many failed attempts" in refused.json()["detail"]
        assert (
            other.get("/api/v1/conversations", headers={"Authorization": f"Bearer {good}"}).status_code == 200
        )
        clock.advance(300)
        assert (
            attacker.get("/api/v1/conversations", headers={"Authorization": f"Bearer {good}"}).status_code
            == 200
        )


def test_an_expired_token_is_refused(runtime: Runtime, clock: FixedClock) -> None:
    token = _token(runtime, timedelta(days=30))
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        headers = {"Authorization": f"Bearer {token}"}
        clock.advance(30 * 86400 - 1)
        assert client.get("/api/v1/conversations", headers=headers).status_code == 200
        clock.advance(1)
        expired = client.get("/api/v1/conversations", headers=headers)
        assert expired.status_code == 401
