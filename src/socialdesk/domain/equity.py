"""Response statistics and response equity: are ordinary customers answered as well as influencers?

Cases are grouped by the follower count of the conversation's author into tiers. For each tier: how
many cases got a public reply (response rate) and how fast (median first-response time). The alert
compares the *ordinary* tiers (under 1k followers, pooled) with the *influencer* tiers (10k and more,
pooled). Pure: no I/O. See docs/analytics.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialdesk.domain.sla import ClockState, clock_status
from socialdesk.domain.sla_codec import sla_from_json

# The alert fires when the ordinary tiers' response rate is more than this many percentage points
# below the influencer tiers' ...
EQUITY_RATE_GAP_POINTS = 10.0
# ... or when their median first-response time is more than this many times the influencers'.
EQUITY_FRT_RATIO = 1.5
# Neither comparison is made unless both groups have at least this many cases (one influencer's case
# answered late says nothing about a habit).
EQUITY_MIN_CASES = 5

UNKNOWN_TIER = "unknown"


@dataclass(frozen=True, slots=True)
class Tier:
    key: str
    label: str
    low: int  # followers >= low
    high: int | None  # followers < high; None: no upper bound


TIERS = (
    Tier("under_100", "under 100", 0, 100),
    Tier("100_1k", "100 – 1k", 100, 1_000),
    Tier("1k_10k", "1k – 10k", 1_000, 10_000),
    Tier("10k_100k", "10k – 100k", 10_000, 100_000),
    Tier("over_100k", "over 100k", 100_000, None),
)
ORDINARY_TIERS = frozenset({"under_100", "100_1k"})
INFLUENCER_TIERS = frozenset({"10k_100k", "over_100k"})
TIER_LABELS = {t.key: t.label for t in TIERS} | {UNKNOWN_TIER: "followers unknown"}


def tier_of(followers: int | None) -> str:
    if followers is None:
        return UNKNOWN_TIER
    for tier in TIERS:
        if followers >= tier.low and (tier.high is None or followers < tier.high):
            return tier.key
    return TIERS[0].key  # a negative count (bad input) is an ordinary account


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks (as numpy's
    default); None for no values. ``percentile(v, 50)`` is the median."""
    ordered = sorted(values)
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 50)


def first_response_verdict(sla: Mapping[str, Any] | None, now: datetime) -> bool | None:
    """Was the first-response clock of a case's SLA met? True met in time; False breached (met late,
    stopped after its deadline, or still running past it at ``now``); None: no SLA, still in time, or
    stopped in time without a reply (the case was closed: nothing was owed)."""
    if not sla or not sla.get("first_response"):
        return None
    state = sla_from_json(sla)
    status = clock_status(state.first_response, state.policy, now)
    if status.state is ClockState.BREACHED:
        return False
    if status.state is ClockState.MET:
        return True
    return None


@dataclass(frozen=True, slots=True)
class ResponseStats:
    cases: int
    responded: int
    median_frt_s: float | None

    @property
    def response_rate(self) -> float | None:
        """Percent of cases with a first response (0-100, one decimal)."""
        return round(100 * self.responded / self.cases, 1) if self.cases else None


def response_stats(samples: Sequence[tuple[int | None, float | None]]) -> ResponseStats:
    """From (followers, first-response seconds or None) pairs."""
    durations = [frt for _, frt in samples if frt is not None]
    return ResponseStats(len(samples), len(durations), median(durations))


@dataclass(frozen=True, slots=True)
class TierStats:
    key: str
    label: str
    stats: ResponseStats


@dataclass(frozen=True, slots=True)
class EquityReport:
    tiers: tuple[TierStats, ...]  # the five tiers in order, then followers unknown
    ordinary: ResponseStats
    influencer: ResponseStats
    alert: bool
    reasons: tuple[str, ...]  # why the alert fires, in words


def equity_report(samples: Iterable[tuple[int | None, float | None]]) -> EquityReport:
    """The report over (followers, first-response seconds or None) of every case in a range."""
    by_tier: dict[str, list[tuple[int | None, float | None]]] = {}
    for sample in samples:
        by_tier.setdefault(tier_of(sample[0]), []).append(sample)
    keys = [t.key for t in TIERS] + [UNKNOWN_TIER]
    tiers = tuple(TierStats(k, TIER_LABELS[k], response_stats(by_tier.get(k, []))) for k in keys)
    ordinary = response_stats([s for k in sorted(ORDINARY_TIERS) for s in by_tier.get(k, [])])
    influencer = response_stats([s for k in sorted(INFLUENCER_TIERS) for s in by_tier.get(k, [])])
    reasons = equity_alerts(ordinary, influencer)
    return EquityReport(tiers, ordinary, influencer, bool(reasons), reasons)


def equity_alerts(ordinary: ResponseStats, influencer: ResponseStats) -> tuple[str, ...]:
    """The reasons to alert (none: no alert). See the EQUITY_* constants."""
    if ordinary.cases < EQUITY_MIN_CASES or influencer.cases < EQUITY_MIN_CASES:
        return ()
    reasons: list[str] = []
    low, high = ordinary.response_rate, influencer.response_rate
    if low is not None and high is not None and high - low > EQUITY_RATE_GAP_POINTS:
        reasons.append(
            f"accounts under 1k followers are answered {low:g}% of the time, "
            f"accounts over 10k {high:g}% ({high - low:.1f} points more)"
        )
    slow, fast = ordinary.median_frt_s, influencer.median_frt_s
    if slow is not None and fast is not None and slow > EQUITY_FRT_RATIO * fast:
        ratio = f"{slow / fast:.1f}x" if fast > 0 else "far"
        reasons.append(
            f"accounts under 1k followers wait {ratio} longer for a first reply "
            f"(median {slow:g} s against {fast:g} s)"
        )
    return tuple(reasons)
