"""SLA policies: targets per channel and priority, the business hours they count in, when to warn."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from socialdesk.domain.business_hours import BusinessHours
from socialdesk.domain.errors import DomainError

__all__ = ["ClockKind", "SlaError", "SlaPolicy", "SlaTarget"]


class SlaError(DomainError):
    """An SLA rule was broken: no target for a case, or an event the clocks do not accept."""


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """Targets in business seconds for cases of a channel and priority (``None`` matches any)."""

    channel: str | None
    priority: str | None
    first_response_s: int
    next_response_s: int
    resolution_s: int

    def __post_init__(self) -> None:
        if min(self.first_response_s, self.next_response_s, self.resolution_s) <= 0:
            raise ValueError("SLA targets must be positive numbers of seconds")

    def matches(self, channel: str, priority: str) -> bool:
        return self.channel in (None, channel) and self.priority in (None, priority)

    @property
    def specificity(self) -> int:
        return (self.channel is not None) + (self.priority is not None)

    def seconds_for(self, kind: ClockKind) -> int:
        return {
            ClockKind.FIRST_RESPONSE: self.first_response_s,
            ClockKind.NEXT_RESPONSE: self.next_response_s,
            ClockKind.RESOLUTION: self.resolution_s,
        }[kind]


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets plus the business hours they count in and when to warn.

    A clock warns once ``warn_fraction`` of its target has elapsed, or ``warn_before_s`` seconds before
    its deadline, whichever comes first (either may be ``None``).
    """

    name: str
    targets: tuple[SlaTarget, ...]
    hours: BusinessHours
    warn_fraction: float | None = 0.8
    warn_before_s: int | None = None

    def __post_init__(self) -> None:
        if self.warn_fraction is not None and not 0 < self.warn_fraction <= 1:
            raise ValueError("warn_fraction must be in (0, 1]")
        if self.warn_before_s is not None and self.warn_before_s < 0:
            raise ValueError("warn_before_s must be >= 0")

    def target_for(self, channel: str, priority: str) -> SlaTarget:
        """The most specific matching target (channel and priority > one of them > neither).

        Ties go to the earlier target in ``targets``. Raises :class:`SlaError` when none matches.
        """
        best: SlaTarget | None = None
        for target in self.targets:
            if target.matches(channel, priority) and (best is None or target.specificity > best.specificity):
                best = target
        if best is None:
            raise SlaError(
                f"SLA policy {self.name!r} has no target for channel={channel} priority={priority}"
            )
        return best

    def warn_after_s(self, target_s: int) -> int:
        """Business seconds of a clock's run after which it warns."""
        candidates = [target_s]
        if self.warn_fraction is not None:
            candidates.append(math.ceil(self.warn_fraction * target_s))
        if self.warn_before_s is not None:
            candidates.append(max(0, target_s - self.warn_before_s))
        return min(candidates)
