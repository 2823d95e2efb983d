"""The agent UI: server-rendered pages, HTMX fragments and the live stream.

Views parse input, check the session's CSRF token and call actions; actions do the work.
A request from HTMX (header `HX-Request`) gets the fragment it swaps in; a plain form post gets
a redirect on success, or the whole page with the error, so the UI also works without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.cases import check_change_case_status
from socialdesk.actions.conversations import (
    ConversationDetail,
    access_case_by_id,
    get_conversation_detail,
    list_conversations,
)
from socialdesk.actions.replies import MAX_REPLY_CHARS, check_send_reply
from socialdesk.actions.rules import CORRECTABLE, check_correct_triage
from socialdesk.domain.case import TRANSITIONS, CaseStatus
from socialdesk.domain.errors import InvalidTransition, NotFound, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS, Visibility
from socialdesk.ports import ConversationQuery, WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.events import router as events_router
from socialdesk.web.ui.login import router as login_router
from socialdesk.web.ui.monitors import router as monitors_router
from socialdesk.web.ui.responses import forbidden, is_htmx, not_found, page_context, see_other
from socialdesk.web.ui.spam_rules import router as spam_rules_router
from socialdesk.web.ui.static import router as static_router
from socialdesk.web.ui.templating import STATUS_ORDER, render
from socialdesk.web.ui.triage_view import row_text, triage_views

INBOX_LIMIT = 100

router = APIRouter(include_in_schema=False)
router.include_router(static_router)
router.include_router(login_router)
router.include_router(events_router)
router.include_router(monitors_router)
router.include_router(spam_rules_router)


# --- inbox --------------------------------------------------------------------------------------


def _inbox_rows(runtime: Runtime, user: User, q: str | None, channel: str | None) -> dict[str, Any]:
    text = (q or "").strip() or None
    chosen = channel if channel in CHANNELS else None
    query = ConversationQuery(active_only=True, channel=chosen, text=text, limit=INBOX_LIMIT)
    with runtime.uow() as uow:
        rows = list_conversations(uow, user, query)
    return {
        "rows": rows,
        "texts": {
            r.conversation.id: row_text(r.conversation.subject or r.conversation.last_text) for r in rows
        },
        "now": runtime.clock.now(),
        "q": text or "",
        "channel": chosen or "",
        "channels": CHANNELS,
        "limit": INBOX_LIMIT,
    }


SearchText = Annotated[str | None, Query(max_length=200)]


@router.get("/")
def inbox(
    runtime: RuntimeDep, found: UiSessionDep, q: SearchText = None, channel: str | None = None
) -> Response:
    user, session = found
    context = page_context(user, session, nav="inbox", **_inbox_rows(runtime, user, q, channel))
    return render("inbox.html", **context)


@router.get("/inbox/rows")
def inbox_rows(
    runtime: RuntimeDep, found: UiSessionDep, q: SearchText = None, channel: str | None = None
) -> Response:
    user, _session = found
    return render("_inbox_rows.html", **_inbox_rows(runtime, user, q, channel))


# --- one conversation ---------------------------------------------------------------------------


def _live_context(runtime: Runtime, detail: ConversationDetail, error: str | None) -> dict[str, Any]:
    case = detail.case
    targets = [s for s in STATUS_ORDER if case is not None and s in TRANSITIONS[case.status]]
    return {
        "detail": detail,
        "targets": targets,
        "now": runtime.clock.now(),
        "error": error,
        "triage": triage_views(detail.messages),
        "correctable": CORRECTABLE,
    }


def _conversation_response(
    request: Request,
    runtime: RuntimeDep,
    user: User,
    session: WebSession,
    conversation_id: int,
    error: str | None = None,
    status_code: int = status.HTTP_200_OK,
    *,
    fragment: bool | None = None,
) -> Response:
    """The fragment for HTMX (or when asked), the whole page otherwise, with the thread as it is now."""
    try:
        with runtime.uow() as uow:
            detail = get_conversation_detail(uow, user, conversation_id)
    except NotFound:
        return not_found(user, session, "conversation")
    context = _live_context(runtime, detail, error)
    if fragment or (fragment is None and is_htmx(request)):
        return render("_conversation_live.html", status_code, **page_context(user, session, **context))
    return render(
        "conversation.html", status_code, **page_context(user, session, max_reply=MAX_REPLY_CHARS, **context)
    )


@router.get("/conversations/{conversation_id}")
def conversation(
    request: Request, conversation_id: int, runtime: RuntimeDep, found: UiSessionDep
) -> Response:
    user, session = found
    return _conversation_response(request, runtime, user, session, conversation_id)


@router.get("/conversations/{conversation_id}/live")
def conversation_live(
    request: Request, conversation_id: int, runtime: RuntimeDep, found: UiSessionDep
) -> Response:
    """The thread and case panel alone: what the page swaps in when the live stream names it."""
    user, session = found
    return _conversation_response(request, runtime, user, session, conversation_id, fragment=True)


@router.post("/conversations/{conversation_id}/reply")
def reply(
    request: Request,
    conversation_id: int,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Form()] = "",
    visibility: Annotated[str, Form()] = "public",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    error = None
    try:
        chosen = Visibility(visibility)
    except ValueError:
        chosen, error = None, "Reply not sent: choose public or private."
    try:
        with runtime.uow() as uow:
            if chosen is not None:
                check_send_reply(uow, user, conversation_id, text, chosen, runtime.clock.now())
                uow.commit()
    except NotFound:
        return not_found(user, session, "conversation")
    except ValidationFailed as exc:
        error = f"Reply not sent: {exc}."
    if error is not None:
        return _conversation_response(
            request, runtime, user, session, conversation_id, error, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    if is_htmx(request):
        return _conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/cases/{case_id}/status")
def case_status(
    request: Request,
    case_id: int,
    runtime: RuntimeDep,
    found: UiSessionDep,
    status_value: Annotated[str, Form(alias="status")] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    target = next((s for s in CaseStatus if s.value == status_value), None)
    try:
        with runtime.uow() as uow:
            conversation_id = access_case_by_id(uow, user, case_id).conversation_id
            if target is not None:
                check_change_case_status(uow, user, case_id, target, runtime.clock.now())
                uow.commit()
    except NotFound:
        return not_found(user, session, "case")
    except InvalidTransition as exc:
        return _conversation_response(
            request,
            runtime,
            user,
            session,
            conversation_id,
            f"Status not changed: {exc}.",
            status.HTTP_409_CONFLICT,
        )
    if target is None:
        error = f"Status not changed: {status_value!r} is not a case status."
        return _conversation_response(
            request, runtime, user, session, conversation_id, error, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    if is_htmx(request):
        return _conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/messages/{message_id}/triage")
def correct_triage(
    request: Request,
    message_id: int,
    runtime: RuntimeDep,
    found: UiSessionDep,
    field: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """One-click correction of a message's category, sentiment or needs-reply (kept for training)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            message = uow.messages.get(user.workspace_id, message_id)
            if message is None or message.conversation_id is None:
                raise NotFound(f"message {message_id}")
            conversation_id = message.conversation_id
            check_correct_triage(uow, user, message_id, field, label, runtime.clock.now())
            uow.commit()
    except NotFound:
        return not_found(user, session, "message")
    except ValidationFailed as exc:
        return _conversation_response(
            request,
            runtime,
            user,
            session,
            conversation_id,
            f"Not corrected: {exc}.",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if is_htmx(request):
        return _conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}#message-{message_id}")
