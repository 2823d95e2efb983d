"""Care-workflow set-ups the UI tests share: trainees, teams with a routing rule, an SLA policy."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.care.sla import check_set_sla_policy
from socialdesk.actions.care.teams import check_add_member, check_add_routing_rule, check_create_team
from socialdesk.domain.assignment import AgentStatus
from socialdesk.domain.people import User
from socialdesk.ports.care import NewRoutingRule
from tests.web.ui.conftest import UiWorld


def save_agent(world: UiWorld, user: User, **changes: Any) -> User:
    """Set agent fields directly (status, in_training...), as an admin would through the API."""
    changed = replace(user, **changes)
    with world.runtime.uow() as uow:
        uow.agents.save(changed)
        uow.commit()
    return changed


def trainee(world: UiWorld) -> User:
    """Carl (agent of acme) in training: his replies wait for an approver."""
    return save_agent(world, world.carl, in_training=True)


def team_with_rule(world: UiWorld, name: str, *members: User) -> int:
    """A team every new case of acme is routed to."""
    now = world.runtime.clock.now()
    with world.runtime.uow() as uow:
        team = check_create_team(uow, world.ada, name, "least_loaded", "least_loaded", None, now)
        for member in members:
            check_add_member(uow, world.ada, team.id, member.id, now)
        check_add_routing_rule(
            uow, world.ada, NewRoutingRule(name=f"all to {name}", position=1, team_id=team.id), now
        )
        uow.commit()
    return team.id


def online(world: UiWorld, user: User) -> User:
    return save_agent(world, user, status=AgentStatus.ONLINE)


def sla_policy(world: UiWorld, first_response_s: int) -> None:
    target = {"first_response_s": first_response_s, "next_response_s": 3600, "resolution_s": 86400}
    with world.runtime.uow() as uow:
        check_set_sla_policy(uow, world.ada, {"targets": [target]}, world.runtime.clock.now())
        uow.commit()


def saved_reply(world: UiWorld, user: User, title: str, body: str) -> int:
    with world.runtime.uow() as uow:
        saved = check_add_saved_reply(uow, user, title, body, "personal", None, world.runtime.clock.now())
        uow.commit()
    return saved.id
