"""Follow-ups (kept promises), the audit trail and the composer's length preview."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.care_audit import record
from socialdesk.actions.conversations import access_case_by_id, access_conversation_by_id
from socialdesk.actions.notifications import notify
from socialdesk.actions.roles import require_admin
from socialdesk.domain.attribution import SignatureTooLong, sign_reply
from socialdesk.domain.care import FollowUpStatus, csv_cell
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.reply_thread import split_thread
from socialdesk.domain.text_length import count, limit
from socialdesk.ports import Clock, UnitOfWork
from socialdesk.ports_care import AuditEntry, FollowUp


def check_create_follow_up(
    uow: UnitOfWork, user: User, conversation_id: int, due_at: datetime, note: str, now: datetime
) -> FollowUp:
    """A follow-up the user owns: kept by the next public reply, breached when due passes first."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    if due_at <= now:
        raise ValidationFailed("due_at must be in the future")
    ws = user.workspace_id
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    follow = uow.follow_ups.add(ws, conv.id, case.id if case else None, user.id, due_at, note.strip(), now)
    record(
        uow,
        ws,
        now,
        user.id,
        "follow_up_created",
        case_id=follow.case_id,
        conversation_id=conv.id,
        follow_up_id=follow.id,
        due_at=due_at.isoformat(),
    )
    return follow


def list_follow_ups(uow: UnitOfWork, user: User, due_now: bool, now: datetime) -> list[FollowUp]:
    """The user's open follow-ups (only those due by ``now`` with ``due_now``)."""
    return uow.follow_ups.list(
        user.workspace_id, owner_id=user.id, status=FollowUpStatus.OPEN, due_before=now if due_now else None
    )


@dataclass
class FollowUpCheckReport:
    breached: int = 0


def do_check_follow_ups(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> FollowUpCheckReport:
    """Mark open follow-ups whose due time has passed as breached; audit and notify their owners."""
    report = FollowUpCheckReport()
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    for ws in workspaces:
        with uow_factory() as uow:
            now = clock.now()
            for follow in uow.follow_ups.list(ws, status=FollowUpStatus.OPEN, due_before=now):
                if follow.due_at >= now:
                    continue
                uow.follow_ups.close(ws, follow.id, FollowUpStatus.BREACHED, now)
                notify(uow, ws, follow.owner_id, "follow_up_missed", now, None, follow_up_id=follow.id,
                       conversation_id=follow.conversation_id, note=follow.note)  # fmt: skip
                record(
                    uow,
                    ws,
                    now,
                    None,
                    "follow_up_breached",
                    case_id=follow.case_id,
                    conversation_id=follow.conversation_id,
                    follow_up_id=follow.id,
                    owner_id=follow.owner_id,
                )
                report.breached += 1
    return report


def case_audit(uow: UnitOfWork, user: User, case_id: int) -> list[AuditEntry]:
    case = access_case_by_id(uow, user, case_id)
    return uow.audit.for_case(user.workspace_id, case.id)


# The first six columns are the original export's; actor, before and after were added for configuration
# changes (before/after: the changed fields as compact JSON, empty for case work).
AUDIT_COLUMNS = ("at", "actor_id", "action", "case_id", "conversation_id", "data", "actor", "before", "after")


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def audit_csv(uow: UnitOfWork, user: User, start: datetime | None, end: datetime | None) -> str:
    """The workspace's audit trail as CSV (admins): case work and configuration changes alike (those
    have no case). ``actor`` is the user's email, ``system`` for the workflow's own steps, or what acted
    for the CLI. Cells a spreadsheet would run as formulas are quoted with a leading apostrophe."""
    require_admin(user, "export the audit trail")
    emails = {u.id: u.email for u in uow.users.list(user.workspace_id)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for e in uow.audit.between(user.workspace_id, start, end):
        data = {k: v for k, v in e.data.items() if k not in ("before", "after")}
        if e.actor_id is not None:
            actor = emails.get(e.actor_id, f"user {e.actor_id}")
        else:
            actor = str(data.get("via") or "system")
        row = (
            e.at.isoformat(),
            e.actor_id,
            e.action,
            e.case_id,
            e.conversation_id,
            json.dumps(data, sort_keys=True, ensure_ascii=False),
            actor,
            _compact(e.data["before"]) if "before" in e.data else "",
            _compact(e.data["after"]) if "after" in e.data else "",
        )
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


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
