"""The agent UI: server-rendered pages, HTMX fragments and the live stream.

Views parse input, check the session's CSRF token and call actions; actions do the work.
A request from HTMX (header `HX-Request`) gets the fragment it swaps in; a plain form post gets
a redirect on success, or the whole page with the error, so the UI also works without JavaScript.
This module mounts the UI's routers and holds the conversation page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.needs_reply import check_set_needs_reply
from socialdesk.actions.inbox.cases import check_change_case_status, check_set_case_priority
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.actions.knowledge.sources import check_save_reply_as_answer
from socialdesk.actions.listening.rules import check_correct_triage
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.agent_status import router as agent_status_router
from socialdesk.web.ui.approvals import router as approvals_router
from socialdesk.web.ui.assignment import router as assignment_router
from socialdesk.web.ui.case_desk import router as case_desk_router
from socialdesk.web.ui.channels import router as channels_router
from socialdesk.web.ui.collaboration import router as collaboration_router
from socialdesk.web.ui.composer import router as composer_router
from socialdesk.web.ui.composer_assist import router as composer_assist_router
from socialdesk.web.ui.conversation_view import conversation_response
from socialdesk.web.ui.dead_letters import router as dead_letters_router
from socialdesk.web.ui.events import router as events_router
from socialdesk.web.ui.inbox import router as inbox_router
from socialdesk.web.ui.inbox_desk import router as inbox_desk_router
from socialdesk.web.ui.incidents import router as incidents_router
from socialdesk.web.ui.invite import router as invite_router
from socialdesk.web.ui.knowledge import router as knowledge_router
from socialdesk.web.ui.login import router as login_router
from socialdesk.web.ui.mission import router as mission_router
from socialdesk.web.ui.moderation import router as moderation_router
from socialdesk.web.ui.monitor_edit import router as monitor_edit_router
from socialdesk.web.ui.monitors import router as monitors_router
from socialdesk.web.ui.notifications import router as notifications_router
from socialdesk.web.ui.password import router as password_router
from socialdesk.web.ui.personal import router as personal_router
from socialdesk.web.ui.responses import flash, forbidden, is_htmx, not_found, see_other
from socialdesk.web.ui.settings_approvals import router as settings_approvals_router
from socialdesk.web.ui.settings_brands import router as settings_brands_router
from socialdesk.web.ui.settings_macros import router as settings_macros_router
from socialdesk.web.ui.settings_routing import router as settings_routing_router
from socialdesk.web.ui.settings_sla import router as settings_sla_router
from socialdesk.web.ui.settings_teams import router as settings_teams_router
from socialdesk.web.ui.settings_users import router as settings_users_router
from socialdesk.web.ui.spam_rules import router as spam_rules_router
from socialdesk.web.ui.static import router as static_router

router = APIRouter(include_in_schema=False)
router.include_router(static_router)
router.include_router(login_router)
router.include_router(invite_router)
router.include_router(password_router)
router.include_router(events_router)
router.include_router(inbox_router)
router.include_router(inbox_desk_router)
router.include_router(case_desk_router)
router.include_router(settings_macros_router)
router.include_router(composer_router)
router.include_router(moderation_router)
router.include_router(composer_assist_router)
router.include_router(knowledge_router)
router.include_router(collaboration_router)
router.include_router(assignment_router)
router.include_router(agent_status_router)
router.include_router(approvals_router)
router.include_router(monitors_router)
router.include_router(monitor_edit_router)  # after monitors_router: /settings/monitors/preview first
router.include_router(mission_router)
router.include_router(channels_router)
router.include_router(dead_letters_router)
router.include_router(personal_router)
router.include_router(notifications_router)
router.include_router(spam_rules_router)
router.include_router(settings_users_router)
router.include_router(settings_teams_router)
router.include_router(settings_routing_router)
router.include_router(settings_sla_router)
router.include_router(settings_approvals_router)
router.include_router(settings_brands_router)
router.include_router(incidents_router)


@router.get("/conversations/{conversation_id}")
def conversation(request: Request, conversation_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return conversation_response(request, runtime, user, session, conversation_id)


@router.get("/conversations/{conversation_id}/live")
def conversation_live(
    request: Request, conversation_id: Id, runtime: RuntimeDep, found: UiSessionDep
) -> Response:
    """The thread and case panel alone: what the page swaps in when the live stream names it."""
    user, session = found
    return conversation_response(request, runtime, user, session, conversation_id, fragment=True)


def _change_case(
    request: Request,
    runtime: Runtime,
    found: tuple[User, WebSession],
    case_id: Id,
    change: Callable[[UnitOfWork, User], object],
    what: str,
) -> Response:
    """One change from the case panel: the conversation again (the fragment for HTMX, else a
    redirect), or the panel with why nothing changed (409 for a refused move, 422 for a bad value)."""
    user, session = found
    try:
        with runtime.uow() as uow:
            conversation_id = access_case_by_id(uow, user, case_id).conversation_id
            change(uow, user)
    except NotFound:
        return not_found(user, session, "case")
    except (InvalidTransition, ValidationFailed) as exc:
        bad = status.HTTP_422_UNPROCESSABLE_CONTENT
        code = status.HTTP_409_CONFLICT if isinstance(exc, InvalidTransition) else bad
        error = f"{what} not changed: {exc}."
        return conversation_response(request, runtime, user, session, conversation_id, error, code)
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}")


@router.post("/cases/{case_id}/priority")
def case_priority(
    request: Request,
    case_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    priority: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Set the case's priority by hand (the case panel's select)."""
    if not csrf.session_token_ok(request, found[1], csrf_token):
        return forbidden(*found)

    def change(uow: UnitOfWork, user: User) -> object:
        return check_set_case_priority(uow, user, case_id, priority, runtime.clock.now())

    return _change_case(request, runtime, found, case_id, change, "Priority")


@router.post("/cases/{case_id}/needs-reply")
def case_needs_reply(
    request: Request,
    case_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    needs_reply: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Say the case needs a reply (its SLA clocks start) or needs none (they stop)."""
    if not csrf.session_token_ok(request, found[1], csrf_token):
        return forbidden(*found)

    def change(uow: UnitOfWork, user: User) -> object:
        if needs_reply not in ("true", "false"):
            raise ValidationFailed("needs_reply: true or false")
        return check_set_needs_reply(uow, user, case_id, needs_reply == "true", runtime.clock.now())

    return _change_case(request, runtime, found, case_id, change, "Needs reply")


@router.post("/cases/{case_id}/status")
def case_status(
    request: Request,
    case_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    status_value: Annotated[str, Form(alias="status")] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Move the case (the case panel's buttons)."""
    if not csrf.session_token_ok(request, found[1], csrf_token):
        return forbidden(*found)

    def change(uow: UnitOfWork, user: User) -> object:
        target = next((s for s in CaseStatus if s.value == status_value), None)
        if target is None:
            raise ValidationFailed(f"{status_value!r} is not a case status")
        return check_change_case_status(uow, user, case_id, target, runtime.clock.now())

    return _change_case(request, runtime, found, case_id, change, "Status")


@router.post("/messages/{message_id}/triage")
def correct_triage(
    request: Request,
    message_id: Id,
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
    except NotFound:
        return not_found(user, session, "message")
    except ValidationFailed as exc:
        return conversation_response(
            request,
            runtime,
            user,
            session,
            conversation_id,
            f"Not corrected: {exc}.",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id)
    return see_other(f"/conversations/{conversation_id}#message-{message_id}")


@router.post("/messages/{message_id}/save-as-answer")
def save_as_answer(
    request: Request,
    message_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """One click beside a sent brand reply: a knowledge-base article in review with the reply and the
    customer's question, personal data stripped, linked to this conversation."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            article = check_save_reply_as_answer(uow, user, message_id, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "message")
    except (ValidationFailed, PermissionDenied) as exc:
        return flash(f"Not saved as an answer: {exc}.", status.HTTP_422_UNPROCESSABLE_CONTENT)
    saved = (
        f"Saved as answer {article.key}: in review, with personal data stripped; "
        "a reviewer publishes it before it is ever suggested."
    )
    if is_htmx(request):
        return flash(saved, status.HTTP_200_OK)
    return see_other(f"/conversations/{article.source_conversation_id}#message-{message_id}")
