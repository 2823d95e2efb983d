"""A fake Google Business Profile API (My Business v4) and Google OAuth token endpoint on loopback:
``POST /token``, ``GET /v4/accounts/{a}/locations/{l}/reviews`` (``orderBy=updateTime desc``,
``pageSize``, ``pageToken``/``nextPageToken``), ``GET .../reviews/{id}``, ``PUT .../reviews/{id}/reply
{"comment"}`` (replaces the reply), with Google's error bodies and 429 answers with Retry-After."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ACCOUNT, LOCATION = "1111111111", "2222222222"
PREFIX = f"/v4/accounts/{ACCOUNT}/locations/{LOCATION}/reviews"
WORDS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def google_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "error": {
            "code": status,
            "message": message,
            "status": "RESOURCE_EXHAUSTED" if status == 429 else "ERROR",
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class FakeGoogleBusiness:
    now: datetime
    refresh_token: str = "refresh-1"
    reviews: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    errors: list[JSONResponse] = field(default_factory=list)
    tokens_issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_review(self, name: str, comment: str, stars: int, at: datetime, anonymous: bool = False) -> str:
        review_id = f"AbFvOqm{len(self.reviews) + 1:06d}"
        review = {
            "name": f"accounts/{ACCOUNT}/locations/{LOCATION}/reviews/{review_id}",
            "reviewId": review_id,
            "reviewer": {"displayName": "A Google User" if anonymous else name, "isAnonymous": anonymous},
            "starRating": WORDS[stars],
            "comment": comment,
            "createTime": stamp(at),
            "updateTime": stamp(at),
        }
        with self.lock:
            self.reviews.append(review)
        return review_id

    def calls(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (m, p) == (method, path))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/token", self.token, methods=["POST"]),
                Route(PREFIX, self.list_reviews),
                Route(PREFIX + "/{review}", self.get_review),
                Route(PREFIX + "/{review}/reply", self.reply, methods=["PUT"]),
            ]
        )

    async def token(self, request: Request) -> JSONResponse:
        form = await request.form()
        with self.lock:
            self.requests.append(("POST", "/token"))
            if form.get("refresh_token") != self.refresh_token:
                return JSONResponse({"error": "invalid_grant"}, 400)
            self.tokens_issued += 1
            return JSONResponse({"access_token": f"ya29.gbp-{self.tokens_issued}", "expires_in": 3599})

    def _gate(self, request: Request) -> JSONResponse | None:
        with self.lock:
            self.requests.append((request.method, request.url.path))
            if request.headers.get("authorization") != f"Bearer ya29.gbp-{self.tokens_issued}":
                return google_error(401, "Request had invalid authentication credentials.")
            if self.errors:
                return self.errors.pop(0)
        return None

    async def list_reviews(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        size = min(int(request.query_params.get("pageSize", "50")), 50)
        start = int(request.query_params.get("pageToken") or 0)
        with self.lock:
            ordered = sorted(self.reviews, key=lambda r: r["updateTime"], reverse=True)
        body: dict[str, Any] = {"reviews": ordered[start : start + size], "totalReviewCount": len(ordered)}
        if start + size < len(ordered):
            body["nextPageToken"] = str(start + size)
        return JSONResponse(body)

    def _find(self, review_id: str) -> dict[str, Any] | None:
        with self.lock:
            return next((r for r in self.reviews if r["reviewId"] == review_id), None)

    async def get_review(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        review = self._find(request.path_params["review"])
        return JSONResponse(review) if review else google_error(404, "Requested entity was not found.")

    async def reply(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        review = self._find(request.path_params["review"])
        if review is None:
            return google_error(404, "Requested entity was not found.")
        comment = (await request.json()).get("comment") or ""
        if not comment or len(comment) > 4096:
            return google_error(400, "Request contains an invalid argument.")
        self.now += timedelta(seconds=1)
        with self.lock:
            review["reviewReply"] = {"comment": comment, "updateTime": stamp(self.now)}
            review["updateTime"] = stamp(self.now)
        return JSONResponse(review["reviewReply"])
