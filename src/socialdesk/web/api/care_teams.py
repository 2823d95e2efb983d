"""Teams, agents, routing rules, SLA policy, assignment and the team queue in the REST API."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from socialdesk.actions.care.pull import NothingPulled, check_pull_next
from socialdesk.actions.care.routing import check_assign_case
from socialdesk.actions.care.sla import SLA_POLICY, check_set_sla_policy, check_set_team_sla_policy
from socialdesk.actions.care.teams import (
    check_add_member,
    check_add_routing_rule,
    check_create_team,
    check_delete_routing_rule,
    check_remove_member,
    check_update_agent,
    check_update_team,
)
from socialdesk.domain.people import Team, User
from socialdesk.ports.care import NewRoutingRule, RoutingRuleRow
from socialdesk.web.api.schemas import CaseOut
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import MAX_SECONDS, Id, InputModel

router = APIRouter(tags=["routing"])

StrategyName = Literal["round_robin", "least_loaded", "skills", "sticky"]


class HoursIn(InputModel):
    timezone: str = "UTC"
    schedule: dict[str, str | list[str]] | None = Field(
        None, description='e.g. {"mon-fri": "09:00-17:00"}; none: open around the clock.'
    )
    holidays: list[str] = Field(default_factory=list, description="ISO dates.")


class TeamIn(InputModel):
    name: str = Field(min_length=1, max_length=200)
    strategy: StrategyName = "least_loaded"
    fallback: Literal["round_robin", "least_loaded", "skills"] = "least_loaded"
    hours: HoursIn | None = None


class TeamPatch(InputModel):
    strategy: StrategyName | None = None
    fallback: Literal["round_robin", "least_loaded", "skills"] | None = None
    hours: HoursIn | None = None


class TeamOut(BaseModel):
    id: int
    name: str
    strategy: str
    fallback: str
    hours: dict[str, Any] | None
    members: list[int]

    @classmethod
    def of(cls, team: Team, members: list[int]) -> TeamOut:
        return cls(
            id=team.id,
            name=team.name,
            strategy=team.strategy.value,
            fallback=team.fallback.value,
            hours=team.hours,
            members=members,
        )


class MemberIn(InputModel):
    user_id: Id


class SkillsIn(InputModel):
    languages: list[str] = Field(default_factory=list, max_length=50)
    products: list[str] = Field(
        default_factory=list, max_length=200, description="Products or monitor names."
    )
    channels: list[str] = Field(default_factory=list, max_length=20)


class AgentPatch(InputModel):
    status: Literal["online", "away", "offline"] | None = None
    capacity: int | None = Field(default=None, ge=0, le=1000)
    in_training: bool | None = None
    skills: SkillsIn | None = None
    signature: str | None = Field(default=None, max_length=40)


class AgentOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    status: str
    capacity: int
    in_training: bool
    signature: str
    skills: dict[str, list[str]]

    @classmethod
    def of(cls, u: User) -> AgentOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role.value,
            status=u.status.value,
            capacity=u.capacity,
            in_training=u.in_training,
            signature=u.signature,
            skills={
                "languages": sorted(u.skills.languages),
                "products": sorted(u.skills.products),
                "channels": sorted(u.skills.channels),
            },
        )


class ConditionsIn(InputModel):
    channels: list[str] | None = None
    monitors: list[str] | None = None
    categories: list[str] | None = None
    languages: list[str] | None = None
    urgency_min: float | None = Field(default=None, description="0-100, like triage's urgency.")
    urgency_max: float | None = None
    text_any: list[str] = Field(default_factory=list, description="Case-insensitive substrings.")


class RoutingRuleIn(InputModel):
    name: str = Field(min_length=1, max_length=200)
    position: int = Field(
        default=0,
        ge=-1_000_000,
        le=1_000_000,
        description="Rules run in position order (then creation order).",
    )
    conditions: ConditionsIn = Field(default_factory=lambda: ConditionsIn())
    team_id: Id | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    auto_resolve: bool = Field(default=False, description="Resolve without an agent (spam).")
    stop: bool = Field(default=True, description="Stop at this rule when it matches.")


class RoutingRuleOut(BaseModel):
    id: int
    name: str
    position: int
    conditions: dict[str, Any]
    team_id: int | None
    priority: str | None
    tags: list[str]
    auto_resolve: bool
    stop: bool

    @classmethod
    def of(cls, r: RoutingRuleRow) -> RoutingRuleOut:
        return cls(
            id=r.id,
            name=r.name,
            position=r.position,
            conditions=r.conditions,
            team_id=r.team_id,
            priority=r.priority,
            tags=list(r.tags),
            auto_resolve=r.auto_resolve,
            stop=r.stop,
        )


class TargetIn(InputModel):
    channel: str | None = None
    priority: str | None = None
    first_response_s: int = Field(gt=0, le=MAX_SECONDS)
    next_response_s: int = Field(gt=0, le=MAX_SECONDS)
    resolution_s: int = Field(gt=0, le=MAX_SECONDS)


class EscalationIn(InputModel):
    id: str = Field(min_length=1, max_length=100)
    when: Literal["warning", "breached"]
    clock: Literal["first_response", "next_response", "resolution"]
    actions: list[Literal["reassign", "notify_supervisor", "raise_priority"]] = Field(min_length=1)


class SlaPolicyIn(InputModel):
    name: str = "default"
    targets: list[TargetIn] = Field(min_length=1)
    warn_fraction: float | None = Field(default=0.8, gt=0, le=1)
    warn_before_s: int | None = Field(default=None, ge=0, le=MAX_SECONDS)
    escalations: list[EscalationIn] = Field(default_factory=list)


class AssignIn(InputModel):
    assignee_id: Id | None = Field(description="A user of the workspace, or null to unassign.")


@router.get("/teams")
def teams(user: ApiUserDep, runtime: RuntimeDep) -> list[TeamOut]:
    with runtime.read_uow() as uow:
        found = uow.teams.list(user.workspace_id)
        members = uow.teams.members(user.workspace_id)
    return [TeamOut.of(t, members.get(t.id, [])) for t in found]


@router.post("/teams", status_code=201)
def create_team(body: TeamIn, user: ApiUserDep, runtime: RuntimeDep) -> TeamOut:
    """A team with its assignment strategy and business hours (admins)."""
    hours = body.hours.model_dump() if body.hours else None
    with runtime.uow() as uow:
        team = check_create_team(
            uow, user, body.name, body.strategy, body.fallback, hours, runtime.clock.now()
        )
    return TeamOut.of(team, [])


@router.patch("/teams/{team_id}")
def update_team(team_id: Id, body: TeamPatch, user: ApiUserDep, runtime: RuntimeDep) -> TeamOut:
    changes = body.model_dump(exclude_unset=True)
    with runtime.uow() as uow:
        team = check_update_team(uow, user, team_id, changes, runtime.clock.now())
        members = uow.teams.members(user.workspace_id).get(team.id, [])
    return TeamOut.of(team, members)


@router.post("/teams/{team_id}/members", status_code=204)
def add_member(team_id: Id, body: MemberIn, user: ApiUserDep, runtime: RuntimeDep) -> None:
    with runtime.uow() as uow:
        check_add_member(uow, user, team_id, body.user_id, runtime.clock.now())


@router.delete("/teams/{team_id}/members/{user_id}", status_code=204)
def remove_member(team_id: Id, user_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> None:
    with runtime.uow() as uow:
        check_remove_member(uow, user, team_id, user_id, runtime.clock.now())


@router.get("/agents")
def agents(user: ApiUserDep, runtime: RuntimeDep) -> list[AgentOut]:
    with runtime.read_uow() as uow:
        return [AgentOut.of(u) for u in uow.users.list(user.workspace_id)]


@router.patch("/agents/{user_id}")
def update_agent(user_id: Id, body: AgentPatch, user: ApiUserDep, runtime: RuntimeDep) -> AgentOut:
    """Agents set their own status; admins set capacity, training, skills and signature too."""
    with runtime.uow() as uow:
        agent = check_update_agent(
            uow, user, user_id, body.model_dump(exclude_unset=True), runtime.clock.now()
        )
    return AgentOut.of(agent)


@router.get("/routing-rules")
def routing_rules(user: ApiUserDep, runtime: RuntimeDep) -> list[RoutingRuleOut]:
    with runtime.read_uow() as uow:
        return [RoutingRuleOut.of(r) for r in uow.routing.list(user.workspace_id)]


@router.post("/routing-rules", status_code=201)
def add_routing_rule(body: RoutingRuleIn, user: ApiUserDep, runtime: RuntimeDep) -> RoutingRuleOut:
    """Rules route each new case: first match sets team and priority; see docs/care.md."""
    rule = NewRoutingRule(
        name=body.name,
        position=body.position,
        conditions=body.conditions.model_dump(exclude_none=True, exclude_defaults=True),
        team_id=body.team_id,
        priority=body.priority,
        tags=tuple(body.tags),
        auto_resolve=body.auto_resolve,
        stop=body.stop,
    )
    with runtime.uow() as uow:
        row = check_add_routing_rule(uow, user, rule, runtime.clock.now())
    return RoutingRuleOut.of(row)


@router.delete("/routing-rules/{rule_id}", status_code=204)
def delete_routing_rule(rule_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> None:
    with runtime.uow() as uow:
        check_delete_routing_rule(uow, user, rule_id, runtime.clock.now())


@router.get("/sla-policy", tags=["sla"])
def sla_policy(user: ApiUserDep, runtime: RuntimeDep) -> dict[str, Any] | None:
    with runtime.read_uow() as uow:
        found: dict[str, Any] | None = uow.settings.get(user.workspace_id, SLA_POLICY)
    return found


@router.put("/sla-policy", tags=["sla"])
def set_sla_policy(body: SlaPolicyIn, user: ApiUserDep, runtime: RuntimeDep) -> dict[str, Any]:
    """The workspace's SLA targets, warning and escalations (admins); cases opened from now on use it."""
    with runtime.uow() as uow:
        return check_set_sla_policy(uow, user, body.model_dump(), runtime.clock.now())


@router.put("/teams/{team_id}/sla-policy", tags=["sla"])
def set_team_sla_policy(
    team_id: Id, body: SlaPolicyIn, user: ApiUserDep, runtime: RuntimeDep
) -> dict[str, Any] | None:
    """One team's own SLA policy (admins, team leads); cases routed to it from now on use it."""
    with runtime.uow() as uow:
        return check_set_team_sla_policy(uow, user, team_id, body.model_dump(), runtime.clock.now())


@router.delete("/teams/{team_id}/sla-policy", tags=["sla"], status_code=204)
def drop_team_sla_policy(team_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> None:
    """The team uses the workspace's SLA policy again."""
    with runtime.uow() as uow:
        check_set_team_sla_policy(uow, user, team_id, None, runtime.clock.now())


@router.post("/cases/{case_id}/assign", tags=["cases"])
def assign(case_id: Id, body: AssignIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    with runtime.uow() as uow:
        case = check_assign_case(uow, user, case_id, body.assignee_id, runtime.clock.now())
    return CaseOut.of(case)


@router.post(
    "/queue/next",
    tags=["cases"],
    response_model=CaseOut,
    responses={409: {"description": "Nothing came: `reason` (a code) and `detail` say why."}},
)
def pull_next(user: ApiUserDep, runtime: RuntimeDep) -> Any:
    """Take the next case of your teams' queues: highest priority, most urgent, longest waiting.

    When nothing comes the answer is 409 with `reason`: `not_in_team`, `away`, `offline`,
    `at_capacity`, `queues_empty` or `no_skill_match`, and `detail`, the same in words
    (such as "you are at capacity (5 of 5 open cases)").
    """
    with runtime.uow() as uow:
        case = check_pull_next(uow, user, runtime.clock.now())
    if isinstance(case, NothingPulled):
        body = {"detail": f"Nothing pulled: {case.message}", "reason": case.reason}
        return JSONResponse(body, status_code=409)
    return CaseOut.of(case)
