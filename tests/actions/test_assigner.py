"""The batch `Assigner` (indexed rosters) makes exactly the decisions of a plain scan with `choose_agent`.

Agents may belong to several teams; a case taken in one team must count against them in the others,
and the stored round-robin pointer must be picked up where it was left.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.actions.care.routing import Assigner
from socialdesk.domain.assignment import (
    Agent,
    AgentStatus,
    Skills,
    Strategy,
    TeamPolicy,
    WaitingCase,
    choose_agent,
)
from socialdesk.domain.people import Role, Team, User

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WS = 1
LANGS = ("en", "fr", "de")


@dataclass
class FakeTeams:
    teams: list[Team]
    roster: dict[int, list[int]]

    def list(self, workspace_id: int) -> list[Team]:
        return self.teams

    def members(self, workspace_id: int) -> dict[int, list[int]]:
        return self.roster


@dataclass
class FakeUsers:
    users: list[User]

    def list(self, workspace_id: int) -> list[User]:
        return self.users


@dataclass
class FakeCare:
    open_cases: dict[int, int]

    def loads(self, workspace_id: int) -> dict[int, int]:
        return dict(self.open_cases)


@dataclass
class FakeUow:
    teams: FakeTeams
    users: FakeUsers
    care: FakeCare
    saved: list[Team] = field(default_factory=list)


class ScanAssigner:
    """The reference: every decision scans the team's agents with `choose_agent`."""

    def __init__(
        self, teams: list[Team], members: dict[int, list[int]], users: list[User], loads: dict[int, int]
    ):
        self.teams = {t.id: t for t in teams}
        self.members, self.users, self.loads = members, {u.id: u for u in users}, dict(loads)

    def choose(self, case: WaitingCase, exclude: int | None = None) -> int | None:
        team = self.teams[case.team]
        agents = []
        for user_id in self.members.get(team.id, ()):
            u = self.users[user_id]
            status = u.status if u.is_active else AgentStatus.OFFLINE
            agents.append(Agent(u.id, team.id, status, u.capacity, self.loads.get(u.id, 0), u.skills))
        agents = [a for a in agents if a.id != exclude]
        decision = choose_agent(
            case, TeamPolicy(team.id, team.strategy, team.fallback), agents, team.rr_last_agent_id
        )
        if decision.agent_id is not None:
            self.loads[decision.agent_id] = self.loads.get(decision.agent_id, 0) + 1
            if decision.strategy is Strategy.ROUND_ROBIN:
                self.teams[team.id] = replace(team, rr_last_agent_id=decision.agent_id)
        return decision.agent_id


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Team], dict[int, list[int]], list[User], dict[int, int]]:
    user_count = draw(st.integers(1, 8))
    users = [
        User(
            id=uid,
            workspace_id=WS,
            email=f"u{uid}@x.io",
            name=f"U {uid}",
            role=Role.AGENT,
            is_active=draw(st.booleans()) or draw(st.booleans()),
            status=draw(st.sampled_from([AgentStatus.ONLINE, AgentStatus.ONLINE, *AgentStatus])),
            capacity=draw(st.integers(0, 6)),
            skills=Skills(languages=frozenset(draw(st.sets(st.sampled_from(LANGS), max_size=2)))),
        )
        for uid in range(1, user_count + 1)
    ]
    teams, members = [], {}
    for tid in range(1, draw(st.integers(1, 3)) + 1):
        ids = draw(st.lists(st.integers(1, user_count), unique=True, max_size=user_count))
        members[tid] = ids
        strategy = draw(st.sampled_from(list(Strategy)))
        fallback = draw(st.sampled_from([s for s in Strategy if s is not Strategy.STICKY]))
        last = draw(st.one_of(st.none(), st.integers(1, user_count + 1)))
        teams.append(Team(tid, WS, f"team {tid}", strategy, fallback, rr_last_agent_id=last))
    loads = {uid: draw(st.integers(0, 2)) for uid in range(1, user_count + 1)}
    return teams, members, users, loads


@settings(derandomize=True, max_examples=300, deadline=None)
@given(worlds(), st.data())
def test_rosters_decide_like_a_scan(world: Any, data: st.DataObject) -> None:
    teams, members, users, loads = world
    uow = FakeUow(FakeTeams(teams, members), FakeUsers(users), FakeCare(loads))
    fast = Assigner(uow, WS)  # type: ignore[arg-type]
    slow = ScanAssigner(teams, members, users, loads)
    for number in range(data.draw(st.integers(1, 20))):
        case = WaitingCase(
            case_id=number,
            team=data.draw(st.sampled_from([t.id for t in teams])),
            channel="x",
            waiting_since=T0,
            language=data.draw(st.sampled_from((None, *LANGS))),
            last_agent_id=data.draw(st.one_of(st.none(), st.integers(1, len(users)))),
        )
        exclude = data.draw(st.one_of(st.none(), st.integers(1, len(users)))) if number % 4 == 3 else None
        assert fast.choose(case, exclude) == slow.choose(case, exclude)
    assert fast.loads == slow.loads
    assert {t.id: t.rr_last_agent_id for t in fast.teams.values()} == {
        t.id: t.rr_last_agent_id for t in slow.teams.values()
    }
