"""Request body limits per route, enforced before the body is read (413 Content Too Large).

Every route accepts at most ``SOCIALDESK_MAX_BODY_BYTES``; a route that needs more (or less)
declares which setting holds its limit with :func:`body_limit`::

    @router.post("/posts")
    @body_limit("ingest_max_body_bytes")
    def ingest_posts(...): ...

:class:`BodyLimitMiddleware` (pure ASGI, registered once in the app) wraps the body stream: when
the app first asks for the body, it finds the route's limit, refuses a declared ``Content-Length``
above it without pulling a byte, and counts the bytes of a streamed (chunked) body as the app
pulls them: the pull that crosses the limit raises :class:`BodyTooLarge` (an ``HTTPException``,
so FastAPI's body reading passes it on as a 413) and nothing past it is read. A route that never
reads its body (a webhook refusing an unknown source) never pulls it at all, and any answer sent
before the body was read whole says ``Connection: close``, so the server drops the connection
instead of draining the rest of the body.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialdesk.config import Settings

DEFAULT_SETTING = "max_body_bytes"
_ATTRIBUTE = "__socialdesk_body_limit__"
F = TypeVar("F", bound=Callable[..., Any])


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, setting: str, size: int | None = None) -> None:
        sent = f"{size} bytes" if size is not None else "more bytes than that"
        super().__init__(
            413,
            f"request body too large: this endpoint accepts at most {limit} bytes "
            f"(SOCIALDESK_{setting.upper()}); the request sent {sent}",
            headers={"Connection": "close"},
        )


def body_limit(setting: str) -> Callable[[F], F]:
    """Declare that an endpoint's body limit is the (int, bytes) setting ``setting``."""
    if setting not in Settings.model_fields:
        raise ValueError(f"body_limit: no setting {setting!r} in socialdesk.config.Settings")

    def mark(endpoint: F) -> F:
        setattr(endpoint, _ATTRIBUTE, setting)
        return endpoint

    return mark


def declared_limit(endpoint: Any) -> str:
    """The setting that holds ``endpoint``'s body limit (the default one when it declared none)."""
    return str(getattr(endpoint, _ATTRIBUTE, DEFAULT_SETTING))


class BodyLimitMiddleware:
    """Bounds each request body by its route's limit; ``settings`` gives the current Settings.

    The limit is looked up when the app first pulls the body, from the route the router chose
    (FastAPI puts it in the scope): a declared ``Content-Length`` above it is refused before any
    byte is pulled, and a streamed body is cut off at the pull that crosses it.
    """

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pulled = 0
        limit: tuple[int, str] | None = None
        unread = _has_body(scope)  # a body the app has not read to its end yet

        async def limited_receive() -> Message:
            nonlocal pulled, limit, unread
            if limit is None:
                route = scope.get("route")
                setting = declared_limit(getattr(route, "endpoint", None))
                limit = int(getattr(self.settings(), setting)), setting
                declared = _content_length(scope)
                if declared is not None and declared > limit[0]:
                    raise BodyTooLarge(limit[0], setting, declared)
            message = await receive()
            if message["type"] == "http.request":
                pulled += len(message.get("body", b""))
                if pulled > limit[0]:
                    raise BodyTooLarge(*limit)
                unread = unread and bool(message.get("more_body", False))
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                if unread and all(key.lower() != b"connection" for key, _ in headers):
                    # Answered before the body was read (a refusal): the server drops it, not drains it.
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:  # read by something outside the app's exception handlers
            if started:
                raise
            await _refuse(exc, send)


def _has_body(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"transfer-encoding" or (key == b"content-length" and value.strip() != b"0"):
            return True
    return False


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            if not (text.isascii() and text.isdigit()):
                return None  # the server refuses it; the streamed bytes are counted anyway
            return int(text) if len(text) < 19 else sys.maxsize
    return None


async def _refuse(exc: BodyTooLarge, send: Send) -> None:
    body = json.dumps({"detail": exc.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
