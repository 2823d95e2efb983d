"""Where a sample post would go: the routing rules and the team's assignment, run without changing
anything, for the routing settings page's preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.accounts.roles import check_settings_allowed
from socialdesk.actions.care.routing import Assigner, rule_from_row
from socialdesk.domain.assignment import TeamPolicy, WaitingCase, choose_agent
from socialdesk.domain.people import Team, User
from socialdesk.domain.routing import CaseFacts, route
from socialdesk.ports.care import RoutingRuleRow
from socialdesk.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RoutePreview:
    rules: tuple[RoutingRuleRow, ...]  # the rules that matched, in order
    team: Team | None
    priority: str
    tags: tuple[str, ...]
    auto_resolve: bool
    agent: User | None
    why: str  # why this agent, or why nobody


def preview_route(
    uow: UnitOfWork,
    user: User,
    text: str,
    channel: str,
    language: str | None,
    now: datetime,
    category: str | None = None,
) -> RoutePreview:
    """Run the workspace's routing rules on a sample post, then the team's strategy on its agents as
    they are now (status, capacity, open cases, skills). Nothing is stored or counted."""
    check_settings_allowed(user, "manage routing rules", leads=True)
    rows = uow.routing.list(user.workspace_id)
    facts = CaseFacts(channel=channel, text=text, language=language or None, category=category or None)
    decision = route(facts, [rule_from_row(r) for r in rows])
    matched = tuple(r for r in rows if str(r.id) in decision.matched_rule_ids)
    if not matched:
        why = "no routing rule matches: the case stays unassigned, in no team's queue"
        return RoutePreview((), None, decision.priority.value, (), False, None, why)
    team = uow.teams.get(user.workspace_id, decision.team) if decision.team is not None else None
    agent, why = None, "no rule that matched names a team"
    if decision.auto_resolve:
        why = "resolved automatically, without an agent"
    elif team is not None:
        agents = Assigner(uow, user.workspace_id).agents(team.id)
        case = WaitingCase(0, team.id, channel, now, decision.priority, language=language or None)
        policy = TeamPolicy(team.id, team.strategy, team.fallback)
        chosen = choose_agent(case, policy, agents, team.rr_last_agent_id)
        agent = uow.users.get(user.workspace_id, chosen.agent_id) if chosen.agent_id is not None else None
        if agent is None:
            why = f"waits in {team.name}'s queue: {chosen.reason}"
        else:
            why = f"{chosen.strategy.value.replace('_', ' ')} in {team.name}"
    return RoutePreview(
        matched, team, decision.priority.value, decision.tags, decision.auto_resolve, agent, why
    )
