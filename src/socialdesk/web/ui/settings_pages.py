"""What the workspace settings pages share: their tabs, the refusal for those who may not see them and
the rendering of a page with the form errors of a refused change."""

from __future__ import annotations

from typing import Any

from fastapi import status
from starlette.responses import Response

from socialdesk.actions.roles import check_settings_allowed
from socialdesk.domain.errors import PermissionDenied
from socialdesk.domain.people import User
from socialdesk.ports import WebSession
from socialdesk.web.ui.responses import not_allowed, page_context
from socialdesk.web.ui.templating import render

# (path, tab label, what the page is for: completes "only admins ..." when refused, team leads too?)
TABS = (
    ("/settings/users", "Users", "manage users", True),
    ("/settings/teams", "Teams", "manage teams", True),
    ("/settings/routing", "Routing", "manage routing rules", True),
    ("/settings/sla", "SLA", "manage the SLA policy", True),
    ("/settings/approvals", "Approval rules", "manage approval rules", True),
    ("/settings/brands", "Brand accounts", "manage brand accounts", False),
    ("/settings/macros", "Macros", "create, change or delete macros (every agent applies them)", True),
)
WHAT = {path: (what, leads) for path, _, what, leads in TABS}


def refusal(user: User, session: WebSession, path: str) -> Response | None:
    """The 403 page (saying who may) when ``user`` may not open the settings page at ``path``."""
    try:
        what, leads = WHAT[path]
        check_settings_allowed(user, what, leads=leads)
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return None


def allowed(user: User, path: str) -> bool:
    what, leads = WHAT[path]
    try:
        check_settings_allowed(user, what, leads=leads)
    except PermissionDenied:
        return False
    return True


def settings_page(
    template: str,
    path: str,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    **context: Any,
) -> Response:
    """One settings page: the Settings tab in the top bar, the tabs of the settings pages above it."""
    context.setdefault("errors", {})
    tabs = [t for t in TABS if allowed(user, t[0])]
    return render(
        template,
        status_code,
        **page_context(user, session, nav="settings", tabs=tabs, tab=path, **context),
    )
