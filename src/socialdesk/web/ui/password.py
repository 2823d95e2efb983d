"""Changing one's own password: current password and the new one twice. The user's other sessions
end; this one stays. A wrong current password counts as a failed login (the same throttles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.accounts.lifecycle import check_change_password
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.actions.accounts.users import MAX_PASSWORD, MIN_PASSWORD
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.web.deps import RuntimeDep, UiSessionDep, auth_throttles, request_address
from socialdesk.web.throttle import wait_message
from socialdesk.web.ui import csrf
from socialdesk.web.ui.login import BUSY_RETRY_SECONDS
from socialdesk.web.ui.responses import forbidden, page_context
from socialdesk.web.ui.templating import render

router = APIRouter()

PasswordField = Annotated[str, Form(max_length=MAX_PASSWORD)]


def _page(
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    error: str | None = None,
    done: str | None = None,
    retry_after: int | None = None,
) -> Response:
    context = page_context(
        user,
        session,
        error=error,
        done=done,
        min_length=MIN_PASSWORD,
        max_length=MAX_PASSWORD,
        nav="password",
    )
    response = render("password.html", status_code, **context)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/settings/password")
def password_page(found: UiSessionDep) -> Response:
    user, session = found
    return _page(user, session)


@router.post("/settings/password")
def change_password(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    current_password: PasswordField = "",
    new_password: PasswordField = "",
    new_password_again: PasswordField = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    if new_password != new_password_again:
        return _page(user, session, status.HTTP_422_UNPROCESSABLE_CONTENT, error="The new passwords differ.")
    throttles = auth_throttles(request)
    address = request_address(request, runtime)
    wait = throttles.login_wait(user.email, address)
    if wait is not None:
        return _page(
            user, session, status.HTTP_429_TOO_MANY_REQUESTS, error=wait_message(wait), retry_after=wait
        )
    try:
        with runtime.uow() as uow:
            ended = check_change_password(
                uow, user, session, current_password, new_password, runtime.clock.now()
            )
    except PermissionDenied:
        throttles.login_failed(user.email, address)
        return _page(user, session, status.HTTP_403_FORBIDDEN, error="The current password is wrong.")
    except ValidationFailed as exc:
        return _page(user, session, status.HTTP_422_UNPROCESSABLE_CONTENT, error=f"New password: {exc}.")
    except HashingBusy:
        message = f"The server is busy. Try again in {BUSY_RETRY_SECONDS} seconds."
        return _page(
            user, session, status.HTTP_503_SERVICE_UNAVAILABLE, error=message, retry_after=BUSY_RETRY_SECONDS
        )
    throttles.login_succeeded(user.email)
    others = (
        "no other session was open"
        if ended == 0
        else f"{ended} other session{'s' if ended > 1 else ''} ended"
    )
    return _page(user, session, done=f"Password changed; {others}.")
