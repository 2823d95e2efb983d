"""A fake X API on 127.0.0.1 for end-to-end tests: it records every request and answers the calls a
reply makes (a tweet, a DM, the look-ups of ``find_sent``) with X's documented shapes (fixtures)."""

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
class Recorded:
    method: str
    path: str
    body: Any


@dataclass
class FakeX:
    """The recorded requests, in order; ``app`` is the ASGI app to serve with ``live_server``."""

    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def posts(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.method == "POST"]

    async def _record(self, request: Request) -> None:
        raw = await request.body()
        with self.lock:
            self.requests.append(Recorded(request.method, request.url.path, json.loads(raw) if raw else None))

    async def tweet(self, request: Request) -> JSONResponse:
        await self._record(request)
        return JSONResponse(load("x", "create_tweet_response.json"), status_code=201)

    async def dm(self, request: Request) -> JSONResponse:
        await self._record(request)
        answer = load("x", "create_dm_response.json")
        answer["data"]["dm_conversation_id"] = f"783214-{request.path_params['participant']}"
        return JSONResponse(answer, status_code=201)

    async def empty(self, request: Request) -> JSONResponse:
        await self._record(request)
        return JSONResponse({"meta": {"result_count": 0}})

    async def user(self, request: Request) -> JSONResponse:
        await self._record(request)
        return JSONResponse(load("x", "user_by_username.json"))

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/2/tweets", self.tweet, methods=["POST"]),
                Route("/2/dm_conversations/with/{participant}/messages", self.dm, methods=["POST"]),
                Route("/2/dm_conversations/with/{participant}/dm_events", self.empty),
                Route("/2/users/by/username/{name}", self.user),
                Route("/2/users/{user_id}/tweets", self.empty),
                Route("/2/users/{user_id}/mentions", self.empty),
                Route("/2/dm_events", self.empty),
            ]
        )
