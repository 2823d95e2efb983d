"""Agent replies: written with their outbox row in one transaction; the dispatcher sends them.

On the way: the stale-reply guard (newer messages than the one the agent saw), the agent's signature
(public replies; never shortened: over the network's limit the reply is refused, or sent as a numbered
thread when the agent asks), approval (trainees and risky wording wait for an
approver, with no outbox row), the SLA clocks, and promises ("we'll get back to you by Friday").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from socialdesk.actions.care_audit import record
from socialdesk.actions.care_notifications import notify_reviewers
from socialdesk.actions.care_sla import do_apply_sla_events
from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.reply_brand import current_brand, resolve_reply_brand
from socialdesk.actions.unscripted import DEFAULT_THRESHOLD, check_unscripted_reply, do_record_public_reply
from socialdesk.domain.attribution import over_limit, sign_letter, sign_reply
from socialdesk.domain.care import (
    ApprovalRule,
    FollowUpStatus,
    PublicReplyNeedsConfirmation,
    StaleReply,
    approval_reasons,
)
from socialdesk.domain.case import after_agent_reply
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.networks import can_reply, only_private, private_rule, signs_private, why_no_reply
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.domain.promises import Promise, detect_promise
from socialdesk.domain.reply_thread import split_thread
from socialdesk.domain.sla import AgentReply
from socialdesk.domain.sla_codec import hours_from_json
from socialdesk.ports import NewMessage, UnitOfWork
from socialdesk.ports_care import Approval, FollowUp

MAX_REPLY_CHARS = 10_000
APPROVAL_RULES = "approval_rules"


@dataclass(frozen=True, slots=True)
class ReplyResult:
    message: Message
    approval: Approval | None = None  # set when the reply waits for an approver
    proposed_follow_up: Promise | None = None  # a promise found in the text, for the agent to confirm
    follow_up: FollowUp | None = None  # the follow-up the agent asked for with the reply
    thread: tuple[Message, ...] = ()  # every part, in order, when the reply went out as a thread


def check_send_reply(
    uow: UnitOfWork, user: User, conversation_id: int, text: str, visibility: Visibility, now: datetime
) -> Message:
    """Validate, then record the reply and queue it for sending. The caller commits."""
    return check_reply(uow, user, conversation_id, text, visibility, now, confirm_stale=True).message


def check_reply(
    uow: UnitOfWork,
    user: User,
    conversation_id: int,
    text: str,
    visibility: Visibility | None,
    now: datetime,
    *,
    seen_message_id: int | None = None,
    confirm_stale: bool = False,
    confirm_public: bool = False,
    follow_up: tuple[datetime, str] | None = None,
    brand_account_id: int | None = None,
    thread: bool = False,
    unscripted_threshold: float = DEFAULT_THRESHOLD,
    confirm_unscripted: bool = True,
) -> ReplyResult:
    """Validate (privacy, stale guard, length with signature, brand), then :func:`do_send_reply`. The
    caller commits.

    ``visibility`` None takes the conversation's: private when its newest customer message is private
    (a DM), else public. A public reply in such a conversation raises
    :class:`PublicReplyNeedsConfirmation` unless ``confirm_public``. With ``seen_message_id`` (the
    newest message the agent saw) and newer messages in the conversation, raise :class:`StaleReply`
    listing them, unless ``confirm_stale``. ``brand_account_id`` picks the brand account to send as
    (see :mod:`socialdesk.actions.reply_brand`). A public reply near-identical to the brand's last
    24 hours raises :class:`NearIdenticalReply` unless ``confirm_unscripted`` (actions/unscripted.py).
    """
    conv = access_conversation_by_id(uow, user, conversation_id)
    if only_private(conv.channel) and visibility is Visibility.PUBLIC:
        raise ValidationFailed(
            f"a {conv.channel} conversation is private: it is answered by {conv.channel} only, "
            "as a private message (leave visibility out or send it private)"
        )
    visibility = check_reply_visibility(uow, conv, visibility, confirm_public=confirm_public)
    if not can_reply(conv.channel):
        raise ValidationFailed(
            f"{why_no_reply(conv.channel)}; answer the customer on another channel, by e-mail or phone, "
            "and record it as answered elsewhere"
        )
    body = text.strip()
    if not body:
        raise ValidationFailed("reply text is empty")
    if len(body) > MAX_REPLY_CHARS:
        raise ValidationFailed(f"reply text is {len(body)} characters; at most {MAX_REPLY_CHARS}")
    if seen_message_id is not None and not confirm_stale:
        newer = [
            m
            for m in uow.messages.list_for_conversation(user.workspace_id, conv.id)
            if m.id > seen_message_id
        ]
        if newer:
            raise StaleReply(newer)
    if follow_up is not None and follow_up[0] <= now:
        raise ValidationFailed("follow_up.due_at must be in the future")
    brand = resolve_reply_brand(uow, conv, brand_account_id)
    brand_handle = brand.handle if brand else ""
    public = visibility is Visibility.PUBLIC
    if not public:
        check_private_length(body, conv.channel)
        return _send(uow, user, conv, body, visibility, now, follow_up, brand_handle, thread=thread)
    script = check_unscripted_reply(
        uow, user, brand_handle, body, now, threshold=unscripted_threshold, confirmed=confirm_unscripted
    )
    result = _send(uow, user, conv, body, visibility, now, follow_up, brand_handle, thread=thread)
    do_record_public_reply(uow, user, result.message.id, script, confirmed=confirm_unscripted, now=now)
    return result


def _send(
    uow: UnitOfWork,
    user: User,
    conv: Conversation,
    body: str,
    visibility: Visibility,
    now: datetime,
    follow_up: tuple[datetime, str] | None,
    brand_handle: str,
    *,
    thread: bool,
) -> ReplyResult:
    public = visibility is Visibility.PUBLIC
    if thread and public:
        parts = [p.text for p in split_thread(body, conv.channel, user.signature)]
        if len(parts) > 1:
            if approval_reasons(body, user, approval_rules(uow, user.workspace_id)):
                raise ValidationFailed(
                    "this reply needs an approver, and a reply waiting for approval cannot go out as a "
                    "thread yet: shorten it to one post"
                )
            return do_send_thread(uow, user, conv, parts, now, body, follow_up, brand_handle)
    signed = signed_text(body, user.signature, conv.channel) if public else body
    if not public and signs_private(conv.channel):  # an e-mail is signed by its agent
        signed = sign_letter(body, user.name, user.signature)
    return do_send_reply(
        uow,
        user,
        conv,
        signed,
        visibility,
        now,
        body=body,
        follow_up=follow_up,
        brand_handle=brand_handle,
    )


def is_private_conversation(uow: UnitOfWork, conv: Conversation) -> bool:
    """Whether the conversation's newest customer message is private (a direct message)."""
    return conv.id in uow.messages.private_conversations(conv.workspace_id, [conv.id])


def check_reply_visibility(
    uow: UnitOfWork, conv: Conversation, visibility: Visibility | None, *, confirm_public: bool
) -> Visibility:
    """The visibility a reply goes out with: the asked one, or by default the conversation's (private
    when its newest customer message is private). Going public there needs ``confirm_public``."""
    private = is_private_conversation(uow, conv)
    if visibility is None:
        return Visibility.PRIVATE if private else Visibility.PUBLIC
    if visibility is Visibility.PUBLIC and private and not confirm_public:
        raise PublicReplyNeedsConfirmation(conv.author_handle)
    return visibility


def check_private_length(body: str, channel: str) -> None:
    """A private message over what the network takes is refused here, naming the limit (never cut)."""
    found = private_rule(channel)
    if found is None or found.limit is None:
        return
    most, length = found.limit, found.count(body)
    if length > most:
        raise ValidationFailed(
            f"private message is {length} characters; a private message on {channel} takes at most {most}"
        )


def do_send_thread(
    uow: UnitOfWork,
    user: User,
    conv: Conversation,
    parts: list[str],
    now: datetime,
    body: str,
    follow_up: tuple[datetime, str] | None,
    brand_handle: str,
) -> ReplyResult:
    """Record and queue each part of a thread; each part's outbox item waits for the one before it
    (``thread_after``), so they go out in order, each answering the previous one."""
    messages: list[Message] = []
    result = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        result = do_send_reply(
            uow,
            user,
            conv,
            part,
            Visibility.PUBLIC,
            now,
            body=body if last else "",
            follow_up=follow_up if last else None,
            brand_handle=brand_handle,
            thread_after=messages[-1].id if messages else None,
        )
        messages.append(result.message)
    assert result is not None
    return replace(result, message=messages[0], thread=tuple(messages))


def signed_text(body: str, signature: str, channel: str) -> str:
    """The reply as it goes out: the agent's signature appended, never shortened.

    Raises :class:`ReplyTooLong` (a ValidationFailed naming the limit) when it is over the channel's
    limit, and :class:`SignatureTooLong` when the signature alone cannot fit.
    """
    signature = signature.strip()
    text = sign_reply(body, signature, channel) if signature and not body.endswith(signature) else body
    too_long = over_limit(channel, text)
    if too_long is not None:
        raise too_long
    return text


def approval_rules(uow: UnitOfWork, workspace_id: int) -> list[ApprovalRule]:
    found = uow.settings.get(workspace_id, APPROVAL_RULES) or []
    return [ApprovalRule(r["kind"], r.get("value", "")) for r in found]


def do_send_reply(
    uow: UnitOfWork,
    user: User,
    conv: Conversation,
    text: str,
    visibility: Visibility,
    now: datetime,
    *,
    body: str | None = None,
    follow_up: tuple[datetime, str] | None = None,
    brand_handle: str | None = None,
    thread_after: int | None = None,
    hold: tuple[str, ...] = (),
    outbox: tuple[str, datetime | None] | None = None,
) -> ReplyResult:
    """Record the reply; queue it (outbox) unless it needs approval, then it waits with no outbox row.

    It goes out as ``brand_handle`` (default: the conversation's brand account); with
    ``thread_after`` (a part of a thread), after that message is sent, as a reply to it. ``hold``
    adds reasons to wait for an approver; ``outbox`` gives the outbox row's idempotency key and the
    time before which it is not sent (an incident's replies: actions/incident_outreach.py)."""
    ws = user.workspace_id
    thread = uow.messages.list_for_conversation(ws, conv.id)
    # A private message answers the customer's newest message; a public reply their newest public one
    # (never a DM's id: a public post cannot answer a private message, and must not point at it).
    public = visibility is Visibility.PUBLIC
    last_inbound = next(
        (
            m
            for m in reversed(thread)
            if m.direction is Direction.INBOUND and (not public or m.visibility is Visibility.PUBLIC)
        ),
        None,
    )
    in_reply_to = last_inbound.external_id if last_inbound else None
    if brand_handle is None:
        brand = current_brand(uow, conv)
        brand_handle = brand.handle if brand else ""
    reasons = [*approval_reasons(text, user, approval_rules(uow, ws)), *hold]
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
                delivery="awaiting_approval" if reasons else "pending",
            )
        ],
    )
    message = uow.messages.get(ws, message_id)
    assert message is not None
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    case_id = case.id if case else None
    approval = None
    if reasons:
        approval = uow.approvals.add(ws, message_id, conv.id, user.id, reasons, now)
        record(
            uow,
            ws,
            now,
            user.id,
            "reply_held",
            case_id=case_id,
            conversation_id=conv.id,
            message_id=message_id,
            approval_id=approval.id,
            reasons=reasons,
        )
        uow.emit(
            Event(ws, EventKind.APPROVAL_REQUESTED, {"approval_id": approval.id, "conversation_id": conv.id})
        )
        notify_reviewers(uow, ws, "approval_requested", now, user.id, approval_id=approval.id,
                         conversation_id=conv.id)  # fmt: skip
    else:
        key, not_before = outbox if outbox is not None else (None, None)
        queue_reply(
            uow, user.id, conv, message, now, thread_after=thread_after, key=key, not_before=not_before
        )
    follow = None
    if follow_up is not None:
        follow = uow.follow_ups.add(ws, conv.id, case_id, user.id, follow_up[0], follow_up[1], now)
        record(
            uow,
            ws,
            now,
            user.id,
            "follow_up_created",
            case_id=case_id,
            conversation_id=conv.id,
            follow_up_id=follow.id,
            due_at=follow.due_at.isoformat(),
        )
    team = uow.teams.get(ws, case.team_id) if case and case.team_id else None
    timezone = hours_from_json(team.hours if team else None).timezone
    promise = detect_promise(body if body is not None else text, now, timezone)
    return ReplyResult(message, approval, promise, follow)


def _recipient_id(uow: UnitOfWork, conv: Conversation, message: Message) -> str | None:
    """For a private message: the customer's id on the network (their contact handle there)."""
    if message.visibility is not Visibility.PRIVATE or conv.contact_id is None:
        return None
    handles = [
        h for h in uow.contacts.handles_of(conv.workspace_id, conv.contact_id) if h.channel == conv.channel
    ]
    wanted = conv.author_handle.lstrip("@").casefold()
    named = next((h for h in handles if h.handle.lstrip("@").casefold() == wanted), None)
    chosen = named or (handles[0] if len(handles) == 1 else None)
    return chosen.external_id if chosen else None


def queue_reply(
    uow: UnitOfWork,
    actor_id: int,
    conv: Conversation,
    message: Message,
    now: datetime,
    *,
    thread_after: int | None = None,
    key: str | None = None,
    not_before: datetime | None = None,
) -> None:
    """Put a recorded reply in the outbox and count it as the brand's answer (conversation, case status,
    SLA); the case's first response waits for the delivery. ``key``: the outbox idempotency key
    (default: a new one); ``not_before``: not sent before then."""
    ws = conv.workspace_id
    # The brand's answer for the SLA clocks: a public reply, or a private message where the customer
    # wrote privately (a DM answered by DM). A DM to a customer who wrote in public is not.
    answers = message.visibility is Visibility.PUBLIC or is_private_conversation(uow, conv)
    uow.outbox.add(
        ws,
        message.id,
        conv.channel,
        key or uuid.uuid4().hex,
        {
            "text": message.text,
            "visibility": message.visibility.value,
            "in_reply_to": message.in_reply_to,
            "conversation_id": conv.id,
            "recipient": conv.author_handle,
            # The customer's id on the network (X user id, Bluesky DID): where a private message goes.
            **({"recipient_id": rid} if (rid := _recipient_id(uow, conv, message)) else {}),
            # The brand account it goes out as: the sender uses the channel account with this handle.
            "account": message.author_handle,
            # A thread's later part: sent once that message is out, as a reply to it.
            **({"thread_after": thread_after} if thread_after is not None else {}),
        },
        now,
        not_before,
    )
    do_mark_answered(uow, ws, conv, message, now)
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    if case is not None and case.is_active:
        # The first response is set when the outbox confirms the send (actions/dispatch.py), never here.
        uow.cases.save_many([replace(case, status=after_agent_reply(case.status), updated_at=now)])
        if answers:
            do_apply_sla_events(uow, ws, [(case.id, AgentReply(now))], now)
    for follow in uow.follow_ups.list(ws, status=FollowUpStatus.OPEN, conversation_id=conv.id):
        if follow.created_at < now:
            uow.follow_ups.close(ws, follow.id, FollowUpStatus.KEPT, now)
    record(
        uow,
        ws,
        now,
        actor_id,
        "replied",
        case_id=case.id if case else None,
        conversation_id=conv.id,
        message_id=message.id,
        visibility=message.visibility.value,
    )
    uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": conv.id}))


def do_mark_answered(uow: UnitOfWork, ws: int, conv: Conversation, message: Message, now: datetime) -> None:
    """The brand's message `message` answers the conversation: the customer no longer waits, and the
    conversation's last message and count follow it (the count raised on the stored row, since ingest
    may add to it at the same time)."""
    current = uow.conversations.get(ws, conv.id) or conv
    uow.conversations.save_many(
        [
            replace(
                current,
                waiting_since=None,
                urgency=0,
                last_message_at=now,
                last_text=message.text,
                message_count=current.message_count + 1,
            )
        ],
        added_messages={conv.id: 1},
    )
