"""The detector's sense of normal: how often each key turns up, and how many reports an hour brings.

Two pieces, both learnt online:

- `KeyShares`: the share of past problem reports that carry each key (a topic word, or a monitor),
  counted with exponential decay (half-life `half_life`), so the baseline follows slow drift and forgets
  old topics. Decay is kept exact and cheap by weighting each report ``2 ** ((t - t0) / half_life)``
  instead of decaying every count: ratios of counts are what the detector uses.
- `SeasonalRate`: reports per minute for each hour of the week (168 buckets) and each hour of the day
  (24 buckets), each an exponentially weighted mean of the hours seen, folded in when an hour ends
  (empty hours count as zero). An hour is measured over the minutes of it that were watched: the
  stream's first hour usually starts mid-hour (a stream from 20:55 watched 5 minutes of hour 20), and
  its reports over those minutes, not over 60, are its rate (every measured rate is raised by 1.5
  standard deviations of its count, `cautious_rate`: a rate learnt from few reports is not trusted
  low); a first hour watched for less than 10 minutes is not folded at all (too short to tell), its
  reports stay in the rate so far. The expected
  rate now is the hour-of-week figure once that hour has been seen, else the hour-of-day figure, else
  the busiest hour seen so far (cautious while learning); before any hour is folded it is the rate so
  far (over at least 10 minutes), at least `prior_rate`. It is never below the recent rate: the
  reports of the hour before the window (``recent``), so a background that grows through the day
  (morning after night) is not a spike of the keys every report carries.

`poisson_surprise(x, mean)` is ``-log10 P(X >= x)`` for a Poisson count of that mean.
"""

from __future__ import annotations

import math
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Final

_EPOCH: Final = datetime(1970, 1, 5, tzinfo=UTC)  # a Monday: hour 0 of the week
_HOUR: Final = timedelta(hours=1)
HOURS_PER_WEEK: Final = 168
MAX_FOLDED_GAP_HOURS: Final = 2 * HOURS_PER_WEEK
_REBASE_ABOVE: Final = 2.0**60
FIRST_HOUR_MIN_MINUTES: Final = 10.0
RATE_CONFIDENCE: Final = 1.5


def cautious_rate(count: float, minutes: float) -> float:
    """Reports per minute measured as `count` over `minutes`, raised by `RATE_CONFIDENCE` standard
    deviations of the count: 13 reports in a first half hour are not yet a rate of 0.43 a minute."""
    return (count + RATE_CONFIDENCE * math.sqrt(max(count, 0.0))) / minutes


def hour_index(at: datetime) -> int:
    """Whole hours since a Monday midnight UTC (at is aware)."""
    return (at - _EPOCH) // _HOUR


def hour_start(hour: int) -> datetime:
    """The start of the hour of `hour_index` `hour`."""
    return _EPOCH + hour * _HOUR


def poisson_surprise(x: int, mean: float) -> float:
    """-log10 of P(X >= x) for X ~ Poisson(mean); infinite when mean is 0 and x > 0."""
    if x <= 0:
        return 0.0
    if mean <= 0.0:
        return math.inf
    if x <= mean:  # no surprise worth the name: P(X >= x) is about a half or more; 1 - P(X < x)
        below = sum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(x))
        return max(0.0, -math.log10(max(1.0 - below, 1e-300)))
    # Sum the upper tail from the term at x; the terms shrink from the first (k > mean).
    log_term = x * math.log(mean) - mean - math.lgamma(x + 1)
    total = 0.0
    term = 1.0
    k = x
    while term >= 1e-17 * total:
        total += term
        k += 1
        term *= mean / k
    return max(0.0, -(log_term + math.log(total)) / math.log(10))


def wilson_upper(hits: float, n: float, z: float) -> float:
    """The upper Wilson score bound, at `z` standard deviations, of a share seen `hits` times in `n`
    trials (1 when n is 0)."""
    if n <= 0.0:
        return 1.0
    p = min(max(hits / n, 0.0), 1.0)
    z2 = z * z
    centre = p + z2 / (2.0 * n)
    spread = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return min(1.0, (centre + spread) / (1.0 + z2 / n))


class KeyShares:
    """Decayed counts of the problem reports of the past, in all and per key.

    A report is counted here when it leaves the window (`settle`), so a key's share is learnt from
    the past, never from the reports under test; except in a fresh detector's first `warmup`
    minutes, whose reports are counted as they come (`learn`) and stay counted: a cautious start,
    where a word in every post of the first minutes is not news, and after which the window's reports
    are under test again (a burst after a few minutes of background is not masked by itself).

    A key's share is a cautious one: the upper Wilson bound, at `confidence` standard deviations, of
    its share of the (decayed) reports counted, ``wilson_upper(hits, reports, confidence)``. A key never
    seen in n reports is not taken as rare at once: its share is ``z^2 / (n + z^2)``, so a common word
    the first 20 or 30 reports happened not to hold (about one chance in ten for a share of 11%) does not
    look like a spike when it turns up; the caution shrinks as the reports grow. With no report counted
    yet every key's share is 1 (nothing can be surprising).
    """

    def __init__(
        self,
        half_life: timedelta,
        confidence: float,
    ) -> None:
        self.half_life_s = half_life.total_seconds()
        self.confidence = confidence
        self.origin: datetime | None = None
        self.total = 0.0
        self.settled = 0
        self.counts: dict[str, float] = {}

    def weight(self, at: datetime) -> float:
        if self.origin is None:
            self.origin = at
        return float(2.0 ** ((at - self.origin).total_seconds() / self.half_life_s))

    def settle(self, at: datetime, keys: tuple[str, ...]) -> None:
        """Count a report of time `at` that has left the window."""
        w = self.weight(at)
        if w > _REBASE_ABOVE:  # years later: start the weights again from 1
            self.total /= w
            self.counts = {k: v / w for k, v in self.counts.items()}
            self.origin = at
            w = 1.0
        self.total += w
        self.settled += 1
        counts = self.counts
        for key in keys:
            counts[key] = counts.get(key, 0.0) + w

    def learn(self, at: datetime, keys: tuple[str, ...]) -> None:
        """Count a report of the warm-up now (it will not be settled again)."""
        self.settle(at, keys)

    def share(self, at: datetime, key: str) -> float:
        """The key's cautious share of reports now (see the class docstring)."""
        w = self.weight(at)
        return wilson_upper(self.counts.get(key, 0.0) / w, self.total / w, self.confidence)

    def prune(self, at: datetime, below: float) -> int:
        """Forget keys whose decayed count is under `below` reports; returns how many."""
        limit = below * self.weight(at)
        gone = [k for k, v in self.counts.items() if v < limit]
        for k in gone:
            del self.counts[k]
        return len(gone)


class SeasonalRate:
    """Problem reports per minute by hour of week and hour of day, and over the recent past."""

    def __init__(
        self,
        prior_rate: float,
        smoothing: float,
        window: timedelta = timedelta(minutes=30),
        recent: timedelta = timedelta(minutes=60),
    ) -> None:
        self.prior_rate = prior_rate
        self.smoothing = smoothing
        self.window = window
        self.recent = recent
        self.week: dict[int, float] = {}
        self.day: dict[int, float] = {}
        self.busiest: float | None = None
        self.hour: int | None = None
        self.hour_from: datetime | None = None  # when watching the current hour began
        self.in_hour = 0
        self.started: datetime | None = None
        self.since_start = 0  # reports not yet in a folded hour's figure
        self.in_window: deque[datetime] = deque()  # report times inside the window
        self.before_window: deque[datetime] = deque()  # report times of the recent span before it

    def fold(self, hour: int, count: int, minutes: float = 60.0) -> None:
        rate = cautious_rate(count, minutes)
        a = self.smoothing
        w = hour % HOURS_PER_WEEK
        d = hour % 24
        self.week[w] = rate if w not in self.week else (1 - a) * self.week[w] + a * rate
        self.day[d] = rate if d not in self.day else (1 - a) * self.day[d] + a * rate
        self.busiest = rate if self.busiest is None else max(self.busiest, rate)

    def advance(self, at: datetime) -> None:
        """Fold every hour that ended before `at`."""
        hour = hour_index(at)
        if self.hour is None or self.hour_from is None:
            self.hour, self.hour_from, self.started = hour, at, at
            return
        if hour <= self.hour:
            return
        hour_end = hour_start(self.hour + 1)
        watched = (hour_end - self.hour_from).total_seconds() / 60.0
        if watched >= FIRST_HOUR_MIN_MINUTES:
            self.fold(self.hour, self.in_hour, watched)
            self.since_start = 0
        first_empty = max(self.hour + 1, hour - MAX_FOLDED_GAP_HOURS)
        for empty in range(first_empty, hour):
            self.fold(empty, 0)
        self.hour = hour
        self.hour_from = hour_start(hour)
        self.in_hour = 0

    def count(self, at: datetime) -> None:
        self.in_hour += 1
        self.since_start += 1
        self.in_window.append(at)
        self._slide(at)

    def _slide(self, at: datetime) -> None:
        edge = at - self.window
        while self.in_window and self.in_window[0] < edge:
            self.before_window.append(self.in_window.popleft())
        horizon = edge - self.recent
        while self.before_window and self.before_window[0] < horizon:
            self.before_window.popleft()

    def recent_rate(self, at: datetime) -> float:
        """Reports per minute in the `recent` span before the window (0 until it was watched 10 minutes)."""
        if self.started is None:
            return 0.0
        end = at - self.window
        begin = max(end - self.recent, self.started)
        minutes = (end - begin).total_seconds() / 60.0
        if minutes < FIRST_HOUR_MIN_MINUTES:
            return 0.0
        self._slide(at)
        return len(self.before_window) / minutes

    def expected_rate(self, at: datetime) -> float:
        return max(self._seasonal_rate(at), self.recent_rate(at))

    def _seasonal_rate(self, at: datetime) -> float:
        hour = hour_index(at)
        w = hour % HOURS_PER_WEEK
        if w in self.week:
            return self.week[w]
        d = hour % 24
        if d in self.day:
            return self.day[d]
        if self.busiest is not None:
            return self.busiest
        if self.since_start and self.started is not None:  # nothing folded yet: the rate so far
            minutes = max((at - self.started).total_seconds() / 60.0, FIRST_HOUR_MIN_MINUTES)
            return max(self.prior_rate, cautious_rate(self.since_start, minutes))
        return self.prior_rate
