"""`RefuseNul`: no NUL character reaches a route through the URL or a form body.

PostgreSQL cannot store NUL in text: before, one in a reply, a note or a rule failed the write with a
server error (and on SQLite a NUL in a search matched every conversation). JSON bodies are checked
field by field by `InputModel` (so an ingest batch still reports each bad post on its own); this
middleware covers what pydantic models do not see: the query string, the path and form bodies (the
UI's forms). The form body is checked chunk by chunk as the route reads it, never read ahead, so the
routes' own body limits still apply first.
"""

from __future__ import annotations

from fastapi import HTTPException, status
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_FORMS = {"application/x-www-form-urlencoded": b"%00", "multipart/form-data": b"\x00"}


class RefuseNul:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            answer = JSONResponse({"detail": "the URL contains a NUL character (%00)"}, status_code=422)
            await answer(scope, receive, send)
            return
        content_type = Headers(scope=scope).get("content-type", "").split(";")[0].strip().lower()
        marker = _FORMS.get(content_type)
        if marker is None:
            await self.app(scope, receive, send)
            return
        tail = b""

        async def checked() -> Message:
            nonlocal tail
            message = await receive()
            if message["type"] == "http.request":
                seen = tail + message.get("body", b"")
                if marker in seen:
                    raise HTTPException(
                        status.HTTP_422_UNPROCESSABLE_CONTENT, "the form contains a NUL character (%00)"
                    )
                tail = seen[-(len(marker) - 1) :] if len(marker) > 1 else b""
            return message

        await self.app(scope, checked, send)
