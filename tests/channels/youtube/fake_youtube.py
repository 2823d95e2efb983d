"""A fake YouTube Data API v3 and Google OAuth token endpoint on loopback, speaking their wire formats:
``POST /token`` (refresh_token grant), ``GET /youtube/v3/channels?mine=true``,
``GET /youtube/v3/commentThreads`` (allThreadsRelatedToChannelId, order=time newest first, maxResults,
pageToken/nextPageToken), ``GET /youtube/v3/comments?parentId=`` and ``POST /youtube/v3/comments``
(insert a reply; no idempotency at all), with Google's error bodies
(``{"error": {"code", "message", "errors": [{"reason", "domain", "message"}]}}``)."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BRAND = "UCacmeacmeacmeacmeacme01"


def google_error(status: int, reason: str, message: str, domain: str = "youtube.api") -> JSONResponse:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return JSONResponse(body, status_code=status)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeYouTube:
    now: datetime
    channel_id: str = BRAND
    refresh_token: str = "refresh-1"
    page_size: int = 100
    threads: list[dict[str, Any]] = field(default_factory=list)  # newest first
    requests: list[tuple[str, str]] = field(default_factory=list)
    errors: list[JSONResponse] = field(default_factory=list)  # answered, in order, to API calls
    expire_next: int = 0  # answer this many API calls 401 (an access token that expired)
    tokens_issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- building the world ---------------------------------------------------------------------------

    def comment(
        self, author: str, text: str, at: datetime, parent: str | None = None, video: str = "vid00000001"
    ) -> dict[str, Any]:
        n = next(self._ids)
        cid = f"{parent}.reply{n:08d}" if parent else f"Ugz{n:08d}thread"
        snippet: dict[str, Any] = {
            "channelId": self.channel_id,
            "videoId": video,
            "textDisplay": text,
            "textOriginal": text,
            "authorDisplayName": f"@{author[-6:]}",
            "authorChannelUrl": f"http://www.youtube.com/channel/{author}",
            "authorChannelId": {"value": author},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": 0,
            "publishedAt": stamp(at),
            "updatedAt": stamp(at),
        }
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": f"e{n}", "id": cid, "snippet": snippet}

    def add_thread(self, author: str, text: str, at: datetime) -> str:
        top = self.comment(author, text, at)
        thread = {
            "kind": "youtube#commentThread",
            "etag": f"t{top['id']}",
            "id": top["id"],
            "snippet": {
                "channelId": self.channel_id,
                "videoId": top["snippet"]["videoId"],
                "topLevelComment": top,
                "canReply": True,
                "totalReplyCount": 0,
                "isPublic": True,
            },
            "all_replies": [],
        }
        with self.lock:
            self.threads.insert(0, thread)
        return str(top["id"])

    def add_reply(self, parent: str, author: str, text: str, at: datetime) -> str:
        reply = self.comment(author, text, at, parent=parent)
        with self.lock:
            thread = next(t for t in self.threads if t["id"] == parent)
            thread["all_replies"].append(reply)
            thread["snippet"]["totalReplyCount"] = len(thread["all_replies"])
        return str(reply["id"])

    def replies_by(self, author: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                r
                for t in self.threads
                for r in t["all_replies"]
                if r["snippet"]["authorChannelId"]["value"] == author
            ]

    def calls(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (m, p) == (method, path))

    # -- the API --------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/token", self.token, methods=["POST"]),
                Route("/youtube/v3/channels", self.channels),
                Route("/youtube/v3/commentThreads", self.comment_threads),
                Route("/youtube/v3/comments", self.comments, methods=["GET", "POST"]),
            ]
        )

    async def token(self, request: Request) -> JSONResponse:
        form = await request.form()
        with self.lock:
            self.requests.append(("POST", "/token"))
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, 400
                )
            self.tokens_issued += 1
            return JSONResponse(
                {
                    "access_token": f"ya29.access-{self.tokens_issued}",
                    "expires_in": 3599,
                    "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
                    "token_type": "Bearer",
                }
            )

    def _gate(self, request: Request) -> JSONResponse | None:
        with self.lock:
            self.requests.append((request.method, request.url.path))
            if self.expire_next > 0:
                self.expire_next -= 1
                return google_error(
                    401, "authError", "Request had invalid authentication credentials.", "global"
                )
            if request.headers.get("authorization") != f"Bearer ya29.access-{self.tokens_issued}":
                return google_error(
                    401, "authError", "Request had invalid authentication credentials.", "global"
                )
            if self.errors:
                return self.errors.pop(0)
        return None

    async def channels(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        item = {"kind": "youtube#channel", "id": self.channel_id, "snippet": {"title": "Acme Support"}}
        return JSONResponse({"kind": "youtube#channelListResponse", "items": [item]})

    def _page(self, items: list[dict[str, Any]], request: Request, kind: str) -> JSONResponse:
        size = min(int(request.query_params.get("maxResults", "20")), 100, self.page_size)
        start = int(request.query_params.get("pageToken") or 0)
        body: dict[str, Any] = {
            "kind": kind,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        }
        body["items"] = items[start : start + size]
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return JSONResponse(body)

    async def comment_threads(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        if request.query_params.get("allThreadsRelatedToChannelId") != self.channel_id:
            return google_error(403, "forbidden", "The comment thread could not be retrieved.")
        with self.lock:
            shown = []
            for t in self.threads:
                thread = {k: v for k, v in t.items() if k != "all_replies"}
                if t["all_replies"]:  # the API includes a few replies, not necessarily all
                    thread["replies"] = {"comments": t["all_replies"][:2]}
                shown.append(thread)
        return self._page(shown, request, "youtube#commentThreadListResponse")

    async def comments(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            parent = request.query_params.get("parentId")
            with self.lock:
                thread = next((t for t in self.threads if t["id"] == parent), None)
                replies = list(thread["all_replies"]) if thread else []
            if thread is None:
                return google_error(404, "commentNotFound", "The comment could not be found.")
            return self._page(replies, request, "youtube#commentListResponse")
        body = await request.json()
        snippet = body.get("snippet") or {}
        parent, text = snippet.get("parentId"), snippet.get("textOriginal")
        with self.lock:
            known = any(t["id"] == parent for t in self.threads)
        if not known:
            return google_error(404, "parentCommentNotFound", "The parent comment could not be found.")
        if not text:
            return google_error(400, "commentTextRequired", "The comment resource must contain text.")
        self.now += timedelta(seconds=1)
        reply_id = self.add_reply(parent, self.channel_id, text, self.now)
        return JSONResponse(next(r for r in self.replies_by(self.channel_id) if r["id"] == reply_id))
