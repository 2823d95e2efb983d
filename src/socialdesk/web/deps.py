"""FastAPI dependencies: the runtime, and the user behind a request (API token or web session)."""

from __future__ import annotations

import secrets
import threading
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from socialdesk.actions.accounts.credentials import authenticate_token, session_user
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.client_address import client_address
from socialdesk.web.throttle import AuthThrottles, wait_message

SESSION_COOKIE = "sd_session"
_THROTTLES_LOCK = threading.Lock()


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def auth_throttles(request: Request) -> AuthThrottles:
    """The app's throttles of wrong passwords and tokens (made on first use, from the runtime's
    settings and clock)."""
    state = request.app.state
    with _THROTTLES_LOCK:
        found: AuthThrottles | None = getattr(state, "auth_throttles", None)
        if found is None:
            runtime: Runtime = state.runtime
            found = state.auth_throttles = AuthThrottles.from_settings(runtime.settings, runtime.clock)
        return found


def request_address(request: Request, runtime: Runtime) -> str:
    return client_address(request, runtime.settings.trusted_proxies)


def too_many(seconds: int) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS, wait_message(seconds), {"Retry-After": str(seconds)}
    )


def api_user(request: Request, runtime: RuntimeDep) -> User:
    """The user of a `Authorization: Bearer <token>` header, or of a web session (for the UI's own calls).

    Wrong or expired tokens are counted per client address; past the limit the address gets 429 with
    Retry-After before its tokens are even looked up."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        throttle = auth_throttles(request).token_address
        address = request_address(request, runtime)
        wait = throttle.retry_after(address)
        if wait is not None:
            raise too_many(wait)
        with runtime.read_uow() as uow:
            user = authenticate_token(uow, token.strip(), runtime.clock.now())
        if user is not None:
            return user
        throttle.fail(address)
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
    with runtime.read_uow() as uow:
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
