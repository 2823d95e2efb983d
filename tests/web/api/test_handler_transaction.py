"""A request's unit of work commits only when the handler's `with` block ends cleanly: a handler that
raises after its change leaves nothing stored and publishes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from socialdesk.bus.inprocess import RecordingBus
from socialdesk.runtime import Runtime
from socialdesk.web.api import care_teams
from tests.web.api.test_api import Api
from tests.web.api.test_api import api as api


class AfterTheChange(Exception):
    pass


def test_a_handler_that_raises_after_its_change_leaves_nothing_stored(
    api: Api, runtime: Runtime, bus: RecordingBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = care_teams.check_create_team

    def create_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # the team and its audit entry are written in the request's transaction
        raise AfterTheChange

    monkeypatch.setattr(care_teams, "check_create_team", create_then_fail)
    published = len(bus.events)
    with pytest.raises(AfterTheChange):
        api.client.post("/api/v1/teams", json={"name": "billing"}, headers=api.h())
    assert api.client.get("/api/v1/teams", headers=api.h()).json() == []
    with runtime.read_uow() as uow:
        acme = uow.workspaces.get_by_slug("acme")
        assert acme is not None
        assert [e.action for e in uow.audit.between(acme.id, None, None) if "team" in e.action] == []
    assert len(bus.events) == published

    monkeypatch.setattr(care_teams, "check_create_team", real)
    created = api.client.post("/api/v1/teams", json={"name": "billing"}, headers=api.h())
    assert created.status_code == 201
    assert [t["name"] for t in api.client.get("/api/v1/teams", headers=api.h()).json()] == ["billing"]
