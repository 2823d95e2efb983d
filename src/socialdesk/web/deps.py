"""FastAPI dependencies: the runtime, and the user behind a request (API token or web session)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from socialdesk.actions.accounts import authenticate_token, session_user
from socialdesk.domain.people import User
from socialdesk.ports import WebSession
from socialdesk.runtime import Runtime

SESSION_COOKIE = "sd_session"


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def api_user(request: Request, runtime: RuntimeDep) -> User:
    """The user of a `Authorization: Bearer <token>` header, or of a web session (for the UI's own calls)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        with runtime.uow() as uow:
            user = authenticate_token(uow, token.strip())
        if user is not None:
            return user
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid API token", {"WWW-Authenticate": "Bearer"})
    found = _session(request, runtime)
    if found is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "authentication required", {"WWW-Authenticate": "Bearer"}
        )
    user, session = found
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(request, session)
    return user


ApiUserDep = Annotated[User, Depends(api_user)]


def _session(request: Request, runtime: Runtime) -> tuple[User, WebSession] | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with runtime.uow() as uow:
        return session_user(uow, token, runtime.clock.now())


def check_csrf(request: Request, session: WebSession) -> None:
    sent = request.headers.get("x-csrf-token", "")
    if not sent or not secrets.compare_digest(sent, session.csrf_token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or wrong CSRF token")


class LoginRequired(Exception):
    """Raised by UI pages when nobody is logged in; answered with a redirect to /login."""


def ui_session(request: Request, runtime: RuntimeDep) -> tuple[User, WebSession]:
    found = _session(request, runtime)
    if found is None:
        raise LoginRequired
    return found


UiSessionDep = Annotated[tuple[User, WebSession], Depends(ui_session)]
