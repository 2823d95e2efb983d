"""Reshaping conversations: hand off to a private channel, merge, split, and link cases to a problem."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.handoff_email import check_email_address, do_send_handoff_email
from socialdesk.actions.inbox.conversations import access_case_by_id, access_conversation_by_id
from socialdesk.actions.inbox.replies import ReplyResult, check_reply
from socialdesk.domain.case import Case, CaseStatus
from socialdesk.domain.conversation import Conversation, subject_of
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports.care import CaseCare, Problem
from socialdesk.ports.inbox import NewCase, NewConversation
from socialdesk.ports.uow import UnitOfWork

HANDOFF_TARGETS = ("dm", "email", "phone")


@dataclass(frozen=True, slots=True)
class Handoff:
    public_reply: ReplyResult | None
    private_message: ReplyResult | None
    email: Message | None = None  # the e-mail queued for sending (an e-mail handoff with a message)


def check_handoff(
    uow: UnitOfWork,
    user: User,
    conversation_id: int,
    to: str,
    now: datetime,
    *,
    public_reply: str | None = None,
    message: str | None = None,
    address: str | None = None,
    confirm_public: bool = False,
) -> Handoff:
    """Move the talk off the public thread, keeping one case and one history.

    An optional public reply ("We've sent you a DM") goes the normal reply way; ``dm`` sends ``message``
    as a private message; ``email`` with a ``message`` sends it by e-mail to ``address`` through the
    workspace's e-mail account (actions/care/handoff_email.py); ``email`` without one and ``phone``
    record the handoff with its ``address``.
    """
    conv = access_conversation_by_id(uow, user, conversation_id)
    if to not in HANDOFF_TARGETS:
        raise ValidationFailed(f"to: one of {', '.join(HANDOFF_TARGETS)}")
    if to == "dm" and not (message or "").strip():
        raise ValidationFailed("a DM handoff needs the message to send privately")
    if to != "dm" and not (address or "").strip():
        raise ValidationFailed(f"an {to} handoff needs the address")
    public = None
    if public_reply and public_reply.strip():
        public = check_reply(
            uow, user, conv.id, public_reply, Visibility.PUBLIC, now,
            confirm_stale=True, confirm_public=confirm_public,
        )  # fmt: skip
    private = None
    emailed = None
    if to == "dm" and message:
        private = check_reply(uow, user, conv.id, message, Visibility.PRIVATE, now, confirm_stale=True)
    elif to == HANDOFF_TARGETS[1] and (message or "").strip():  # e-mail: really sent, not only recorded
        emailed = do_send_handoff_email(
            uow, user, conv, check_email_address(address or ""), message or "", now
        )
    case = uow.cases.current_for(user.workspace_id, [conv.id]).get(conv.id)
    record(
        uow,
        user.workspace_id,
        now,
        user.id,
        "handoff",
        case_id=case.id if case else None,
        conversation_id=conv.id,
        to=to,
        address=(address or "").strip() or None,
        **({"message_id": emailed.id} if emailed is not None else {}),
    )
    return Handoff(public, private, emailed)


def _restat(conv: Conversation, messages: list[Message]) -> Conversation:
    """A conversation's counters recomputed from its messages."""
    if not messages:
        return replace(conv, message_count=0, waiting_since=None, urgency=0)
    ordered = sorted(messages, key=lambda m: (m.created_at, m.id))
    waiting = None
    for m in ordered:
        if m.direction is Direction.OUTBOUND and m.visibility is Visibility.PUBLIC:
            waiting = None
        elif m.direction is Direction.INBOUND and waiting is None:
            waiting = m.created_at
    return replace(
        conv,
        message_count=len(ordered),
        last_message_at=ordered[-1].created_at,
        last_text=ordered[-1].text,
        waiting_since=waiting,
    )


def check_merge(uow: UnitOfWork, user: User, target_id: int, source_id: int, now: datetime) -> Conversation:
    """Merge conversation ``source_id`` into ``target_id``: its messages and notes move, its case closes
    with ``merged_into`` the target's case."""
    target = access_conversation_by_id(uow, user, target_id)
    source = access_conversation_by_id(uow, user, source_id)
    if target.id == source.id:
        raise ValidationFailed("a conversation cannot be merged into itself")
    return do_merge(uow, user.workspace_id, target, source, now, user.id)


def do_merge(
    uow: UnitOfWork, ws: int, target: Conversation, source: Conversation, now: datetime, actor_id: int | None
) -> Conversation:
    """Move every message and note of ``source`` into ``target``; close the source's case (merged)."""
    moved = uow.messages.list_for_conversation(ws, source.id)
    uow.messages.move(ws, [m.id for m in moved], target.id)
    uow.notes.move(ws, source.id, target.id)
    cases = uow.cases.current_for(ws, [target.id, source.id])
    target_case, source_case = cases.get(target.id), cases.get(source.id)
    if source_case is not None:
        if source_case.status is not CaseStatus.CLOSED:
            uow.cases.save_many(
                [replace(source_case, status=CaseStatus.CLOSED, resolved_at=now, updated_at=now)]
            )
        care = uow.care.get_many(ws, [source_case.id]).get(source_case.id, CaseCare(source_case.id))
        merged_into = target_case.id if target_case else None
        uow.care.save(
            ws,
            replace(
                care,
                merged_into_id=merged_into,
                sla_state="done" if care.sla else None,
                sla_next_check_at=None,
            ),
        )
    merged = _restat(target, uow.messages.list_for_conversation(ws, target.id))
    uow.conversations.save_many([merged, _restat(source, [])])
    for case in (target_case, source_case):
        if case is not None:
            record(
                uow,
                ws,
                now,
                actor_id,
                "merged",
                case_id=case.id,
                conversation_id=case.conversation_id,
                source_conversation_id=source.id,
                target_conversation_id=target.id,
                messages=len(moved),
            )
    for cid in (target.id, source.id):
        uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": cid}))
    return merged


def check_split(
    uow: UnitOfWork, user: User, conversation_id: int, message_ids: list[int], now: datetime
) -> tuple[Conversation, Case]:
    """Move the selected messages into a new conversation with a new case."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    ws = user.workspace_id
    messages = uow.messages.list_for_conversation(ws, conv.id)
    chosen = [m for m in messages if m.id in set(message_ids)]
    if len(chosen) != len(set(message_ids)):
        raise NotFound("some messages are not in this conversation")
    if not chosen or len(chosen) == len(messages):
        raise ValidationFailed("split some of the conversation's messages, not none or all")
    first = min(chosen, key=lambda m: (m.created_at, m.id))
    [new_id] = uow.conversations.add_many(
        ws,
        [
            NewConversation(
                channel=conv.channel,
                contact_id=conv.contact_id,
                subject=subject_of(first.text),
                created_at=now,
                last_message_at=first.created_at,
                waiting_since=None,
                message_count=0,
                author_handle=conv.author_handle,
                author_name=conv.author_name,
                author_followers=conv.author_followers,
                last_text=first.text,
            )
        ],
    )
    uow.messages.move(ws, [m.id for m in chosen], new_id)
    new_conv = uow.conversations.get(ws, new_id)
    assert new_conv is not None
    new_conv = _restat(new_conv, uow.messages.list_for_conversation(ws, new_id))
    rest = _restat(conv, uow.messages.list_for_conversation(ws, conv.id))
    uow.conversations.save_many([new_conv, rest])
    [case_id] = uow.cases.add_many(ws, [NewCase(new_id, CaseStatus.NEW, first.created_at)])
    case = uow.cases.get(ws, case_id)
    assert case is not None
    old_case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    for c in (old_case, case):
        if c is not None:
            record(
                uow,
                ws,
                now,
                user.id,
                "split",
                case_id=c.id,
                conversation_id=c.conversation_id,
                from_conversation_id=conv.id,
                to_conversation_id=new_id,
                messages=[m.id for m in chosen],
            )
    for cid in (conv.id, new_id):
        uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": cid}))
    return new_conv, case


def check_create_problem(uow: UnitOfWork, user: User, title: str, now: datetime) -> Problem:
    title = title.strip()
    if not title:
        raise ValidationFailed("a problem needs a title")
    problem = uow.problems.add(user.workspace_id, title, now)
    record(uow, user.workspace_id, now, user.id, "problem_created", problem_id=problem.id, title=title)
    return problem


def access_problem(uow: UnitOfWork, user: User, problem_id: int) -> Problem:
    problem = uow.problems.get(user.workspace_id, problem_id)
    if problem is None:
        raise NotFound(f"problem {problem_id}")
    return problem


def check_link_cases(
    uow: UnitOfWork, user: User, problem_id: int, case_ids: list[int], now: datetime
) -> list[int]:
    """Link cases to one problem (say, an outage); returns every case of the problem."""
    problem = access_problem(uow, user, problem_id)
    cases = [access_case_by_id(uow, user, case_id) for case_id in case_ids]
    cares = uow.care.get_many(user.workspace_id, [c.id for c in cases])
    for case in cases:
        uow.care.save(
            user.workspace_id, replace(cares.get(case.id, CaseCare(case.id)), problem_id=problem.id)
        )
        record(
            uow,
            user.workspace_id,
            now,
            user.id,
            "linked_to_problem",
            case_id=case.id,
            conversation_id=case.conversation_id,
            problem_id=problem.id,
        )
    return uow.care.in_problem(user.workspace_id, problem.id)
