"""Working together on a conversation: internal notes (with @-mentions) and presence.

Presence comes from the page's script: `viewing` on load and every few seconds, `typing` while the
agent types, `left` when the page goes away. Changes reach the other pages as `presence.changed`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.notes import check_add_note
from socialdesk.actions.care.presence import check_set_presence, get_presence
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.web.api.care_collab import presence_hub
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import conversation_response, others_here
from socialdesk.web.ui.responses import forbidden, is_htmx, not_found, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()


@router.post("/conversations/{conversation_id}/notes")
def add_note(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_add_note(uow, user, conversation_id, text, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "conversation")
    except ValidationFailed as exc:
        error = f"Note not added: {exc}."
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return conversation_response(request, runtime, user, session, conversation_id, error, code)
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}#notes-heading")


@router.get("/conversations/{conversation_id}/presence")
def presence(request: Request, conversation_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    """Who else views or types here (the page refreshes this on `presence.changed`)."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            now = runtime.clock.now()
            who = get_presence(uow, presence_hub(request), user, conversation_id, now)
            people = {u.id: u for u in uow.users.list(user.workspace_id)}
    except NotFound:
        return not_found(user, session, "conversation")
    return render("_presence.html", here=others_here(who, people, user))


@router.post("/conversations/{conversation_id}/presence")
def set_presence(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    state: Annotated[str, Form()] = "viewing",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            now = runtime.clock.now()
            hub = presence_hub(request)
            who = check_set_presence(uow, hub, runtime.bus, user, conversation_id, state, now)
            people = {u.id: u for u in uow.users.list(user.workspace_id)}
    except NotFound:
        return not_found(user, session, "conversation")
    except ValidationFailed as exc:
        return Response(str(exc), status.HTTP_422_UNPROCESSABLE_CONTENT, media_type="text/plain")
    return render("_presence.html", here=others_here(who, people, user))
