"""`/settings/monitors/{id}`: edit, pause, resume and delete one monitor.

Everyone may open the page (agents see the monitor, read-only); the changes are the admins' (the role
check is the action's). A refused edit comes back with the typed values and the error at its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.listening.monitors import (
    access_monitor,
    brand_ids_for,
    check_delete_monitor,
    check_update_monitor,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.domain.people import BrandAccount, User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.monitors import (
    MAX_EXCLUSIONS,
    SETTINGS_URL,
    MonitorForm,
    brand_context,
    brand_text,
    column_pointer,
    error_field,
    split_list,
)
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]


def _form_of(monitor: Monitor, accounts: Sequence[BrandAccount]) -> MonitorForm:
    return MonitorForm(
        monitor.name,
        monitor.query,
        monitor.kind.value,
        monitor.mode.value,
        ", ".join(monitor.exclude_authors),
        ", ".join(monitor.exclude_terms),
        brand_text(accounts, monitor.brand_account_ids),
    )


def _edit_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    monitor: Monitor,
    status_code: int = status.HTTP_200_OK,
    *,
    form: MonitorForm | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    brands = brand_context(runtime, user)
    form = form or _form_of(monitor, brands["brand_accounts"])
    errors = errors or {}
    with runtime.uow() as uow:
        matches = uow.monitors.match_counts(user.workspace_id).get(monitor.id, 0)
    context = page_context(
        user,
        session,
        nav="monitors",
        monitor=monitor,
        matches=matches,
        form=form,
        errors=errors,
        pointer=column_pointer(form.query, errors.get("query", "")),
        kinds=[k.value for k in MonitorKind],
        modes=[m.value for m in MonitorMode],
        **brands,
    )
    return render("monitor_edit.html", status_code, **context)


@router.get(SETTINGS_URL + "/{monitor_id}")
def monitor_page(monitor_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    try:
        with runtime.uow() as uow:
            monitor = access_monitor(uow, user, monitor_id)
    except NotFound:
        return not_found(user, session, "such monitor")
    return _edit_page(runtime, user, session, monitor)


@router.post(SETTINGS_URL + "/{monitor_id}")
def edit_monitor(
    request: Request,
    monitor_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: FormText = "",
    query: FormText = "",
    kind: FormText = MonitorKind.BRAND.value,
    mode: FormText = MonitorMode.CARE.value,
    exclude_authors: FormText = "",
    exclude_terms: FormText = "",
    brands: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = MonitorForm(name, query, kind, mode, exclude_authors, exclude_terms, brands)
    authors, terms = split_list(exclude_authors), split_list(exclude_terms)
    errors = {
        key: f"At most {MAX_EXCLUSIONS} entries."
        for key, values in (("exclude_authors", authors), ("exclude_terms", terms))
        if len(values) > MAX_EXCLUSIONS
    }
    try:
        with runtime.uow() as uow:
            monitor = access_monitor(uow, user, monitor_id)
            if not errors:
                check_update_monitor(
                    uow, user, monitor_id, name=name, query=query, kind=kind, mode=mode,
                    exclude_authors=authors, exclude_terms=terms,
                    brand_account_ids=brand_ids_for(uow, user, split_list(brands)), now=runtime.clock.now(),
                )  # fmt: skip
    except NotFound:
        return not_found(user, session, "such monitor")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        errors = {error_field(str(exc)): f"Not saved: {exc}."}
    if errors:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return _edit_page(runtime, user, session, monitor, code, form=form, errors=errors)
    return see_other(SETTINGS_URL)


@router.post(SETTINGS_URL + "/{monitor_id}/active")
def set_active(
    request: Request,
    monitor_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    active: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Pause (`active=false`) or resume (`active=true`) a monitor."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        if active not in ("true", "false"):
            raise ValidationFailed("active: true (resume) or false (pause)")
        with runtime.uow() as uow:
            check_update_monitor(uow, user, monitor_id, active=active == "true", now=runtime.clock.now())
    except NotFound:
        return not_found(user, session, "such monitor")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        return render(
            "error.html",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            **page_context(user, session, title="Not changed", message=f"Not changed: {exc}."),
        )
    return see_other(SETTINGS_URL)


@router.post(SETTINGS_URL + "/{monitor_id}/delete")
def delete_monitor(
    request: Request, monitor_id: Id, runtime: RuntimeDep, found: UiSessionDep, csrf_token: FormText = ""
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_monitor(uow, user, monitor_id, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "such monitor")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return see_other(SETTINGS_URL)
