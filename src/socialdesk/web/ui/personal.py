"""Each agent's saved replies (list, search, add, edit, delete); their notifications are in
notifications.py, beside this module."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.saved_replies import (
    check_add_saved_reply,
    check_delete_saved_reply,
    check_update_saved_reply,
    manageable_saved_replies,
    search_saved_replies,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()

SAVED_URL = "/settings/saved-replies"


def _saved_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    q: str | None = None,
    status_code: int = status.HTTP_200_OK,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    edit_error: tuple[int, str] | None = None,  # (reply id, why its edit was refused)
) -> Response:
    with runtime.read_uow() as uow:
        replies = search_saved_replies(uow, user, q)
        teams = uow.teams.list(user.workspace_id)
        manageable = manageable_saved_replies(uow, user, replies)
    context = page_context(
        user, session, replies=replies, teams=teams, q=q or "", error=error, form=form or {},
        nav="saved", manageable=manageable, edit_error=edit_error,
    )  # fmt: skip
    return render("saved_replies.html", status_code, **context)


@router.get(SAVED_URL)
def saved_replies(runtime: RuntimeDep, found: UiSessionDep, q: str | None = None) -> Response:
    user, session = found
    return _saved_page(runtime, user, session, q)


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
    except (ValidationFailed, PermissionDenied, NotFound) as exc:
        form = {"title": title, "body": body, "scope": scope, "team_id": team_id}
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return _saved_page(runtime, user, session, None, code, error=str(exc), form=form)
    return see_other(SAVED_URL)


@router.post(SAVED_URL + "/{reply_id}")
def edit_saved_reply(
    request: Request,
    reply_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    title: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Change a saved reply's title and text (yours, your team's, or, for admins, everyone's)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_update_saved_reply(uow, user, reply_id, title, body, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "such saved reply")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return _saved_page(runtime, user, session, None, code, edit_error=(reply_id, str(exc)))
    return see_other(SAVED_URL)


@router.post(SAVED_URL + "/{reply_id}/delete")
def delete_saved_reply(
    request: Request,
    reply_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_saved_reply(uow, user, reply_id, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "such saved reply")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return see_other(SAVED_URL)
