"""Teams, their members, agents' routing fields and routing rules: the care workflow's configuration."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_care_configuration
from socialdesk.actions.care.agent_presence import do_note_status_from_api
from socialdesk.actions.care.audit import record_config_change
from socialdesk.actions.care.routing import conditions_from_json, team_of
from socialdesk.domain.assignment import AgentStatus, Skills, Strategy, TeamPolicy
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Team, User
from socialdesk.domain.routing import Priority
from socialdesk.domain.sla_codec import hours_from_json
from socialdesk.ports.care import NewRoutingRule, RoutingRuleRow
from socialdesk.ports.uow import UnitOfWork


def _team_state(team: Team) -> dict[str, Any]:
    return {
        "name": team.name,
        "strategy": team.strategy.value,
        "fallback": team.fallback.value,
        "hours": team.hours,
    }


def _rule_state(rule: RoutingRuleRow) -> dict[str, Any]:
    return {
        "name": rule.name,
        "position": rule.position,
        "conditions": rule.conditions,
        "team_id": rule.team_id,
        "priority": rule.priority,
        "tags": list(rule.tags),
        "auto_resolve": rule.auto_resolve,
        "stop": rule.stop,
    }


def _agent_state(agent: User) -> dict[str, Any]:
    return {
        "status": agent.status.value,
        "capacity": agent.capacity,
        "in_training": agent.in_training,
        "signature": agent.signature,
        "skills": {
            "languages": sorted(agent.skills.languages),
            "products": sorted(agent.skills.products),
            "channels": sorted(agent.skills.channels),
        },
    }


def _strategy(value: str, name: str) -> Strategy:
    try:
        return Strategy(value)
    except ValueError:
        raise ValidationFailed(f"{name}: one of {', '.join(s.value for s in Strategy)}") from None


def _check_hours(hours: dict[str, Any] | None) -> None:
    try:
        hours_from_json(hours)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(f"business hours: {exc}") from None


def check_create_team(
    uow: UnitOfWork,
    user: User,
    name: str,
    strategy: str,
    fallback: str,
    hours: dict[str, Any] | None,
    now: datetime,
) -> Team:
    require_care_configuration(user, "create teams")
    name = name.strip()
    if not name or any(t.name == name for t in uow.teams.list(user.workspace_id)):
        raise ValidationFailed(f"team name {name!r} is empty or taken")
    try:
        policy = TeamPolicy(0, _strategy(strategy, "strategy"), _strategy(fallback, "fallback"))
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    _check_hours(hours)
    team = uow.teams.add(
        user.workspace_id, Team(0, user.workspace_id, name, policy.strategy, policy.fallback, hours)
    )
    record_config_change(
        uow, user, now, "team_created", team_id=team.id, before=None, after=_team_state(team)
    )
    return team


def check_update_team(
    uow: UnitOfWork, user: User, team_id: int, changes: dict[str, Any], now: datetime
) -> Team:
    require_care_configuration(user, "change teams")
    team = before = team_of(uow, user, team_id)
    if "strategy" in changes:
        team = replace(team, strategy=_strategy(changes["strategy"], "strategy"))
    if "fallback" in changes:
        team = replace(team, fallback=_strategy(changes["fallback"], "fallback"))
    if team.fallback is Strategy.STICKY:
        raise ValidationFailed("a sticky team needs a non-sticky fallback strategy")
    if "hours" in changes:
        _check_hours(changes["hours"])
        team = replace(team, hours=changes["hours"])
    uow.teams.save(team)
    record_config_change(
        uow, user, now, "team_changed", team_id=team.id, before=_team_state(before), after=_team_state(team)
    )
    return team


def check_add_member(uow: UnitOfWork, user: User, team_id: int, member_id: int, now: datetime) -> None:
    require_care_configuration(user, "change team members")
    team = team_of(uow, user, team_id)
    if uow.users.get(user.workspace_id, member_id) is None:
        raise NotFound(f"user {member_id}")
    if member_id in uow.teams.members(user.workspace_id).get(team.id, []):
        return
    uow.teams.add_member(user.workspace_id, team.id, member_id)
    record_config_change(
        uow, user, now, "team_member_added", team_id=team.id, user_id=member_id,
        before={"member": False}, after={"member": True},
    )  # fmt: skip


def check_remove_member(uow: UnitOfWork, user: User, team_id: int, member_id: int, now: datetime) -> None:
    require_care_configuration(user, "change team members")
    team = team_of(uow, user, team_id)
    if not uow.teams.remove_member(user.workspace_id, team.id, member_id):
        raise NotFound(f"user {member_id} in team {team_id}")
    record_config_change(
        uow, user, now, "team_member_removed", team_id=team.id, user_id=member_id,
        before={"member": True}, after={"member": False},
    )  # fmt: skip


AGENT_FIELDS = frozenset({"status", "capacity", "in_training", "skills", "signature"})


def check_update_agent(
    uow: UnitOfWork, actor: User, user_id: int, changes: dict[str, Any], now: datetime
) -> User:
    """Agents set their own status; admins and team leads set anything (capacity, training, skills,
    signature)."""
    agent = uow.users.get(actor.workspace_id, user_id)
    if agent is None:
        raise NotFound(f"user {user_id}")
    before = agent
    if not actor.configures_care and (actor.id != user_id or set(changes) - {"status"}):
        raise PermissionDenied("agents change only their own status; admins and team leads change the rest")
    if not actor.is_admin and agent.is_admin and set(changes) - {"status"}:
        raise PermissionDenied("only admins change an admin's capacity, training, skills or signature")
    if set(changes) - AGENT_FIELDS:
        raise ValidationFailed(f"agent fields: {', '.join(sorted(AGENT_FIELDS))}")
    if "status" in changes:
        try:
            agent = replace(agent, status=AgentStatus(changes["status"]))
        except ValueError:
            raise ValidationFailed("status: online, away or offline") from None
    if "capacity" in changes:
        capacity = int(changes["capacity"])
        if not 0 <= capacity <= 1000:
            raise ValidationFailed("capacity: 0 to 1000 open cases")
        agent = replace(agent, capacity=capacity)
    if "in_training" in changes:
        agent = replace(agent, in_training=bool(changes["in_training"]))
    if "signature" in changes:
        signature = str(changes["signature"]).strip()
        if len(signature) > 40:
            raise ValidationFailed("signature: at most 40 characters")
        agent = replace(agent, signature=signature)
    if "skills" in changes:
        s = changes["skills"] or {}
        agent = replace(
            agent,
            skills=Skills(
                languages=frozenset(s.get("languages", ())),
                products=frozenset(s.get("products", ())),
                channels=frozenset(s.get("channels", ())),
            ),
        )
    uow.agents.save(agent)
    if "status" in changes:
        do_note_status_from_api(uow, agent, now)  # a status set by hand: idleness leaves it alone
    record_config_change(
        uow,
        actor,
        now,
        "agent_changed",
        user_id=agent.id,
        before=_agent_state(before),
        after=_agent_state(agent),
    )
    return agent


def check_add_routing_rule(
    uow: UnitOfWork, user: User, rule: NewRoutingRule, now: datetime
) -> RoutingRuleRow:
    require_care_configuration(user, "change routing rules")
    conditions_from_json(rule.conditions)
    if rule.team_id is not None:
        team_of(uow, user, rule.team_id)
    if rule.priority is not None and rule.priority not in set(Priority):
        raise ValidationFailed(f"priority: one of {', '.join(p.value for p in Priority)}")
    if not rule.name.strip():
        raise ValidationFailed("routing rule name is empty")
    row = uow.routing.add(user.workspace_id, rule)
    record_config_change(
        uow, user, now, "routing_rule_added", rule_id=row.id, before=None, after=_rule_state(row)
    )
    return row


def check_delete_routing_rule(uow: UnitOfWork, user: User, rule_id: int, now: datetime) -> None:
    require_care_configuration(user, "change routing rules")
    rule = next((r for r in uow.routing.list(user.workspace_id) if r.id == rule_id), None)
    if rule is None or not uow.routing.delete(user.workspace_id, rule_id):
        raise NotFound(f"routing rule {rule_id}")
    record_config_change(
        uow, user, now, "routing_rule_deleted", rule_id=rule_id, before=_rule_state(rule), after=None
    )
