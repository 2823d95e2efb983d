"""Snoozing a conversation: the inbox leaves it out until a time, then shows it again by itself (a
filter at query time, `ConversationQuery.awake_at`, so nothing has to wake it); the customer writing
after it was snoozed brings it back at once, so nothing they say waits hidden. Waking it early clears
the time. Only an active case snoozes: a resolved one has left the inbox already."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from socialdesk.actions.care_audit import record
from socialdesk.actions.case_tags import current_case
from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork
from socialdesk.ports_care import CaseCare

MAX_SNOOZE = timedelta(days=365)


def is_asleep(care: CaseCare | None, conversation: Conversation, now: datetime) -> bool:
    """Whether the inbox leaves the conversation out now (the same rule as the query's filter)."""
    if care is None or care.snoozed_until is None or care.snoozed_until <= now:
        return False
    since = care.snoozed_at
    return not (
        conversation.waiting_since is not None and since is not None and conversation.last_message_at > since
    )


def check_snooze(
    uow: UnitOfWork, user: User, conversation_id: int, until: datetime | None, now: datetime
) -> datetime | None:
    """Snooze until ``until`` (None: wake it now); refused for a time past or more than a year away."""
    case = current_case(uow, user, conversation_id)
    if until is not None:
        if until <= now:
            raise ValidationFailed(f"snooze until {until.isoformat()}: that time has passed")
        if until - now > MAX_SNOOZE:
            raise ValidationFailed("snooze: at most a year ahead")
        if not case.is_active:
            raise ValidationFailed(f"conversation {conversation_id} is {case.status}: nothing to snooze")
    care = uow.care.get_many(user.workspace_id, [case.id]).get(case.id, CaseCare(case.id))
    return do_snooze(uow, user, case, care, until, now)


def do_snooze(
    uow: UnitOfWork, user: User, case: Case, care: CaseCare, until: datetime | None, now: datetime
) -> datetime | None:
    uow.care.save(user.workspace_id, replace(care, snoozed_until=until, snoozed_at=now if until else None))
    action = "snoozed" if until is not None else "woken"
    extra = {"until": until.isoformat()} if until is not None else {}
    record(
        uow,
        user.workspace_id,
        now,
        user.id,
        action,
        case_id=case.id,
        conversation_id=case.conversation_id,
        **extra,
    )
    data = {"conversation_id": case.conversation_id, "case_id": case.id}
    uow.emit(Event(user.workspace_id, EventKind.CONVERSATION_UPDATED, data))
    return until
