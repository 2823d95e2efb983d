"""Logging in and out: the login form (double-submit CSRF), the session cookie, a safe `next`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.accounts.credentials import do_end_session, do_start_session, session_user
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.actions.accounts.users import MAX_PASSWORD, authenticate_password
from socialdesk.actions.care.agent_presence import do_sign_in, do_sign_out
from socialdesk.runtime import Runtime
from socialdesk.web.deps import SESSION_COOKIE, RuntimeDep, UiSessionDep, auth_throttles, request_address
from socialdesk.web.login_redirect import safe_next
from socialdesk.web.throttle import wait_message
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, page_context, see_other
from socialdesk.web.ui.templating import render

BUSY_RETRY_SECONDS = 5
MAX_EMAIL_CHARS = 320

router = APIRouter()


def _login_form(
    runtime: Runtime, next_url: str, error: str | None, status_code: int, email: str = ""
) -> Response:
    token = csrf.new_login_token()
    context = page_context(None, None, login_token=token, next_url=next_url, error=error, email=email)
    response = render("login.html", status_code, **context)
    csrf.set_login_cookie(response, token, secure=runtime.settings.cookie_secure)
    return response


def _logged_in(request: Request, runtime: Runtime) -> bool:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    with runtime.read_uow() as uow:
        return session_user(uow, token, runtime.clock.now()) is not None


@router.get("/login")
def login_page(
    request: Request, runtime: RuntimeDep, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    if _logged_in(request, runtime):
        return see_other(safe_next(next_url))
    return _login_form(runtime, safe_next(next_url), None, status.HTTP_200_OK)


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next_field: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    next_url = safe_next(next_field)
    if not csrf.login_token_ok(request, csrf_token):
        return _login_form(
            runtime,
            next_url,
            "The login form expired. Please log in again.",
            status.HTTP_403_FORBIDDEN,
            email,
        )
    account = email.strip().lower()[:MAX_EMAIL_CHARS]
    address = request_address(request, runtime)
    throttles = auth_throttles(request)
    wait = throttles.login_wait(account, address)
    if wait is not None:  # refused before any hashing, even with the right password
        answer = _login_form(runtime, next_url, wait_message(wait), status.HTTP_429_TOO_MANY_REQUESTS, email)
        answer.headers["Retry-After"] = str(wait)
        return answer
    user = None
    if account and password and len(password) <= MAX_PASSWORD:
        try:
            user = authenticate_password(runtime.uow, account, password)
        except HashingBusy:
            message = f"The server is busy. Try again in {BUSY_RETRY_SECONDS} seconds."
            answer = _login_form(runtime, next_url, message, status.HTTP_503_SERVICE_UNAVAILABLE, email)
            answer.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
            return answer
    if user is None:
        throttles.login_failed(account, address)
        # One message for an unknown email, a wrong password and a disabled user: no enumeration.
        return _login_form(runtime, next_url, "Wrong email or password.", status.HTTP_401_UNAUTHORIZED, email)
    throttles.login_succeeded(account)
    with runtime.uow() as uow:
        previous = request.cookies.get(SESSION_COOKIE)
        if previous:
            do_end_session(uow, previous)  # a login replaces whatever session this browser had
        new = do_start_session(uow, user, runtime.clock.now(), runtime.settings.session_hours)
        do_sign_in(uow, user, runtime.clock.now())  # online from login
    response = see_other(next_url)
    secure = runtime.settings.cookie_secure
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=runtime.settings.session_hours * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )
    csrf.clear_login_cookie(response, secure=secure)
    return response


@router.post("/logout")
def logout(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    with runtime.uow() as uow:
        do_end_session(uow, request.cookies.get(SESSION_COOKIE, ""))
        do_sign_out(uow, user, runtime.clock.now())  # away at logout
    response = see_other("/login")
    secure = runtime.settings.cookie_secure
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
    return response
