"""`/settings/channels`: every connected channel account with its health and read budget, live.

Read-only: accounts are connected with `socialdesk channels add` or `POST /api/v1/channels`. Secrets
never reach this page (the account objects carry only sealed credentials, which are not shown).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from socialdesk.actions.channels import list_channel_accounts
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.responses import page_context
from socialdesk.web.ui.templating import render

router = APIRouter()


@router.get("/settings/channels")
def channels_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    with runtime.uow() as uow:
        accounts = list_channel_accounts(uow, user)
    return render(
        "channels.html",
        **page_context(user, session, accounts=accounts, now=runtime.clock.now(), nav="channels"),
    )
