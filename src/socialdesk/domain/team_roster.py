"""TeamRoster: assignment decisions in about O(log n) for many agents, kept up to date incrementally.

It makes exactly the decisions of :func:`socialdesk.domain.assignment.choose_agent` (a property test
checks this) without scanning a team:

* round-robin: a Fenwick tree over roster positions marks the available agents, so "the first available
  agent after position p, wrapping" is two O(log n) descents;
* least-loaded and skills: lazy min-heaps of ``(load, position)``. Every change to an agent bumps its
  version and pushes a fresh entry; stale entries are dropped when they reach the top, and a heap is
  rebuilt when stale entries outnumber live ones. Skills get one heap per distinct case requirement
  (language, channel, products), built on first use from the agents that qualify.

This is an in-memory index, so unlike the rest of the domain it is mutable; it does no I/O. Rebuild it
from storage on start (one ``add_agent`` per agent) and feed it every assignment, release and status
change.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace

from socialdesk.domain.assignment import (
    NO_AGENT,
    NO_QUALIFIED_AGENT,
    Agent,
    AgentStatus,
    AssignmentDecision,
    Requirement,
    Strategy,
    TeamPolicy,
    WaitingCase,
    covers,
    requirement_key,
)

__all__ = ["TeamRoster"]

_Key = Requirement | None  # None: every agent of the team


class _Fenwick:
    """Counts of available agents by roster position; grows by doubling."""

    def __init__(self) -> None:
        self.size = 1
        self.tree = [0, 0]
        self.flags: list[int] = [0]
        self.total = 0

    def _grow(self, needed: int) -> None:
        size = self.size
        while size < needed:
            size *= 2
        flags = self.flags + [0] * (size - self.size)
        self.size, self.flags, self.tree, self.total = size, [0] * size, [0] * (size + 1), 0
        for position, flag in enumerate(flags):
            if flag:
                self.set(position, 1)

    def set(self, position: int, flag: int) -> None:
        if position >= self.size:
            self._grow(position + 1)
        delta = flag - self.flags[position]
        if not delta:
            return
        self.flags[position] = flag
        self.total += delta
        index = position + 1
        while index <= self.size:
            self.tree[index] += delta
            index += index & -index

    def count_before(self, position: int) -> int:
        index, total = min(position, self.size), 0
        while index > 0:
            total += self.tree[index]
            index -= index & -index
        return total

    def kth(self, k: int) -> int:
        """Position of the k-th (1-based) set flag; requires 1 <= k <= total."""
        index, step = 0, 1 << self.size.bit_length()
        while step:
            nxt = index + step
            if nxt <= self.size and self.tree[nxt] < k:
                index = nxt
                k -= self.tree[nxt]
            step >>= 1
        return index  # 1-based index + 1 -> 0-based position

    def next_from(self, position: int) -> int | None:
        """First set position >= ``position``, wrapping to the start; None when none is set."""
        if self.total == 0:
            return None
        before = self.count_before(position)
        return self.kth(before + 1 if before < self.total else 1)


@dataclass(slots=True)
class _Slot:
    agent: Agent
    position: int
    version: int = 0
    pools: list[_Key] = field(default_factory=list)
    removed: bool = False


@dataclass(slots=True)
class _Pool:
    members: set[int] = field(default_factory=set)  # positions
    heap: list[tuple[int, int, int]] = field(default_factory=list)  # (load, position, version)


class _Team:
    def __init__(self, policy: TeamPolicy) -> None:
        self.policy = policy
        self.slots: list[_Slot] = []
        self.available = _Fenwick()
        self.rr_last: int | None = None  # position of the last round-robin pick
        self.pools: dict[_Key, _Pool] = {}

    def pool(self, key: _Key) -> _Pool:
        found = self.pools.get(key)
        if found is None:
            found = _Pool()
            for slot in self.slots:
                if not slot.removed and (key is None or covers(slot.agent.skills, key)):
                    found.members.add(slot.position)
                    slot.pools.append(key)
                    if slot.agent.available:
                        found.heap.append((slot.agent.load, slot.position, slot.version))
            heapq.heapify(found.heap)
            self.pools[key] = found
        return found

    def least_loaded(self, pool: _Pool) -> _Slot | None:
        heap = pool.heap
        while heap:
            _, position, version = heap[0]
            slot = self.slots[position]
            if slot.version == version and slot.agent.available:
                return slot
            heapq.heappop(heap)
        return None

    def refresh(self, slot: _Slot) -> None:
        """Re-index one agent after any change to it."""
        slot.version += 1
        live = slot.agent.available and not slot.removed
        self.available.set(slot.position, int(live))
        if not live:
            return
        entry = (slot.agent.load, slot.position, slot.version)
        for key in slot.pools:
            pool = self.pools[key]
            heapq.heappush(pool.heap, entry)
            if len(pool.heap) > 2 * len(pool.members) + 32:
                self._rebuild(pool)

    def _rebuild(self, pool: _Pool) -> None:
        pool.heap = [
            (slot.agent.load, slot.position, slot.version)
            for slot in (self.slots[position] for position in pool.members)
            if slot.agent.available and not slot.removed
        ]
        heapq.heapify(pool.heap)


class TeamRoster:
    """All teams' agents, indexed for fast assignment. Agent ids are unique across teams."""

    def __init__(self, policies: list[TeamPolicy] | tuple[TeamPolicy, ...] = ()) -> None:
        self._teams: dict[int, _Team] = {}
        self._slots: dict[int, tuple[_Team, _Slot]] = {}
        for policy in policies:
            self.set_policy(policy)

    # --- configuration ---------------------------------------------------------------------------

    def set_policy(self, policy: TeamPolicy) -> None:
        team = self._teams.get(policy.team)
        if team is None:
            self._teams[policy.team] = _Team(policy)
        else:
            team.policy = policy

    def add_agent(self, agent: Agent) -> None:
        """Append an agent to its team's roster (the team's policy must be set first)."""
        if agent.id in self._slots:
            raise ValueError(f"agent {agent.id} is already on the roster")
        team = self._teams.get(agent.team)
        if team is None:
            raise ValueError(f"no policy for team {agent.team}; call set_policy first")
        slot = _Slot(agent, position=len(team.slots))
        team.slots.append(slot)
        self._slots[agent.id] = (team, slot)
        for key, pool in team.pools.items():
            if key is None or covers(agent.skills, key):
                pool.members.add(slot.position)
                slot.pools.append(key)
        team.refresh(slot)

    def remove_agent(self, agent_id: int) -> None:
        team, slot = self._slots.pop(agent_id)
        slot.removed = True
        for key in slot.pools:
            team.pools[key].members.discard(slot.position)
        if team.rr_last == slot.position:
            team.rr_last = None  # as choose_agent does when the last agent is gone: start over
        team.refresh(slot)

    # --- agent state -----------------------------------------------------------------------------

    def agent(self, agent_id: int) -> Agent:
        return self._slots[agent_id][1].agent

    def agents(self, team_id: int) -> list[Agent]:
        """The team's agents in roster order (removed agents left out)."""
        return [slot.agent for slot in self._teams[team_id].slots if not slot.removed]

    def _update(self, agent: Agent) -> Agent:
        team, slot = self._slots[agent.id]
        slot.agent = agent
        team.refresh(slot)
        return agent

    def set_status(self, agent_id: int, status: AgentStatus) -> Agent:
        return self._update(replace(self.agent(agent_id), status=status))

    def set_capacity(self, agent_id: int, capacity: int) -> Agent:
        return self._update(replace(self.agent(agent_id), capacity=capacity))

    def take(self, agent_id: int) -> Agent:
        """One more open case for the agent (also used when an agent pulls from the queue)."""
        agent = self.agent(agent_id)
        return self._update(replace(agent, load=agent.load + 1))

    def release(self, agent_id: int) -> Agent:
        """One open case fewer (resolved, reassigned away, or closed)."""
        agent = self.agent(agent_id)
        return self._update(replace(agent, load=max(0, agent.load - 1)))

    # --- decisions -------------------------------------------------------------------------------

    def decide(self, case: WaitingCase) -> AssignmentDecision:
        """The decision :func:`choose_agent` would make, without changing anything."""
        team = self._teams.get(case.team)
        if team is None:
            raise ValueError(f"no policy for team {case.team}")
        strategy = team.policy.strategy
        if strategy is Strategy.STICKY:
            sticky = self._slots.get(case.last_agent_id) if case.last_agent_id is not None else None
            if sticky is not None and sticky[0] is team and sticky[1].agent.available:
                agent_id = sticky[1].agent.id
                return AssignmentDecision(
                    case.case_id, case.team, agent_id, strategy, f"sticky: agent {agent_id}"
                )
            strategy = team.policy.fallback
        if strategy is Strategy.ROUND_ROBIN:
            start = 0 if team.rr_last is None else team.rr_last + 1
            position = team.available.next_from(start)
            slot = None if position is None else team.slots[position]
            return _decision(case, slot, strategy, NO_AGENT)
        if strategy is Strategy.SKILLS:
            slot = team.least_loaded(team.pool(requirement_key(case)))
            return _decision(case, slot, strategy, NO_QUALIFIED_AGENT)
        return _decision(case, team.least_loaded(team.pool(None)), strategy, NO_AGENT)

    def assign(self, case: WaitingCase) -> AssignmentDecision:
        """Decide, and when an agent is chosen count the case against them."""
        decision = self.decide(case)
        if decision.agent_id is not None:
            team, slot = self._slots[decision.agent_id]
            if decision.strategy is Strategy.ROUND_ROBIN:
                team.rr_last = slot.position
            self.take(decision.agent_id)
        return decision

    def resume_round_robin(self, team_id: int, agent_id: int | None) -> None:
        """Continue the team's round robin after ``agent_id`` (a stored pointer). An agent who is not on
        the team's roster starts it over, as :func:`choose_agent` does."""
        team = self._teams[team_id]
        found = self._slots.get(agent_id) if agent_id is not None else None
        team.rr_last = found[1].position if found is not None and found[0] is team else None

    def __contains__(self, agent_id: object) -> bool:
        return agent_id in self._slots

    def rr_last_agent_id(self, team_id: int) -> int | None:
        """Who got the team's previous round-robin case (what :func:`choose_agent` is given)."""
        team = self._teams[team_id]
        return None if team.rr_last is None else team.slots[team.rr_last].agent.id


def _decision(case: WaitingCase, slot: _Slot | None, strategy: Strategy, waiting: str) -> AssignmentDecision:
    if slot is None:
        return AssignmentDecision(case.case_id, case.team, None, strategy, waiting)
    agent_id = slot.agent.id
    return AssignmentDecision(case.case_id, case.team, agent_id, strategy, f"{strategy}: agent {agent_id}")
