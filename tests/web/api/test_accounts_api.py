"""Users and tokens in the REST API: admins of their own workspace only; a disabled user's token and
session stop at once; the last admin stays; everyone lists and revokes their own tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts import password_hashing
from socialdesk.actions.accounts.credentials import do_create_api_token, do_start_session
from socialdesk.actions.accounts.users import authenticate_password, check_create_user, ensure_workspace
from socialdesk.domain.people import Role, User
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app
from socialdesk.web.deps import SESSION_COOKIE

PASSWORD = "correct-horse-1"


@dataclass
class World:
    client: TestClient
    runtime: Runtime
    users: dict[str, User]
    tokens: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def session_cookie(self, who: str) -> str:
        with self.runtime.uow() as uow:
            new = do_start_session(uow, self.users[who], self.runtime.clock.now(), 12)
            uow.commit()
        return new.token

    def works(self, who: str) -> bool:
        return self.client.get("/api/v1/conversations", headers=self.h(who)).status_code == 200


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    users: dict[str, User] = {}
    tokens: dict[str, str] = {}
    with runtime.uow() as uow:
        acme = ensure_workspace(uow, "acme").id
        beta = ensure_workspace(uow, "beta").id
        for name, ws, role in (
            ("ada", acme, Role.ADMIN),
            ("carl", acme, Role.AGENT),
            ("bob", beta, Role.ADMIN),
        ):
            users[name] = check_create_user(uow, ws, f"{name}@x.io", name, PASSWORD, role)
            tokens[name] = do_create_api_token(uow, users[name], f"{name}-ci", runtime.clock.now())
        uow.commit()
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield World(client, runtime, users, tokens)


def test_admins_see_and_change_their_own_workspace_only(world: World) -> None:
    listed = world.client.get("/api/v1/users", headers=world.h("ada"))
    assert [u["email"] for u in listed.json()] == ["ada@x.io", "carl@x.io"]
    assert "password" not in listed.text
    carl = world.users["carl"].id
    assert world.client.get("/api/v1/users", headers=world.h("carl")).status_code == 403
    assert (
        world.client.patch(
            f"/api/v1/users/{carl}", json={"role": "admin"}, headers=world.h("carl")
        ).status_code
        == 403
    )
    assert (
        world.client.patch(
            f"/api/v1/users/{carl}", json={"role": "admin"}, headers=world.h("bob")
        ).status_code
        == 404
    )
    made = world.client.patch(f"/api/v1/users/{carl}", json={"role": "admin"}, headers=world.h("ada"))
    assert made.status_code == 200
    assert made.json()["role"] == "admin"
    huge = world.client.patch(f"/api/v1/users/{2**64}", json={"role": "admin"}, headers=world.h("ada"))
    assert huge.status_code == 422


def test_a_disabled_users_token_and_session_stop_at_once(world: World) -> None:
    cookie = world.session_cookie("carl")
    world.client.cookies.set(SESSION_COOKIE, cookie)
    assert world.client.get("/api/v1/conversations").status_code == 200
    world.client.cookies.clear()
    carl = world.users["carl"].id
    answer = world.client.patch(f"/api/v1/users/{carl}", json={"is_active": False}, headers=world.h("ada"))
    assert answer.status_code == 200
    assert answer.json()["is_active"] is False
    assert not world.works("carl")
    world.client.cookies.set(SESSION_COOKIE, cookie)
    assert world.client.get("/api/v1/conversations").status_code == 401
    world.client.cookies.clear()
    assert (
        world.client.patch(
            f"/api/v1/users/{carl}", json={"is_active": True}, headers=world.h("ada")
        ).status_code
        == 200
    )
    assert world.works("carl")  # tokens work again; the session stays ended
    world.client.cookies.set(SESSION_COOKIE, cookie)
    assert world.client.get("/api/v1/conversations").status_code == 401


def test_the_last_active_admin_stays(world: World) -> None:
    ada = world.users["ada"].id
    for body in ({"role": "agent"}, {"is_active": False}):
        refused = world.client.patch(f"/api/v1/users/{ada}", json=body, headers=world.h("ada"))
        assert refused.status_code == 422
        assert "ada@x.io is the last active admin" in refused.json()["detail"]
    assert world.works("ada")


def test_an_admin_sets_a_password_and_the_users_sessions_end(world: World) -> None:
    carl = world.users["carl"].id
    cookie = world.session_cookie("carl")
    path = f"/api/v1/users/{carl}/password"
    assert world.client.post(path, json={"password": "short"}, headers=world.h("ada")).status_code == 422
    assert (
        world.client.post(path, json={"password": "new-password-9"}, headers=world.h("carl")).status_code
        == 403
    )
    assert (
        world.client.post(path, json={"password": "new-password-9"}, headers=world.h("ada")).status_code
        == 204
    )
    assert authenticate_password(world.runtime.uow, "carl@x.io", "new-password-9") is not None
    assert authenticate_password(world.runtime.uow, "carl@x.io", PASSWORD) is None
    world.client.cookies.set(SESSION_COOKIE, cookie)
    assert world.client.get("/api/v1/conversations").status_code == 401


def test_setting_a_password_answers_busy_when_hashing_is_saturated(world: World) -> None:
    password_hashing.configure(1, 0.01)
    try:
        with password_hashing.gate().slot():
            busy = world.client.post(
                f"/api/v1/users/{world.users['carl'].id}/password",
                json={"password": "new-password-9"},
                headers=world.h("ada"),
            )
    finally:
        password_hashing.configure(password_hashing.DEFAULT_SLOTS, password_hashing.DEFAULT_WAIT_SECONDS)
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "5"
    assert "busy" in busy.json()["detail"]


def test_tokens_are_listed_and_revoked_by_their_owner_or_an_admin(world: World) -> None:
    ada_tokens = world.client.get("/api/v1/tokens", headers=world.h("ada")).json()
    assert sorted(t["name"] for t in ada_tokens) == ["ada-ci", "carl-ci"]
    assert world.tokens["carl"] not in json.dumps(ada_tokens)
    ids = {t["name"]: t["id"] for t in ada_tokens}
    mine = world.client.get("/api/v1/tokens", headers=world.h("carl")).json()
    assert [t["name"] for t in mine] == ["carl-ci"]
    others = world.client.get(
        "/api/v1/tokens", params={"user_id": world.users["ada"].id}, headers=world.h("carl")
    )
    assert others.status_code == 403
    assert world.client.delete(f"/api/v1/tokens/{ids['ada-ci']}", headers=world.h("carl")).status_code == 404
    assert world.client.delete(f"/api/v1/tokens/{ids['carl-ci']}", headers=world.h("bob")).status_code == 404
    assert world.works("carl")
    assert world.client.delete(f"/api/v1/tokens/{ids['carl-ci']}", headers=world.h("carl")).status_code == 204
    assert not world.works("carl")
    assert world.client.delete(f"/api/v1/tokens/{ids['ada-ci']}", headers=world.h("ada")).status_code == 204
    assert not world.works("ada")


def test_changes_through_the_api_are_audited_with_the_admin_as_actor(world: World) -> None:
    carl = world.users["carl"].id
    world.client.patch(
        f"/api/v1/users/{carl}", json={"role": "admin", "is_active": False}, headers=world.h("ada")
    )
    world.client.post(
        f"/api/v1/users/{carl}/password", json={"password": "new-password-9"}, headers=world.h("ada")
    )
    with world.runtime.uow() as uow:
        entries = sorted(uow.audit.between(world.users["ada"].workspace_id, None, None), key=lambda e: e.id)
    changes = [(e.actor_id, e.action, e.data.get("before"), e.data.get("after")) for e in entries[-3:]]
    ada = world.users["ada"].id
    assert changes == [
        (ada, "user.role_set", {"role": "agent"}, {"role": "admin"}),
        (ada, "user.disabled", {"is_active": True}, {"is_active": False}),
        (ada, "user.password_set", None, None),
    ]
    assert "new-password-9" not in json.dumps([e.data for e in entries])
    assert all("by" not in e.data for e in entries[-3:])
