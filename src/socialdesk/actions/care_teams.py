"""Teams, their members, agents' routing fields and routing rules: the care workflow's configuration."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from socialdesk.actions.care_audit import record
from socialdesk.actions.care_routing import conditions_from_json, team_of
from socialdesk.domain.assignment import AgentStatus, Skills, Strategy, TeamPolicy
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Team, User
from socialdesk.domain.routing import Priority
from socialdesk.domain.sla_codec import hours_from_json
from socialdesk.ports import UnitOfWork
from socialdesk.ports_care import NewRoutingRule, RoutingRuleRow


def require_admin(user: User, what: str) -> None:
    if not user.is_admin:
        raise PermissionDenied(f"only admins {what}")


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
    require_admin(user, "create teams")
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
    record(uow, user.workspace_id, now, user.id, "team_created", team_id=team.id, name=name)
    return team


def check_update_team(
    uow: UnitOfWork, user: User, team_id: int, changes: dict[str, Any], now: datetime
) -> Team:
    require_admin(user, "change teams")
    team = team_of(uow, user, team_id)
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
    record(uow, user.workspace_id, now, user.id, "team_changed", team_id=team.id, changes=sorted(changes))
    return team


def check_add_member(uow: UnitOfWork, user: User, team_id: int, member_id: int, now: datetime) -> None:
    require_admin(user, "change team members")
    team = team_of(uow, user, team_id)
    if uow.users.get(user.workspace_id, member_id) is None:
        raise NotFound(f"user {member_id}")
    if member_id in uow.teams.members(user.workspace_id).get(team.id, []):
        return
    uow.teams.add_member(user.workspace_id, team.id, member_id)
    record(uow, user.workspace_id, now, user.id, "team_member_added", team_id=team.id, user_id=member_id)


def check_remove_member(uow: UnitOfWork, user: User, team_id: int, member_id: int, now: datetime) -> None:
    require_admin(user, "change team members")
    team = team_of(uow, user, team_id)
    if not uow.teams.remove_member(user.workspace_id, team.id, member_id):
        raise NotFound(f"user {member_id} in team {team_id}")
    record(uow, user.workspace_id, now, user.id, "team_member_removed", team_id=team.id, user_id=member_id)


AGENT_FIELDS = frozenset({"status", "capacity", "in_training", "skills", "signature"})


def check_update_agent(
    uow: UnitOfWork, actor: User, user_id: int, changes: dict[str, Any], now: datetime
) -> User:
    """Agents set their own status; admins set anything (capacity, training, skills, signature)."""
    agent = uow.users.get(actor.workspace_id, user_id)
    if agent is None:
        raise NotFound(f"user {user_id}")
    if not actor.is_admin and (actor.id != user_id or set(changes) - {"status"}):
        raise PermissionDenied("agents change only their own status; admins change the rest")
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
    record(uow, actor.workspace_id, now, actor.id, "agent_changed", user_id=agent.id, changes=changes)
    return agent


def check_add_routing_rule(
    uow: UnitOfWork, user: User, rule: NewRoutingRule, now: datetime
) -> RoutingRuleRow:
    require_admin(user, "change routing rules")
    conditions_from_json(rule.conditions)
    if rule.team_id is not None:
        team_of(uow, user, rule.team_id)
    if rule.priority is not None and rule.priority not in set(Priority):
        raise ValidationFailed(f"priority: one of {', '.join(p.value for p in Priority)}")
    if not rule.name.strip():
        raise ValidationFailed("routing rule name is empty")
    row = uow.routing.add(user.workspace_id, rule)
    record(uow, user.workspace_id, now, user.id, "routing_rule_added", rule_id=row.id, name=row.name)
    return row


def check_delete_routing_rule(uow: UnitOfWork, user: User, rule_id: int, now: datetime) -> None:
    require_admin(user, "change routing rules")
    if not uow.routing.delete(user.workspace_id, rule_id):
        raise NotFound(f"routing rule {rule_id}")
    record(uow, user.workspace_id, now, user.id, "routing_rule_deleted", rule_id=rule_id)
