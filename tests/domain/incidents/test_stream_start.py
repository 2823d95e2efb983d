"""The detector on streams it has not seen: any start time, any background rate, short streams,
midnight and weekday boundaries, bursts of varied shape and wording, and decoys."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.domain.incidents.streams import (
    background,
    campaign,
    launch,
    one_customer,
    replay,
    viral_joke,
)

from socialdesk.domain.incidents.baseline import SeasonalRate
from socialdesk.domain.incidents.detector import DetectorPost

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)
TOPICS = ("order", "refund", "delivery", "password", "invoice", "card", "parcel", "account", "payment")
OUTAGE = (
    "internet is down in Leeds",
    "no wifi in leeds since 9, anyone else?",
    "broadband outage in #Leeds again",
    "Leeds: connection keeps dropping, is it an outage",
    "whole street in Leeds offline, fix it",
)


def _reported_stream(start: datetime) -> list[object]:
    """The stream of tests/actions/test_incident_watch.py: 2 hours of '@AcmeCares my X is broken' at 3
    a minute, every post a report naming the brand, and 30 Leeds reports from minute 60."""
    import random

    from socialdesk.domain.incidents.detector import DetectorPost

    topics = ("order", "refund", "delivery", "password", "invoice", "card", "parcel", "account", "payment")
    rng = random.Random(1)
    out, at = [], 0.0
    while at < 120:
        at += rng.expovariate(3.0)
        a, b = rng.sample(topics, 2)
        text = f"@AcmeCares my {a} is broken and the {b} too"
        out.append(
            DetectorPost(f"bg{len(out)}", f"x:c{rng.randint(1, 5000)}", text, start + timedelta(minutes=at))
        )
    for k in range(30):
        text = f"@AcmeCares {OUTAGE[k % 5]}"
        out.append(DetectorPost(f"b{k}", f"x:b{k}", text, start + timedelta(minutes=60 + k)))
    return out


@pytest.mark.parametrize("hh_mm", ["09:00", "20:55", "21:30", "23:55", "07:59", "00:05", "13:50"])
def test_a_stream_starting_just_before_the_hour_raises_no_workspace_incident(hh_mm: str) -> None:
    # The reported false alarm: from 20:55 the 5 minutes of hour 20 were folded as a whole hour
    # (15 reports / 60 min), so hour 21 expected a quarter of the real rate and `w:acmecares`, in every
    # report, fired at 21:04 with all 402 posts.
    h, m = map(int, hh_mm.split(":"))
    found = replay(_reported_stream(MONDAY.replace(hour=h, minute=m)))  # type: ignore[arg-type]
    assert [(i.key, len(i.members)) for i in found] == [("w:leeds", 30)]


def test_a_partial_first_hour_is_measured_over_the_minutes_watched() -> None:
    rate = SeasonalRate(prior_rate=1.0, smoothing=0.3)
    start = MONDAY.replace(hour=20, minute=30)
    rate.advance(start)
    for k in range(90):  # 3 a minute for the 30 minutes of hour 20 watched
        rate.count(start + timedelta(seconds=20 * k))
    rate.advance(MONDAY.replace(hour=21, minute=1))
    # 90 reports over the 30 minutes watched (not 60), raised by 1.5 standard deviations of the count
    assert rate.expected_rate(MONDAY.replace(hour=21, minute=1)) == pytest.approx((90 + 1.5 * 90**0.5) / 30)


def test_a_first_hour_watched_under_ten_minutes_is_not_folded() -> None:
    rate = SeasonalRate(prior_rate=1.0, smoothing=0.3)
    start = MONDAY.replace(hour=20, minute=55)
    rate.advance(start)
    for k in range(15):
        rate.count(start + timedelta(seconds=20 * k))
    rate.advance(MONDAY.replace(hour=21, minute=2))
    assert rate.week == {}  # 5 minutes: too short to be the hour's figure
    # 15 reports over at least 10 minutes, raised by 1.5 standard deviations of the count
    assert rate.expected_rate(MONDAY.replace(hour=21, minute=2)) == pytest.approx((15 + 1.5 * 15**0.5) / 10)


@pytest.mark.parametrize(
    "start", [MONDAY.replace(hour=22, minute=40) + timedelta(days=6), MONDAY.replace(hour=23)]
)
def test_background_across_midnight_and_the_week_boundary_raises_nothing(start: datetime) -> None:
    # Sunday 22:40 to Monday 02:40 crosses midnight and the start of the week (hour-of-week 0).
    assert replay(background(start, 240, 3.0, 5) + background(start, 240, 0.5, 6)) == []


def test_background_at_twenty_a_minute_raises_nothing() -> None:
    assert replay(background(MONDAY.replace(hour=14, minute=7), 120, 20.0, 3)) == []


def test_decoys_raise_nothing_over_background() -> None:
    start = MONDAY.replace(hour=10, minute=23)
    posts = background(start, 300, 2.0, 11)
    posts += one_customer(start + timedelta(minutes=70), 20)
    posts += viral_joke(start + timedelta(minutes=120), 80)
    posts += launch(start + timedelta(minutes=170), 60)
    posts += campaign(start + timedelta(minutes=220), 80)
    assert replay(posts) == []


def _brand_background(start: datetime, minutes: float, per_minute: float, seed: int) -> list[DetectorPost]:
    """Every post a report naming the brand (the workspace-level key), at any rate."""
    rng = random.Random(seed)
    out: list[DetectorPost] = []
    at = rng.expovariate(per_minute)
    while at < minutes:
        a, b = rng.sample(TOPICS, 2)
        text = f"@AcmeCares my {a} is broken and the {b} too"
        out.append(
            DetectorPost(f"bg{len(out)}", f"x:c{rng.randint(1, 50000)}", text, start + timedelta(minutes=at))
        )
        at += rng.expovariate(per_minute)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minute_of_week=st.integers(0, 7 * 24 * 60 - 1),
    per_minute=st.sampled_from((0.2, 0.5, 1.0, 3.0, 8.0, 20.0)),
    hours=st.sampled_from((1, 2, 4)),
    seed=st.integers(0, 1000),
)
def test_the_brand_in_every_report_never_fires_whatever_the_start_time_and_rate(  # the reported bug
    minute_of_week: int, per_minute: float, hours: int, seed: int
) -> None:
    start = MONDAY + timedelta(minutes=minute_of_week)
    found = replay(_brand_background(start, hours * 60, per_minute, seed))
    # The workspace-level key (in every report) measures the rate itself: it must never fire, even
    # when a short first hour happened to be quiet (rates are raised by their uncertainty).
    assert [i.key for i in found if i.key == "w:acmecares"] == []


def test_a_quiet_first_half_hour_does_not_make_the_brand_fire_when_the_rate_returns() -> None:
    # Found by the property test above: from Monday 01:34 at 1 a minute, the 26 minutes of hour 1 held
    # 13 reports (0.52 a minute) and the next half hour 38, so `w:acmecares` fired at 02:28; a rate
    # measured from few reports is now raised by its uncertainty (baseline.cautious_rate).
    found = replay(_brand_background(MONDAY + timedelta(minutes=94), 60, 1.0, 94))
    assert [i.key for i in found] == []
