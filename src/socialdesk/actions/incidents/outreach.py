"""Writing to everyone an incident affects: "answer everyone affected" and the follow-up when it is
fixed (docs/incidents.md, "Answering everyone affected").

Each customer gets one draft of their own (domain/incidents/outreach.py) on their own channel:
privately where they wrote privately, signed with the agent's signature in public. Drafts go out
through the outbox like any reply, each row keyed `incident-<id>-<conversation>-<kind>` and spaced
out at each network's pace (`not_before`); `incident_replies` holds one row per incident,
conversation and kind, so running the action again, resolving twice or reopening and resolving
again never writes to anyone twice. With the incident's "replies need approval" flag every draft
waits for an approver (the approvals queue) instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from socialdesk.actions.accounts.roles import check_incident_command_allowed
from socialdesk.actions.care.audit import record
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.cases import do_change_case_status
from socialdesk.actions.inbox.replies import do_send_reply
from socialdesk.domain.care import FollowUpStatus
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.incidents.outreach import Customer, ReplyPace, draft_answer, draft_fixed
from socialdesk.domain.networks import can_reply, why_no_reply
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports.care import FollowUp, IncidentRecord, IncidentReply
from socialdesk.ports.uow import UnitOfWork

ANSWER, FIXED = "answer", "fixed"
HOLD_REASON = "the incident's replies need approval"
# A follow-up queued for an agent when an incident is fixed is due this long after resolving.
FOLLOW_UP_WITHIN = timedelta(hours=4)
FollowUpMode = Literal["send", "queue"]


@dataclass(frozen=True, slots=True)
class Draft:
    """What one affected customer would get; `problem` says why it cannot be sent."""

    conversation_id: int
    channel: str
    customer: str
    private: bool
    text: str
    problem: str = ""
    done: bool = False  # this incident already wrote (or queued) it


@dataclass
class OutreachReport:
    queued: int = 0  # in the outbox
    held: int = 0  # waiting for an approver
    for_agents: int = 0  # follow-ups queued for agents
    already: int = 0  # written before: not again
    skipped: list[str] = field(default_factory=list)  # "conversation 12: why"


def _incident(uow: UnitOfWork, user: User, incident_id: int) -> IncidentRecord:
    found = uow.incidents.get(user.workspace_id, incident_id)
    if found is None:
        raise NotFound(f"incident {incident_id}")
    return found


def _customers(uow: UnitOfWork, ws: int, incident: IncidentRecord) -> list[tuple[Conversation, Customer]]:
    """The incident's conversations in the order they joined, each with the customer's words: the
    post the detector took, else the conversation's first customer message."""
    post_of: dict[int, int | None] = {}
    for m in uow.incidents.members(ws, incident.id):
        if m.conversation_id is not None and post_of.get(m.conversation_id) is None:
            post_of[m.conversation_id] = m.message_id
    convs = uow.conversations.get_many(ws, list(post_of))
    private = uow.messages.private_conversations(ws, list(post_of))
    out = []
    for cid, message_id in post_of.items():
        conv = convs.get(cid)
        if conv is None:
            continue
        post = uow.messages.get(ws, message_id) if message_id is not None else None
        if post is None:
            post = next(
                (m for m in uow.messages.list_for_conversation(ws, cid) if m.direction is Direction.INBOUND),
                None,
            )
        words = post.text if post is not None else conv.last_text
        name = conv.author_name or conv.author_handle
        out.append((conv, Customer(cid, conv.channel, name, words, cid in private)))
    return out


def incident_drafts(uow: UnitOfWork, user: User, incident_id: int, kind: str = ANSWER) -> list[Draft]:
    """The drafts for every affected customer, as the agent reviews them before "send all"."""
    incident = _incident(uow, user, incident_id)
    return _drafts(uow, user, incident, kind)


def _drafts(uow: UnitOfWork, user: User, incident: IncidentRecord, kind: str) -> list[Draft]:
    ws = user.workspace_id
    done = uow.incidents.replies(ws, incident.id, kind)
    out = []
    for index, (conv, c) in enumerate(_customers(uow, ws, incident)):
        if kind == ANSWER:
            text = draft_answer(c, index, incident.id, user.signature, incident.status_text)
        else:
            text = draft_fixed(c, index, incident.id, user.signature)
        problem = ""
        if not can_reply(conv.channel):
            problem = why_no_reply(conv.channel)
        elif text is None:
            problem = f"no wording fits what {conv.channel} takes"
        customer = conv.author_name or conv.author_handle
        out.append(Draft(conv.id, conv.channel, customer, c.private, text or "", problem, conv.id in done))
    return out


def reply_progress(uow: UnitOfWork, user: User, incident_id: int, kind: str = ANSWER) -> dict[str, int]:
    """How many of the incident's replies of this kind are pending, awaiting approval, sent, failed
    (and, for follow-ups, queued for agents)."""
    incident = _incident(uow, user, incident_id)
    counts = dict(uow.incidents.reply_progress(user.workspace_id, incident.id, kind))
    for_agents = sum(
        1
        for r in uow.incidents.replies(user.workspace_id, incident.id, kind).values()
        if r.message_id is None
    )
    if for_agents:
        counts["for_agents"] = for_agents
    return counts


def incident_follow_ups(uow: UnitOfWork, user: User, incident_id: int) -> list[FollowUp]:
    """The follow-ups the incident's resolution queued for agents and not done yet, earliest due first."""
    incident = _incident(uow, user, incident_id)
    ws = user.workspace_id
    ids = {
        r.follow_up_id for r in uow.incidents.replies(ws, incident.id, FIXED).values() if r.message_id is None
    }
    if not ids:
        return []
    return [f for f in uow.follow_ups.list(ws, status=FollowUpStatus.OPEN) if f.id in ids]


def check_answer_everyone(
    uow: UnitOfWork, user: User, incident_id: int, now: datetime, pace: ReplyPace
) -> OutreachReport:
    """Queue the drafts of every affected customer not answered yet (admins and team leads; the
    incident must be confirmed: a suspected one may be a false alarm)."""
    incident = _incident(uow, user, incident_id)
    check_incident_command_allowed(user, "answer everyone affected by an incident")
    if incident.status != "confirmed":
        raise ValidationFailed(
            f"incident {incident.id} is {incident.status}: confirm it before answering everyone it affects"
        )
    return do_answer_everyone(uow, user, incident, now, pace)


def do_answer_everyone(
    uow: UnitOfWork, user: User, incident: IncidentRecord, now: datetime, pace: ReplyPace
) -> OutreachReport:
    report = OutreachReport()
    _send_drafts(uow, user, incident, ANSWER, now, pace, report)
    _finish(uow, user, incident, now, "incident_answered", report)
    return report


def do_follow_up_resolved(
    uow: UnitOfWork, user: User, incident: IncidentRecord, now: datetime, mode: FollowUpMode, pace: ReplyPace
) -> OutreachReport:
    """On resolving: each affected customer not followed up yet gets "it's fixed: is it working for
    you now?", sent (`send`) or queued for an agent as a follow-up (`queue`, or where the network takes
    no reply). Either way it is in the promise ledger (follow_ups): an agent's follow-up is kept by
    their next reply in the conversation; a sent one is kept when it is queued. A case that got the
    message moves to pending_customer (waiting on the customer's answer)."""
    report = OutreachReport()
    if mode == "send":
        _send_drafts(uow, user, incident, FIXED, now, pace, report)
    _queue_for_agents(uow, user, incident, now, report)
    _finish(uow, user, incident, now, "incident_followed_up", report)
    return report


def _send_drafts(
    uow: UnitOfWork,
    user: User,
    incident: IncidentRecord,
    kind: str,
    now: datetime,
    pace: ReplyPace,
    report: OutreachReport,
) -> None:
    ws = user.workspace_id
    uow.incidents.lock(ws, incident.id)  # a second agent's run waits here, then finds these done
    hold = (HOLD_REASON,) if incident.replies_need_approval else ()
    positions: Counter[str] = Counter()
    for d in _drafts(uow, user, incident, kind):
        if d.done:
            report.already += 1
            continue
        if d.problem:
            if kind == ANSWER:
                report.skipped.append(f"conversation {d.conversation_id}: {d.problem}")
            continue  # a follow-up that cannot be sent is queued for an agent instead
        conv = uow.conversations.get(ws, d.conversation_id)
        if conv is None:
            continue
        delay = pace.delay_seconds(d.channel, positions[d.channel])
        positions[d.channel] += 1
        key = f"incident-{incident.id}-{conv.id}-{kind}"
        visibility = Visibility.PRIVATE if d.private else Visibility.PUBLIC
        not_before = now + timedelta(seconds=delay) if delay else None
        sent = do_send_reply(
            uow, user, conv, d.text, visibility, now, body=d.text, hold=hold, outbox=(key, not_before)
        )
        follow_up_id = None
        if kind == FIXED:
            follow_up_id = _ledger(uow, user, incident, conv, now, kept=sent.approval is None)
        uow.incidents.add_reply(
            IncidentReply(0, ws, incident.id, conv.id, kind, now, sent.message.id, follow_up_id)
        )
        if sent.approval is not None:
            report.held += 1
        else:
            report.queued += 1


def _ledger(
    uow: UnitOfWork, user: User, incident: IncidentRecord, conv: Conversation, now: datetime, *, kept: bool
) -> int:
    """The follow-up in the promise ledger for a sent 'it's fixed' message, kept at once when it went
    to the outbox (one held for approval is kept when approved); its case waits on the customer."""
    ws = user.workspace_id
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    note = f"Incident #{incident.id} fixed: asked whether it works now"
    follow = uow.follow_ups.add(
        ws, conv.id, case.id if case else None, user.id, now + FOLLOW_UP_WITHIN, note, now
    )
    if kept:
        uow.follow_ups.close(ws, follow.id, FollowUpStatus.KEPT, now)
    if case is not None and case.is_active and case.status in (CaseStatus.NEW, CaseStatus.OPEN):
        do_change_case_status(uow, case, CaseStatus.PENDING_CUSTOMER, now, actor_id=user.id)
    return follow.id


def _queue_for_agents(
    uow: UnitOfWork, user: User, incident: IncidentRecord, now: datetime, report: OutreachReport
) -> None:
    """Every affected conversation without its 'it's fixed' yet gets an open follow-up, owned by its
    case's assignee (else whoever resolved), with the drafted text in the note."""
    ws = user.workspace_id
    uow.incidents.lock(ws, incident.id)
    owners: Counter[int] = Counter()
    for d in _drafts(uow, user, incident, FIXED):
        if d.done:
            report.already += 1
            continue
        case = uow.cases.current_for(ws, [d.conversation_id]).get(d.conversation_id)
        owner = case.assignee_id if case is not None and case.assignee_id is not None else user.id
        why = f" ({d.problem}: answer another way)" if d.problem else ""
        note = f"Incident #{incident.id} is fixed: ask whether it works now{why}. Draft: {d.text}".strip()
        follow = uow.follow_ups.add(
            ws, d.conversation_id, case.id if case else None, owner, now + FOLLOW_UP_WITHIN, note[:2000], now
        )
        uow.incidents.add_reply(
            IncidentReply(0, ws, incident.id, d.conversation_id, FIXED, now, None, follow.id)
        )
        record(
            uow, ws, now, user.id, "follow_up_created", case_id=follow.case_id,
            conversation_id=d.conversation_id, follow_up_id=follow.id, due_at=follow.due_at.isoformat(),
            problem_id=incident.id,
        )  # fmt: skip
        report.for_agents += 1
        owners[owner] += 1
    for owner, count in owners.items():  # each owner hears once, with how many customers to ask
        text = f"{count} customer(s) to ask whether it works now"
        notify(uow, ws, owner, "incident_follow_ups", now, user.id, incident_id=incident.id, text=text,
               even_to_actor=True)  # fmt: skip


def _finish(
    uow: UnitOfWork, user: User, incident: IncidentRecord, now: datetime, action: str, report: OutreachReport
) -> None:
    if not (report.queued or report.held or report.for_agents):
        return
    record(
        uow, user.workspace_id, now, user.id, action, problem_id=incident.id, queued=report.queued,
        held=report.held, for_agents=report.for_agents, skipped=len(report.skipped),
    )  # fmt: skip
    uow.emit(Event(user.workspace_id, EventKind.INCIDENT_UPDATED, {"incident_id": incident.id}))
