"""SLA policies and the per-case SLA clocks, as pure functions over immutable state.

A case has three clocks: ``first_response`` (opened -> first public agent reply), ``next_response``
(customer writes after their last message was answered -> next public agent reply) and ``resolution``
(opened -> resolved). Clocks count business seconds of the policy's :class:`BusinessHours`.

Drive a case with :func:`start_sla` and then :func:`apply` for each event, in time order; read it with
:func:`clock_status` / :func:`case_status` at any ``now``. Nothing here reads a clock: time comes in.

Rules (the transition table is :data:`ALLOWED_EVENTS`):

* ``PendingCustomer`` pauses every running clock; the paused business time extends their deadlines.
  The next ``CustomerMessage`` resumes them.
* ``CustomerMessage`` starts a new ``next_response`` clock when the first response has been given and
  the customer's previous message was answered; messages while one is already waiting start nothing.
* ``AgentReply`` (public) meets ``first_response`` and the running ``next_response`` clock.
* ``Resolved`` meets ``resolution`` and stops everything else; no clock runs while resolved.
* ``Reopened`` resumes ``resolution`` (time spent resolved does not count) and an unmet
  ``first_response``; ``next_response`` starts again with the customer's next message.
* ``PriorityChanged`` re-targets the live clocks from the policy.

A clock is *breached* once the wall clock passes its deadline while it runs; that is sticky, and a
clock met after its deadline reports ``breached``. All timestamps are truncated to whole seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from socialdesk.domain.business_hours import (
    BusinessHours,
    add_business_seconds,
    business_seconds_between,
    ensure_utc,
)
from socialdesk.domain.sla_policy import ClockKind, SlaError, SlaPolicy, SlaTarget

__all__ = [
    "ALLOWED_EVENTS",
    "AgentReply",
    "CasePhase",
    "CaseSla",
    "ClockKind",
    "ClockState",
    "CustomerMessage",
    "PendingCustomer",
    "PriorityChanged",
    "Reopened",
    "Resolved",
    "SlaClock",
    "SlaError",
    "SlaEvent",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "apply",
    "case_status",
    "clock_status",
    "next_check_at",
    "start_sla",
]


_ONE_SECOND = timedelta(seconds=1)


class ClockState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    STOPPED = "stopped"
    MET = "met"


class CasePhase(StrEnum):
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One clock. ``elapsed_s`` counts finished run segments; the current one began ``running_since``.

    ``started_at`` never changes and identifies the clock (a case has many next-response clocks).
    Not running and not finished means paused.
    """

    kind: ClockKind
    target_s: int
    started_at: datetime
    elapsed_s: int = 0
    running_since: datetime | None = None
    met_at: datetime | None = None
    stopped_at: datetime | None = None
    breached_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.met_at is not None or self.stopped_at is not None

    @property
    def paused(self) -> bool:
        return self.running_since is None and not self.finished

    def deadline(self, hours: BusinessHours) -> datetime | None:
        """When the running clock breaches; ``None`` unless running."""
        if self.running_since is None:
            return None
        return add_business_seconds(self.running_since, max(0, self.target_s - self.elapsed_s), hours)

    def _halt(self, at: datetime, hours: BusinessHours) -> SlaClock:
        """Close the running segment at ``at`` (recording a breach that happened during it)."""
        if self.running_since is None:
            return self
        deadline = self.deadline(hours)
        breached_at = self.breached_at
        if breached_at is None and deadline is not None and at > deadline:
            breached_at = deadline
        elapsed = self.elapsed_s + business_seconds_between(self.running_since, at, hours)
        return replace(self, elapsed_s=elapsed, running_since=None, breached_at=breached_at)

    def pause(self, at: datetime, hours: BusinessHours) -> SlaClock:
        return self._halt(at, hours)

    def resume(self, at: datetime) -> SlaClock:
        if self.running_since is not None:
            return self
        return replace(self, running_since=at, met_at=None, stopped_at=None)

    def meet(self, at: datetime, hours: BusinessHours) -> SlaClock:
        return replace(self._halt(at, hours), met_at=at)

    def stop(self, at: datetime, hours: BusinessHours) -> SlaClock:
        return replace(self._halt(at, hours), stopped_at=at)

    def retarget(self, target_s: int, at: datetime, hours: BusinessHours) -> SlaClock:
        if self.finished or target_s == self.target_s:
            return self
        was_running = self.running_since is not None
        halted = replace(self._halt(at, hours), target_s=target_s)
        return halted.resume(at) if was_running else halted


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    at: datetime


@dataclass(frozen=True, slots=True)
class AgentReply:
    """A public reply (private notes do not count for SLAs)."""

    at: datetime


@dataclass(frozen=True, slots=True)
class PendingCustomer:
    at: datetime


@dataclass(frozen=True, slots=True)
class Resolved:
    at: datetime


@dataclass(frozen=True, slots=True)
class Reopened:
    at: datetime


@dataclass(frozen=True, slots=True)
class PriorityChanged:
    at: datetime
    priority: str


SlaEvent = CustomerMessage | AgentReply | PendingCustomer | Resolved | Reopened | PriorityChanged

ALLOWED_EVENTS: dict[CasePhase, tuple[type[SlaEvent], ...]] = {
    CasePhase.OPEN: (CustomerMessage, AgentReply, PendingCustomer, Resolved, PriorityChanged),
    CasePhase.PENDING_CUSTOMER: (CustomerMessage, AgentReply, Resolved, PriorityChanged),
    CasePhase.RESOLVED: (Reopened, AgentReply, PriorityChanged),
}


@dataclass(frozen=True, slots=True)
class CaseSla:
    """The SLA state of one case. Build it with :func:`start_sla`; change it only with :func:`apply`."""

    policy: SlaPolicy
    channel: str
    priority: str
    phase: CasePhase
    awaiting_reply: bool
    first_response: SlaClock
    resolution: SlaClock
    next_response: SlaClock | None
    updated_at: datetime

    @property
    def clocks(self) -> tuple[SlaClock, ...]:
        found = (self.first_response, self.next_response, self.resolution)
        return tuple(clock for clock in found if clock is not None)


@dataclass(frozen=True, slots=True)
class SlaStatus:
    kind: ClockKind
    state: ClockState
    started_at: datetime
    target_s: int
    elapsed_s: int
    remaining_s: int  # negative once overdue
    deadline: datetime | None  # only while running
    warning_at: datetime | None  # only while running and not yet breached
    finished_at: datetime | None


def _second(moment: datetime, name: str = "at") -> datetime:
    return ensure_utc(moment, name).replace(microsecond=0)


def start_sla(policy: SlaPolicy, channel: str, priority: str, opened_at: datetime) -> CaseSla:
    """A case opened by a customer message at ``opened_at``: first-response and resolution clocks run."""
    at = _second(opened_at, "opened_at")
    target = policy.target_for(channel, priority)

    def running(kind: ClockKind) -> SlaClock:
        return SlaClock(kind, target.seconds_for(kind), started_at=at, running_since=at)

    return CaseSla(
        policy=policy,
        channel=channel,
        priority=priority,
        phase=CasePhase.OPEN,
        awaiting_reply=True,
        first_response=running(ClockKind.FIRST_RESPONSE),
        resolution=running(ClockKind.RESOLUTION),
        next_response=None,
        updated_at=at,
    )


def _map_live(state: CaseSla, change: Callable[[SlaClock], SlaClock]) -> CaseSla:
    """Apply ``change`` to every clock that is not finished (finished clocks pass through)."""

    def live(clock: SlaClock) -> SlaClock:
        return clock if clock.finished else change(clock)

    next_response = state.next_response
    return replace(
        state,
        first_response=live(state.first_response),
        resolution=live(state.resolution),
        next_response=None if next_response is None else live(next_response),
    )


def apply(state: CaseSla, event: SlaEvent) -> CaseSla:
    """The state after ``event``. Raises :class:`SlaError` for an event out of order or not allowed."""
    at = _second(event.at)
    if at < state.updated_at:
        raise SlaError(f"event at {at.isoformat()} is before the last one ({state.updated_at.isoformat()})")
    if not isinstance(event, ALLOWED_EVENTS[state.phase]):
        raise SlaError(f"{type(event).__name__} is not allowed while the case is {state.phase}")
    hours = state.policy.hours
    state = replace(state, updated_at=at)

    if isinstance(event, CustomerMessage):
        if state.phase is CasePhase.PENDING_CUSTOMER:
            state = replace(_map_live(state, lambda clock: clock.resume(at)), phase=CasePhase.OPEN)
        if state.awaiting_reply:
            return state
        state = replace(state, awaiting_reply=True)
        if state.first_response.met_at is None:
            return state
        target_s = state.policy.target_for(state.channel, state.priority).next_response_s
        clock = SlaClock(ClockKind.NEXT_RESPONSE, target_s, started_at=at, running_since=at)
        return replace(state, next_response=clock)

    if isinstance(event, AgentReply):
        next_response = state.next_response
        if next_response is not None and not next_response.finished:
            next_response = next_response.meet(at, hours)
        first = state.first_response
        if not first.finished:
            first = first.meet(at, hours)
        return replace(state, awaiting_reply=False, first_response=first, next_response=next_response)

    if isinstance(event, PendingCustomer):
        return replace(
            _map_live(state, lambda clock: clock.pause(at, hours)), phase=CasePhase.PENDING_CUSTOMER
        )

    if isinstance(event, Resolved):
        resolution = state.resolution
        if not resolution.finished:
            resolution = resolution.meet(at, hours)
        state = _map_live(replace(state, resolution=resolution), lambda clock: clock.stop(at, hours))
        return replace(state, phase=CasePhase.RESOLVED, awaiting_reply=False)

    if isinstance(event, Reopened):
        first = state.first_response
        if first.met_at is None:
            first = first.resume(at)
        return replace(
            state,
            phase=CasePhase.OPEN,
            first_response=first,
            resolution=state.resolution.resume(at),
        )

    # PriorityChanged
    target = state.policy.target_for(state.channel, event.priority)
    state = replace(state, priority=event.priority)
    return replace(
        state,
        first_response=state.first_response.retarget(target.first_response_s, at, hours),
        resolution=state.resolution.retarget(target.resolution_s, at, hours),
        next_response=(
            None
            if state.next_response is None
            else state.next_response.retarget(target.next_response_s, at, hours)
        ),
    )


def clock_status(clock: SlaClock, policy: SlaPolicy, now: datetime) -> SlaStatus:
    """Where one clock stands at ``now``."""
    now = _second(now, "now")
    hours = policy.hours
    deadline = clock.deadline(hours)
    elapsed = clock.elapsed_s
    warning_at: datetime | None = None
    if clock.running_since is not None and deadline is not None:
        elapsed += max(0, business_seconds_between(clock.running_since, now, hours))
        warn_s = policy.warn_after_s(clock.target_s)
        warn_at = add_business_seconds(clock.running_since, max(0, warn_s - clock.elapsed_s), hours)
        if clock.breached_at is not None or now > deadline:
            state = ClockState.BREACHED
        else:
            warning_at = warn_at
            state = ClockState.WARNING if now >= warn_at else ClockState.OK
    elif clock.met_at is not None:
        state = ClockState.BREACHED if clock.breached_at is not None else ClockState.MET
    elif clock.stopped_at is not None:
        state = ClockState.BREACHED if clock.breached_at is not None else ClockState.STOPPED
    else:
        state = ClockState.BREACHED if clock.breached_at is not None else ClockState.PAUSED
    return SlaStatus(
        kind=clock.kind,
        state=state,
        started_at=clock.started_at,
        target_s=clock.target_s,
        elapsed_s=elapsed,
        remaining_s=clock.target_s - elapsed,
        deadline=deadline,
        warning_at=warning_at,
        finished_at=clock.met_at or clock.stopped_at,
    )


def case_status(state: CaseSla, now: datetime) -> dict[ClockKind, SlaStatus]:
    """Every clock of the case at ``now`` (``next_response`` only once one has started)."""
    return {clock.kind: clock_status(clock, state.policy, now) for clock in state.clocks}


def next_check_at(state: CaseSla, now: datetime) -> datetime | None:
    """The next instant after ``now`` at which some clock's state changes (a warning or a breach).

    A scheduler can sleep until then; ``None`` means nothing will change without a new event.
    """
    now = _second(now, "now")
    moments: list[datetime] = []
    for status in case_status(state, now).values():
        if status.warning_at is not None:
            moments.append(status.warning_at)
        if status.deadline is not None:
            moments.append(status.deadline + _ONE_SECOND)  # breached once past the deadline
    return min((moment for moment in moments if moment > now), default=None)
