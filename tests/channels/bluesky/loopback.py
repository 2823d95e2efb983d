"""A fake Bluesky PDS with the chat service behind it, on 127.0.0.1, for end-to-end tests: a session,
no notifications, the chat log and conversation of the fixtures, and every chat message sent recorded.
Chat calls without the ``atproto-proxy`` header are refused, as the PDS would not know them."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tests.channels.support import load

from socialdesk.channels.bluesky.chat import CHAT_PROXY

BRAND_DID = "did:plc:acme7mkk3mkdlujhsxqmgqxe"


@dataclass
class FakePds:
    sent: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def xrpc(self, request: Request) -> JSONResponse:
        nsid = request.path_params["nsid"]
        if nsid == "com.atproto.server.createSession":
            session = {"accessJwt": "a", "refreshJwt": "r", "did": BRAND_DID, "handle": "acme.bsky.social"}
            return JSONResponse(session)
        if nsid == "app.bsky.notification.listNotifications":
            return JSONResponse({"notifications": []})
        if not nsid.startswith("chat.") or request.headers.get("atproto-proxy") != CHAT_PROXY:
            return JSONResponse({"error": "MethodNotImplemented", "message": nsid}, status_code=501)
        if nsid == "chat.bsky.convo.getLog":
            cursor = request.query_params.get("cursor")
            return JSONResponse(
                {"logs": [], "cursor": cursor} if cursor else load("bluesky", "chat_get_log.json")
            )
        if nsid == "chat.bsky.convo.getConvo":
            return JSONResponse(load("bluesky", "chat_convo.json"))
        if nsid == "chat.bsky.convo.getMessages":
            return JSONResponse({"messages": []})
        if nsid == "chat.bsky.convo.sendMessage":
            with self.lock:
                self.sent.append(json.loads(await request.body()))
            return JSONResponse(load("bluesky", "chat_send_message.json"))
        return JSONResponse({"error": "MethodNotImplemented", "message": nsid}, status_code=501)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/xrpc/{nsid}", self.xrpc, methods=["GET", "POST"])])
