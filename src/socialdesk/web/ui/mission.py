"""`/mission`: mission control. Read-only; its panels refresh every 15 s and on live events
(static/mission.js fetches `/mission/panels` and swaps it in).

`/mission/wall` is the same figures for a screen on the wall: dark, large type, no controls (no
links, no forms, no menu); the figures stay on screen while the other panels take turns, one every
`every` seconds. Space or P pauses the turns (a wall screen may still meet a keyboard)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.mission_view import mission_view
from socialdesk.web.ui.responses import page_context
from socialdesk.web.ui.templating import render

REFRESH_SECONDS = 15
WALL_CYCLE_SECONDS = 12

router = APIRouter()


@router.get("/mission")
def mission(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        view = mission_view(uow, user, now)
    context = page_context(user, session, nav="mission", view=view, now=now, refresh_s=REFRESH_SECONDS)
    return render("mission.html", **context)


@router.get("/mission/wall")
def mission_wall(
    runtime: RuntimeDep,
    found: UiSessionDep,
    every: Annotated[int, Query(ge=3, le=600, description="seconds each panel stays")] = WALL_CYCLE_SECONDS,
) -> Response:
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        view = mission_view(uow, user, now)
    context = page_context(
        user, session, view=view, now=now, refresh_s=REFRESH_SECONDS, every_s=every, wall=True
    )
    return render("mission_wall.html", **context)


@router.get("/mission/panels")
def mission_panels(runtime: RuntimeDep, found: UiSessionDep, wall: bool = False) -> Response:
    """The panels alone, for the page's periodic refresh (``wall``: without links, for the wall)."""
    user, session = found
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        view = mission_view(uow, user, now)
    return render("_mission_panels.html", **page_context(user, session, view=view, now=now, wall=wall))
