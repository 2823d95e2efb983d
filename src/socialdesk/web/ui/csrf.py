"""CSRF for the UI.

Logged in: every state-changing request carries the session's CSRF token, as the `X-CSRF-Token`
header (HTMX requests, set by app.js from a meta tag) or as a `csrf_token` form field (plain forms).

Logging in: there is no session yet, so the login form uses a double-submit token: a random value
rendered into the form and set in a short-lived HttpOnly cookie scoped to /login; both must match.
"""

from __future__ import annotations

import secrets

from fastapi import Request
from starlette.responses import Response

from socialdesk.ports.accounts import WebSession

LOGIN_CSRF_COOKIE = "sd_login_csrf"
LOGIN_CSRF_SECONDS = 3600


def _same(sent: str, expected: str) -> bool:
    return bool(sent) and bool(expected) and secrets.compare_digest(sent.encode(), expected.encode())


def session_token_ok(request: Request, session: WebSession, form_token: str = "") -> bool:
    """True when the header or the form field carries the session's token (the caller answers 403)."""
    header = request.headers.get("x-csrf-token", "")
    return _same(header, session.csrf_token) or _same(form_token, session.csrf_token)


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def set_login_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_SECONDS,
        path="/login",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_login_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login", secure=secure, httponly=True, samesite="strict")


def login_token_ok(request: Request, form_token: str) -> bool:
    return _same(form_token, request.cookies.get(LOGIN_CSRF_COOKIE, ""))
