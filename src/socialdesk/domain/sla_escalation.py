"""Escalation rules: what to do when an SLA clock warns or breaches, each rule firing once per clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from socialdesk.domain.sla import CaseSla, ClockKind, ClockState, SlaStatus, case_status

__all__ = ["Escalation", "EscalationAction", "EscalationRule", "due_escalations"]

_SEVERITY = {ClockState.WARNING: 1, ClockState.BREACHED: 2}


class EscalationAction(StrEnum):
    REASSIGN = "reassign"
    NOTIFY_SUPERVISOR = "notify_supervisor"
    RAISE_PRIORITY = "raise_priority"


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """Fire ``actions`` when ``clock`` reaches ``when`` (``warning`` or ``breached``).

    A warning rule also fires for a clock found already breached, so a late check still escalates.
    """

    id: str
    when: ClockState
    clock: ClockKind
    actions: tuple[EscalationAction, ...]

    def __post_init__(self) -> None:
        if self.when not in _SEVERITY:
            raise ValueError(f"an escalation fires on warning or breached, not {self.when}")
        if not self.actions:
            raise ValueError(f"escalation rule {self.id!r} has no actions")


@dataclass(frozen=True, slots=True)
class Escalation:
    """A rule that is due. ``key`` identifies (rule, clock run): store it to never fire it twice."""

    key: str
    rule_id: str
    clock: ClockKind
    state: ClockState
    actions: tuple[EscalationAction, ...]


def escalation_key(rule: EscalationRule, status: SlaStatus) -> str:
    # started_at tells apart the successive next-response clocks of one case.
    return f"{rule.id}:{status.kind}:{status.started_at.isoformat()}"


def due_escalations(
    state: CaseSla,
    rules: Sequence[EscalationRule],
    now: datetime,
    already_fired: Iterable[str] = (),
) -> list[Escalation]:
    """Rules due at ``now`` that have not fired yet (by key), in rule order.

    Only live clocks escalate (running, or paused after a breach); a met or stopped clock does not.
    """
    fired = set(already_fired)
    statuses = case_status(state, now)
    due: list[Escalation] = []
    for rule in rules:
        status = statuses.get(rule.clock)
        if status is None or status.finished_at is not None:
            continue
        if _SEVERITY.get(status.state, 0) < _SEVERITY[rule.when]:
            continue
        key = escalation_key(rule, status)
        if key not in fired:
            fired.add(key)
            due.append(Escalation(key, rule.id, rule.clock, status.state, rule.actions))
    return due
