"""Business hours: a weekly schedule in one time zone, with holidays, and exact arithmetic over it.

All instants going in and out are aware datetimes; results are in UTC. Business time is *real elapsed
time* (seconds of the UTC time line) spent inside open windows, so a 24/7 schedule gives 23 hours on a
spring-forward day and 25 on a fall-back day.

How a local wall-clock time becomes an instant (matters only around DST changes): a wall time ``T`` on
date ``D`` maps to the first instant at which the local clock reads ``D T`` or later. So a time that
does not exist (inside a spring-forward gap) maps to the moment of the change, and a time that occurs
twice (fall-back) maps to its first occurrence. An interval 01:00-02:00 on a fall-back day therefore
lasts two real hours: the clock reads 01:xx during both of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "BusinessHours",
    "OpenInterval",
    "add_business_seconds",
    "business_seconds_between",
    "ensure_utc",
]

DAY_SECONDS = 86_400
_ONE_SECOND = timedelta(seconds=1)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
# Beyond this many local days without an open second we stop looking: the schedule is effectively closed.
_MAX_SCAN_DAYS = 3_700


def ensure_utc(moment: datetime, name: str = "datetime") -> datetime:
    """Return ``moment`` converted to UTC; raise ValueError if it is naive."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {moment.isoformat()})")
    return moment.astimezone(UTC)


def _parse_clock(text: str) -> int:
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"bad time of day {text!r}: expected HH:MM or HH:MM:SS")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    total = hours * 3600 + minutes * 60 + seconds
    if minutes > 59 or seconds > 59 or total > DAY_SECONDS:
        raise ValueError(f"bad time of day {text!r}: must lie within 00:00-24:00")
    return total


@dataclass(frozen=True, order=True, slots=True)
class OpenInterval:
    """An open window within one local day, in seconds after local midnight: ``[start_s, end_s)``."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_s < self.end_s <= DAY_SECONDS:
            raise ValueError(f"open interval must satisfy 0 <= start < end <= 86400, got {self}")

    @classmethod
    def parse(cls, text: str) -> OpenInterval:
        """Parse ``"09:00-17:00"`` (``"24:00"`` is allowed as an end)."""
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f"bad interval {text!r}: expected HH:MM-HH:MM")
        return cls(_parse_clock(start), _parse_clock(end))


def _normalise_day(intervals: Iterable[OpenInterval]) -> tuple[OpenInterval, ...]:
    merged: list[OpenInterval] = []
    for interval in sorted(intervals):
        if merged and interval.start_s <= merged[-1].end_s:
            last = merged.pop()
            interval = OpenInterval(last.start_s, max(last.end_s, interval.end_s))
        merged.append(interval)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """A weekly schedule in an IANA time zone. ``weekly[0]`` is Monday ... ``weekly[6]`` Sunday."""

    timezone: str
    weekly: tuple[tuple[OpenInterval, ...], ...]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly schedule must have 7 days (Monday first)")
        ZoneInfo(self.timezone)  # raises ZoneInfoNotFoundError (a KeyError) for unknown names
        object.__setattr__(self, "weekly", tuple(_normalise_day(day) for day in self.weekly))
        if not any(self.weekly):
            raise ValueError("business hours must be open at least once a week")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances per key

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessHours:
        """24/7: every second counts (holidays can still be added with ``dataclasses.replace``)."""
        whole_day = (OpenInterval(0, DAY_SECONDS),)
        return cls(timezone, (whole_day,) * 7)

    @classmethod
    def from_spec(
        cls,
        timezone: str,
        schedule: Mapping[str, str | Sequence[str]],
        holidays: Iterable[date] = (),
    ) -> BusinessHours:
        """Build from e.g. ``{"mon-fri": "09:00-17:00", "sat": ["10:00-12:00", "13:00-15:00"]}``.

        Keys are weekday names (``mon`` ... ``sun``) or inclusive ranges (``mon-fri``); days not named are
        closed. Values are one interval or a list of them.
        """
        days: list[list[OpenInterval]] = [[] for _ in range(7)]
        for key, value in schedule.items():
            for weekday in _weekday_range(key):
                texts = [value] if isinstance(value, str) else list(value)
                days[weekday].extend(OpenInterval.parse(text) for text in texts)
        return cls(timezone, tuple(tuple(day) for day in days), frozenset(holidays))

    def windows_on(self, local_day: date) -> Iterator[tuple[datetime, datetime]]:
        """The open windows of one local date as UTC ``(start, end)`` pairs, in order."""
        if local_day in self.holidays:
            return
        zone = self.zone
        for interval in self.weekly[local_day.weekday()]:
            start = _wall_to_utc(local_day, interval.start_s, zone)
            end = _wall_to_utc(local_day, interval.end_s, zone)
            if end > start:
                yield start, end

    def windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows (UTC) that end after ``moment``, clipped to start no earlier than it."""
        moment = ensure_utc(moment, "moment")
        # Start one local day early: around a DST change near midnight an instant can belong to the
        # previous local date's last window.
        local_day = moment.astimezone(self.zone).date() - timedelta(days=1)
        idle_days = 0
        while idle_days < _MAX_SCAN_DAYS:
            found = False
            for start, end in self.windows_on(local_day):
                if end > moment:
                    found = True
                    yield max(start, moment), end
            idle_days = 0 if found else idle_days + 1
            local_day += timedelta(days=1)
        raise ValueError("business hours have no open time in the next ten years (all holidays?)")


def _weekday_range(key: str) -> list[int]:
    first, sep, last = key.strip().lower().partition("-")
    try:
        start = _WEEKDAYS.index(first[:3])
        end = _WEEKDAYS.index(last[:3]) if sep else start
    except ValueError:
        raise ValueError(f"bad weekday {key!r}: use mon..sun or a range like mon-fri") from None
    if end < start:
        raise ValueError(f"bad weekday range {key!r}: it must run forward within one week")
    return list(range(start, end + 1))


def _wall_to_utc(local_day: date, seconds: int, zone: ZoneInfo) -> datetime:
    """The first instant at which the local clock reads ``local_day + seconds`` or later."""
    wall = datetime.combine(local_day, time()) + timedelta(seconds=seconds)
    candidate = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if candidate.astimezone(zone).replace(tzinfo=None) == wall:
        return candidate  # exists (fold=0 is the first occurrence when it is ambiguous)
    # Inside a spring-forward gap: find the transition, the first instant whose wall time is >= wall.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the change, wall time < wall
    high = candidate  # after the change, wall time > wall
    lo_s, hi_s = 0, int((high - low).total_seconds())
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        if (low + timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None) >= wall:
            hi_s = mid
        else:
            lo_s = mid + 1
    return low + timedelta(seconds=lo_s)


def add_business_seconds(start: datetime, seconds: int, hours: BusinessHours) -> datetime:
    """The instant (UTC) at which ``seconds`` business seconds have passed since ``start``.

    Landing exactly on a closing time returns that closing time, not the next opening. ``seconds == 0``
    returns ``start`` itself.
    """
    start = ensure_utc(start, "start")
    if seconds < 0:
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    if seconds == 0:
        return start
    remaining = timedelta(seconds=seconds)
    for window_start, window_end in hours.windows_from(start):
        span = window_end - window_start
        if remaining <= span:
            return window_start + remaining
        remaining -= span
    raise AssertionError("unreachable: windows_from never ends without raising")  # pragma: no cover


def business_seconds_between(a: datetime, b: datetime, hours: BusinessHours) -> int:
    """Whole business seconds in ``[a, b)``; negative when ``b`` is before ``a``."""
    a = ensure_utc(a, "a")
    b = ensure_utc(b, "b")
    if b < a:
        return -business_seconds_between(b, a, hours)
    total = timedelta()
    for window_start, window_end in hours.windows_from(a):
        if window_start >= b:
            break
        total += min(window_end, b) - window_start
    return total // _ONE_SECOND
