"""What a conversation page shows, gathered in one place: the thread, the case with its SLA countdown,
assignment and audit trail, internal notes, held replies, the customer's handles and who else is here.

Every view that answers with the conversation (page or live fragment) goes through
:func:`conversation_response`, so a refused reply or status change shows the same page with its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, status
from starlette.background import BackgroundTask
from starlette.responses import Response

from socialdesk.actions.care.audit import case_audit
from socialdesk.actions.care.macros import list_macros
from socialdesk.actions.care.presence import get_presence
from socialdesk.actions.inbox.answered_elsewhere import VIA
from socialdesk.actions.inbox.conversations import (
    ConversationDetail,
    customer_history,
    get_conversation_detail,
    private_conversations,
)
from socialdesk.actions.inbox.preferences import SNOOZE_PRESETS, get_preferences
from socialdesk.actions.inbox.replies import MAX_REPLY_CHARS
from socialdesk.actions.inbox.reply_brand import brand_choices, current_brand
from socialdesk.actions.knowledge.unscripted import ScriptCheck
from socialdesk.actions.listening.rules import CORRECTABLE
from socialdesk.domain.case import TRANSITIONS
from socialdesk.domain.errors import NotFound
from socialdesk.domain.networks import can_reply, why_no_reply
from socialdesk.domain.people import ContactHandle, Role, User
from socialdesk.domain.promises import Promise
from socialdesk.domain.text_length import limit
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.care import Approval, AuditEntry, FollowUp, Presence, PresenceHub
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.web.api.care_collab import presence_hub
from socialdesk.web.api.moderation import comment_moderator
from socialdesk.web.inputs import Id
from socialdesk.web.ui.responses import is_htmx, not_found, page_context
from socialdesk.web.ui.sla_display import countdown
from socialdesk.web.ui.suggestions_view import Draft, composer_suggestions
from socialdesk.web.ui.templating import STATUS_ORDER, render
from socialdesk.web.ui.triage_view import triage_views


@dataclass(frozen=True, slots=True)
class Notice:
    """What the composer shows after a send: a held reply, a promise to confirm, newer messages."""

    kind: str  # sent, held, stale, follow_up, confirm_public, confirm_unscripted
    proposed: Promise | None = None
    approval: Approval | None = None
    newer: tuple[Any, ...] = ()  # the messages that arrived since the agent's view (kind "stale")
    form: dict[str, str] | None = None  # the refused reply's fields, to send anyway (stale, confirm_public)
    follow_up: FollowUp | None = None  # the follow-up set with the reply (or confirmed after it)
    script: ScriptCheck | None = None  # confirm_unscripted: how close to which earlier reply
    hints: tuple[str, ...] = ()  # confirm_unscripted: how to make it personal


@dataclass(frozen=True, slots=True)
class Here:
    """A colleague viewing or typing in this conversation."""

    user: User
    state: str

    @property
    def initials(self) -> str:
        return "".join(p[0] for p in self.user.name.split()[:2]).upper() or "?"


def others_here(presences: list[Presence], people: dict[int, User], me: User) -> list[Here]:
    return [Here(people[p.user_id], p.state) for p in presences if p.user_id != me.id and p.user_id in people]


def _held_replies(uow: UnitOfWork, user: User, detail: ConversationDetail) -> dict[int, Approval]:
    """The approval of each reply of this conversation that waited (or waits) for an approver."""
    ids = {m.id for m in detail.messages if m.delivery in ("awaiting_approval", "returned")}
    if not ids:
        return {}
    return {a.message_id: a for a in uow.approvals.list(user.workspace_id, None) if a.message_id in ids}


def _audit(uow: UnitOfWork, user: User, detail: ConversationDetail) -> list[AuditEntry]:
    entries = [e for case in detail.cases for e in case_audit(uow, user, case.id)]
    return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)


def _handles(uow: UnitOfWork, detail: ConversationDetail) -> list[ContactHandle]:
    contact_id = detail.conversation.contact_id
    return uow.contacts.handles_of(detail.conversation.workspace_id, contact_id) if contact_id else []


def conversation_context(
    runtime: Runtime, hub: PresenceHub, user: User, conversation_id: Id, error: str | None
) -> dict[str, Any]:
    """Everything the conversation templates read. Raises NotFound for another workspace's id."""
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        detail = get_conversation_detail(uow, user, conversation_id)
        people = {u.id: u for u in uow.users.list(user.workspace_id)}
        held = _held_replies(uow, user, detail)
        audit = _audit(uow, user, detail)
        handles = _handles(uow, detail)
        history = customer_history(uow, user, detail.conversation)
        here = others_here(get_presence(uow, hub, user, conversation_id, now), people, user)
        choices = brand_choices(uow, user.workspace_id, detail.conversation.channel)
        reply_brand = current_brand(uow, detail.conversation)
        private = bool(private_conversations(uow, user, [conversation_id]))
        macros = list_macros(uow, user)
        zone = get_preferences(uow, user).zone
    case = detail.case
    care = detail.care.get(case.id) if case else None
    return {
        "detail": detail,
        "targets": [s for s in STATUS_ORDER if case is not None and s in TRANSITIONS[case.status]],
        "now": now,
        "error": error,
        "triage": triage_views(detail.messages),
        "correctable": CORRECTABLE,
        "people": people,
        "assignable": sorted((u for u in people.values() if u.is_active), key=lambda u: u.name.casefold()),
        "care": care,
        "countdown": countdown(care, now),
        "held": held,
        "audit": audit,
        "handles": handles,
        "history": history,
        "here": here,
        "last_message_id": max((m.id for m in detail.messages), default=0),
        "channel_limit": limit(detail.conversation.channel),
        "brand_choices": choices,  # the accounts a reply may go out as (the composer's "sending as")
        "reply_brand": reply_brand,  # the conversation's brand; None: the agent must choose
        # The customer's newest message is private: the composer defaults to a private message.
        "private_conversation": private,
        "can_reply": can_reply(detail.conversation.channel),
        "no_reply_reason": why_no_reply(detail.conversation.channel),
        # Where this customer can be answered instead: their conversations on channels that send.
        "reply_elsewhere": [r for r in history if can_reply(r.conversation.channel)],
        "answered_via": VIA,
        "macros": macros,  # applied with a click or the keys 1 to 9 (desk.js)
        "zone": zone,  # the user's time zone: the `timestamp` filter shows times in it
        "snooze_presets": SNOOZE_PRESETS,
        # Customers' public comments can be hidden or deleted from here where the workspace's account on
        # the channel can (Facebook, Instagram): the buttons beside each.
        "moderatable": comment_moderator(runtime, detail.conversation.channel, user.workspace_id) is not None,
        "can_delete_comments": user.role in (Role.ADMIN, Role.LEAD),
    }


def conversation_response(
    request: Request,
    runtime: Runtime,
    user: User,
    session: WebSession,
    conversation_id: Id,
    error: str | None = None,
    status_code: int = status.HTTP_200_OK,
    *,
    fragment: bool | None = None,
    notice: Notice | None = None,
    draft: Draft | None = None,
) -> Response:
    """The live fragment for HTMX (or when asked), the whole page otherwise, as the thread is now.

    A ``notice`` rides along out of band into the composer (a live refresh must not wipe it). The
    whole page also shows the knowledge base's suggestions; ``draft`` fills the composer.
    """
    try:
        context = conversation_context(runtime, presence_hub(request), user, conversation_id, error)
    except NotFound:
        return not_found(user, session, "conversation")
    context = page_context(user, session, notice=notice, **context)
    if fragment or (fragment is None and is_htmx(request)):
        return render(
            "_conversation_live.html", status_code, oob_notice=notice is not None, oob_cases=True, **context
        )
    page: dict[str, Any] = {"max_reply": MAX_REPLY_CHARS, "oob_notice": False, "oob_cases": False}
    suggestions, record = (
        composer_suggestions(runtime, user, conversation_id) if context["can_reply"] else ([], None)
    )
    page |= {"kb_suggestions": suggestions, "draft": draft or Draft()}
    response = render("conversation.html", status_code, **page, **context)
    if record is not None:
        response.background = BackgroundTask(record)  # after the page is sent
    return response
