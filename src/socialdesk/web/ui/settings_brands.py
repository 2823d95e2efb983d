"""`/settings/brands`: the brand's own accounts, per network, a form to add one and, after a confirm
step, removing one (admins).

Their posts are the brand's replies: ingest stores them as outbound, never as new conversations, and
the composer offers them under "Sending as". `actions/accounts/brand_accounts.py` checks the role and values.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.accounts.brand_accounts import (
    check_add_brand,
    check_brand_removal,
    check_remove_brand,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page

PAGE = "/settings/brands"
FormText = Annotated[str, Form()]
router = APIRouter()


def brands_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    with runtime.read_uow() as uow:
        accounts = uow.brands.list(user.workspace_id)
    by_network: dict[str, list[tuple[int, str]]] = {}
    for account in sorted(accounts, key=lambda a: (a.channel, a.handle.casefold())):
        by_network.setdefault(account.channel, []).append((account.id, account.handle))
    return settings_page(
        "settings/brands.html",
        PAGE,
        user,
        session,
        status_code,
        by_network=by_network,
        channels=CHANNELS,
        form=form or {"channel": CHANNELS[0], "handle": ""},
        errors=errors or {},
        notice=notice,
    )


@router.get(PAGE)
def brands_view(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return refusal(user, session, PAGE) or brands_page(runtime, user, session)


@router.post(PAGE)
def add_brand(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    channel: FormText = "",
    handle: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_add_brand(uow, user, channel, handle, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        form = {"channel": channel, "handle": handle}
        return brands_page(runtime, user, session, code, form=form, errors={"brand": f"Not added: {exc}."})
    return see_other(PAGE)


@router.post(PAGE + "/{brand_account_id}/remove")
def remove_brand(
    request: Request,
    brand_account_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    confirm: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Without ``confirm=yes``: the confirm step, saying what removing would do (or why it cannot)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        if confirm != "yes":
            with runtime.read_uow() as uow:
                plan = check_brand_removal(uow, user, brand_account_id)
            return settings_page("settings/brand_remove.html", PAGE, user, session, removal=plan)
        with runtime.uow() as uow:
            done = check_remove_brand(uow, user, brand_account_id, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "such brand account")
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return brands_page(runtime, user, session, code, errors={"brand": f"Not removed: {exc}."})
    return brands_page(runtime, user, session, notice=done.outcome)
