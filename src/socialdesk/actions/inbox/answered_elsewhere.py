"""Recording that a conversation was answered outside socialdesk (another channel, e-mail, phone).

A conversation from a channel that cannot send (an RSS feed, a generic webhook source: see
``domain/networks.py``) cannot take a reply. The agent answers the customer elsewhere and says so
here, with how (``via``) and a link or reference. That explicit record, like a delivery the outbox
confirmed, is what sets the case's first response: a reply that was never sent never counts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.sla import do_apply_sla_events
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.actions.inbox.replies import do_mark_answered
from socialdesk.domain.case import after_agent_reply
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.domain.sla import AgentReply
from socialdesk.ports.inbox import NewMessage
from socialdesk.ports.uow import UnitOfWork

__all__ = ["ELSEWHERE", "VIA", "check_answered_elsewhere", "do_answered_elsewhere"]

ELSEWHERE = "answered_elsewhere"  # the delivery of the thread's record: never sent by socialdesk
VIA = {"channel": "another channel", "email": "e-mail", "phone": "phone"}
MAX_REFERENCE = 2000


def check_answered_elsewhere(
    uow: UnitOfWork, user: User, conversation_id: int, via: str, reference: str, now: datetime
) -> Message:
    """Validate (how, and a link or reference), then :func:`do_answered_elsewhere`. The caller commits.

    ``reference`` is a link (``https://...``: the answer on the other channel) or, for e-mail and
    phone, a short reference (a ticket number, "called at 14:05"); a link is required for ``channel``.
    """
    conv = access_conversation_by_id(uow, user, conversation_id)
    if via not in VIA:
        raise ValidationFailed(f"via {via!r}: expected one of {', '.join(VIA)}")
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed(f"reference is {len(reference)} characters; at most {MAX_REFERENCE}")
    looks_like_link = "://" in reference or reference.startswith("www.")
    if looks_like_link:
        parts = urlsplit(reference)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationFailed("reference: a link must be an http(s) address, e.g. https://x.com/...")
    if via == "channel" and not looks_like_link:
        raise ValidationFailed("reference: give the link to the answer on the other channel")
    if not reference:
        raise ValidationFailed("reference: give a link or a reference (ticket number, call time)")
    return do_answered_elsewhere(uow, user, conv, via, reference, now)


def do_answered_elsewhere(
    uow: UnitOfWork, user: User, conv: Conversation, via: str, reference: str, now: datetime
) -> Message:
    """Record the answer in the thread (never sent), and count it as the brand's answer: conversation,
    case status and first response, SLA."""
    ws = user.workspace_id
    [message_id] = uow.messages.add_many(
        ws,
        [
            NewMessage(
                conversation_id=conv.id,
                channel=conv.channel,
                external_id=None,
                direction=Direction.OUTBOUND,
                visibility=Visibility.PRIVATE,
                text=f"Answered elsewhere ({VIA[via]}): {reference}",
                created_at=now,
                author_handle="",
                author_name=user.name,
                sent_by_user_id=user.id,
                delivery=ELSEWHERE,
            )
        ],
    )
    message = uow.messages.get(ws, message_id)
    assert message is not None
    do_mark_answered(uow, ws, conv, message, now)
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    if case is not None and case.is_active:
        first = case.first_response_at or now
        uow.cases.save_many(
            [replace(case, first_response_at=first, status=after_agent_reply(case.status), updated_at=now)]
        )
        do_apply_sla_events(uow, ws, [(case.id, AgentReply(now))], now)
    record(
        uow,
        ws,
        now,
        user.id,
        ELSEWHERE,
        case_id=case.id if case else None,
        conversation_id=conv.id,
        message_id=message.id,
        via=via,
        reference=reference,
    )
    uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": conv.id}))
    return message
