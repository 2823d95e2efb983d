"""A team's own SLA policy: cases routed to the team start with it; other cases keep the workspace's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialdesk.actions.care.sla import check_set_team_sla_policy, sla_view
from socialdesk.actions.care.sla_preview import preview_sla_deadlines
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from tests.web.ui.care_world import sla_policy, team_with_rule
from tests.web.ui.conftest import UiWorld, ui_post


def _first_response_target(world: UiWorld, number: str) -> int:
    ws = world.ada.workspace_id
    [cid] = world.ingest(ws, ui_post(number, "router down", minutes_ago=1)).conversation_ids
    with world.runtime.read_uow() as uow:
        case = uow.cases.current_for(ws, [cid])[cid]
        view = sla_view(uow.care.get_many(ws, [case.id]).get(case.id), world.runtime.clock.now())
    assert view is not None
    return next(int(c["target_s"]) for c in view["clocks"] if c["kind"] == "first_response")


def _team_policy(first_response_s: int) -> dict[str, object]:
    return {
        "targets": [{"first_response_s": first_response_s, "next_response_s": 3600, "resolution_s": 86400}]
    }


def test_a_case_routed_to_a_team_with_its_own_policy_starts_with_it(ui_world: UiWorld) -> None:
    sla_policy(ui_world, first_response_s=3600)
    team_id = team_with_rule(ui_world, "Billing")
    assert _first_response_target(ui_world, "1") == 3600  # the workspace's while the team has none
    now = ui_world.runtime.clock.now()
    with ui_world.runtime.uow() as uow:
        with pytest.raises(PermissionDenied, match="only admins and team leads change the SLA policy"):
            check_set_team_sla_policy(uow, ui_world.carl, team_id, _team_policy(600), now)
        with pytest.raises(ValidationFailed, match="SLA policy of Billing: at least one target"):
            check_set_team_sla_policy(uow, ui_world.ada, team_id, {"targets": []}, now)
        with pytest.raises(NotFound):
            check_set_team_sla_policy(uow, ui_world.ada, 999_999, _team_policy(600), now)
        check_set_team_sla_policy(uow, ui_world.ada, team_id, _team_policy(600), now)
    assert _first_response_target(ui_world, "2") == 600
    with ui_world.runtime.read_uow() as uow:  # the deadline preview of a team uses the team's policy
        start = now.replace(microsecond=0)
        team = preview_sla_deadlines(uow, ui_world.ada, team_id, "x", "normal", start)
        workspace = preview_sla_deadlines(uow, ui_world.ada, None, "x", "normal", start)
    assert team.first_response == start + timedelta(seconds=600)
    assert workspace.first_response == start + timedelta(seconds=3600)
    with ui_world.runtime.uow() as uow:
        check_set_team_sla_policy(uow, ui_world.ada, team_id, None, now)
        audit = [e.action for e in uow.audit.between(ui_world.ada.workspace_id, None, None)]
    assert audit.count("sla_policy_changed") == 3  # the workspace's, the team's, and dropping it
    assert _first_response_target(ui_world, "3") == 3600
