"""Assigning a case to an agent inside its team, and agents pulling the next waiting case.

This module holds the types, the rules, and :func:`choose_agent`, the plain reference implementation that
looks at every agent of the team. :class:`socialdesk.domain.team_roster.TeamRoster` makes the same
decisions from indexes in about O(log n).

Rules shared by every strategy:

* Only *available* agents get cases: online and with ``load < capacity``. When none fits the case waits
  in the team queue (``AssignmentDecision.queued``).
* The team's roster order (the order agents were added) drives round-robin and breaks every tie.
* ``round_robin``: the first available agent after the one who got the previous round-robin case.
* ``least_loaded``: the available agent with the fewest open cases.
* ``skills``: the least loaded among available agents whose skills cover the case: its language, its
  channel and at least one of its products. An agent with an empty skill set in a dimension is not
  restricted in it. No qualified agent means the case waits (it never goes to an unqualified one).
* ``sticky``: the agent who last handled this customer, if in the team and available; otherwise the
  team's fallback strategy (never sticky itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from socialdesk.domain.routing import Priority

__all__ = [
    "Agent",
    "AgentStatus",
    "AssignmentDecision",
    "Skills",
    "Strategy",
    "TeamPolicy",
    "WaitingCase",
    "choose_agent",
    "pull_next",
    "queue_order",
]


class AgentStatus(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class Strategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILLS = "skills"
    STICKY = "sticky"


@dataclass(frozen=True, slots=True)
class Skills:
    """What an agent can handle; an empty set means "anything" in that dimension."""

    languages: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()  # products or monitor names
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Agent:
    id: int
    team: int
    status: AgentStatus
    capacity: int
    load: int = 0  # open cases assigned now
    skills: Skills = Skills()

    @property
    def available(self) -> bool:
        return self.status is AgentStatus.ONLINE and self.load < self.capacity


@dataclass(frozen=True, slots=True)
class TeamPolicy:
    team: int
    strategy: Strategy
    fallback: Strategy = Strategy.LEAST_LOADED  # for sticky when the last agent cannot take the case

    def __post_init__(self) -> None:
        if self.fallback is Strategy.STICKY:
            raise ValueError("a sticky team needs a non-sticky fallback strategy")


@dataclass(frozen=True, slots=True)
class WaitingCase:
    """A case to assign, or waiting in its team's queue."""

    case_id: int
    team: int
    channel: str
    waiting_since: datetime
    priority: Priority = Priority.NORMAL
    urgency: float = 0.0
    language: str | None = None
    products: frozenset[str] = frozenset()
    last_agent_id: int | None = None  # who last handled this customer (for sticky teams)


@dataclass(frozen=True, slots=True)
class AssignmentDecision:
    case_id: int
    team: int
    agent_id: int | None
    strategy: Strategy  # the strategy that decided (the fallback when sticky fell back)
    reason: str

    @property
    def queued(self) -> bool:
        """True when no agent could take the case: it waits in the team queue."""
        return self.agent_id is None


Requirement = tuple[str | None, str, frozenset[str]]  # (language, channel, products) of a case


def requirement_key(case: WaitingCase) -> Requirement:
    return (case.language, case.channel, case.products)


def covers(skills: Skills, requirement: Requirement) -> bool:
    """Whether skills cover a requirement (see the module docs)."""
    language, channel, products = requirement
    if language is not None and skills.languages and language not in skills.languages:
        return False
    if skills.channels and channel not in skills.channels:
        return False
    return not (products and skills.products and products.isdisjoint(skills.products))


def qualifies(skills: Skills, case: WaitingCase) -> bool:
    return covers(skills, requirement_key(case))


def _decided(case: WaitingCase, agent: Agent | None, strategy: Strategy, waiting: str) -> AssignmentDecision:
    if agent is None:
        return AssignmentDecision(case.case_id, case.team, None, strategy, waiting)
    return AssignmentDecision(case.case_id, case.team, agent.id, strategy, f"{strategy}: agent {agent.id}")


NO_AGENT = "no online agent under capacity"
NO_QUALIFIED_AGENT = "no qualified online agent under capacity"


def choose_agent(
    case: WaitingCase,
    policy: TeamPolicy,
    agents: Sequence[Agent],
    rr_last_agent_id: int | None = None,
) -> AssignmentDecision:
    """Pick an agent for ``case`` by looking at every agent (the reference implementation).

    ``agents`` is the team in roster order; ``rr_last_agent_id`` is who got the team's previous
    round-robin case. The caller records a round-robin decision's agent for the next call.
    """
    if policy.team != case.team:
        raise ValueError(f"case {case.case_id} belongs to team {case.team}, not {policy.team}")
    strategy = policy.strategy
    if strategy is Strategy.STICKY:
        for agent in agents:
            if agent.id == case.last_agent_id and agent.available:
                return _decided(case, agent, strategy, NO_AGENT)
        strategy = policy.fallback
    available = [agent for agent in agents if agent.available]
    if strategy is Strategy.ROUND_ROBIN:
        order = [agent.id for agent in agents]
        start = order.index(rr_last_agent_id) + 1 if rr_last_agent_id in order else 0
        rotated = [*agents[start:], *agents[:start]]
        return _decided(case, next((a for a in rotated if a.available), None), strategy, NO_AGENT)
    position = {agent.id: index for index, agent in enumerate(agents)}
    if strategy is Strategy.SKILLS:
        qualified = [agent for agent in available if qualifies(agent.skills, case)]
        best = min(qualified, key=lambda a: (a.load, position[a.id]), default=None)
        return _decided(case, best, strategy, NO_QUALIFIED_AGENT)
    best = min(available, key=lambda a: (a.load, position[a.id]), default=None)
    return _decided(case, best, strategy, NO_AGENT)


def queue_order(case: WaitingCase) -> tuple[int, float, datetime, int]:
    """Sort key for a team queue: highest priority, then most urgent, then longest waiting.

    Nothing about the customer's reach (followers, verified) takes part, on purpose.
    """
    return (-case.priority.rank, -case.urgency, case.waiting_since, case.case_id)


def pull_next(queue: Iterable[WaitingCase], agent: Agent) -> WaitingCase | None:
    """The case ``agent`` should take next from the queue, or ``None``.

    Only cases of the agent's team that the agent's skills cover are candidates, and only an
    available agent (online, under capacity) may pull.
    """
    if not agent.available:
        return None
    candidates = (case for case in queue if case.team == agent.team and qualifies(agent.skills, case))
    return min(candidates, key=queue_order, default=None)
