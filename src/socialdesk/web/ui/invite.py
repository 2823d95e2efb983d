"""`/invite/{workspace_id}/{token}`: the invited person sets their password (no session yet).

The form needs no CSRF token of its own: the link's secret is in the URL it posts to, so another site
cannot forge the request without already holding the secret, which would let it accept directly.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, status
from starlette.responses import Response

from socialdesk.actions.accounts.invites import check_accept_invite, invited_user
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.web.deps import RuntimeDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui.responses import page_context, see_other
from socialdesk.web.ui.templating import render

PAGE = "/invite/{workspace_id}/{token}"
Token = Annotated[str, Path(max_length=100)]
router = APIRouter()


def _invalid(message: str) -> Response:
    context = page_context(
        None, None, title="Invitation not valid", message=f"{message[:1].upper()}{message[1:]}."
    )
    return render("error.html", status.HTTP_404_NOT_FOUND, **context)


@router.get(PAGE)
def invite_page(workspace_id: Id, token: Token, runtime: RuntimeDep) -> Response:
    try:
        with runtime.read_uow() as uow:
            user = invited_user(uow, workspace_id, token, runtime.clock.now())
    except NotFound as exc:
        return _invalid(str(exc))
    return render(
        "invite.html", **page_context(None, None, invited=user, action=f"/invite/{workspace_id}/{token}")
    )


@router.post(PAGE)
def accept_invite(
    workspace_id: Id,
    token: Token,
    runtime: RuntimeDep,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    try:
        with runtime.uow() as uow:
            check_accept_invite(uow, workspace_id, token, password, confirm, runtime.clock.now())
    except NotFound as exc:
        return _invalid(str(exc))
    except (ValidationFailed, HashingBusy) as exc:
        with runtime.read_uow() as uow:
            user = invited_user(uow, workspace_id, token, runtime.clock.now())
        context = page_context(
            None, None, invited=user, action=f"/invite/{workspace_id}/{token}", error=f"Not set: {exc}."
        )
        return render("invite.html", status.HTTP_422_UNPROCESSABLE_CONTENT, **context)
    return see_other("/login")
