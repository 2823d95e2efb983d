"""Follow-ups: promises an agent makes to come back to a conversation, kept by the next public reply,
breached when due passes first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.care import FollowUpStatus
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.care import FollowUp
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork


def check_create_follow_up(
    uow: UnitOfWork, user: User, conversation_id: int, due_at: datetime, note: str, now: datetime
) -> FollowUp:
    """A follow-up the user owns: kept by the next public reply, breached when due passes first."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    if due_at <= now:
        raise ValidationFailed("due_at must be in the future")
    ws = user.workspace_id
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    follow = uow.follow_ups.add(ws, conv.id, case.id if case else None, user.id, due_at, note.strip(), now)
    record(
        uow,
        ws,
        now,
        user.id,
        "follow_up_created",
        case_id=follow.case_id,
        conversation_id=conv.id,
        follow_up_id=follow.id,
        due_at=due_at.isoformat(),
    )
    return follow


def list_follow_ups(uow: UnitOfWork, user: User, due_now: bool, now: datetime) -> list[FollowUp]:
    """The user's open follow-ups (only those due by ``now`` with ``due_now``)."""
    return uow.follow_ups.list(
        user.workspace_id, owner_id=user.id, status=FollowUpStatus.OPEN, due_before=now if due_now else None
    )


@dataclass
class FollowUpCheckReport:
    breached: int = 0


def do_check_follow_ups(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> FollowUpCheckReport:
    """Mark open follow-ups whose due time has passed as breached; audit and notify their owners."""
    report = FollowUpCheckReport()
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    for ws in workspaces:
        with uow_factory() as uow:
            now = clock.now()
            for follow in uow.follow_ups.list(ws, status=FollowUpStatus.OPEN, due_before=now):
                if follow.due_at >= now:
                    continue
                uow.follow_ups.close(ws, follow.id, FollowUpStatus.BREACHED, now)
                notify(uow, ws, follow.owner_id, "follow_up_missed", now, None, follow_up_id=follow.id,
                       conversation_id=follow.conversation_id, note=follow.note)  # fmt: skip
                record(
                    uow,
                    ws,
                    now,
                    None,
                    "follow_up_breached",
                    case_id=follow.case_id,
                    conversation_id=follow.conversation_id,
                    follow_up_id=follow.id,
                    owner_id=follow.owner_id,
                )
                report.breached += 1
    return report
