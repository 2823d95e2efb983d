"""The handoff to e-mail: the agent's message really leaves by e-mail, through the workspace's e-mail
channel account, and the customer's answer comes back into the same conversation.

The message is stored in the conversation as a private outbound e-mail (signed by the agent) and put in
the outbox for the e-mail network, addressed to the given address. The sender gives it a Message-ID,
which becomes the message's external id once sent: the customer's reply names it in ``In-Reply-To``,
so it joins this conversation (one case, one history).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from socialdesk.actions.inbox.replies import do_mark_answered
from socialdesk.domain.attribution import sign_letter
from socialdesk.domain.conversation import Conversation, subject_of
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.networks import EMAIL_NETWORK
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports.inbox import NewMessage
from socialdesk.ports.uow import UnitOfWork

_ADDRESS = re.compile(r"^[^@\s<>,;\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
MAX_LETTER = 20_000


def check_email_address(address: str) -> str:
    found = address.strip()
    if not _ADDRESS.match(found):
        raise ValidationFailed(f"address: {found[:100]!r} is not an e-mail address (name@example.com)")
    return found


def do_send_handoff_email(
    uow: UnitOfWork, user: User, conv: Conversation, address: str, text: str, now: datetime
) -> Message:
    """Queue ``text`` as an e-mail to ``address`` from the workspace's e-mail account; the message."""
    ws = user.workspace_id
    accounts = [a for a in uow.channels.list(ws) if a.network == EMAIL_NETWORK and a.is_active]
    if not accounts:
        raise ValidationFailed(
            "an e-mail handoff with a message needs the workspace's e-mail account: add one with "
            "`socialdesk channels add email` (or leave the message out to only record the handoff)"
        )
    body = text.strip()
    if len(body) > MAX_LETTER:
        raise ValidationFailed(
            f"message: {len(body)} characters; an e-mail handoff takes at most {MAX_LETTER}"
        )
    account = accounts[0]
    signed = sign_letter(body, user.name, user.signature)
    [message_id] = uow.messages.add_many(
        ws,
        [
            NewMessage(
                conversation_id=conv.id,
                channel=EMAIL_NETWORK,
                external_id=None,
                direction=Direction.OUTBOUND,
                visibility=Visibility.PRIVATE,
                text=signed,
                created_at=now,
                author_handle=account.handle,
                author_name=user.name,
                sent_by_user_id=user.id,
                delivery="pending",
            )
        ],
    )
    message = uow.messages.get(ws, message_id)
    assert message is not None
    first = next(
        (m for m in uow.messages.list_for_conversation(ws, conv.id) if m.direction is Direction.INBOUND), None
    )
    subject = subject_of(first.text, 80) if first is not None else ""
    uow.outbox.add(
        ws,
        message.id,
        EMAIL_NETWORK,
        uuid.uuid4().hex,
        {
            "text": signed,
            "visibility": Visibility.PRIVATE.value,
            "in_reply_to": None,
            "conversation_id": conv.id,
            "recipient": address,
            "account": account.handle,
            "subject": f"About your message: {subject}"[:200] if subject else "About your message",
        },
        now,
    )
    do_mark_answered(uow, ws, conv, message, now)
    return message
