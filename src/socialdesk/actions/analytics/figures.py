"""Analytics for mission control and the analytics API: figures of now, trends over a range, equity.

Read-only: these functions change nothing and emit nothing. Each takes the unit of work (open), the
user asking (their workspace is the only one read), the range and ``now``, and returns plain
dataclasses. Definitions of every figure: docs/analytics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.domain.equity import EquityReport, equity_report, median, percentile
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.analytics import CaseSample, NowFigures, VoiceCount, VolumeBucket
from socialdesk.ports.uow import UnitOfWork

# Bucket sizes a trend can be cut into, by the name the API takes.
BUCKETS = {"1m": 60, "5m": 300, "15m": 900, "1h": 3600, "6h": 6 * 3600, "1d": 86400}
MAX_BUCKETS = 1000  # a range cut into more buckets than this is refused (pick a larger bucket)
MAX_WINDOW_MINUTES = 24 * 60
DEFAULT_WINDOW_MINUTES = 15  # "now": posts per minute over the last quarter of an hour
DEFAULT_TREND_SPAN = timedelta(hours=24)
DEFAULT_TREND_BUCKET = "1h"
DEFAULT_EQUITY_SPAN = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Span:
    """A range ``[start, end)`` cut into buckets of ``bucket_s`` seconds (the last may be shorter)."""

    start: datetime
    end: datetime
    bucket: str = DEFAULT_TREND_BUCKET

    @property
    def bucket_s(self) -> int:
        return BUCKETS[self.bucket]

    def bucket_starts(self) -> list[datetime]:
        count = -(-int((self.end - self.start).total_seconds()) // self.bucket_s)
        return [self.start + timedelta(seconds=i * self.bucket_s) for i in range(count)]


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationFailed(f"{name} needs a time zone (e.g. 2026-01-05T09:00:00Z)")
    return value.replace(microsecond=0)


def parse_span(
    start: datetime | None,
    end: datetime | None,
    now: datetime,
    *,
    bucket: str | None = None,
    default: timedelta = DEFAULT_TREND_SPAN,
) -> Span:
    """A valid range (``end`` defaults to now, ``start`` to ``default`` before it), or ValidationFailed."""
    chosen = bucket or DEFAULT_TREND_BUCKET
    if chosen not in BUCKETS:
        raise ValidationFailed(f"bucket must be one of {', '.join(BUCKETS)}")
    stop = _aware(end, "to") if end is not None else now.replace(microsecond=0)
    begin = _aware(start, "from") if start is not None else stop - default
    if begin >= stop:
        raise ValidationFailed("from must be before to")
    span = Span(begin, stop, chosen)
    if (stop - begin).total_seconds() / span.bucket_s > MAX_BUCKETS:
        raise ValidationFailed(f"more than {MAX_BUCKETS} buckets: choose a larger bucket or a shorter range")
    return span


def get_now_figures(
    uow: UnitOfWork, user: User, now: datetime, window_minutes: int = DEFAULT_WINDOW_MINUTES
) -> NowFigures:
    if not 1 <= window_minutes <= MAX_WINDOW_MINUTES:
        raise ValidationFailed(f"minutes must be between 1 and {MAX_WINDOW_MINUTES}")
    return uow.analytics.now_figures(user.workspace_id, now, window_minutes)


@dataclass(frozen=True, slots=True)
class ResponseFigures:
    """First responses and SLA of the cases opened in a range (or one bucket of it)."""

    cases: int = 0
    responded: int = 0
    frt_median_s: float | None = None
    frt_p90_s: float | None = None
    sla_met: int = 0
    sla_missed: int = 0

    @property
    def sla_attainment(self) -> float | None:
        """Percent of decided first-response clocks that were met (0-100, one decimal)."""
        decided = self.sla_met + self.sla_missed
        return round(100 * self.sla_met / decided, 1) if decided else None


def response_figures(samples: Sequence[CaseSample]) -> ResponseFigures:
    durations = [s.first_response_s for s in samples if s.first_response_s is not None]
    med, p90 = median(durations), percentile(durations, 90)
    return ResponseFigures(
        cases=len(samples),
        responded=len(durations),
        frt_median_s=round(med, 1) if med is not None else None,
        frt_p90_s=round(p90, 1) if p90 is not None else None,
        sla_met=sum(1 for s in samples if s.sla_met is True),
        sla_missed=sum(1 for s in samples if s.sla_met is False),
    )


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 3) if count else None


@dataclass(frozen=True, slots=True)
class TrendPoint:
    start: datetime
    posts: int
    sentiment_mean: float | None  # mean sentiment score (-1..1) of the posts that have one
    responses: ResponseFigures  # of the cases opened in this bucket


@dataclass(frozen=True, slots=True)
class VoiceShare:
    name: str
    kind: str  # brand or competitor
    matches: int
    share: float | None  # percent of all brand and competitor matches (0-100, one decimal)


@dataclass(frozen=True, slots=True)
class Trends:
    span: Span
    points: list[TrendPoint]
    posts: int
    sentiment_mean: float | None
    responses: ResponseFigures
    voice: list[VoiceShare]


def build_trends(
    span: Span, volume: Sequence[VolumeBucket], samples: Sequence[CaseSample], voice: Sequence[VoiceCount]
) -> Trends:
    starts = span.bucket_starts()
    by_index = {v.index: v for v in volume}
    cases: list[list[CaseSample]] = [[] for _ in starts]
    for sample in samples:
        index = int((sample.opened_at - span.start).total_seconds()) // span.bucket_s
        cases[min(max(index, 0), len(starts) - 1)].append(sample)
    points = []
    for i, at in enumerate(starts):
        v = by_index.get(i, VolumeBucket(i, 0, 0, 0.0))
        points.append(TrendPoint(at, v.posts, _mean(v.sentiment_sum, v.scored), response_figures(cases[i])))
    total = sum(v.matches for v in voice)
    shares = [
        VoiceShare(v.name, v.kind, v.matches, round(100 * v.matches / total, 1) if total else None)
        for v in voice
    ]
    return Trends(
        span=span,
        points=points,
        posts=sum(v.posts for v in volume),
        sentiment_mean=_mean(sum(v.sentiment_sum for v in volume), sum(v.scored for v in volume)),
        responses=response_figures(samples),
        voice=shares,
    )


def get_trends(uow: UnitOfWork, user: User, span: Span, now: datetime) -> Trends:
    ws = user.workspace_id
    volume = uow.analytics.volume(ws, span.start, span.end, span.bucket_s)
    samples = uow.analytics.case_samples(ws, span.start, span.end, now)
    voice = uow.analytics.share_of_voice(ws, span.start, span.end)
    return build_trends(span, volume, samples, voice)


@dataclass(frozen=True, slots=True)
class Equity:
    span: Span
    report: EquityReport


def get_equity(uow: UnitOfWork, user: User, span: Span, now: datetime) -> Equity:
    samples = uow.analytics.case_samples(user.workspace_id, span.start, span.end, now)
    return Equity(span, equity_report((s.followers, s.first_response_s) for s in samples))
