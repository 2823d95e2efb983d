"""`/notifications`: each person's own notifications (mentions, assignments, approved and returned
replies, held replies for admins, channels to re-authorise, missed follow-ups, escalations), marked
read one by one or all at once, and the opt-in sound and desktop notifications.

`/notifications/summary` is what the header asks (static/notify.js) on every page and whenever the
live stream says this user has a new notification: the unread count, the pending-approvals count for
those who review held replies, and the newest unread notification as plain text for a desktop
notification. Only the caller's own notifications are ever read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import JSONResponse, Response

from socialdesk.actions.care.notifications import (
    KIND_LABELS,
    NotificationPreferences,
    check_mark_read,
    check_set_notification_preferences,
    header_counts,
    notification_preferences,
    visible_notifications,
)
from socialdesk.domain.people import User
from socialdesk.ports.care import Notification
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, page_context, see_other
from socialdesk.web.ui.templating import render

URL = "/notifications"

router = APIRouter()


def headline(notification: Notification, people: dict[int, User]) -> str:
    """`Ana approved your reply`: who acted (or socialdesk itself) and what, as plain text."""
    by = notification.data.get("by")
    who = people.get(by) if isinstance(by, int) else None
    return f"{who.name if who else 'socialdesk'} {KIND_LABELS.get(notification.kind, notification.kind)}"


def link_of(notification: Notification) -> str:
    """Where the notification leads: its conversation, the approvals queue or the channels page."""
    if notification.kind == "approval_requested":
        return "/approvals"
    incident_id = notification.data.get("incident_id")
    if isinstance(incident_id, int):
        return f"/incidents/{incident_id}"
    conversation_id = notification.data.get("conversation_id")
    if isinstance(conversation_id, int):
        return f"/conversations/{conversation_id}"
    if notification.data.get("account_id") is not None:
        return "/settings/channels"
    return URL


@router.get(URL)
def notifications(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    with runtime.read_uow() as uow:
        items = visible_notifications(uow, user)
        people = {u.id: u for u in uow.users.list(user.workspace_id)}
        preferences = notification_preferences(uow, user)
    rows = [(n, headline(n, people), link_of(n)) for n in items]
    unread = sum(1 for n in items if n.read_at is None)
    context = page_context(
        user, session, rows=rows, unread=unread, preferences=preferences, nav="notifications"
    )
    return render("notifications.html", **context)


@router.get(URL + "/summary")
def summary(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, _session = found
    with runtime.read_uow() as uow:
        counts = header_counts(uow, user)
        preferences = notification_preferences(uow, user)
        people = {u.id: u for u in uow.users.list(user.workspace_id)} if counts.latest else {}
    latest: dict[str, Any] | None = None
    if counts.latest is not None:
        n = counts.latest
        latest = {"id": n.id, "text": headline(n, people), "url": link_of(n)}
    body = {
        "unread": counts.unread,
        "approvals": counts.approvals,
        "latest": latest,
        "sound": preferences.sound,
        "desktop": preferences.desktop,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.post(URL + "/read")
def notifications_read(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
    ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Mark these (`ids`) or, without ids, all of one's unread notifications read."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    with runtime.uow() as uow:
        check_mark_read(uow, user, ids or None, runtime.clock.now())
    return see_other(URL)


@router.post(URL + "/preferences")
def preferences(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
    sound: Annotated[str, Form()] = "",
    desktop: Annotated[str, Form()] = "",
) -> Response:
    """Opt in or out of the sound and of desktop notifications (unchecked boxes send nothing: off)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    chosen = NotificationPreferences(sound=sound == "on", desktop=desktop == "on")
    with runtime.uow() as uow:
        check_set_notification_preferences(uow, user, chosen, runtime.clock.now())
    return see_other(URL)
