"""`/settings/channels`: every connected channel account with its health, read budget and the month's API
spend (pay-per-use networks), live.

Accounts are connected with `socialdesk channels add` or `POST /api/v1/channels`; here admins pause,
resume and remove them (forms with the session's CSRF token). Secrets never reach this page (the account
objects carry only sealed credentials, which are not shown).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from socialdesk.actions.channels.accounts import list_channel_accounts
from socialdesk.actions.channels.config import (
    ChannelChanges,
    check_remove_channel_account,
    check_update_channel_account,
)
from socialdesk.actions.channels.spend import month_spend
from socialdesk.channels.registry import REGISTRY
from socialdesk.domain.api_spend import monthly_cap
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import flash, forbidden, not_allowed, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()
PAGE = "/settings/channels"
ACTIONS = ("pause", "resume", "remove")


@router.get("/settings/channels")
def channels_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        accounts = list_channel_accounts(uow, user)
        spend = month_spend(uow, accounts, now)
    connector = runtime.channel_connector()
    priced = {d.name: connector.prices(d.name) for d in REGISTRY if d.pricing is not None}
    return render(
        "channels.html",
        **page_context(
            user,
            session,
            accounts=accounts,
            networks=list(REGISTRY),
            spend=spend,
            caps={a.id: monthly_cap(a.settings) for a in accounts},
            priced=priced,
            now=now,
            nav="channels",
        ),
    )


@router.post(PAGE + "/{account_id}")
def change_channel(
    request: Request,
    account_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    action: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Pause, resume or remove one account (admins); back to the page, which shows the result."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    if action not in ACTIONS:
        return flash(f"Unknown action {action[:40]!r}: one of {', '.join(ACTIONS)}.", 422)
    try:
        with runtime.uow() as uow:
            if action == "remove":
                check_remove_channel_account(uow, user, account_id, runtime.clock.now())
            else:
                changes = ChannelChanges(is_active=action == "resume")
                urls = runtime.channel_connector().url_policy
                now = runtime.clock.now()
                check_update_channel_account(
                    uow, user, account_id, changes, None, now, urls=urls, networks=REGISTRY
                )
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        return flash(f"Not changed: {exc}.", 422)
    return see_other(PAGE)
