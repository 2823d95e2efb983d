"""The read-only analytics repository: the figures mission control and the analytics API show.

Part of the ports (see ports/): a SQL implementation (storage/sql/analytics.py) passes one contract
suite on SQLite and PostgreSQL. Every method takes the workspace and reads only
its rows. The repository aggregates what SQL aggregates portably (counts, sums, groups); medians,
percentiles and SLA verdicts are computed in Python over the samples it returns (actions/analytics/figures.py,
domain/equity.py). Definitions of every figure: docs/analytics.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class WaitingConversation:
    """The conversation whose customer has waited longest for an answer (its case still active)."""

    conversation_id: int
    channel: str
    waiting_since: datetime


@dataclass(frozen=True, slots=True)
class NowFigures:
    """What is happening now. Post counts cover ``window_minutes`` up to ``now``."""

    now: datetime
    window_minutes: int
    posts_by_channel: dict[str, int] = field(default_factory=dict)  # inbound posts in the window
    posts_by_monitor: dict[str, int] = field(default_factory=dict)  # of those, matched per monitor
    cases_by_status: dict[str, int] = field(default_factory=dict)  # active cases per status
    queue_by_team: dict[str, int] = field(default_factory=dict)  # unassigned active cases per team
    unrouted: int = 0  # unassigned active cases in no team
    oldest_waiting: WaitingConversation | None = None
    agents_by_status: dict[str, int] = field(default_factory=dict)  # active users per status
    sla_at_risk: int = 0  # active cases whose stored SLA state is warning
    sla_breached: int = 0  # active cases whose stored SLA state is breached

    def per_minute(self, count: int) -> float:
        return round(count / self.window_minutes, 2)

    @property
    def posts_per_minute(self) -> float:
        return self.per_minute(sum(self.posts_by_channel.values()))

    @property
    def open_cases(self) -> int:
        return sum(self.cases_by_status.values())

    @property
    def agents_online(self) -> int:
        return self.agents_by_status.get("online", 0)


@dataclass(frozen=True, slots=True)
class VolumeBucket:
    """Inbound posts created in one bucket of a range (index 0 starts at the range's start)."""

    index: int
    posts: int
    scored: int  # posts with a sentiment score
    sentiment_sum: float


@dataclass(frozen=True, slots=True)
class CaseSample:
    """One case opened in a range (merged cases left out), with what the figures need of it."""

    case_id: int
    opened_at: datetime
    first_response_s: float | None  # seconds from opening to the first public reply; None: none yet
    followers: int | None  # of the conversation's author, as ingest last saw them
    sla_met: bool | None  # first-response clock: True met, False breached, None undecided or no SLA


@dataclass(frozen=True, slots=True)
class VoiceCount:
    """Posts created in a range that one brand or competitor monitor matched."""

    monitor_id: int
    name: str
    kind: str  # brand or competitor
    matches: int


class AnalyticsRepo(Protocol):
    def now_figures(self, workspace_id: int, now: datetime, window_minutes: int) -> NowFigures: ...

    def volume(self, workspace_id: int, start: datetime, end: datetime, bucket_s: int) -> list[VolumeBucket]:
        """Inbound posts with ``start <= created_at < end`` per bucket of ``bucket_s`` seconds; buckets
        without posts are left out; ordered by index."""
        ...

    def case_samples(
        self, workspace_id: int, start: datetime, end: datetime, now: datetime
    ) -> list[CaseSample]:
        """Cases with ``start <= opened_at < end`` (not merged into another), by id. ``now`` decides
        whether a still running first-response clock has already breached."""
        ...

    def share_of_voice(self, workspace_id: int, start: datetime, end: datetime) -> list[VoiceCount]:
        """Every brand and competitor monitor (zero included) with its matches among posts created in
        ``[start, end)``; by kind (brand first), then name."""
        ...
