"""Routing new cases to teams, assigning them inside the team, the team queue and manual assignment.

Nothing is kept in memory between calls: each batch rebuilds what it needs (rules, rosters, loads) from
storage, so any number of processes can route at once. The round-robin pointer lives on the team row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.domain.assignment import (
    Agent,
    AgentStatus,
    Strategy,
    TeamPolicy,
    WaitingCase,
    choose_agent,
)
from socialdesk.domain.case import Case, CaseStatus
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import Team, User
from socialdesk.domain.routing import CaseFacts, Conditions, Priority, RoutingRule, route
from socialdesk.domain.team_roster import TeamRoster
from socialdesk.ports.care import CaseCare, RoutingRuleRow
from socialdesk.ports.uow import UnitOfWork

CONDITION_KEYS = frozenset(
    {"channels", "monitors", "categories", "languages", "urgency_min", "urgency_max", "text_any"}
)


def conditions_from_json(data: dict[str, Any]) -> Conditions:
    unknown = set(data) - CONDITION_KEYS
    if unknown:
        raise ValidationFailed(f"routing conditions: unknown {', '.join(sorted(unknown))}")

    def members(key: str) -> frozenset[str] | None:
        value = data.get(key)
        return None if value is None else frozenset(str(v) for v in value)

    def bound(key: str) -> float | None:
        value = data.get(key)
        return None if value is None else float(value)

    return Conditions(
        channels=members("channels"),
        monitors=members("monitors"),
        categories=members("categories"),
        languages=members("languages"),
        urgency_min=bound("urgency_min"),
        urgency_max=bound("urgency_max"),
        text_any=tuple(str(t) for t in data.get("text_any", ())),
    )


def rule_from_row(row: RoutingRuleRow) -> RoutingRule:
    return RoutingRule(
        id=str(row.id),
        conditions=conditions_from_json(row.conditions),
        team=row.team_id,
        priority=Priority(row.priority) if row.priority else None,
        tags=row.tags,
        auto_resolve=row.auto_resolve,
        stop=row.stop,
    )


@dataclass(frozen=True, slots=True)
class Intake:
    """A case ingest has just opened, with what routing may look at."""

    case: Case
    facts: CaseFacts
    contact_id: int | None
    waiting_since: datetime
    needs_reply: bool | None = None  # kept in the case's facts beside what routing saw


class Assigner:
    """Assignment decisions for one batch, from the teams' rosters and agents' loads in storage.

    Each team a batch assigns in gets an indexed `TeamRoster` (built on first use, O(n log n)), so a
    batch of many cases for a big team costs O(log n) per case instead of a scan of the team. The
    roster makes exactly `choose_agent`'s decisions; an agent in several teams is on each team's roster,
    and a case taken in one counts against the agent in all of them.
    """

    def __init__(self, uow: UnitOfWork, workspace_id: int) -> None:
        self.uow = uow
        self.ws = workspace_id
        self.teams = {t.id: t for t in uow.teams.list(workspace_id)}
        self.members = uow.teams.members(workspace_id)
        self.users = {u.id: u for u in uow.users.list(workspace_id)}
        self.loads = uow.care.loads(workspace_id)
        self.changed: set[int] = set()
        self._rosters: dict[int, TeamRoster] = {}

    def _roster(self, team: Team) -> TeamRoster:
        roster = self._rosters.get(team.id)
        if roster is None:
            roster = TeamRoster([TeamPolicy(team.id, team.strategy, team.fallback)])
            for agent in self.agents(team.id):
                roster.add_agent(agent)
            roster.resume_round_robin(team.id, team.rr_last_agent_id)
            self._rosters[team.id] = roster
        return roster

    def agents(self, team_id: int) -> list[Agent]:
        out = []
        for user_id in self.members.get(team_id, ()):
            u = self.users.get(user_id)
            if u is None:
                continue
            status = u.status if u.is_active else AgentStatus.OFFLINE
            out.append(Agent(u.id, team_id, status, u.capacity, self.loads.get(u.id, 0), u.skills))
        return out

    def choose(self, case: WaitingCase, exclude: int | None = None) -> int | None:
        """The agent for the case (None: it waits in the queue), counted against them at once.

        ``exclude`` (an agent the case is taken away from) is rare: that decision scans the team.
        """
        team = self.teams.get(case.team)
        if team is None:
            return None
        if exclude is None:
            decision = self._roster(team).decide(case)
        else:
            agents = [a for a in self.agents(team.id) if a.id != exclude]
            policy = TeamPolicy(team.id, team.strategy, team.fallback)
            decision = choose_agent(case, policy, agents, team.rr_last_agent_id)
        agent_id = decision.agent_id
        if agent_id is None:
            return None
        self.loads[agent_id] = self.loads.get(agent_id, 0) + 1
        for roster in self._rosters.values():
            if agent_id in roster:
                roster.take(agent_id)
        if decision.strategy is Strategy.ROUND_ROBIN:
            self.teams[team.id] = replace(team, rr_last_agent_id=agent_id)
            self.changed.add(team.id)
            if team.id in self._rosters:
                self._rosters[team.id].resume_round_robin(team.id, agent_id)
        return agent_id

    def save(self) -> None:
        for team_id in sorted(self.changed):
            self.uow.teams.save(self.teams[team_id])


def waiting_case(
    case: Case, care: CaseCare | None, waiting_since: datetime, last_agent: int | None
) -> WaitingCase:
    facts = (care.facts if care else None) or {}
    return WaitingCase(
        case_id=case.id,
        team=case.team_id or 0,
        channel=str(facts.get("channel", "")),
        waiting_since=waiting_since,
        priority=case.priority,
        urgency=float(facts.get("urgency", 0)),
        language=facts.get("language"),
        products=frozenset(facts.get("products", ())),
        last_agent_id=last_agent,
    )


def do_route_new_cases(
    uow: UnitOfWork, workspace_id: int, intakes: Sequence[Intake], now: datetime
) -> list[Case]:
    """Route each new case (team, priority, tags, auto-resolve) and assign it inside its team.

    Unassigned cases wait in their team's queue. Returns the cases as changed.
    """
    if not intakes:
        return []
    rules = [rule_from_row(r) for r in uow.routing.list(workspace_id)]
    if not rules:
        return [intake.case for intake in intakes]
    assigner: Assigner | None = None
    out = []
    for intake in intakes:
        decision = route(intake.facts, rules)
        if not decision.matched_rule_ids:
            out.append(intake.case)
            continue
        case = replace(intake.case, priority=decision.priority, team_id=decision.team, updated_at=now)
        facts = {
            "channel": intake.facts.channel,
            "language": intake.facts.language,
            "products": sorted(intake.facts.monitors),
            "urgency": intake.facts.urgency,
        }
        if intake.needs_reply is not None:
            facts["needs_reply"] = intake.needs_reply
        care = CaseCare(case.id, tags=decision.tags, facts=facts)
        uow.care.save(workspace_id, care)
        data = {"rules": list(decision.matched_rule_ids), "team_id": case.team_id, "priority": case.priority}
        record(
            uow,
            workspace_id,
            now,
            None,
            "routed",
            case_id=case.id,
            conversation_id=case.conversation_id,
            **data,
        )
        if decision.auto_resolve:
            case = replace(case, status=CaseStatus.RESOLVED, resolved_at=now)
            record(
                uow,
                workspace_id,
                now,
                None,
                "status_changed",
                case_id=case.id,
                conversation_id=case.conversation_id,
                status="resolved",
                reason="auto-resolve rule",
            )
        elif case.team_id is not None:
            assigner = assigner or Assigner(uow, workspace_id)
            last = (
                uow.care.last_assignee_for_contact(workspace_id, intake.contact_id)
                if intake.contact_id
                else None
            )
            agent_id = assigner.choose(waiting_case(case, care, intake.waiting_since, last))
            if agent_id is not None:
                case = replace(case, assignee_id=agent_id)
                record(
                    uow,
                    workspace_id,
                    now,
                    None,
                    "assigned",
                    case_id=case.id,
                    conversation_id=case.conversation_id,
                    assignee_id=agent_id,
                )
        out.append(case)
    uow.cases.save_many(out)
    if assigner is not None:
        assigner.save()
    for case in out:
        if case.assignee_id is not None:
            uow.emit(
                Event(
                    workspace_id,
                    EventKind.CASE_ASSIGNED,
                    {"case_id": case.id, "assignee_id": case.assignee_id},
                )
            )
    return out


def do_assign_case(
    uow: UnitOfWork, actor_id: int | None, case: Case, assignee_id: int | None, now: datetime, **why: Any
) -> Case:
    changed = replace(case, assignee_id=assignee_id, updated_at=now)
    uow.cases.save_many([changed])
    action = "assigned" if assignee_id is not None else "unassigned"
    record(
        uow,
        case.workspace_id,
        now,
        actor_id,
        action,
        case_id=case.id,
        conversation_id=case.conversation_id,
        assignee_id=assignee_id,
        previous=case.assignee_id,
        **why,
    )
    data = {"case_id": case.id, "assignee_id": assignee_id, "conversation_id": case.conversation_id}
    uow.emit(Event(case.workspace_id, EventKind.CASE_ASSIGNED, data))
    if assignee_id is not None and assignee_id != case.assignee_id:
        notify(uow, case.workspace_id, assignee_id, "assigned", now, actor_id, case_id=case.id,
               conversation_id=case.conversation_id)  # fmt: skip
    uow.emit(
        Event(case.workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": case.conversation_id})
    )
    return changed


def check_assign_case(
    uow: UnitOfWork, user: User, case_id: int, assignee_id: int | None, now: datetime
) -> Case:
    """Assign a case to a colleague of the same workspace (or unassign it with None)."""
    case = access_case_by_id(uow, user, case_id)
    if assignee_id is not None:
        assignee = uow.users.get(user.workspace_id, assignee_id)
        if assignee is None or not assignee.is_active:
            raise NotFound(f"user {assignee_id}")
    if not case.is_active:
        raise ValidationFailed(f"case {case_id} is {case.status}: reopen it before assigning")
    return do_assign_case(uow, user.id, case, assignee_id, now)


def team_of(uow: UnitOfWork, user: User, team_id: int) -> Team:
    team = uow.teams.get(user.workspace_id, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    return team
