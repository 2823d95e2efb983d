"""Every request looks its token or session up afresh, in one statement: what another process changes
(the CLI revoking a token, disabling or demoting a user, a second web process) counts from the very next
request, after the same credentials were just accepted. Nothing about a credential is kept between
requests, so there is no cache to go stale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token, do_start_session, hash_secret
from socialdesk.actions.accounts.lifecycle import check_revoke_token, do_set_active, do_set_role
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.domain.people import Role, User
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.web.app import create_app
from socialdesk.web.deps import SESSION_COOKIE


@dataclass
class Desk:
    client: TestClient
    runtime: Runtime
    other: Runtime  # another process on the same database: what `socialdesk user ...` opens
    admin: User
    token: str


@pytest.fixture
def desk(runtime: Runtime) -> Iterator[Desk]:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme").id
        admin = check_create_user(uow, ws, "ada@x.io", "Ada", "correct-horse-1", Role.ADMIN)
        check_create_user(uow, ws, "eve@x.io", "Eve", "correct-horse-1", Role.ADMIN)  # not the last admin
        token = do_create_api_token(uow, admin, "ci", runtime.clock.now())
    url = runtime.settings.database_url
    other = Runtime(settings=runtime.settings, engine=make_engine(url), bus=runtime.bus, clock=runtime.clock)
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield Desk(client, runtime, other, admin, token)
    other.close()


def _users(desk: Desk, headers: dict[str, str] | None = None) -> int:
    return desk.client.get("/api/v1/users", headers=headers).status_code


def test_a_token_revoked_elsewhere_is_refused_by_the_next_request(desk: Desk) -> None:
    bearer = {"Authorization": f"Bearer {desk.token}"}
    for _ in range(3):  # accepted, again and again
        assert _users(desk, bearer) == 200
    with desk.other.uow() as uow:
        [found] = uow.tokens.list(desk.admin.workspace_id, desk.admin.id)
        check_revoke_token(uow, None, desk.admin.workspace_id, found.id, desk.other.clock.now())
    assert _users(desk, bearer) == 401


def test_a_user_disabled_elsewhere_loses_token_and_session_at_once(desk: Desk) -> None:
    bearer = {"Authorization": f"Bearer {desk.token}"}
    with desk.runtime.uow() as uow:
        cookie = do_start_session(uow, desk.admin, desk.runtime.clock.now(), 12).token
    desk.client.cookies.set(SESSION_COOKIE, cookie)
    assert _users(desk) == 200
    desk.client.cookies.clear()
    assert _users(desk, bearer) == 200
    with desk.other.uow() as uow:
        do_set_active(uow, None, desk.admin, False, desk.other.clock.now())
    assert _users(desk, bearer) == 401
    desk.client.cookies.set(SESSION_COOKIE, cookie)
    assert _users(desk) == 401


def test_an_admin_demoted_elsewhere_loses_admin_rights_at_once(desk: Desk) -> None:
    bearer = {"Authorization": f"Bearer {desk.token}"}
    assert _users(desk, bearer) == 200
    with desk.other.uow() as uow:
        do_set_role(uow, None, desk.admin, Role.AGENT, desk.other.clock.now())
    assert _users(desk, bearer) == 403


def test_owner_finds_a_token_or_session_with_its_user_in_one_lookup(desk: Desk) -> None:
    now = desk.runtime.clock.now()
    with desk.runtime.uow() as uow:
        session = do_start_session(uow, desk.admin, now, 12)
    with desk.runtime.read_uow() as uow:
        token_found = uow.tokens.owner(hash_secret(desk.token))
        session_found = uow.sessions.owner(hash_secret(session.token))
        assert uow.tokens.owner(hash_secret("sdk_nothing")) is None
        assert uow.sessions.owner(hash_secret("nothing")) is None
    assert token_found is not None
    assert session_found is not None
    token, user = token_found
    assert (token.user_id, token.workspace_id, token.name, user) == (
        desk.admin.id,
        desk.admin.workspace_id,
        "ci",
        desk.admin,
    )
    assert session_found == (session.session, desk.admin)
