"""Each agent's own pages: notifications (mentions, returned replies, missed follow-ups, escalations)
and saved replies (list, search, add)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care_collab import (
    check_add_saved_reply,
    list_notifications,
    mark_notifications_read,
    search_saved_replies,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()

KIND_LABELS = {
    "mention": "mentioned you",
    "approval_returned": "returned your reply",
    "follow_up_missed": "follow-up missed",
    "sla_escalation": "SLA escalation",
}


@router.get("/notifications")
def notifications(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    with runtime.read_uow() as uow:
        items = list_notifications(uow, user, unread_only=False)
        people = {u.id: u for u in uow.users.list(user.workspace_id)}
    return render(
        "notifications.html",
        **page_context(user, session, items=items, people=people, labels=KIND_LABELS, nav="notifications"),
    )


@router.post("/notifications/read")
def notifications_read(
    request: Request, runtime: RuntimeDep, found: UiSessionDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    with runtime.uow() as uow:
        unread = [n.id for n in list_notifications(uow, user, unread_only=True)]
        mark_notifications_read(uow, user, unread, runtime.clock.now())
        uow.commit()
    return see_other("/notifications")


@router.get("/settings/saved-replies")
def saved_replies(runtime: RuntimeDep, found: UiSessionDep, q: str | None = None) -> Response:
    user, session = found
    with runtime.read_uow() as uow:
        replies = search_saved_replies(uow, user, q)
        teams = uow.teams.list(user.workspace_id)
    return render(
        "saved_replies.html",
        **page_context(
            user, session, replies=replies, teams=teams, q=q or "", error=None, form={}, nav="saved"
        ),
    )


@router.post("/settings/saved-replies")
def add_saved_reply(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    title: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=5000)] = "",
    scope: Annotated[str, Form()] = "personal",
    team_id: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    team = int(team_id) if team_id.isdigit() else None
    try:
        with runtime.uow() as uow:
            check_add_saved_reply(uow, user, title, body, scope, team, runtime.clock.now())
            uow.commit()
    except (ValidationFailed, PermissionDenied, NotFound) as exc:
        with runtime.uow() as uow:
            replies = search_saved_replies(uow, user, None)
            teams = uow.teams.list(user.workspace_id)
        form = {"title": title, "body": body, "scope": scope, "team_id": team_id}
        return render(
            "saved_replies.html",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            **page_context(
                user, session, replies=replies, teams=teams, q="", error=str(exc), form=form, nav="saved"
            ),
        )
    return see_other("/settings/saved-replies")
