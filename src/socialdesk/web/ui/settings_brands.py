"""`/settings/brands`: the brand's own accounts, per network, and a form to add one (admins).

Their posts are the brand's replies: ingest stores them as outbound, never as new conversations, and
the composer offers them under "Sending as". `actions/accounts/brand_accounts.py` checks the role and values.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.accounts.brand_accounts import check_add_brand
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, see_other
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
) -> Response:
    with runtime.read_uow() as uow:
        accounts = uow.brands.list(user.workspace_id)
    by_network: dict[str, list[str]] = {}
    for account in sorted(accounts, key=lambda a: (a.channel, a.handle.casefold())):
        by_network.setdefault(account.channel, []).append(account.handle)
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
