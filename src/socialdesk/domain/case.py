"""Cases: the unit of work an agent resolves, with an explicit status state machine."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from socialdesk.domain.errors import InvalidTransition
from socialdesk.domain.routing import Priority


class CaseStatus(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    PENDING_INTERNAL = "pending_internal"
    RESOLVED = "resolved"
    CLOSED = "closed"


_S = CaseStatus

# The whole state machine: from each status, where an agent (or the system) may move a case.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    _S.NEW: frozenset({_S.OPEN, _S.PENDING_CUSTOMER, _S.PENDING_INTERNAL, _S.RESOLVED, _S.CLOSED}),
    _S.OPEN: frozenset({_S.PENDING_CUSTOMER, _S.PENDING_INTERNAL, _S.RESOLVED, _S.CLOSED}),
    _S.PENDING_CUSTOMER: frozenset({_S.OPEN, _S.PENDING_INTERNAL, _S.RESOLVED, _S.CLOSED}),
    _S.PENDING_INTERNAL: frozenset({_S.OPEN, _S.PENDING_CUSTOMER, _S.RESOLVED, _S.CLOSED}),
    _S.RESOLVED: frozenset({_S.OPEN, _S.CLOSED}),
    _S.CLOSED: frozenset(),
}

ACTIVE_STATUSES = frozenset({_S.NEW, _S.OPEN, _S.PENDING_CUSTOMER, _S.PENDING_INTERNAL})


def transition(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """Return `target` if the move is allowed, else raise InvalidTransition."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current.value, target.value)
    return target


def after_customer_message(current: CaseStatus) -> CaseStatus:
    """The status a case takes when the customer writes again.

    A resolved case reopens, a case waiting on the customer becomes open again; a closed case
    stays closed (the caller opens a new case instead).
    """
    if current in (_S.RESOLVED, _S.PENDING_CUSTOMER):
        return _S.OPEN
    return current


def after_agent_reply(current: CaseStatus) -> CaseStatus:
    """A public answer moves a new case to open; other statuses are the agent's to set."""
    return _S.OPEN if current is _S.NEW else current


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    workspace_id: int
    conversation_id: int
    status: CaseStatus
    opened_at: datetime
    assignee_id: int | None = None
    team_id: int | None = None
    priority: Priority = Priority.NORMAL
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def first_response_seconds(self) -> float | None:
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.opened_at).total_seconds()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
