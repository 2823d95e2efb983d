"""The analytics repository: one contract, exact numbers, for SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.domain.clock import FixedClock
from socialdesk.ports.analytics import CaseSample, VoiceCount, VolumeBucket, WaitingConversation
from tests.analytics.world import HOSTILE_MONITOR, NOW, Factory, World, at, build_world


def test_contract(uow_factory: Factory, clock: FixedClock) -> None:
    """One hand-built world per back-end (building it is most of the cost), every figure checked."""
    world = build_world(uow_factory, clock)
    for check in (_now_figures, _now_window, _volume, _case_samples, _share_of_voice, _isolation):
        check(uow_factory, world)


def _now_figures(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        now = uow.analytics.now_figures(world.acme, NOW, 60)
    # Posts from 09:20 (inclusive) to 10:20: p4, p5, p6, p7.
    assert now.posts_by_channel == {"x": 3, "bluesky": 1}
    assert now.posts_per_minute == round(4 / 60, 2)
    assert now.posts_by_monitor == {"Acme": 2, HOSTILE_MONITOR: 1, "Outage": 1}
    assert now.cases_by_status == {"open": 3, "new": 3}  # p5 resolved
    assert now.open_cases == 6
    assert now.queue_by_team == {"billing": 1, "vip": 0}
    assert now.unrouted == 3  # p4 (replied, nobody assigned), p6, p7
    assert now.oldest_waiting == WaitingConversation(world.conversations["p2"], "x", at(5))
    assert now.agents_by_status == {"online": 1, "away": 1, "offline": 1}
    assert now.agents_online == 1
    assert (now.sla_at_risk, now.sla_breached) == (1, 2)  # p7; p2 and p6


def _now_window(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        assert uow.analytics.now_figures(world.acme, at(65), 1).posts_by_channel == {"x": 1}  # p6 at 10:05
        assert uow.analytics.now_figures(world.acme, at(64), 1).posts_by_channel == {}
        assert uow.analytics.now_figures(world.acme, at(20), 10).posts_by_channel == {"mastodon": 1, "x": 1}


def _volume(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        hourly = uow.analytics.volume(world.acme, at(0), at(120), 3600)
        quarter = uow.analytics.volume(world.acme, at(5), at(31), 900)
    assert hourly == [VolumeBucket(0, 5, 4, 0.5), VolumeBucket(1, 2, 1, -1.0)]
    # From 09:05: p2, p3 in the first quarter; p4 in the second (09:20); p5 at 09:30 in the second too.
    assert quarter == [VolumeBucket(0, 2, 1, -0.25), VolumeBucket(1, 2, 2, 1.25)]


def _case_samples(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        samples = uow.analytics.case_samples(world.acme, at(0), at(120), NOW)
        later = uow.analytics.case_samples(world.acme, at(0), at(120), at(70))
        early = uow.analytics.case_samples(world.acme, at(10), at(30), NOW)
    c = world.cases
    assert samples == [
        CaseSample(c["p1"], at(0), 1800.0, 50, False),  # answered after 30 min: breached
        CaseSample(c["p2"], at(5), None, 500, False),  # never answered, past its deadline
        CaseSample(c["p3"], at(10), 300.0, 5_000, True),
        CaseSample(c["p4"], at(20), 120.0, 50_000, True),
        CaseSample(c["p5"], at(30), 60.0, 200_000, True),
        CaseSample(c["p6"], at(65), None, None, False),  # running past 10:15
        CaseSample(c["p7"], at(71), None, 10, None),  # running, still in time
    ]
    assert [s.sla_met for s in later][-2:] == [None, None]  # at 10:10 p6 was in time, p7 not yet open
    assert [s.case_id for s in early] == [c["p3"], c["p4"]]


def _share_of_voice(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        ids = {m.name: m.id for m in uow.monitors.list(world.acme)}
        voice = uow.analytics.share_of_voice(world.acme, at(0), at(120))
        first_quarter = uow.analytics.share_of_voice(world.acme, at(0), at(15))
    assert voice == [
        VoiceCount(ids["Acme"], "Acme", "brand", 3),
        VoiceCount(ids[HOSTILE_MONITOR], HOSTILE_MONITOR, "competitor", 2),
    ]
    assert [v.matches for v in first_quarter] == [1, 1]


def _isolation(uow_factory: Factory, world: World) -> None:
    with uow_factory() as uow:
        now = uow.analytics.now_figures(world.beta, NOW, 60)
        samples = uow.analytics.case_samples(world.beta, at(0), at(120), NOW)
        voice = uow.analytics.share_of_voice(world.beta, at(0), at(120))
        volume = uow.analytics.volume(world.beta, at(0), at(120), 3600)
        empty = uow.analytics.now_figures(world.beta + 100, NOW, 60)
    assert now.posts_by_channel == {"x": 3, "bluesky": 1}
    assert now.posts_by_monitor == {"beta Acme": 2, f"beta {HOSTILE_MONITOR}": 1, "beta Outage": 1}
    assert now.queue_by_team == {"billing": 7}
    assert now.agents_by_status == {"online": 1}
    assert {s.followers for s in samples} == {99}
    assert all(s.first_response_s is None for s in samples)
    assert [v.name for v in voice] == ["beta Acme", f"beta {HOSTILE_MONITOR}"]
    assert volume == [VolumeBucket(0, 5, 5, 0.0), VolumeBucket(1, 2, 2, 0.0)]
    assert (empty.posts_by_channel, empty.cases_by_status, empty.oldest_waiting) == ({}, {}, None)
    assert now.window_minutes == 60 and now.now == NOW
    assert NOW - timedelta(minutes=60) == at(20)
