"""The analytics actions over the hand-built world, on SQLite (the repository contract adds PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.actions.analytics.figures import (
    MAX_BUCKETS,
    ResponseFigures,
    Span,
    get_equity,
    get_now_figures,
    get_trends,
    parse_span,
)
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.errors import ValidationFailed
from tests.analytics.world import HOSTILE_MONITOR, NOW, World, at, build_world
from tests.conftest import T0
from tests.support.sqlite_copies import SqliteStore


@pytest.fixture
def store(sqlite_store: SqliteStore) -> SqliteStore:
    return sqlite_store


@pytest.fixture
def world(store: SqliteStore, clock: FixedClock) -> World:
    return build_world(store.unit_of_work, clock)


def test_trends(store: SqliteStore, world: World) -> None:
    with store.unit_of_work() as uow:
        trends = get_trends(uow, world.ada, Span(at(0), at(120), "1h"), NOW)
    assert [p.start for p in trends.points] == [at(0), at(60)]
    assert [p.posts for p in trends.points] == [5, 2]
    assert [p.sentiment_mean for p in trends.points] == [0.125, -1.0]  # (-0.5 - 0.25 + 0.5 + 0.75) / 4
    assert (trends.posts, trends.sentiment_mean) == (7, -0.1)
    # Answered after 1800, 300, 120 and 60 s; met in time: p3, p4, p5; missed: p1 (late), p2, p6.
    assert trends.points[0].responses == ResponseFigures(5, 4, 210.0, 1350.0, 3, 2)
    assert trends.points[1].responses == ResponseFigures(2, 0, None, None, 0, 1)
    assert trends.responses == ResponseFigures(7, 4, 210.0, 1350.0, 3, 3)
    assert (trends.points[0].responses.sla_attainment, trends.responses.sla_attainment) == (60.0, 50.0)
    assert [(v.name, v.kind, v.matches, v.share) for v in trends.voice] == [
        ("Acme", "brand", 3, 60.0),
        (HOSTILE_MONITOR, "competitor", 2, 40.0),
    ]


def test_trends_cut_a_range_that_is_not_a_whole_number_of_buckets(store: SqliteStore, world: World) -> None:
    with store.unit_of_work() as uow:
        trends = get_trends(uow, world.ada, Span(at(0), at(70), "1h"), NOW)
    assert [p.posts for p in trends.points] == [5, 1]  # the last bucket is 10 min: p6 only


def test_equity(store: SqliteStore, world: World) -> None:
    with store.unit_of_work() as uow:
        equity = get_equity(uow, world.ada, Span(at(0), at(120), "1d"), NOW)
    stats = {t.key: (t.stats.cases, t.stats.responded, t.stats.median_frt_s) for t in equity.report.tiers}
    assert stats == {
        "under_100": (2, 1, 1800.0),  # p1, p7
        "100_1k": (1, 0, None),
        "1k_10k": (1, 1, 300.0),
        "10k_100k": (1, 1, 120.0),
        "over_100k": (1, 1, 60.0),
        "unknown": (1, 0, None),
    }
    assert (equity.report.ordinary.response_rate, equity.report.influencer.response_rate) == (33.3, 100.0)
    assert not equity.report.alert  # a gap, but too few cases to call it a habit


def test_now_figures_are_of_the_users_workspace(store: SqliteStore, world: World) -> None:
    with store.unit_of_work() as uow:
        assert get_now_figures(uow, world.ada, NOW, 60).posts_by_monitor["Acme"] == 2
        assert "Acme" not in get_now_figures(uow, world.bob, NOW, 60).posts_by_monitor
        with pytest.raises(ValidationFailed):
            get_now_figures(uow, world.ada, NOW, 0)


def test_parse_span() -> None:
    now = datetime(2026, 1, 5, 9, 30, 15, 500, tzinfo=UTC)
    whole = now.replace(microsecond=0)
    assert parse_span(None, None, now) == Span(whole - timedelta(hours=24), whole)
    assert parse_span(T0, None, now, bucket="5m").bucket_s == 300
    for start, end, bucket in [
        (T0, T0, None),  # empty
        (T0 + timedelta(hours=1), T0, None),  # backwards
        (T0.replace(tzinfo=None), None, None),  # naive
        (T0, None, "2h"),  # unknown bucket
        (T0 - timedelta(minutes=MAX_BUCKETS + 1), T0, "1m"),  # too many buckets
    ]:
        with pytest.raises(ValidationFailed):
            parse_span(start, end, now, bucket=bucket)
