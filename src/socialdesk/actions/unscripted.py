"""The unscripted guard: a public reply near-identical to the brand's recent public replies.

Customers want answers that are "not scripted". Before a public reply goes out, its text (without
the signature) is compared with every public reply the same brand account sent in the last 24 hours
(`knowledge.similarity`: shingled Jaccard over folded words, @mentions ignored). At or over the
workspace's threshold (`SOCIALDESK_UNSCRIPTED_SIMILARITY`, 0.9 by default) the composer warns while
the agent writes and, at send, holds the reply back once: the agent sends it anyway with one click
(`confirm_unscripted`), or makes it personal first. Nothing is ever refused for good. Every public
reply's check is recorded (`public_reply_checks`) for analytics: the share of near-identical
public replies per agent and per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction
from socialdesk.knowledge.similarity import MENTION, closest
from socialdesk.knowledge.text import words
from socialdesk.ports import UnitOfWork
from socialdesk.ports_assist import PriorReply

DEFAULT_THRESHOLD = 0.9
WINDOW = timedelta(hours=24)
RECENT_MAX = 2_000  # the brand's newest public replies compared with (a day of a very busy brand)
_OWN_WORDS = 8


@dataclass(frozen=True, slots=True)
class ScriptCheck:
    brand: str
    body: str
    similarity: float  # the highest against the brand's last 24 hours (0 with none)
    prior: PriorReply | None  # the reply it is closest to
    near_identical: bool


class NearIdenticalReply(ValidationFailed):
    """A public reply at or over the threshold, sent without `confirm_unscripted`."""

    def __init__(self, check: ScriptCheck) -> None:
        self.check = check
        percent = round(check.similarity * 100)
        super().__init__(
            f"this public reply is {percent}% the same as one the brand sent in the last 24 hours; "
            "make it personal (the customer's name, their own words) or confirm to send it as it is"
        )


def brand_key(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def check_script(
    uow: UnitOfWork, user: User, brand_handle: str, body: str, now: datetime, threshold: float
) -> ScriptCheck:
    """How close `body` is to the brand's public replies of the last 24 hours (a read)."""
    brand = brand_key(brand_handle)
    recent = uow.reply_checks.recent(user.workspace_id, brand, now - WINDOW, RECENT_MAX)
    score, where = closest(body, [r.body for r in recent])
    prior = recent[where] if where is not None else None
    return ScriptCheck(brand, body.strip(), score, prior, bool(recent) and score >= threshold)


def check_unscripted_reply(
    uow: UnitOfWork,
    user: User,
    brand_handle: str,
    body: str,
    now: datetime,
    *,
    threshold: float,
    confirmed: bool,
) -> ScriptCheck:
    """At send: the check, or `NearIdenticalReply` when near-identical and not confirmed."""
    check = check_script(uow, user, brand_handle, body, now, threshold)
    if check.near_identical and not confirmed:
        raise NearIdenticalReply(check)
    return check


def do_record_public_reply(
    uow: UnitOfWork, user: User, message_id: int, check: ScriptCheck, *, confirmed: bool, now: datetime
) -> None:
    """Record a sent public reply's check: the next replies are compared with it."""
    uow.reply_checks.add(
        user.workspace_id,
        message_id,
        user.id if user.id > 0 else None,
        check.brand,
        check.body,
        check.similarity,
        near_identical=check.near_identical,
        confirmed=confirmed and check.near_identical,
        now=now,
    )


def hints_for(uow: UnitOfWork, user: User, conversation_id: int, reply: str) -> list[str]:
    """`personal_hints` for the conversation's customer and their newest message."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    messages = uow.messages.list_for_conversation(user.workspace_id, conv.id)
    newest = next((m for m in reversed(messages) if m.direction is Direction.INBOUND), None)
    text = MENTION.sub(" ", newest.text) if newest else ""
    return personal_hints(conv.author_name, conv.author_handle, text, reply)


def personal_hints(customer_name: str, customer_handle: str, customer_text: str, reply: str) -> list[str]:
    """How to make the reply personal: their name if the reply lacks it, their own words."""
    hints: list[str] = []
    name = customer_name.strip().split()[0] if customer_name.strip() else ""
    folded = set(words(reply))
    if name and not set(words(name)) <= folded:
        hints.append(f"Greet them by name: {name}.")
    elif not name and customer_handle:
        hints.append(f"Speak to @{customer_handle.lstrip('@')} directly, not to everyone.")
    theirs = " ".join(customer_text.split()[:_OWN_WORDS]).strip()
    if theirs:
        hints.append(f"Answer in their own words: they wrote “{theirs}”.")
    return hints
