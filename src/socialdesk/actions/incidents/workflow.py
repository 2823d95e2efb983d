"""The incident workflow: list and read incidents, confirm and resolve them (owner, internal note,
public status text), add and remove member conversations. The detector's side (opening incidents and
adding posts as they are stored) is in actions/incidents/watch.py.

Every change is audited (`incident_*` actions) and emits `incident.updated` for the live UI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from socialdesk.actions.accounts.roles import (
    check_incident_command_allowed,
    check_incident_public_text_allowed,
)
from socialdesk.actions.care.audit import record
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.actions.incidents.outreach import FollowUpMode, do_follow_up_resolved
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.incidents.outreach import ReplyPace
from socialdesk.domain.people import User
from socialdesk.ports.care import INCIDENT_STATUSES, AuditEntry, IncidentMember, IncidentRecord
from socialdesk.ports.uow import UnitOfWork

MAX_NOTE = 10_000
MAX_STATUS_TEXT = 280


def access_incident(uow: UnitOfWork, user: User, incident_id: int) -> IncidentRecord:
    found = uow.incidents.get(user.workspace_id, incident_id)
    if found is None:
        raise NotFound(f"incident {incident_id}")
    return found


def list_incidents(uow: UnitOfWork, user: User, status: str | None, limit: int) -> list[IncidentRecord]:
    if status is not None and status not in INCIDENT_STATUSES:
        raise ValidationFailed(f"status: {status!r} is not one of {', '.join(INCIDENT_STATUSES)}")
    return uow.incidents.list(user.workspace_id, status, limit)


def incident_members(uow: UnitOfWork, user: User, incident_id: int) -> list[IncidentMember]:
    access_incident(uow, user, incident_id)
    return uow.incidents.members(user.workspace_id, incident_id)


def check_update_incident(
    uow: UnitOfWork,
    user: User,
    incident_id: int,
    now: datetime,
    *,
    status: str | None = None,
    owner_id: int | None = None,
    note: str | None = None,
    status_text: str | None = None,
    replies_need_approval: bool | None = None,
    notify_team_id: int | None = None,
    follow_up: FollowUpMode = "queue",
    pace: ReplyPace | None = None,
) -> IncidentRecord:
    """Change the status (suspected, confirmed, resolved), owner, internal note or public status text.
    A resolved incident may be reopened (confirmed again). Only a fully trained agent or an admin sets
    the public status text: it is published unreviewed (roles.py); only admins and team leads change
    the status, the owner or the approval flag. Confirming may notify a team (`notify_team_id`: its
    members get a notification); resolving a confirmed incident follows up with every affected
    customer (`follow_up`: actions/incidents/outreach.py); resolving a suspected one dismisses it (no
    message)."""
    incident = access_incident(uow, user, incident_id)
    if status is not None and status not in INCIDENT_STATUSES:
        raise ValidationFailed(f"status: {status!r} is not one of {', '.join(INCIDENT_STATUSES)}")
    commands = (
        (status is not None and status != incident.status)
        or (owner_id is not None and owner_id != incident.owner_id)
        or (replies_need_approval is not None and replies_need_approval != incident.replies_need_approval)
        or notify_team_id is not None
    )
    if commands:
        check_incident_command_allowed(user, "confirm, resolve or reopen an incident or choose its owner")
    if owner_id is not None and uow.users.get(user.workspace_id, owner_id) is None:
        raise ValidationFailed(f"owner_id: no user {owner_id} in this workspace")
    if notify_team_id is not None:
        if (status or incident.status) != "confirmed":
            raise ValidationFailed("notify_team_id: a team is notified when the incident is confirmed")
        if uow.teams.get(user.workspace_id, notify_team_id) is None:
            raise ValidationFailed(f"notify_team_id: no team {notify_team_id} in this workspace")
    if note is not None and len(note) > MAX_NOTE:
        raise ValidationFailed(f"note: at most {MAX_NOTE} characters")
    if status_text is not None:
        check_incident_public_text_allowed(user)
        status_text = " ".join(status_text.split())
        if len(status_text) > MAX_STATUS_TEXT:
            raise ValidationFailed(f"status_text: at most {MAX_STATUS_TEXT} characters")
    changed = do_update_incident(
        uow, user, incident, now, status, owner_id, note, status_text, replies_need_approval
    )
    if notify_team_id is not None:
        do_notify_team(uow, user, changed, notify_team_id, now)
    if changed.status == "resolved" and incident.status == "confirmed":  # a dismissed suspicion: no
        do_follow_up_resolved(uow, user, changed, now, follow_up, pace or ReplyPace())
    return changed


def do_notify_team(uow: UnitOfWork, user: User, incident: IncidentRecord, team_id: int, now: datetime) -> int:
    """Each member of the team (but whoever confirmed) gets an `incident_confirmed` notification."""
    ws = user.workspace_id
    told = 0
    for member in uow.teams.members(ws).get(team_id, []):
        if member == user.id:
            continue
        notify(uow, ws, member, "incident_confirmed", now, user.id, incident_id=incident.id,
               text=incident.summary or incident.title)  # fmt: skip
        told += 1
    record(
        uow, ws, now, user.id, "incident_team_notified", problem_id=incident.id, team_id=team_id, told=told
    )
    return told


def incident_timeline(uow: UnitOfWork, user: User, incident_id: int) -> list[AuditEntry]:
    """What happened to the incident, oldest first: opened, status changes, members, replies (the
    audit entries naming it)."""
    incident = access_incident(uow, user, incident_id)
    return [
        e
        for e in uow.audit.between(user.workspace_id, incident.created_at, None)
        if e.data.get("problem_id") == incident.id
    ]


def do_update_incident(
    uow: UnitOfWork,
    user: User,
    incident: IncidentRecord,
    now: datetime,
    status: str | None,
    owner_id: int | None,
    note: str | None,
    status_text: str | None,
    replies_need_approval: bool | None = None,
) -> IncidentRecord:
    changed = replace(
        incident,
        replies_need_approval=(
            replies_need_approval if replies_need_approval is not None else incident.replies_need_approval
        ),
        status=status if status is not None else incident.status,
        owner_id=owner_id if owner_id is not None else incident.owner_id,
        note=note if note is not None else incident.note,
        status_text=status_text if status_text is not None else incident.status_text,
    )
    if changed.status == "resolved" and incident.status != "resolved":
        changed = replace(changed, resolved_at=now)
    elif changed.status != "resolved":
        changed = replace(changed, resolved_at=None)
    if changed == incident:
        return incident
    uow.incidents.save(changed)
    fields = {
        name: getattr(changed, name)
        for name in ("status", "owner_id", "note", "status_text", "replies_need_approval")
        if getattr(changed, name) != getattr(incident, name)
    }
    record(uow, user.workspace_id, now, user.id, "incident_updated", problem_id=incident.id, **fields)
    uow.emit(Event(user.workspace_id, EventKind.INCIDENT_UPDATED, {"incident_id": incident.id}))
    return changed


def check_add_incident_conversations(
    uow: UnitOfWork, user: User, incident_id: int, conversation_ids: list[int], now: datetime
) -> int:
    incident = access_incident(uow, user, incident_id)
    for cid in conversation_ids:
        access_conversation_by_id(uow, user, cid)
    return do_add_incident_conversations(uow, user, incident, conversation_ids, now)


def do_add_incident_conversations(
    uow: UnitOfWork, user: User, incident: IncidentRecord, conversation_ids: list[int], now: datetime
) -> int:
    added = uow.incidents.add_members(
        user.workspace_id, incident.id, [(c, None) for c in conversation_ids], now, user.id
    )
    if added:
        for cid in conversation_ids:
            record(
                uow,
                user.workspace_id,
                now,
                user.id,
                "incident_member_added",
                conversation_id=cid,
                problem_id=incident.id,
            )
        uow.emit(Event(user.workspace_id, EventKind.INCIDENT_UPDATED, {"incident_id": incident.id}))
    return added


def check_remove_incident_conversation(
    uow: UnitOfWork, user: User, incident_id: int, conversation_id: int, now: datetime
) -> None:
    incident = access_incident(uow, user, incident_id)
    access_conversation_by_id(uow, user, conversation_id)
    if not uow.incidents.remove_conversation(user.workspace_id, incident.id, conversation_id, now):
        raise NotFound(f"conversation {conversation_id} in incident {incident_id}")
    record(
        uow, user.workspace_id, now, user.id, "incident_member_removed",
        conversation_id=conversation_id, problem_id=incident.id,
    )  # fmt: skip
    uow.emit(Event(user.workspace_id, EventKind.INCIDENT_UPDATED, {"incident_id": incident.id}))


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An incident not resolved, with how many customers it affects (distinct people among its
    conversations), for the inbox banner and the mission control panel."""

    incident: IncidentRecord
    customers: int


def open_incidents(uow: UnitOfWork, user: User, limit: int = 5) -> list[OpenIncident]:
    """Confirmed incidents first, then suspected ones, newest first within each."""
    ws = user.workspace_id
    found = uow.incidents.list(ws, "confirmed", limit) + uow.incidents.list(ws, "suspected", limit)
    out = []
    for i in found[:limit]:
        cids = {m.conversation_id for m in uow.incidents.members(ws, i.id) if m.conversation_id is not None}
        convs = uow.conversations.get_many(ws, cids).values()
        people = {(c.channel, c.contact_id if c.contact_id is not None else c.author_handle) for c in convs}
        out.append(OpenIncident(i, len(people)))
    return out
