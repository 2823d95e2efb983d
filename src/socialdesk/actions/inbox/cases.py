"""Case status changes, through the domain's state machine, and priority set by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.sla import do_apply_sla_events, status_events
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.domain.case import Case, CaseStatus, transition
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.routing import Priority
from socialdesk.domain.sla import PriorityChanged
from socialdesk.ports.uow import UnitOfWork


def check_change_case_status(
    uow: UnitOfWork, user: User, case_id: int, target: CaseStatus, now: datetime
) -> Case:
    case = access_case_by_id(uow, user, case_id)
    new_status = transition(case.status, target)  # raises InvalidTransition
    return do_change_case_status(uow, case, new_status, now, actor_id=user.id)


def do_change_case_status(
    uow: UnitOfWork, case: Case, status: CaseStatus, now: datetime, *, actor_id: int | None = None
) -> Case:
    """Move the case (recording it in the audit trail) and tell its SLA clocks."""
    resolved_at = now if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) else None
    changed = replace(case, status=status, resolved_at=resolved_at or case.resolved_at, updated_at=now)
    if status is CaseStatus.OPEN:
        changed = replace(changed, resolved_at=None)
    uow.cases.save_many([changed])
    do_apply_sla_events(
        uow, case.workspace_id, [(case.id, e) for e in status_events(case.status, status, now)], now
    )
    record(
        uow,
        case.workspace_id,
        now,
        actor_id,
        "status_changed",
        case_id=case.id,
        conversation_id=case.conversation_id,
        status=status.value,
        previous=case.status.value,
    )
    uow.emit(
        Event(
            case.workspace_id,
            EventKind.CONVERSATION_UPDATED,
            {"conversation_id": case.conversation_id, "case_id": case.id, "status": status.value},
        )
    )
    return changed


def check_set_case_priority(uow: UnitOfWork, user: User, case_id: int, priority: str, now: datetime) -> Case:
    """Set a case's priority by hand (low, normal, high, urgent): it orders the team's queue, and the
    case's running SLA clocks take the new priority's targets (time already spent still counts)."""
    case = access_case_by_id(uow, user, case_id)
    if priority not in Priority.__members__.values():
        choices = ", ".join(p.value for p in Priority)
        raise ValidationFailed(f"priority {priority!r}: expected one of {choices}")
    wanted = Priority(priority)
    if case.status is CaseStatus.CLOSED:
        raise ValidationFailed(f"case {case.id} is closed: its priority can no longer change")
    if case.priority is wanted:
        return case
    changed = replace(case, priority=wanted, updated_at=now)
    uow.cases.save_many([changed])
    do_apply_sla_events(uow, case.workspace_id, [(case.id, PriorityChanged(now, wanted))], now)
    record(
        uow,
        case.workspace_id,
        now,
        user.id,
        "priority_changed",
        case_id=case.id,
        conversation_id=case.conversation_id,
        priority=priority,
        previous=case.priority,
    )
    uow.emit(
        Event(
            case.workspace_id,
            EventKind.CONVERSATION_UPDATED,
            {"conversation_id": case.conversation_id, "case_id": case.id, "priority": priority},
        )
    )
    return changed
