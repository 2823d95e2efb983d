from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.business_hours import (
    BusinessHours,
    OpenInterval,
    add_business_seconds,
    business_seconds_between,
)

NY = "America/New_York"
LONDON = "Europe/London"
HOUR = 3600


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[arg-type,misc]


def local(zone: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)  # type: ignore[arg-type,misc]


OFFICE_NY = BusinessHours.from_spec(NY, {"mon-fri": "09:00-17:00"})
OFFICE_LONDON = BusinessHours.from_spec(LONDON, {"mon-fri": "09:00-17:00"})


# --- add / between across boundaries -------------------------------------------------------------


def test_within_one_day_to_the_second() -> None:
    start = local(NY, 2024, 5, 6, 9, 0, 0)  # Monday
    assert add_business_seconds(start, 1, OFFICE_NY) == local(NY, 2024, 5, 6, 9, 0, 1)
    assert add_business_seconds(start, 8 * HOUR - 1, OFFICE_NY) == local(NY, 2024, 5, 6, 16, 59, 59)


def test_landing_on_closing_time_returns_closing_time() -> None:
    start = local(NY, 2024, 5, 6, 16, 0)
    assert add_business_seconds(start, HOUR, OFFICE_NY) == local(NY, 2024, 5, 6, 17, 0)
    assert add_business_seconds(start, HOUR + 1, OFFICE_NY) == local(NY, 2024, 5, 7, 9, 0, 1)


def test_start_outside_hours_rolls_to_next_opening() -> None:
    start = local(NY, 2024, 5, 6, 20, 15)  # Monday evening
    assert add_business_seconds(start, 90, OFFICE_NY) == local(NY, 2024, 5, 7, 9, 1, 30)
    assert business_seconds_between(start, local(NY, 2024, 5, 7, 8, 59), OFFICE_NY) == 0


def test_weekend_is_skipped() -> None:
    friday = local(NY, 2024, 5, 10, 16, 0)
    assert add_business_seconds(friday, 2 * HOUR, OFFICE_NY) == local(NY, 2024, 5, 13, 10, 0)
    assert business_seconds_between(friday, local(NY, 2024, 5, 13, 10, 0), OFFICE_NY) == 2 * HOUR


def test_holidays_are_skipped() -> None:
    hours = BusinessHours.from_spec(NY, {"mon-fri": "09:00-17:00"}, holidays=[date(2024, 5, 27)])
    friday = local(NY, 2024, 5, 24, 16, 0)  # Memorial Day weekend
    assert add_business_seconds(friday, 2 * HOUR, hours) == local(NY, 2024, 5, 28, 10, 0)
    assert business_seconds_between(friday, local(NY, 2024, 5, 29, 9, 0), hours) == 9 * HOUR


def test_split_shifts_and_lunch_break() -> None:
    hours = BusinessHours.from_spec(LONDON, {"mon-fri": ["09:00-12:00", "13:00-17:30"]})
    start = local(LONDON, 2024, 7, 1, 11, 30)
    assert add_business_seconds(start, HOUR, hours) == local(LONDON, 2024, 7, 1, 13, 30)
    assert business_seconds_between(start, local(LONDON, 2024, 7, 2, 9, 0), hours) == 5 * HOUR


def test_negative_span_and_microseconds() -> None:
    a = local(NY, 2024, 5, 6, 10, 0)
    b = local(NY, 2024, 5, 6, 11, 0)
    assert business_seconds_between(b, a, OFFICE_NY) == -HOUR
    assert business_seconds_between(a, b - timedelta(microseconds=1), OFFICE_NY) == HOUR - 1


# --- DST, both directions, two zones --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "hours_long"),
    [
        (LONDON, date(2024, 3, 31), 23),
        (LONDON, date(2024, 10, 27), 25),
        (NY, date(2024, 3, 10), 23),
        (NY, date(2024, 11, 3), 25),
    ],
)
def test_always_open_counts_real_time_on_dst_days(zone: str, day: date, hours_long: int) -> None:
    hours = BusinessHours.always_open(zone)
    midnight = local(zone, day.year, day.month, day.day)
    next_midnight = local(zone, day.year, day.month, day.day) + timedelta(days=1)
    assert business_seconds_between(midnight, next_midnight, hours) == hours_long * HOUR
    assert add_business_seconds(midnight, hours_long * HOUR, hours) == next_midnight.astimezone(UTC)


def test_office_hours_across_spring_forward_weekend_new_york() -> None:
    friday = local(NY, 2024, 3, 8, 16, 0)  # EST, UTC-5
    deadline = add_business_seconds(friday, 2 * HOUR, OFFICE_NY)
    assert deadline == local(NY, 2024, 3, 11, 10, 0)  # EDT, UTC-4
    assert deadline == utc(2024, 3, 11, 14, 0)
    assert business_seconds_between(friday, deadline, OFFICE_NY) == 2 * HOUR


def test_office_hours_across_fall_back_weekend_london() -> None:
    friday = local(LONDON, 2024, 10, 25, 16, 0)  # BST, UTC+1
    deadline = add_business_seconds(friday, 2 * HOUR, OFFICE_LONDON)
    assert deadline == utc(2024, 10, 28, 10, 0)  # GMT
    assert business_seconds_between(friday, deadline, OFFICE_LONDON) == 2 * HOUR


@pytest.mark.parametrize(
    ("zone", "day", "real_seconds"),
    [
        # 00:30-03:00 with 01:00->02:00 skipped: 1.5 h; with 01:00-02:00 repeated: 3.5 h.
        (LONDON, date(2024, 3, 31), 90 * 60),
        (LONDON, date(2024, 10, 27), 210 * 60),
        # New York changes at 02:00 local.
        (NY, date(2024, 3, 10), 90 * 60),
        (NY, date(2024, 11, 3), 210 * 60),
    ],
)
def test_interval_spanning_the_change(zone: str, day: date, real_seconds: int) -> None:
    hours = BusinessHours.from_spec(zone, {"sun": "00:30-03:00"})
    windows = list(hours.windows_on(day))
    assert len(windows) == 1
    start, end = windows[0]
    assert (end - start).total_seconds() == real_seconds
    assert (
        business_seconds_between(start - timedelta(hours=5), end + timedelta(hours=5), hours) == real_seconds
    )


def test_opening_inside_the_gap_opens_at_the_change() -> None:
    hours = BusinessHours.from_spec(LONDON, {"sun": "01:30-04:00"})
    (start, end), *_ = hours.windows_on(date(2024, 3, 31))
    assert start == utc(2024, 3, 31, 1, 0)  # the change: 01:00 GMT -> 02:00 BST
    assert end == utc(2024, 3, 31, 3, 0)


def test_time_zones_other_than_utc_offsets_by_half_hours() -> None:
    kolkata = BusinessHours.from_spec("Asia/Kolkata", {"mon-sat": "10:00-18:00"})
    start = utc(2024, 5, 6, 3, 0)  # 08:30 IST
    assert add_business_seconds(start, 60, kolkata) == utc(2024, 5, 6, 4, 31)  # 10:01 IST
    # Saturday is open in Kolkata; Sunday is not.
    saturday_evening = local("Asia/Kolkata", 2024, 5, 11, 17, 0)
    assert add_business_seconds(saturday_evening, 2 * HOUR, kolkata) == local("Asia/Kolkata", 2024, 5, 13, 11)


# --- validation -----------------------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_business_seconds(datetime(2024, 1, 1, 9), 10, OFFICE_NY)  # noqa: DTZ001 (naive on purpose: refused)
    with pytest.raises(ValueError, match="naive"):
        business_seconds_between(utc(2024, 1, 1), datetime(2024, 1, 2), OFFICE_NY)  # noqa: DTZ001 (naive on purpose: refused)


def test_outputs_are_utc() -> None:
    result = add_business_seconds(local(NY, 2024, 5, 6, 10), 10, OFFICE_NY)
    assert result.tzinfo is UTC


@pytest.mark.parametrize("text", ["9-17", "09:00", "17:00-09:00", "09:60-10:00", "00:00-24:01"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError, match=r"bad|interval"):
        OpenInterval.parse(text)


def test_schedule_validation() -> None:
    with pytest.raises(ValueError, match="open at least once"):
        BusinessHours.from_spec(NY, {})
    with pytest.raises(ValueError, match="weekday"):
        BusinessHours.from_spec(NY, {"fri-mon": "09:00-17:00"})
    with pytest.raises(KeyError):
        BusinessHours.from_spec("Mars/Olympus", {"mon": "09:00-17:00"})
    with pytest.raises(ValueError, match="seconds must be"):
        add_business_seconds(utc(2024, 1, 1), -1, OFFICE_NY)


def test_overlapping_intervals_merge() -> None:
    hours = BusinessHours.from_spec(NY, {"mon": ["09:00-12:00", "11:00-13:00"]})
    assert hours.weekly[0] == (OpenInterval(9 * HOUR, 13 * HOUR),)


# --- properties -----------------------------------------------------------------------------------

# Anchors next to the 2024 DST changes in both zones, plus a quiet week.
_ANCHORS = [utc(2024, 3, 8), utc(2024, 3, 29), utc(2024, 10, 25), utc(2024, 11, 1), utc(2024, 6, 12)]


@st.composite
def schedules(draw: st.DrawFn) -> BusinessHours:
    zone = draw(st.sampled_from([LONDON, NY, "UTC", "Asia/Kolkata"]))
    # Boundaries avoid (01:00, 02:00): inside a repeated fall-back hour "open at wall time T" has two
    # readings, and the reference below takes the naive one (see the module docs of business_hours).
    minutes = st.integers(0, 24 * 60).filter(lambda m: not 60 < m < 120)
    weekly = []
    for _ in range(7):
        bounds = sorted(set(draw(st.lists(minutes, max_size=4))))
        pairs = [(a * 60, b * 60) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
        weekly.append(tuple(OpenInterval(a, b) for a, b in pairs))
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = (OpenInterval(9 * HOUR, 17 * HOUR),)
    holidays = draw(st.sets(st.dates(date(2024, 3, 5), date(2024, 11, 10)), max_size=3))
    return BusinessHours(zone, tuple(weekly), frozenset(holidays))


def _open_at(moment: datetime, hours: BusinessHours) -> bool:
    wall = moment.astimezone(hours.zone)
    if wall.date() in hours.holidays:
        return False
    seconds = wall.hour * 3600 + wall.minute * 60 + wall.second
    return any(i.start_s <= seconds < i.end_s for i in hours.weekly[wall.weekday()])


def _reference_between(a: datetime, b: datetime, hours: BusinessHours) -> int:
    """Minute by minute: a and b are whole minutes, and so are every boundary and DST change."""
    total = 0
    moment = a
    while moment < b:
        total += 60 if _open_at(moment, hours) else 0
        moment += timedelta(minutes=1)
    return total


@settings(max_examples=60, deadline=None)
@given(
    hours=schedules(),
    anchor=st.sampled_from(_ANCHORS),
    start_min=st.integers(0, 4 * 24 * 60),
    length_min=st.integers(0, 3 * 24 * 60),
)
def test_between_matches_minute_by_minute_reference(
    hours: BusinessHours, anchor: datetime, start_min: int, length_min: int
) -> None:
    a = anchor + timedelta(minutes=start_min)
    b = a + timedelta(minutes=length_min)
    assert business_seconds_between(a, b, hours) == _reference_between(a, b, hours)


@settings(max_examples=200, deadline=None)
@given(
    hours=schedules(),
    anchor=st.sampled_from(_ANCHORS),
    offset_s=st.integers(0, 6 * 24 * 3600),
    seconds=st.integers(0, 5 * 24 * 3600),
)
def test_add_then_between_round_trips_and_is_the_earliest_instant(
    hours: BusinessHours, anchor: datetime, offset_s: int, seconds: int
) -> None:
    start = anchor + timedelta(seconds=offset_s)
    end = add_business_seconds(start, seconds, hours)
    assert end >= start
    assert business_seconds_between(start, end, hours) == seconds
    if seconds > 0:
        # One second earlier, one business second is still missing: the result is exact.
        assert business_seconds_between(start, end - timedelta(seconds=1), hours) == seconds - 1
        assert _open_at(end - timedelta(seconds=1), hours)


@settings(max_examples=40, deadline=None)
@given(
    hours=schedules(), anchor=st.sampled_from(_ANCHORS), start_s=st.integers(0, 86_400), n=st.integers(0, 900)
)
def test_add_matches_second_by_second_reference(
    hours: BusinessHours, anchor: datetime, start_s: int, n: int
) -> None:
    start = anchor + timedelta(seconds=start_s)
    if n == 0:
        assert add_business_seconds(start, 0, hours) == start
        return
    # Walk to the first open second, then count n open seconds one by one.
    moment, counted = start, 0
    while not _open_at(moment, hours):
        moment = _next_boundary(moment, hours)
    while True:
        if _open_at(moment, hours):
            counted += 1
            if counted == n:
                break
            moment += timedelta(seconds=1)
        else:
            moment = _next_boundary(moment, hours)
    assert add_business_seconds(start, n, hours) == moment + timedelta(seconds=1)


def _next_boundary(moment: datetime, hours: BusinessHours) -> datetime:
    """Skip closed time a minute at a time (boundaries are whole minutes), then second by second."""
    step = timedelta(minutes=1) if moment.second == 0 else timedelta(seconds=60 - moment.second)
    return moment + step
