"""Shared set-up for the care workflow API tests: agents with tokens in the `api` fixture's workspaces."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from tests.web.api.test_api import Api


@dataclass
class Person:
    id: int
    token: str

    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def person(runtime: Runtime, slug: str, email: str, name: str, role: Role = Role.AGENT) -> Person:
    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug(slug)
        assert ws is not None
        user = check_create_user(uow, ws.id, email, name, "correct-horse-9", role)
        token = do_create_api_token(uow, user, "t", runtime.clock.now())
        uow.commit()
    return Person(user.id, token)


def admin(api: Api) -> Person:
    """Ada, the admin of workspace acme that `api.token` belongs to."""
    me = api.client.get("/api/v1/agents", headers=api.h()).json()
    return Person(next(a["id"] for a in me if a["email"] == "ada@acme.io"), api.token)


def online(api: Api, agent: Person, **extra: object) -> None:
    r = api.client.patch(f"/api/v1/agents/{agent.id}", json={"status": "online", **extra}, headers=api.h())
    assert r.status_code == 200, r.text
