"""Events actions emit after their transaction commits; the bus carries them to the live UI.

`EventKind` is the one registry of the kinds there are, and `DESCRIPTIONS` says in one line what each
means: docs/api.md lists them from it (tests/domain/test_events.py holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final


class EventKind(StrEnum):
    CONVERSATION_UPDATED = "conversation.updated"
    CASE_ASSIGNED = "case.assigned"
    CASE_SLA_CHANGED = "case.sla_changed"
    APPROVAL_REQUESTED = "approval.requested"
    APPROVAL_DECIDED = "approval.decided"
    NOTE_ADDED = "note.added"
    NOTIFICATION_CREATED = "notification.created"
    PRESENCE_CHANGED = "presence.changed"
    CHANNEL_ADDED = "channel.added"
    CHANNEL_UPDATED = "channel.updated"
    CHANNEL_REMOVED = "channel.removed"
    CHANNEL_HEALTH = "channel.health"
    CHANNEL_ALARM = "channel.alarm"
    RESYNC = "resync"
    POSTS_INGESTED = "posts.ingested"
    PRESENCE_SEEN = "presence.seen"
    INCIDENT_OPENED = "incident.opened"
    INCIDENT_UPDATED = "incident.updated"


DESCRIPTIONS: Final[dict[EventKind, str]] = {
    EventKind.CONVERSATION_UPDATED: "a conversation changed (message, reply, case status or priority, "
    "assignment): `conversation_id`, sometimes `case_id`, `status`, `priority`",
    EventKind.CASE_ASSIGNED: "a case got an assignee (routing, pull next, escalation or by hand): `case_id`, "
    "`assignee_id`",
    EventKind.CASE_SLA_CHANGED: "a case's SLA state changed (warning, breached, paused...): `case_id`, "
    "`conversation_id`, `sla_state`",
    EventKind.APPROVAL_REQUESTED: "a reply is held for an approver: `approval_id`, `conversation_id`",
    EventKind.APPROVAL_DECIDED: "a held reply was approved or returned: `approval_id`, `status`",
    EventKind.NOTE_ADDED: "an internal note was added to a conversation: `conversation_id`, `note_id`",
    EventKind.NOTIFICATION_CREATED: "a user has a new notification (mention, assignment, approved, "
    "returned or held reply, channel to re-authorise, missed follow-up, escalation, incident confirmed): "
    "`user_id`; the UI's stream carries it to that user only",
    EventKind.PRESENCE_CHANGED: "an agent opened, typed in or left a conversation: `conversation_id`, "
    "`user_id`, `state`",
    EventKind.CHANNEL_ADDED: "a channel account was connected: `account_id`, `channel`",
    EventKind.CHANNEL_UPDATED: "a channel account's settings, credentials or pause changed: `account_id`",
    EventKind.CHANNEL_REMOVED: "a channel account was removed: `account_id`, `channel`",
    EventKind.CHANNEL_HEALTH: "a channel account's health changed state: `account_id`, `state`, `reason`",
    EventKind.CHANNEL_ALARM: "a channel account entered its alarm state (e.g. credentials refused)",
    EventKind.RESYNC: "the stream fell behind and dropped events: reload what is shown",
    EventKind.POSTS_INGESTED: "internal, not streamed: a batch of posts was stored (`posts`: their ids)",
    EventKind.PRESENCE_SEEN: "internal, not streamed: presence shared between web processes",
    EventKind.INCIDENT_OPENED: "the detector opened a suspected incident (a spike of similar reports): "
    "`incident_id`",
    EventKind.INCIDENT_UPDATED: "an incident changed (status, owner, note, status text) or gained or lost "
    "members: `incident_id`",
}

# Kinds that never reach a browser's stream (web/live.py).
INTERNAL_KINDS: Final = frozenset({EventKind.POSTS_INGESTED, EventKind.PRESENCE_SEEN})


@dataclass(frozen=True, slots=True)
class Event:
    workspace_id: int
    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)
