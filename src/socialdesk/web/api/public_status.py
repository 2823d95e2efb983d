"""Public, unauthenticated and cacheable: a brand's expected response time on a channel, as JSON and as
an embeddable HTML snippet (actions/care/response_time.py says how it is computed). Rate-limited per
client address; `Cache-Control: public, max-age=60` lets a CDN or the browser answer repeat visits."""

from __future__ import annotations

import html
import threading
from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from socialdesk.actions.care.response_time import PublicResponseTime, public_response_time
from socialdesk.web.client_address import client_address
from socialdesk.web.deps import RuntimeDep
from socialdesk.web.ratelimit import Rate, RateLimiter, retry_after

router = APIRouter(tags=["public"])
PER_ADDRESS = Rate(capacity=60, per_seconds=60.0)  # 60 at once, then one a second per client address
CACHE = "public, max-age=60"
_LOCK = threading.Lock()

Slug = Annotated[
    str, Query(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Workspace")
]
Channel = Annotated[str, Query(min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")]
Handle = Annotated[
    str, Query(min_length=1, max_length=200, pattern=r"^@?[^\s\x00]+$", description="Brand account")
]


class ResponseTimeOut(BaseModel):
    brand: str
    channel: str
    expected_minutes: float | None
    answered_last_hour: int
    waiting: int
    oldest_waiting_minutes: float | None
    status_text: str | None
    computed_at: str

    @classmethod
    def of(cls, r: PublicResponseTime) -> ResponseTimeOut:
        return cls(
            brand=r.brand, channel=r.channel, expected_minutes=r.expected_minutes,
            answered_last_hour=r.answered_last_hour, waiting=r.waiting,
            oldest_waiting_minutes=r.oldest_waiting_minutes, status_text=r.status_text,
            computed_at=r.computed_at.isoformat(),
        )  # fmt: skip


def _limiter(app: FastAPI) -> RateLimiter:
    with _LOCK:
        found = getattr(app.state, "public_status_limiter", None)
        if not isinstance(found, RateLimiter):
            found = app.state.public_status_limiter = RateLimiter(PER_ADDRESS)
    return found


def _figures(
    request: Request, runtime: RuntimeDep, workspace: str, channel: str, brand: str
) -> PublicResponseTime:
    wait = _limiter(request.app).acquire(client_address(request, runtime.settings.trusted_proxies))
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many requests", headers={"Retry-After": retry_after(wait)}
        )
    with runtime.read_uow() as uow:
        return public_response_time(uow, workspace, channel, brand, runtime.clock.now())


@router.get("/public/response-time")
def response_time(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    workspace: Slug,
    channel: Channel,
    brand: Handle,
) -> ResponseTimeOut:
    """The expected response time now: the median first response of the last hour (null with fewer than
    3), the live queue, and the open incident's public status text."""
    out = ResponseTimeOut.of(_figures(request, runtime, workspace, channel, brand))
    response.headers["Cache-Control"] = CACHE
    return out


def snippet(r: PublicResponseTime) -> str:
    if r.expected_minutes is None:
        figure = "Not enough replies in the last hour to say"
    elif r.expected_minutes < 1:
        figure = "We usually reply within a minute"
    else:
        figure = f"We usually reply in about {round(r.expected_minutes)} min"
    parts = [f'<div class="sd-response-time"><strong>{html.escape(figure)}</strong>']
    parts.append(f"<span> (@{html.escape(r.brand)} on {html.escape(r.channel)}, last hour)</span>")
    if r.status_text:
        parts.append(f'<p class="sd-status">{html.escape(r.status_text)}</p>')
    parts.append("</div>")
    return "".join(parts)


@router.get("/public/response-time.html", response_class=HTMLResponse)
def response_time_snippet(
    request: Request, runtime: RuntimeDep, workspace: Slug, channel: Channel, brand: Handle
) -> HTMLResponse:
    """The same as an HTML fragment to embed (an iframe, or fetched into a page); all text escaped."""
    body = snippet(_figures(request, runtime, workspace, channel, brand))
    return HTMLResponse(body, headers={"Cache-Control": CACHE})
