"""The conversation page's desk: apply a macro, edit the tags, snooze, and "resolve and next".

Forms that work without JavaScript (each redirects back, or to the next conversation); with HTMX they
answer with the live fragment, or the panel with why nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.case_snooze import check_snooze
from socialdesk.actions.case_tags import check_change_tags, current_case
from socialdesk.actions.cases import check_change_case_status
from socialdesk.actions.conversations import access_conversation_by_id, list_conversations
from socialdesk.actions.desk_preferences import get_preferences
from socialdesk.actions.macros import check_apply_macro
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from socialdesk.domain.people import User
from socialdesk.domain.tags import MAX_TAGS_TEXT, parse_tags
from socialdesk.ports import ConversationQuery, UnitOfWork, WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import conversation_response
from socialdesk.web.ui.inbox_desk import parse_until
from socialdesk.web.ui.responses import forbidden, is_htmx, not_allowed, not_found, see_other

router = APIRouter()
CsrfField = Annotated[str, Form()]


def _act(
    request: Request,
    runtime: Runtime,
    user: User,
    session: WebSession,
    conversation_id: int,
    change: Callable[[UnitOfWork], object],
    what: str,
) -> Response:
    """One change from the desk panel, in one unit of work: the conversation again, or why not."""
    try:
        with runtime.uow() as uow:
            access_conversation_by_id(uow, user, conversation_id)
            change(uow)
    except NotFound as exc:
        return not_found(user, session, str(exc) if "conversation" not in str(exc) else "conversation")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except DomainError as exc:  # ValidationFailed, InvalidTransition, StaleReply: said on the page
        code = status.HTTP_409_CONFLICT if isinstance(exc, InvalidTransition) else 422
        error = f"{what}: {exc}."
        return conversation_response(request, runtime, user, session, conversation_id, error, code)
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/conversations/{conversation_id}/macros/{macro_id}")
def apply_macro(
    request: Request,
    conversation_id: Id,
    macro_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: CsrfField = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    now = runtime.clock.now()

    def change(uow: UnitOfWork) -> object:
        return check_apply_macro(uow, user, macro_id, conversation_id, now)

    return _act(request, runtime, user, session, conversation_id, change, "Macro not applied")


@router.post("/conversations/{conversation_id}/tags")
def set_tags(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    tags: Annotated[str, Form(max_length=MAX_TAGS_TEXT)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    now = runtime.clock.now()

    def change(uow: UnitOfWork) -> object:
        return check_change_tags(uow, user, conversation_id, now, replace_with=parse_tags(tags))

    return _act(request, runtime, user, session, conversation_id, change, "Tags not changed")


@router.post("/conversations/{conversation_id}/snooze")
def snooze(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    snooze_for: Annotated[str, Form(max_length=8)] = "",
    until: Annotated[str, Form(max_length=40)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Snooze for a preset or until a local time; ``snooze_for=wake`` wakes it now."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    now = runtime.clock.now()

    def change(uow: UnitOfWork) -> object:
        if snooze_for == "wake":
            return check_snooze(uow, user, conversation_id, None, now)
        moment = parse_until(until, snooze_for, get_preferences(uow, user).time_zone, now)
        if moment is None:
            raise ValidationFailed("choose how long to snooze, or the time to snooze until")
        return check_snooze(uow, user, conversation_id, moment, now)

    return _act(request, runtime, user, session, conversation_id, change, "Not snoozed")


@router.post("/conversations/{conversation_id}/resolve-next")
def resolve_and_next(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: CsrfField = "",
) -> Response:
    """Resolve the conversation's case, then open the next one that needs a reply (the inbox's
    default order), or the inbox when none is left."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    now = runtime.clock.now()

    def change(uow: UnitOfWork) -> object:
        case = current_case(uow, user, conversation_id)
        return check_change_case_status(uow, user, case.id, CaseStatus.RESOLVED, now)

    answer = _act(request, runtime, user, session, conversation_id, change, "Not resolved")
    if answer.status_code != status.HTTP_303_SEE_OTHER and not (
        is_htmx(request) and answer.status_code == 200
    ):
        return answer
    with runtime.read_uow() as uow:
        query = ConversationQuery(needs_reply=True, awake_at=now, limit=2)
        rows = [r for r in list_conversations(uow, user, query) if r.conversation.id != conversation_id]
    target = f"/conversations/{rows[0].conversation.id}" if rows else "/"
    if is_htmx(request):
        redirect = Response(status_code=200)
        redirect.headers["HX-Redirect"] = target
        return redirect
    return see_other(target)
