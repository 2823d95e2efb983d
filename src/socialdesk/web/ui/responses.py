"""The UI's answers: page context, error pages and redirects shared by every view module."""

from __future__ import annotations

from typing import Any

from fastapi import Request, status
from starlette.responses import RedirectResponse, Response

from socialdesk.domain.errors import PermissionDenied
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.web.ui.templating import render


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page_context(user: User | None, session: WebSession | None, **context: Any) -> dict[str, Any]:
    return {"user": user, "csrf_token": session.csrf_token if session else None, **context}


def forbidden(user: User, session: WebSession) -> Response:
    return render(
        "error.html",
        status.HTTP_403_FORBIDDEN,
        **page_context(
            user,
            session,
            title="Forbidden",
            message="The form was missing its security token. Reload the page.",
        ),
    )


def not_allowed(user: User, session: WebSession, refusal: PermissionDenied) -> Response:
    """The page for an action's `PermissionDenied` (the role checks live in the actions, not here)."""
    return render(
        "error.html",
        status.HTTP_403_FORBIDDEN,
        **page_context(user, session, title="Not allowed", message=f"Not allowed: {refusal}."),
    )


def not_found(user: User, session: WebSession, what: str) -> Response:
    return render(
        "error.html",
        status.HTTP_404_NOT_FOUND,
        **page_context(user, session, title="Not found", message=f"There is no {what} here."),
    )


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def flash(message: str, status_code: int) -> Response:
    """For HTMX: the message in the page's flash area, wherever the request meant to swap."""
    response = render("_flash.html", status_code, message=message)
    response.headers["HX-Retarget"] = "#flash"
    response.headers["HX-Reswap"] = "outerHTML"
    return response
