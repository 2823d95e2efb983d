"""`socialdesk bench routing`: assignment decisions with the indexed TeamRoster against a naive scan.

Setup: ``agents`` agents in ``teams`` teams (a quarter each round-robin, least-loaded, skills-based and
sticky), mixed statuses and skills, and ``open_cases`` open cases already assigned. Each step a new case
arrives (random team, language, channel, product, half of them from a returning customer), a random
open case is resolved, and now and then an agent changes status.

The baseline is what one writes first: for every decision, scan all agents to find the team, count
every agent's open cases by scanning all open cases, then apply the rules
(:func:`~socialdesk.domain.assignment.choose_agent`). A fairer second baseline keeps every agent's
load up to date but still scans all agents per decision. The first ``baseline_decisions`` steps (ten
times as many for the agent scan) run in lockstep with the roster and must agree.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from socialdesk.domain.assignment import (
    Agent,
    AgentStatus,
    AssignmentDecision,
    Skills,
    Strategy,
    TeamPolicy,
    WaitingCase,
    choose_agent,
)
from socialdesk.domain.routing import Priority
from socialdesk.domain.team_roster import TeamRoster

LANGUAGES = ("en", "es", "fr", "de", "pt", "ja")
CHANNELS = ("x", "mastodon", "bluesky", "email", "facebook")
PRODUCTS = ("app", "billing", "delivery", "store", "account", "hardware")
_STRATEGIES = (Strategy.ROUND_ROBIN, Strategy.LEAST_LOADED, Strategy.SKILLS, Strategy.STICKY)
_T0 = datetime(2024, 1, 1, tzinfo=UTC)


class _World:
    """The shared situation; each implementation keeps its own copy of the state."""

    def __init__(self, agents: int, teams: int, open_cases: int, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.policies = [TeamPolicy(team, _STRATEGIES[team % 4]) for team in range(teams)]
        self.agents: list[Agent] = []
        for agent_id in range(agents):
            status = rng.choices(list(AgentStatus), weights=(70, 20, 10))[0]
            skills = Skills(
                frozenset(rng.sample(LANGUAGES, rng.randint(1, 3))),
                frozenset(rng.sample(PRODUCTS, rng.randint(1, 4))),
                frozenset(rng.sample(CHANNELS, rng.randint(2, 5))),
            )
            self.agents.append(Agent(agent_id, agent_id % teams, status, rng.randint(100, 200), 0, skills))
        # Open cases held by agents (any status: an agent who went offline still holds cases).
        self.open: dict[int, int] = {}
        loads = [0] * agents
        for case_id in range(open_cases):
            agent_id = rng.randrange(agents)
            if loads[agent_id] < self.agents[agent_id].capacity - 2:
                loads[agent_id] += 1
                self.open[case_id] = agent_id
        self.agents = [replace(agent, load=loads[agent.id]) for agent in self.agents]
        self.open_ids = list(self.open)
        self.next_case = open_cases

    def new_case(self) -> WaitingCase:
        rng = self.rng
        team = rng.randrange(len(self.policies))
        self.next_case += 1
        returning = rng.random() < 0.5
        return WaitingCase(
            case_id=self.next_case,
            team=team,
            channel=rng.choice(CHANNELS),
            waiting_since=_T0 + timedelta(seconds=self.next_case),
            priority=rng.choice(list(Priority)),
            urgency=rng.random(),
            language=rng.choice(LANGUAGES),
            products=frozenset({rng.choice(PRODUCTS)}),
            last_agent_id=rng.randrange(team, len(self.agents), len(self.policies)) if returning else None,
        )

    def resolve_one(self) -> int:
        """Close a random open case; returns its agent."""
        index = self.rng.randrange(len(self.open_ids))
        self.open_ids[index], self.open_ids[-1] = self.open_ids[-1], self.open_ids[index]
        return self.open.pop(self.open_ids.pop())

    def status_change(self) -> tuple[int, AgentStatus]:
        return self.rng.randrange(len(self.agents)), self.rng.choice(list(AgentStatus))


class _Naive:
    """Scan-everything baseline: agents and open cases as plain lists, loads counted per decision."""

    def __init__(self, world: _World) -> None:
        self.agents = [replace(agent, load=0) for agent in world.agents]  # loads come from the cases
        self.cases = world.open  # shared: the world records every assignment and resolution
        self.policies = {policy.team: policy for policy in world.policies}
        self.rr_last: dict[int, int | None] = dict.fromkeys(self.policies)

    def assign(self, case: WaitingCase) -> AssignmentDecision:
        loads = Counter(self.cases.values())
        team = [replace(a, load=loads[a.id]) for a in self.agents if a.team == case.team]
        decision = choose_agent(case, self.policies[case.team], team, self.rr_last[case.team])
        if decision.agent_id is not None and decision.strategy is Strategy.ROUND_ROBIN:
            self.rr_last[case.team] = decision.agent_id
        return decision


class _ScanAgents:
    """A fairer baseline: loads kept up to date, but every decision scans all agents for the team."""

    def __init__(self, world: _World) -> None:
        self.agents = list(world.agents)
        self.policies = {policy.team: policy for policy in world.policies}
        self.rr_last: dict[int, int | None] = dict.fromkeys(self.policies)

    def assign(self, case: WaitingCase) -> AssignmentDecision:
        team = [agent for agent in self.agents if agent.team == case.team]
        decision = choose_agent(case, self.policies[case.team], team, self.rr_last[case.team])
        if decision.agent_id is not None:
            agent = self.agents[decision.agent_id]
            self.agents[decision.agent_id] = replace(agent, load=agent.load + 1)
            if decision.strategy is Strategy.ROUND_ROBIN:
                self.rr_last[case.team] = decision.agent_id
        return decision

    def release(self, agent_id: int) -> None:
        agent = self.agents[agent_id]
        self.agents[agent_id] = replace(agent, load=max(0, agent.load - 1))


def _figures(samples_ns: list[int]) -> dict[str, float]:
    return {
        "decisions_per_s": round(len(samples_ns) / (sum(samples_ns) / 1e9), 1),
        "p50_us": round(statistics.median(samples_ns) / 1000, 2),
        "p99_us": round(_percentile(samples_ns, 0.99), 2),
    }


def _percentile(samples_ns: list[int], fraction: float) -> float:
    ordered = sorted(samples_ns)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1000


def run(
    agents: int = 1000,
    teams: int = 20,
    open_cases: int = 100_000,
    decisions: int = 50_000,
    baseline_decisions: int = 300,
    seed: int = 7,
) -> dict[str, Any]:
    world = _World(agents, teams, open_cases, seed)
    naive = _Naive(world)
    fast = TeamRoster(world.policies)
    build_start = time.perf_counter()
    for agent in world.agents:
        fast.add_agent(agent)
    build_s = time.perf_counter() - build_start

    scan = _ScanAgents(world)
    scan_decisions = min(decisions, 10 * baseline_decisions)
    fast_ns: list[int] = []
    naive_ns: list[int] = []
    scan_ns: list[int] = []
    queued = 0
    clock = time.perf_counter_ns
    for step in range(decisions):
        lockstep = step < baseline_decisions
        case = world.new_case()
        started = clock()
        decision = fast.assign(case)
        fast_ns.append(clock() - started)
        queued += decision.queued
        if lockstep:
            started = clock()
            expected = naive.assign(case)
            naive_ns.append(clock() - started)
            if expected != decision:
                raise AssertionError(f"roster and baseline disagree at step {step}: {decision} != {expected}")
        if step < scan_decisions:
            started = clock()
            expected = scan.assign(case)
            scan_ns.append(clock() - started)
            if expected != decision:
                raise AssertionError(f"roster and agent scan disagree at step {step}")
        if decision.agent_id is not None:
            world.open[case.case_id] = decision.agent_id
            world.open_ids.append(case.case_id)
        resolved_case_agent = world.resolve_one()
        fast.release(resolved_case_agent)
        scan.release(resolved_case_agent)
        if step % 50 == 0:
            agent_id, status = world.status_change()
            fast.set_status(agent_id, status)
            naive.agents[agent_id] = replace(naive.agents[agent_id], status=status)
            scan.agents[agent_id] = replace(scan.agents[agent_id], status=status)
    roster, naive_scan, agent_scan = _figures(fast_ns), _figures(naive_ns), _figures(scan_ns)
    return {
        "bench": "routing",
        "agents": agents,
        "teams": teams,
        "open_cases": open_cases,
        "decisions": len(fast_ns),
        "decisions_agree": True,  # every lockstep decision matched, or we raised
        "queued_fraction": round(queued / len(fast_ns), 4),
        "roster_build_ms": round(build_s * 1000, 2),
        "roster": roster,
        "naive_scan": {"decisions": len(naive_ns), **naive_scan},
        "agent_scan": {"decisions": len(scan_ns), **agent_scan},
        "ratio_vs_naive_scan": {
            "decisions_per_s": round(roster["decisions_per_s"] / naive_scan["decisions_per_s"], 1),
            "p99_latency": round(naive_scan["p99_us"] / roster["p99_us"], 1),
        },
        "ratio_vs_agent_scan": {
            "decisions_per_s": round(roster["decisions_per_s"] / agent_scan["decisions_per_s"], 1),
            "p99_latency": round(agent_scan["p99_us"] / roster["p99_us"], 1),
        },
    }
