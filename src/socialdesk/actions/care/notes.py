"""Internal notes on a conversation, with @-mentions that notify the colleagues they name."""

from __future__ import annotations

from datetime import datetime

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.care import mentioned_users
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.care import Note
from socialdesk.ports.uow import UnitOfWork

MAX_NOTE_CHARS = 10_000


def check_add_note(uow: UnitOfWork, user: User, conversation_id: int, text: str, now: datetime) -> Note:
    """An internal note: stored apart from messages, so it can never reach the outbox or a customer.

    Colleagues it @-mentions (by email local part or name) get a notification.
    """
    conv = access_conversation_by_id(uow, user, conversation_id)
    body = text.strip()
    if not body or len(body) > MAX_NOTE_CHARS:
        raise ValidationFailed(f"a note has 1 to {MAX_NOTE_CHARS} characters")
    ws = user.workspace_id
    mentioned = [u for u in mentioned_users(body, uow.users.list(ws)) if u.id != user.id]
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    case_id = case.id if case else None
    note = uow.notes.add(ws, conv.id, case_id, user.id, body, [u.id for u in mentioned], now)
    record(
        uow,
        ws,
        now,
        user.id,
        "note_added",
        case_id=case_id,
        conversation_id=conv.id,
        note_id=note.id,
        mentions=[u.id for u in mentioned],
    )
    uow.emit(Event(ws, EventKind.NOTE_ADDED, {"conversation_id": conv.id, "note_id": note.id}))
    for colleague in mentioned:
        notify(uow, ws, colleague.id, "mention", now, user.id, note_id=note.id, conversation_id=conv.id,
               text=body[:200])  # fmt: skip
    return note
