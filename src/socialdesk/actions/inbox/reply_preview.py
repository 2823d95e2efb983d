"""The composer's length preview: a reply as it would be sent (signed), counted as its network counts it."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.domain.attribution import SignatureTooLong, sign_reply
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.reply_thread import split_thread
from socialdesk.domain.text_length import count, limit


@dataclass(frozen=True, slots=True)
class ComposePreview:
    text: str  # as it would be sent: signed, never shortened
    count: int
    limit: int | None
    remaining: int | None  # negative: over the limit by that much (sending is refused, or a thread)
    thread_parts: int = 1  # the posts it would take as a thread (1 when it fits)


def compose_preview(user: User, channel: str, text: str, sign: bool = True) -> ComposePreview:
    """How long a reply is on ``channel``, as the network counts it, with the agent's signature."""
    body = text.strip()
    signature = user.signature.strip() if sign else ""
    shown = body
    if signature and body and not body.endswith(signature):
        try:
            shown = sign_reply(body, signature, channel)
        except SignatureTooLong:
            shown = body
    most = limit(channel)
    used = count(channel, shown)
    parts = 1
    if most is not None and used > most:
        try:
            parts = len(split_thread(body, channel, signature))
        except ValidationFailed:
            parts = 0  # too long even for a thread
    return ComposePreview(shown, used, most, None if most is None else most - used, parts)
