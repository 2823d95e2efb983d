"""Notifications: what tells a person that something needs them, who did it, and whether they read it.

A notification is stored per user (`uow.notifications`), never per workspace: the one who acted is
`data["by"]` (None for the system: routing, SLA checks, channel health), so the page can say "Ana
approved your reply". Each `notify` also emits `notification.created` with the recipient's id; the
live stream delivers that event to the recipient's own streams only (web/ui/events.py), and the
browser then asks for its own count and newest notification.

What a user is shown is filtered again when read: a notification about a conversation the user may
not open (gone, merged away, in another workspace) is never listed nor counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialdesk.actions.care.approvers import approval_teams, approver_teams
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.care import ApprovalStatus
from socialdesk.domain.errors import NotFound
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.care import Notification
from socialdesk.ports.uow import UnitOfWork

# Each kind and how it reads after the actor's name ("Ana approved your reply").
KIND_LABELS: dict[str, str] = {
    "mention": "mentioned you in a note",
    "assigned": "assigned a case to you",
    "approval_approved": "approved your reply",
    "approval_returned": "returned your reply",
    "approval_requested": "holds a reply for approval",
    "follow_up_missed": "follow-up missed",
    "sla_escalation": "SLA escalation",
    "channel_needs_credentials": "a channel account needs re-authorisation",
    "incident_confirmed": "confirmed an incident",
    "incident_follow_ups": "resolved an incident: follow up with its customers",
}

PREFERENCES_KEY = "notification_preferences:{user_id}"
LIST_LIMIT = 200  # the page shows the newest 200; older ones stay stored
UNREAD_CAP = 99  # the badge counts to 99, then says "99+"


@dataclass(frozen=True, slots=True)
class NotificationPreferences:
    """Opt-in, per user: a sound and a desktop notification (the browser's Notification API)."""

    sound: bool = False
    desktop: bool = False


@dataclass(frozen=True, slots=True)
class HeaderCounts:
    unread: int  # at most UNREAD_CAP + 1
    approvals: int | None  # None: the user does not review held replies
    latest: Notification | None  # the newest unread one, for a desktop notification


def notify(
    uow: UnitOfWork,
    workspace_id: int,
    user_id: int,
    kind: str,
    now: datetime,
    by: int | None,
    *,
    even_to_actor: bool = False,
    **data: Any,
) -> None:
    """Store one notification for one user, credited to ``by``, and tell that user's live streams.
    Nobody is told of what they did themselves, unless it leaves them work (``even_to_actor``: the
    follow-ups of an incident they resolved)."""
    if by is not None and by == user_id and not even_to_actor:
        return
    uow.notifications.add(workspace_id, user_id, kind, {"by": by, **data}, now)
    uow.emit(Event(workspace_id, EventKind.NOTIFICATION_CREATED, {"user_id": user_id}))


def notify_reviewers(
    uow: UnitOfWork, workspace_id: int, kind: str, now: datetime, by: int | None, **data: Any
) -> None:
    """Every active admin of the workspace (they review held replies and fix channels)."""
    for admin in uow.users.list(workspace_id):
        if admin.is_admin and admin.is_active:
            notify(uow, workspace_id, admin.id, kind, now, by, **data)


def _may_see(uow: UnitOfWork, user: User, notification: Notification, seen: dict[int, bool]) -> bool:
    conversation_id = notification.data.get("conversation_id")
    if notification.workspace_id != user.workspace_id or notification.user_id != user.id:
        return False
    incident_id = notification.data.get("incident_id")
    if incident_id is not None and (
        not isinstance(incident_id, int) or uow.incidents.get(user.workspace_id, incident_id) is None
    ):
        return False
    if conversation_id is None:
        return True
    if not isinstance(conversation_id, int):
        return False
    if conversation_id not in seen:
        try:
            access_conversation_by_id(uow, user, conversation_id)
            seen[conversation_id] = True
        except NotFound:
            seen[conversation_id] = False
    return seen[conversation_id]


def visible_notifications(
    uow: UnitOfWork, user: User, unread_only: bool = False, limit: int = LIST_LIMIT
) -> list[Notification]:
    """The user's own notifications, newest first, without those about conversations they may not open."""
    seen: dict[int, bool] = {}
    shown: list[Notification] = []
    for n in uow.notifications.list(user.workspace_id, user.id, unread_only):
        if len(shown) >= limit:
            break
        if _may_see(uow, user, n, seen):
            shown.append(n)
    return shown


def header_counts(uow: UnitOfWork, user: User) -> HeaderCounts:
    """Unread counted up to UNREAD_CAP + 1 (the badge says "99+"), so a long-neglected inbox of
    notifications costs no more than a short one."""
    unread = visible_notifications(uow, user, unread_only=True, limit=UNREAD_CAP + 1)
    approvals = None
    teams = set() if user.is_admin else approver_teams(uow, user)
    if user.is_admin or teams:
        pending = uow.approvals.list(user.workspace_id, ApprovalStatus.PENDING)
        if teams:  # a team's approver counts the held replies of the teams they approve for
            of_team = approval_teams(uow, user.workspace_id, pending)
            pending = [a for a in pending if of_team[a.id] in teams]
        approvals = len(pending)
    return HeaderCounts(len(unread), approvals, unread[0] if unread else None)


def check_mark_read(uow: UnitOfWork, user: User, ids: list[int] | None, now: datetime) -> int:
    """Mark the user's own notifications read: these ids, or (None) all unread. Others' ids do nothing."""
    unread = {n.id for n in uow.notifications.list(user.workspace_id, user.id, unread_only=True)}
    chosen = unread if ids is None else unread & set(ids)
    if chosen:
        uow.notifications.mark_read(user.workspace_id, user.id, sorted(chosen), now)
    return len(chosen)


def list_notifications(uow: UnitOfWork, user: User, unread_only: bool) -> list[Notification]:
    """The user's own, newest first, without those about conversations they may not open (the API)."""
    return visible_notifications(uow, user, unread_only)


def mark_notifications_read(uow: UnitOfWork, user: User, ids: list[int], now: datetime) -> None:
    check_mark_read(uow, user, ids, now)


def notification_preferences(uow: UnitOfWork, user: User) -> NotificationPreferences:
    value = uow.settings.get(user.workspace_id, PREFERENCES_KEY.format(user_id=user.id))
    if not isinstance(value, dict):
        return NotificationPreferences()
    return NotificationPreferences(sound=value.get("sound") is True, desktop=value.get("desktop") is True)


def check_set_notification_preferences(
    uow: UnitOfWork, user: User, preferences: NotificationPreferences, now: datetime
) -> NotificationPreferences:
    """Each user sets their own; nothing to validate beyond two booleans."""
    value = {"sound": preferences.sound, "desktop": preferences.desktop}
    uow.settings.put(user.workspace_id, PREFERENCES_KEY.format(user_id=user.id), value, now)
    return preferences
