from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.assignment import (
    Agent,
    AgentStatus,
    Skills,
    Strategy,
    TeamPolicy,
    WaitingCase,
    choose_agent,
    pull_next,
)
from socialdesk.domain.routing import Priority
from socialdesk.domain.team_roster import TeamRoster

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
ONLINE, AWAY, OFFLINE = AgentStatus.ONLINE, AgentStatus.AWAY, AgentStatus.OFFLINE


def case(case_id: int = 1, team: int = 1, channel: str = "x", **kw: object) -> WaitingCase:
    return WaitingCase(case_id, team, channel, T0 + timedelta(minutes=case_id), **kw)  # type: ignore[arg-type]


def roster(strategy: Strategy, agents: list[Agent], fallback: Strategy = Strategy.LEAST_LOADED) -> TeamRoster:
    result = TeamRoster([TeamPolicy(1, strategy, fallback)])
    for agent in agents:
        result.add_agent(agent)
    return result


def test_round_robin_cycles_over_available_agents() -> None:
    agents = [Agent(1, 1, ONLINE, 5), Agent(2, 1, AWAY, 5), Agent(3, 1, ONLINE, 5), Agent(4, 1, ONLINE, 0)]
    team = roster(Strategy.ROUND_ROBIN, agents)
    assert [team.assign(case(i)).agent_id for i in range(5)] == [1, 3, 1, 3, 1]


def test_least_loaded_respects_capacity_and_ties_follow_roster_order() -> None:
    agents = [Agent(1, 1, ONLINE, 2, load=1), Agent(2, 1, ONLINE, 3, load=1), Agent(3, 1, ONLINE, 1, load=1)]
    team = roster(Strategy.LEAST_LOADED, agents)
    assert [team.assign(case(i)).agent_id for i in range(4)] == [1, 2, 2, None]
    assert team.decide(case(9)).queued
    team.release(3)
    assert team.assign(case(10)).agent_id == 3


def test_only_online_agents_get_cases_else_the_case_waits() -> None:
    team = roster(Strategy.LEAST_LOADED, [Agent(1, 1, AWAY, 5), Agent(2, 1, OFFLINE, 5)])
    decision = team.assign(case())
    assert decision.queued
    assert decision.reason == "no online agent under capacity"
    team.set_status(2, ONLINE)
    assert team.assign(case(2)).agent_id == 2


def test_skills_based() -> None:
    agents = [
        Agent(1, 1, ONLINE, 9, load=0, skills=Skills(languages=frozenset({"en"}))),
        Agent(2, 1, ONLINE, 9, load=3, skills=Skills(languages=frozenset({"en", "es"}))),
        Agent(
            3,
            1,
            ONLINE,
            9,
            load=1,
            skills=Skills(frozenset({"es"}), frozenset({"billing"}), frozenset({"x"})),
        ),
    ]
    team = roster(Strategy.SKILLS, agents)
    assert team.decide(case(language="es")).agent_id == 3
    assert team.decide(case(language="es", channel="email")).agent_id == 2  # 3 does not do email
    assert team.decide(case(language="es", products=frozenset({"app"}))).agent_id == 2
    assert team.decide(case(language="en")).agent_id == 1
    waiting = team.decide(case(language="ja"))
    assert waiting.queued
    assert "qualified" in waiting.reason


def test_sticky_prefers_the_last_agent_then_falls_back() -> None:
    agents = [Agent(1, 1, ONLINE, 9, load=0), Agent(2, 1, ONLINE, 9, load=5), Agent(3, 1, ONLINE, 5, load=5)]
    team = roster(Strategy.STICKY, agents)
    decision = team.assign(case(last_agent_id=2))
    assert (decision.agent_id, decision.strategy) == (2, Strategy.STICKY)
    fallback = team.assign(case(2, last_agent_id=3))  # 3 is at capacity
    assert (fallback.agent_id, fallback.strategy) == (1, Strategy.LEAST_LOADED)
    assert team.decide(case(3, last_agent_id=99)).agent_id == 1


def test_pull_next_orders_by_priority_urgency_then_waiting_time() -> None:
    agent = Agent(1, 1, ONLINE, 5, skills=Skills(languages=frozenset({"en"})))
    queue = [
        case(1, urgency=0.9),
        case(2, priority=Priority.HIGH, urgency=0.1),
        case(3, priority=Priority.HIGH, urgency=0.5),
        case(4, priority=Priority.HIGH, urgency=0.5),
        case(5, priority=Priority.URGENT, language="fr"),  # agent lacks French
        case(6, team=2, priority=Priority.URGENT),  # other team
    ]
    assert pull_next(queue, agent) == queue[2]
    assert pull_next(queue[:2], agent) == queue[1]
    assert pull_next(queue, Agent(1, 1, AWAY, 5)) is None
    assert pull_next([], agent) is None


def test_policy_and_roster_validation() -> None:
    with pytest.raises(ValueError, match="non-sticky fallback"):
        TeamPolicy(1, Strategy.STICKY, Strategy.STICKY)
    team = roster(Strategy.LEAST_LOADED, [Agent(1, 1, ONLINE, 1)])
    with pytest.raises(ValueError, match="already"):
        team.add_agent(Agent(1, 1, ONLINE, 1))
    with pytest.raises(ValueError, match="no policy"):
        team.add_agent(Agent(2, 5, ONLINE, 1))
    with pytest.raises(ValueError, match="belongs to team"):
        choose_agent(case(team=2), TeamPolicy(1, Strategy.LEAST_LOADED), [])


# --- the indexed roster decides exactly like the scanning reference ---------------------------------

LANGS = ("en", "es", "fr", None)
CHANNELS = ("x", "email", "bluesky")
PRODUCTS = ("app", "billing", "delivery")


@st.composite
def agents_st(draw: st.DrawFn, agent_id: int) -> Agent:
    subsets = st.frozensets
    return Agent(
        agent_id,
        1,
        draw(st.sampled_from(list(AgentStatus))),
        draw(st.integers(0, 4)),
        draw(st.integers(0, 4)),
        Skills(
            draw(subsets(st.sampled_from(LANGS[:3]), max_size=2)),
            draw(subsets(st.sampled_from(PRODUCTS), max_size=2)),
            draw(subsets(st.sampled_from(CHANNELS), max_size=2)),
        ),
    )


operations = st.one_of(
    st.tuples(
        st.just("assign"),
        st.sampled_from(LANGS),
        st.sampled_from(CHANNELS),
        st.frozensets(st.sampled_from(PRODUCTS), max_size=2),
        st.integers(0, 12),
    ),
    st.tuples(st.just("release"), st.integers(0, 11)),
    st.tuples(st.just("status"), st.integers(0, 11), st.sampled_from(list(AgentStatus))),
    st.tuples(st.just("capacity"), st.integers(0, 11), st.integers(0, 5)),
    st.tuples(st.just("add"), st.integers(0, 11)),
    st.tuples(st.just("remove"), st.integers(0, 11)),
)


@settings(max_examples=150, deadline=None)
@given(
    strategy=st.sampled_from(list(Strategy)),
    fallback=st.sampled_from([Strategy.ROUND_ROBIN, Strategy.LEAST_LOADED, Strategy.SKILLS]),
    initial=st.integers(0, 8).flatmap(lambda n: st.tuples(*[agents_st(i) for i in range(n)])),
    ops=st.lists(operations, max_size=60),
    data=st.data(),
)
def test_roster_matches_reference(
    strategy: Strategy,
    fallback: Strategy,
    initial: tuple[Agent, ...],
    ops: list[tuple[Any, ...]],
    data: st.DataObject,
) -> None:
    policy = TeamPolicy(1, strategy, fallback)
    fast = roster(strategy, list(initial), fallback)
    model = list(initial)  # the reference's own state, in roster order
    rr_last: int | None = None
    next_id = len(initial)
    for step, op in enumerate(ops):
        kind = op[0]
        if kind == "assign":
            _, language, channel, products, last = op
            waiting = case(step, language=language, channel=channel, products=products, last_agent_id=last)
            expected = choose_agent(waiting, policy, model, rr_last)
            assert fast.assign(waiting) == expected
            if expected.agent_id is not None:
                index = [agent.id for agent in model].index(expected.agent_id)
                model[index] = replace(model[index], load=model[index].load + 1)
                if expected.strategy is Strategy.ROUND_ROBIN:
                    rr_last = expected.agent_id
        elif kind == "add":
            agent = data.draw(agents_st(next_id))
            next_id += 1
            fast.add_agent(agent)
            model.append(agent)
        elif model:
            index = int(op[1]) % len(model)
            agent = model[index]
            if kind == "release":
                fast.release(agent.id)
                model[index] = replace(agent, load=max(0, agent.load - 1))
            elif kind == "status":
                fast.set_status(agent.id, op[2])
                model[index] = replace(agent, status=op[2])
            elif kind == "capacity":
                fast.set_capacity(agent.id, op[2])
                model[index] = replace(agent, capacity=op[2])
            else:
                fast.remove_agent(agent.id)
                del model[index]
    assert fast.agents(1) == model


def test_long_random_run_matches_reference() -> None:
    """Many updates per agent, so the heaps go through their compaction too."""
    import random

    rng = random.Random(5)
    for strategy in Strategy:
        policy = TeamPolicy(1, strategy)
        model = [
            Agent(
                i,
                1,
                rng.choice(list(AgentStatus)),
                rng.randint(1, 6),
                0,
                Skills(frozenset(rng.sample(LANGS[:3], 2))),
            )
            for i in range(30)
        ]
        fast = roster(strategy, model)
        rr_last: int | None = None
        for step in range(3000):
            index = rng.randrange(len(model))
            if rng.random() < 0.1:
                status = rng.choice(list(AgentStatus))
                fast.set_status(model[index].id, status)
                model[index] = replace(model[index], status=status)
            elif rng.random() < 0.5:
                fast.release(model[index].id)
                model[index] = replace(model[index], load=max(0, model[index].load - 1))
            waiting = case(step, language=rng.choice(LANGS), last_agent_id=rng.randrange(40))
            expected = choose_agent(waiting, policy, model, rr_last)
            assert fast.assign(waiting) == expected
            if expected.agent_id is not None:
                chosen = [a.id for a in model].index(expected.agent_id)
                model[chosen] = replace(model[chosen], load=model[chosen].load + 1)
                if expected.strategy is Strategy.ROUND_ROBIN:
                    rr_last = expected.agent_id
