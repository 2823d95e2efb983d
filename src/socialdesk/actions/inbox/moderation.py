"""Hiding, showing again and deleting a customer's public comment from its conversation.

The network call happens between the two steps (web layer): :func:`check_moderate_comment` validates
the request and the role and returns the comment's message; once the network has done it,
:func:`do_record_moderation` audits it and tells the conversation's viewers. Any agent who can open
the conversation may hide or show a comment again; deleting one (it cannot be undone) is for admins
and team leads.
"""

from __future__ import annotations

from datetime import datetime

from socialdesk.actions.accounts.roles import require_care_configuration
from socialdesk.actions.care.audit import record
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports.uow import UnitOfWork

MODERATION = ("hide", "unhide", "delete")


def check_moderate_comment(
    uow: UnitOfWork, user: User, conversation_id: int, message_id: int, action: str
) -> Message:
    """The customer's public comment ``message_id`` in the conversation, once the request is valid."""
    if action not in MODERATION:
        raise ValidationFailed(f"action {action!r}: expected one of {', '.join(MODERATION)}")
    conv = access_conversation_by_id(uow, user, conversation_id)
    message = uow.messages.get(user.workspace_id, message_id)
    if message is None or message.conversation_id != conv.id:
        raise NotFound(f"conversation {conversation_id} has no message {message_id}")
    if message.direction is not Direction.INBOUND or message.visibility is not Visibility.PUBLIC:
        raise ValidationFailed("only a customer's public comment can be hidden or deleted")
    if not message.external_id:
        raise ValidationFailed("this message has no id on the network")
    if action == "delete":
        require_care_configuration(user, "delete a customer's comment (hide it instead)")
    return message


def do_record_moderation(uow: UnitOfWork, user: User, message: Message, action: str, now: datetime) -> None:
    """Audit what the network did, and tell the conversation's viewers. The caller commits."""
    record(
        uow,
        user.workspace_id,
        now,
        user.id,
        f"comment.{action}",
        conversation_id=message.conversation_id,
        message_id=message.id,
        channel=message.channel,
        external_id=message.external_id,
    )
    uow.emit(
        Event(user.workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": message.conversation_id})
    )
