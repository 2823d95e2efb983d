"""What the incident pages show: the incident with its conversations, the people to own it and the
teams to notify, its timeline in words, and the progress of its replies (docs/ui.md, Incidents)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialdesk.actions.incidents.outreach import ANSWER, FIXED, incident_follow_ups, reply_progress
from socialdesk.actions.incidents.workflow import access_incident, incident_members, incident_timeline
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.people import Team, User
from socialdesk.ports.care import AuditEntry, FollowUp, IncidentRecord
from socialdesk.ports.uow import UnitOfWork

# "123", "#123", "/conversations/123" or a whole link to it.
_CONVERSATION_REF = re.compile(r"^\s*(?:#|.*/conversations/)?(\d{1,18})/?\s*$")


def conversation_ref(text: str) -> int | None:
    """The conversation id in what an agent typed or pasted (an id or a link), else None."""
    found = _CONVERSATION_REF.match(text)
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class Moment:
    at: datetime
    who: str  # a person's name, or "socialdesk" for the detector and the workflow
    what: str


@dataclass(frozen=True)
class IncidentPage:
    incident: IncidentRecord
    conversations: list[Conversation]
    owner: User | None
    people: list[User]
    teams: list[Team]
    timeline: list[Moment]
    answers: dict[str, int]
    follow_ups: dict[str, int]
    open_follow_ups: list[FollowUp]  # queued for agents on resolving, not done yet
    names: dict[int, str]

    @property
    def customers(self) -> int:
        return len({(c.channel, c.contact_id or c.author_handle) for c in self.conversations})


def _changes(data: dict[str, Any], names: dict[int, str]) -> str:
    parts = []
    if "status" in data:
        parts.append(f"status: {data['status']}")
    if "owner_id" in data:
        parts.append(f"owner: {names.get(data['owner_id'], 'nobody')}")
    if "note" in data:
        parts.append("internal note changed")
    if "status_text" in data:
        parts.append(f"public status text: “{data['status_text']}”")
    if "replies_need_approval" in data:
        parts.append(
            "replies need approval" if data["replies_need_approval"] else "replies go out unreviewed"
        )
    return "; ".join(parts) or "changed"


def describe(entry: AuditEntry, names: dict[int, str], teams: dict[int, str]) -> str | None:
    """One line for the timeline (None: not shown, e.g. each follow-up of a resolution)."""
    d = entry.data
    if entry.action == "incident_opened":
        return f"opened as suspected by the detector ({d.get('key', 'a spike of reports')})"
    if entry.action == "incident_updated":
        return _changes(d, names)
    if entry.action in ("incident_member_added", "incident_member_removed"):
        verb = "added" if entry.action.endswith("added") else "removed"
        return f"{verb} conversation #{entry.conversation_id}"
    if entry.action == "incident_team_notified":
        return f"notified team {teams.get(d.get('team_id', 0), '?')} ({d.get('told', 0)} people)"
    if entry.action in ("incident_answered", "incident_followed_up"):
        what = "answered everyone affected" if entry.action == "incident_answered" else "followed up (fixed)"
        return (
            f"{what}: {d.get('queued', 0)} queued, {d.get('held', 0)} for approval, "
            f"{d.get('for_agents', 0)} for agents, {d.get('skipped', 0)} skipped"
        )
    return None


def incident_page(uow: UnitOfWork, user: User, incident_id: int) -> IncidentPage:
    incident = access_incident(uow, user, incident_id)
    ws = user.workspace_id
    people = uow.users.list(ws)
    names = {u.id: u.name for u in people}
    teams = uow.teams.list(ws)
    team_names = {t.id: t.name for t in teams}
    members = incident_members(uow, user, incident.id)
    ids = list(dict.fromkeys(m.conversation_id for m in members if m.conversation_id is not None))
    convs = uow.conversations.get_many(ws, ids)
    timeline = [
        Moment(e.at, names.get(e.actor_id, "?") if e.actor_id is not None else "socialdesk", text)
        for e in incident_timeline(uow, user, incident.id)
        if (text := describe(e, names, team_names)) is not None
    ]
    return IncidentPage(
        incident=incident,
        conversations=[convs[i] for i in ids if i in convs],
        owner=next((u for u in people if u.id == incident.owner_id), None),
        people=[u for u in people if u.is_active],
        teams=teams,
        timeline=timeline,
        answers=reply_progress(uow, user, incident.id, ANSWER),
        follow_ups=reply_progress(uow, user, incident.id, FIXED),
        open_follow_ups=incident_follow_ups(uow, user, incident.id),
        names=names,
    )
