"""The header's online/away switch, and the browser's activity reports that keep an agent online.

`POST /me/status` (form field `status`: online or away) answers the switch itself, for HTMX to swap
in, or redirects a plain form post to the inbox. `POST /me/active` is what static/app.js sends on the
agent's keys, clicks and page loads (at most once a minute): 204, or the switch when the agent came
back online from an idle "away".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.agent_presence import check_set_own_status, do_note_activity
from socialdesk.domain.errors import ValidationFailed
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import flash, forbidden, is_htmx, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()


@router.post("/me/status")
def set_status(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    status_field: Annotated[str, Form(alias="status")] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            user = check_set_own_status(uow, user, status_field, runtime.clock.now())
    except ValidationFailed as exc:
        if is_htmx(request):
            return flash(f"Status not changed: {exc}.", status.HTTP_422_UNPROCESSABLE_CONTENT)
        context = page_context(user, session, title="Status", message=f"Status not changed: {exc}.")
        return render("error.html", status.HTTP_422_UNPROCESSABLE_CONTENT, **context)
    if is_htmx(request):
        return render("_agent_status.html", **page_context(user, session))
    return see_other("/")


@router.post("/me/active")
def active(
    request: Request, runtime: RuntimeDep, found: UiSessionDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    with runtime.uow() as uow:
        changed = do_note_activity(uow, user, runtime.clock.now())
    if changed.status is user.status:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return render("_agent_status.html", **page_context(changed, session))
