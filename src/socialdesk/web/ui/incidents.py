"""`/incidents`: outages found by the detector (or made by agents), run from detection to follow-up.

Plain forms (no JavaScript needed), each with the session's CSRF token; a refusal shows the page
again with what is wrong. Any agent reads incidents, writes their internal note and adds or removes
conversations; admins and team leads confirm (notifying a team), resolve, reopen, choose the owner,
hold the replies for approval and answer everyone affected: the actions check it (roles.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.incidents.outreach import check_answer_everyone, incident_drafts
from socialdesk.actions.incidents.workflow import (
    MAX_NOTE,
    MAX_STATUS_TEXT,
    check_add_incident_conversations,
    check_remove_incident_conversation,
    check_update_incident,
    list_incidents,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.incidents.outreach import parse_pace
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.incident_view import conversation_ref, incident_page
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()
URL = "/incidents"
STATUS_ORDER = {"confirmed": 0, "suspected": 1, "resolved": 2}
Text = Annotated[str, Form(max_length=MAX_NOTE)]


@router.get(URL)
def incidents_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    with runtime.read_uow() as uow:
        found_incidents = list_incidents(uow, user, None, 200)
    shown = sorted(found_incidents, key=lambda i: (STATUS_ORDER.get(i.status, 3), -i.id))
    return render("incidents.html", **page_context(user, session, nav="incidents", incidents=shown))


def _page(
    runtime: Runtime, user: User, session: WebSession, incident_id: int, error: str = "", code: int = 200
) -> Response:
    try:
        with runtime.read_uow() as uow:
            view = incident_page(uow, user, incident_id)
    except NotFound:
        return not_found(user, session, "incident")
    context = page_context(user, session, nav="incidents", view=view, error=error, now=runtime.clock.now())
    return render("incident.html", code, **context)


@router.get(URL + "/{incident_id}")
def incident(incident_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return _page(runtime, user, session, incident_id)


Action = Callable[[UnitOfWork, User, int, datetime], object]


def _change(
    request: Request, runtime: Runtime, found: tuple[User, WebSession], incident_id: int, token: str,
    action: Action,
) -> Response:  # fmt: skip
    """Run one change of the incident in one unit of work; on success back to its page, else the page
    with the reason."""
    user, session = found
    if not csrf.session_token_ok(request, session, token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            action(uow, user, incident_id, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound as exc:
        code = status.HTTP_404_NOT_FOUND
        return _page(runtime, user, session, incident_id, f"Not found: {exc}.", code)
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return _page(runtime, user, session, incident_id, f"Not changed: {exc}.", code)
    return see_other(f"{URL}/{incident_id}")


@router.post(URL + "/{incident_id}/status")
def change_status(
    request: Request,
    incident_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    status_: Annotated[str, Form(alias="status", max_length=20)] = "",
    team_id: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Confirm (notifying the chosen team), resolve (following up with every customer) or reopen."""
    team = int(team_id) if team_id.isdigit() else None
    settings = runtime.settings

    def act(uow: UnitOfWork, user: User, iid: int, now: datetime) -> None:
        check_update_incident(
            uow, user, iid, now, status=status_, notify_team_id=team, follow_up=settings.incident_followup,
            pace=parse_pace(settings.incident_reply_pace),
        )  # fmt: skip

    return _change(request, runtime, found, incident_id, csrf_token, act)


@router.post(URL + "/{incident_id}/details")
def change_details(
    request: Request,
    incident_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    note: Text = "",
    status_text: Annotated[str, Form(max_length=MAX_STATUS_TEXT)] = "",
    owner_id: Annotated[str, Form(max_length=20)] = "",
    replies_need_approval: Annotated[str, Form(max_length=10)] = "",
    lead_fields: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """The internal note and public status text (agents), the owner and the approval flag (leads: the
    form shows them, and says so with `lead_fields`)."""
    lead = lead_fields == "1"
    owner = int(owner_id) if owner_id.isdigit() else None
    approval = bool(replies_need_approval) if lead else None

    def act(uow: UnitOfWork, user: User, iid: int, now: datetime) -> None:
        current = uow.incidents.get(user.workspace_id, iid)
        text = status_text if current is None or status_text != current.status_text else None
        check_update_incident(
            uow, user, iid, now, note=note, status_text=text, owner_id=owner if lead else None,
            replies_need_approval=approval,
        )  # fmt: skip

    return _change(request, runtime, found, incident_id, csrf_token, act)


@router.post(URL + "/{incident_id}/conversations")
def add_conversation(
    request: Request,
    incident_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    conversation: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Add a conversation by its id or a link to it."""
    cid = conversation_ref(conversation)
    if cid is None:
        user, session = found
        message = f"Not added: {conversation.strip()[:80]!r} is not a conversation id or link."
        return _page(runtime, user, session, incident_id, message, status.HTTP_422_UNPROCESSABLE_CONTENT)

    def act(uow: UnitOfWork, user: User, iid: int, now: datetime) -> None:
        check_add_incident_conversations(uow, user, iid, [cid], now)

    return _change(request, runtime, found, incident_id, csrf_token, act)


@router.post(URL + "/{incident_id}/conversations/{conversation_id}/remove")
def remove_conversation(
    request: Request,
    incident_id: Id,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, user: User, iid: int, now: datetime) -> None:
        check_remove_incident_conversation(uow, user, iid, conversation_id, now)

    return _change(request, runtime, found, incident_id, csrf_token, act)


@router.get(URL + "/{incident_id}/progress")
def progress(incident_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    """The replies' progress alone: the incident page polls it (HTMX) while replies are pending."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            view = incident_page(uow, user, incident_id)
    except NotFound:
        return not_found(user, session, "incident")
    moving = view.answers.get("pending") or view.follow_ups.get("pending")
    return render("_incident_progress.html", **page_context(user, session, view=view, moving=moving))


@router.get(URL + "/{incident_id}/answer")
def drafts_page(incident_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    """The reply each affected customer would get, to review before "Send all"."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            view = incident_page(uow, user, incident_id)
            drafts = incident_drafts(uow, user, incident_id)
    except NotFound:
        return not_found(user, session, "incident")
    context = page_context(user, session, nav="incidents", view=view, drafts=drafts)
    return render("incident_drafts.html", **context)


@router.post(URL + "/{incident_id}/answer")
def answer_everyone(
    request: Request,
    incident_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    pace = parse_pace(runtime.settings.incident_reply_pace)

    def act(uow: UnitOfWork, user: User, iid: int, now: datetime) -> None:
        check_answer_everyone(uow, user, iid, now, pace)

    return _change(request, runtime, found, incident_id, csrf_token, act)
