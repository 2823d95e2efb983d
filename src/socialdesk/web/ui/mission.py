"""`/mission`: mission control, the wall screen. Read-only; its panels refresh every 15 s and on live
events (static/mission.js fetches `/mission/panels` and swaps it in)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.mission_view import mission_view
from socialdesk.web.ui.responses import page_context
from socialdesk.web.ui.templating import render

REFRESH_SECONDS = 15

router = APIRouter()


@router.get("/mission")
def mission(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        view = mission_view(uow, user, now)
    context = page_context(user, session, nav="mission", view=view, now=now, refresh_s=REFRESH_SECONDS)
    return render("mission.html", **context)


@router.get("/mission/panels")
def mission_panels(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    """The panels alone, for the page's periodic refresh."""
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        view = mission_view(uow, user, now)
    return render("_mission_panels.html", **page_context(user, session, view=view, now=now))
