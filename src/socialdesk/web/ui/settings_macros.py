"""`/settings/macros`: the workspace's macros (a reply that also sets tags, status, assignment and a
follow-up). Admins and team leads create, change and delete them here (`check_*_macro` checks the
role); every agent applies them on the conversation page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.macros import (
    MACRO_STATUSES,
    MAX_FOLLOW_UP_HOURS,
    check_create_macro,
    check_delete_macro,
    check_update_macro,
    list_macros,
)
from socialdesk.actions.replies import MAX_REPLY_CHARS
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.tags import MAX_TAGS_TEXT, parse_tags
from socialdesk.ports import WebSession
from socialdesk.ports_desk import MacroFields
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page

PAGE = "/settings/macros"
router = APIRouter()


def macros_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    editing: int | None = None,
) -> Response:
    with runtime.read_uow() as uow:
        macros = list_macros(uow, user)
        colleagues = [u for u in uow.users.list(user.workspace_id) if u.is_active]
    return settings_page(
        "settings/macros.html",
        PAGE,
        user,
        session,
        status_code,
        macros=macros,
        colleagues=colleagues,
        statuses=MACRO_STATUSES,
        form=form or {},
        error=error,
        editing=editing,
        max_reply=MAX_REPLY_CHARS,
        max_hours=MAX_FOLLOW_UP_HOURS,
    )


@router.get(PAGE)
def macros_view(
    runtime: RuntimeDep, found: UiSessionDep, edit: Annotated[int | None, Query(ge=1, le=2**53)] = None
) -> Response:
    """The page; ``?edit=ID`` fills the form with that macro to change it."""
    user, session = found
    refused = refusal(user, session, PAGE)
    if refused is not None or edit is None:
        return refused or macros_page(runtime, user, session)
    with runtime.read_uow() as uow:
        macro = next((m for m in list_macros(uow, user) if m.id == edit), None)
    if macro is None:
        return not_found(user, session, "macro")
    f = macro.fields
    form = {"name": f.name, "body": f.body, "tags": ", ".join(f.tags), "status": f.status or ""}
    form |= {"assign": f.assign or "", "follow_up_hours": str(f.follow_up_hours or "")}
    return macros_page(runtime, user, session, form=form, editing=macro.id)


def _fields(name: str, body: str, tags: str, status_: str, assign: str, follow_up: str) -> MacroFields:
    hours = None
    if follow_up.strip():
        if not follow_up.strip().isdigit():
            raise ValidationFailed(f"follow-up {follow_up[:20]!r}: a whole number of hours")
        hours = int(follow_up.strip()[:6])
    return MacroFields(name, body, parse_tags(tags), status_ or None, assign or None, hours)


@router.post(PAGE)
def save_macro(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=MAX_REPLY_CHARS + 100)] = "",
    tags: Annotated[str, Form(max_length=MAX_TAGS_TEXT)] = "",
    status_: Annotated[str, Form(alias="status", max_length=24)] = "",
    assign: Annotated[str, Form(max_length=20)] = "",
    follow_up_hours: Annotated[str, Form(max_length=20)] = "",
    macro_id: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create a macro, or change the one ``macro_id`` names."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = {"name": name, "body": body, "tags": tags, "status": status_, "assign": assign}
    form |= {"follow_up_hours": follow_up_hours}
    editing = int(macro_id) if macro_id.isdigit() and len(macro_id) < 19 else None
    try:
        fields = _fields(name, body, tags, status_, assign, follow_up_hours)
        with runtime.uow() as uow:
            if editing is None:
                check_create_macro(uow, user, fields, runtime.clock.now())
            else:
                check_update_macro(uow, user, editing, fields, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "macro")
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return macros_page(
            runtime, user, session, code, form=form, error=f"Not saved: {exc}.", editing=editing
        )
    return see_other(PAGE)


@router.post(PAGE + "/{macro_id}/delete")
def delete_macro(
    request: Request,
    macro_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_macro(uow, user, macro_id, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "macro")
    return see_other(PAGE)
