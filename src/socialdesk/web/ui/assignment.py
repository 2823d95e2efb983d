"""Assigning cases: to a colleague, to oneself, to nobody, and "pull next" from one's team queues."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.pull import NothingPulled, check_pull_next
from socialdesk.actions.care.routing import check_assign_case
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id, id_from_text
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import conversation_response
from socialdesk.web.ui.responses import flash, forbidden, is_htmx, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()


def _assignee(value: str, me: int) -> int | None:
    """`me`, a user id, or empty for nobody; anything else is refused."""
    if value == "me":
        return me
    if not value.strip():
        return None
    found = id_from_text(value)
    if found is None:
        raise ValidationFailed(f"{value!r} is not a colleague")
    return found


@router.post("/cases/{case_id}/assign")
def assign(
    request: Request,
    case_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    assignee: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            conversation_id = access_case_by_id(uow, user, case_id).conversation_id
    except NotFound:
        return not_found(user, session, "case")
    try:
        with runtime.uow() as uow:
            check_assign_case(uow, user, case_id, _assignee(assignee, user.id), runtime.clock.now())
    except NotFound:
        return not_found(user, session, "colleague")
    except ValidationFailed as exc:
        error = f"Not assigned: {exc}."
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return conversation_response(request, runtime, user, session, conversation_id, error, code)
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/queue/next")
def pull_next(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Take the next case from your teams' queues and open it."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    with runtime.uow() as uow:
        case = check_pull_next(uow, user, runtime.clock.now())
    if isinstance(case, NothingPulled):
        message = f"Nothing pulled: {case.message}."
        if is_htmx(request):
            return flash(message, status.HTTP_409_CONFLICT)
        context = page_context(user, session, title="Queue", message=message)
        return render("error.html", status.HTTP_409_CONFLICT, **context)
    target = f"/conversations/{case.conversation_id}"
    if is_htmx(request):
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"HX-Redirect": target})
    return see_other(target)
