"""Agent replies: written with their outbox row in one transaction; the dispatcher sends them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.domain.case import after_agent_reply
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports import NewMessage, UnitOfWork

MAX_REPLY_CHARS = 10_000


def check_send_reply(
    uow: UnitOfWork, user: User, conversation_id: int, text: str, visibility: Visibility, now: datetime
) -> Message:
    """Validate, then record the reply and queue it for sending. The caller commits."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    body = text.strip()
    if not body:
        raise ValidationFailed("reply text is empty")
    if len(body) > MAX_REPLY_CHARS:
        raise ValidationFailed(f"reply text is {len(body)} characters; at most {MAX_REPLY_CHARS}")
    return do_send_reply(uow, user, conv.id, body, visibility, now)


def do_send_reply(
    uow: UnitOfWork, user: User, conversation_id: int, text: str, visibility: Visibility, now: datetime
) -> Message:
    ws = user.workspace_id
    conv = uow.conversations.get(ws, conversation_id)
    assert conv is not None
    thread = uow.messages.list_for_conversation(ws, conv.id)
    last_inbound = next((m for m in reversed(thread) if m.direction is Direction.INBOUND), None)
    in_reply_to = last_inbound.external_id if last_inbound else None
    brand_handle = next((b.handle for b in uow.brands.list(ws) if b.channel == conv.channel), "")
    [message_id] = uow.messages.add_many(
        ws,
        [
            NewMessage(
                conversation_id=conv.id,
                channel=conv.channel,
                external_id=None,
                direction=Direction.OUTBOUND,
                visibility=visibility,
                text=text,
                created_at=now,
                author_handle=brand_handle,
                author_name=user.name,
                in_reply_to=in_reply_to,
                sent_by_user_id=user.id,
                delivery="pending",
            )
        ],
    )
    key = uuid.uuid4().hex
    uow.outbox.add(
        ws,
        message_id,
        conv.channel,
        key,
        {
            "text": text,
            "visibility": visibility.value,
            "in_reply_to": in_reply_to,
            "conversation_id": conv.id,
            "recipient": conv.author_handle,
        },
        now,
    )
    uow.conversations.save_many(
        [
            replace(
                conv,
                waiting_since=None,
                urgency=0,
                last_message_at=now,
                last_text=text,
                message_count=conv.message_count + 1,
            )
        ]
    )
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    if case is not None and case.is_active:
        first = case.first_response_at or now
        uow.cases.save_many(
            [replace(case, first_response_at=first, status=after_agent_reply(case.status), updated_at=now)]
        )
    uow.emit(Event(ws, "conversation.updated", {"conversation_id": conv.id}))
    message = uow.messages.get(ws, message_id)
    assert message is not None
    return message
