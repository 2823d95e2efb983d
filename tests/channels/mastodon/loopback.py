"""A fake Mastodon instance on 127.0.0.1 for end-to-end tests: the notifications it serves (fixtures),
and every request recorded (a reply is ``POST /api/v1/statuses``)."""

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


@dataclass
class FakeMastodon:
    notifications: list[dict[str, Any]] = field(default_factory=list)
    posted: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def list_notifications(self, request: Request) -> JSONResponse:
        return JSONResponse([] if request.query_params.get("since_id") else self.notifications)

    async def status(self, request: Request) -> JSONResponse:
        wanted = request.path_params["status_id"]
        for notification in self.notifications:
            if str(notification["status"]["id"]) == wanted:
                return JSONResponse(notification["status"])
        return JSONResponse({"error": "Record not found"}, status_code=404)

    async def post_status(self, request: Request) -> JSONResponse:
        with self.lock:
            self.posted.append(json.loads(await request.body()))
        return JSONResponse(load("mastodon", "status_created.json"))

    async def me(self, request: Request) -> JSONResponse:
        return JSONResponse(load("mastodon", "account_verify_credentials.json"))

    async def own_statuses(self, request: Request) -> JSONResponse:
        return JSONResponse([])

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/v1/notifications", self.list_notifications),
                Route("/api/v1/statuses/{status_id}", self.status),
                Route("/api/v1/statuses", self.post_status, methods=["POST"]),
                Route("/api/v1/accounts/verify_credentials", self.me),
                Route("/api/v1/accounts/{account_id}/statuses", self.own_statuses),
            ]
        )
