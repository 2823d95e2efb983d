"""`GET /events`: the live stream of one workspace's events, as server-sent events.

Each event is one unnamed SSE message whose data is `{"kind": ..., **data}`; a comment line every
HEARTBEAT_SECONDS keeps proxies from closing the connection and lets us notice a logout or an
expired session, after which the stream ends (EventSource then fails and the page says "offline").
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from socialdesk.actions.accounts.credentials import session_user
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import SESSION_COOKIE, LoginRequired, RuntimeDep, ui_session
from socialdesk.web.live import LiveHub

HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 3000

router = APIRouter()


def stream_session(request: Request, runtime: RuntimeDep) -> tuple[User, WebSession]:
    """Like the pages' session, but a stream answers 401 instead of redirecting to the login form."""
    try:
        return ui_session(request, runtime)
    except LoginRequired:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "authentication required") from None


def sse_message(event: Event) -> str:
    payload = json.dumps({"kind": event.kind, **event.data}, separators=(",", ":"), default=str)
    return f"data: {payload}\n\n"  # json.dumps never emits a raw newline, so one data line suffices


def for_user(event: Event, user_id: int) -> bool:
    """Whether this user's stream carries the event: a notification goes to its recipient's streams only
    (colleagues of the same workspace learn nothing of who was told what)."""
    if event.kind == EventKind.NOTIFICATION_CREATED:
        return bool(event.data.get("user_id") == user_id)
    return True


def _still_logged_in(runtime: Runtime, token: str) -> bool:
    with runtime.read_uow() as uow:
        return session_user(uow, token, runtime.clock.now()) is not None


async def event_stream(
    request: Request, hub: LiveHub, runtime: Runtime, user: User, token: str
) -> AsyncIterator[str]:
    async with hub.listen(user.workspace_id) as queue:
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n"
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                if not await run_in_threadpool(_still_logged_in, runtime, token):
                    return
                yield ": heartbeat\n\n"
                continue
            if for_user(event, user.id):
                yield sse_message(event)


@router.get("/events", include_in_schema=False)
async def events(
    request: Request, runtime: RuntimeDep, found: Annotated[tuple[User, WebSession], Depends(stream_session)]
) -> StreamingResponse:
    user, _session = found
    hub: LiveHub = request.app.state.hub
    token = request.cookies.get(SESSION_COOKIE, "")
    return StreamingResponse(
        event_stream(request, hub, runtime, user, token),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
