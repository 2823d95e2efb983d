"""Tags on a conversation's current case, set by hand (routing sets the first ones): replaced, added to
or taken from, audited, and told to the live inbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from socialdesk.actions.care_audit import record
from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.domain.case import Case
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.tags import merged, normalize_tags
from socialdesk.ports import UnitOfWork
from socialdesk.ports_care import CaseCare


def current_case(uow: UnitOfWork, user: User, conversation_id: int) -> Case:
    """The conversation's current case (NotFound outside the user's workspace), or a refusal."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    case = uow.cases.current_for(user.workspace_id, [conv.id]).get(conv.id)
    if case is None:
        raise ValidationFailed(f"conversation {conv.id} has no case yet")
    return case


def check_change_tags(
    uow: UnitOfWork,
    user: User,
    conversation_id: int,
    now: datetime,
    *,
    replace_with: tuple[str, ...] | None = None,
    add: tuple[str, ...] = (),
    remove: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Set the tags (``replace_with``), or add and remove some; returns the tags now on the case."""
    case = current_case(uow, user, conversation_id)
    care = uow.care.get_many(user.workspace_id, [case.id]).get(case.id, CaseCare(case.id))
    if replace_with is not None:
        tags = normalize_tags(replace_with)
    else:
        tags = merged(care.tags, normalize_tags(add), normalize_tags(remove))
    return do_set_tags(uow, user, case, care, tags, now)


def do_set_tags(
    uow: UnitOfWork, user: User, case: Case, care: CaseCare, tags: tuple[str, ...], now: datetime
) -> tuple[str, ...]:
    if tags == care.tags:
        return tags
    uow.care.save(user.workspace_id, replace(care, tags=tags))
    record(
        uow,
        user.workspace_id,
        now,
        user.id,
        "tags_changed",
        case_id=case.id,
        conversation_id=case.conversation_id,
        tags=list(tags),
        previous=list(care.tags),
    )
    data = {"conversation_id": case.conversation_id, "case_id": case.id}
    uow.emit(Event(user.workspace_id, EventKind.CONVERSATION_UPDATED, data))
    return tags
