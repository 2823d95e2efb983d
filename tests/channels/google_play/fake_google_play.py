"""A fake Google Play Developer API v3 and Google OAuth token endpoint on loopback, speaking their wire
formats: ``POST /token`` (refresh_token grant), ``GET /androidpublisher/v3/applications/{pkg}/reviews``
(newest change first, maxResults, token / tokenPagination.nextPageToken), ``GET .../reviews/{id}``,
``POST .../reviews/{id}:reply {"replyText"}`` (replaces the reply; no idempotency), with Google's
error bodies and 429 answers with Retry-After."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PACKAGE = "com.acme.app"
PREFIX = f"/androidpublisher/v3/applications/{PACKAGE}/reviews"


def google_error(
    status: int, message: str, reason: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    status_text = {
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
    }
    body = {
        "error": {
            "code": status,
            "message": message,
            "status": status_text.get(status, "INVALID_ARGUMENT"),
            "errors": [{"message": message, "domain": "androidpublisher", "reason": reason}],
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def timestamp(moment: datetime) -> dict[str, Any]:
    return {"seconds": str(int(moment.timestamp())), "nanos": moment.microsecond * 1000}


@dataclass
class FakeGooglePlay:
    now: datetime
    refresh_token: str = "refresh-1"
    page_size: int = 100
    reviews: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    errors: list[JSONResponse] = field(default_factory=list)  # answered, in order, to API calls
    tokens_issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_review(self, author: str, text: str, stars: int, at: datetime) -> str:
        review_id = f"gp:AOqpTO{len(self.reviews) + 1:06d}"
        user_comment = {
            "text": f"\t{text}",
            "lastModified": timestamp(at),
            "starRating": stars,
            "reviewerLanguage": "en",
            "device": "walleye",
            "androidOsVersion": 33,
            "appVersionCode": 120,
            "appVersionName": "1.2.0",
            "thumbsUpCount": 0,
            "thumbsDownCount": 0,
        }
        with self.lock:
            self.reviews.append(
                {"reviewId": review_id, "authorName": author, "comments": [{"userComment": user_comment}]}
            )
        return review_id

    def reply_of(self, review_id: str) -> dict[str, Any] | None:
        with self.lock:
            review = next(r for r in self.reviews if r["reviewId"] == review_id)
            return next((c["developerComment"] for c in review["comments"] if "developerComment" in c), None)

    def calls(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (m, p) == (method, path))

    def _changed(self, review: dict[str, Any]) -> int:
        return max(int(next(iter(c.values()))["lastModified"]["seconds"]) for c in review["comments"])

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/token", self.token, methods=["POST"]),
                Route(PREFIX, self.list_reviews),
                Route(PREFIX + "/{review}", self.review, methods=["GET", "POST"]),
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
                    "access_token": f"ya29.play-{self.tokens_issued}",
                    "expires_in": 3599,
                    "token_type": "Bearer",
                }
            )

    def _gate(self, request: Request) -> JSONResponse | None:
        with self.lock:
            self.requests.append((request.method, request.url.path))
            if request.headers.get("authorization") != f"Bearer ya29.play-{self.tokens_issued}":
                return google_error(401, "Request had invalid authentication credentials.", "authError")
            if self.errors:
                return self.errors.pop(0)
        return None

    async def list_reviews(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        size = min(int(request.query_params.get("maxResults", "10")), 100, self.page_size)
        start = int(request.query_params.get("token") or 0)
        with self.lock:
            ordered = sorted(self.reviews, key=self._changed, reverse=True)
        body: dict[str, Any] = {
            "reviews": ordered[start : start + size],
            "pageInfo": {"totalResults": len(ordered), "resultPerPage": size, "startIndex": start},
        }
        if start + size < len(ordered):
            body["tokenPagination"] = {"nextPageToken": str(start + size)}
        return JSONResponse(body)

    async def review(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        wanted = request.path_params["review"]
        replying = request.method == "POST"
        if replying != wanted.endswith(":reply"):
            return google_error(404, "Not found.", "notFound")
        review_id = wanted.removesuffix(":reply")
        with self.lock:
            review = next((r for r in self.reviews if r["reviewId"] == review_id), None)
        if review is None:
            return google_error(404, "No review found.", "reviewNotFound")
        if not replying:
            return JSONResponse(review)
        text = (await request.json()).get("replyText") or ""
        if not text or len(text) > 350:
            return google_error(400, "Reply text must be between 1 and 350 characters.", "badRequest")
        self.now += timedelta(seconds=1)
        comment = {"text": text, "lastModified": timestamp(self.now)}
        with self.lock:
            review["comments"] = [c for c in review["comments"] if "developerComment" not in c]
            review["comments"].append({"developerComment": comment})
        return JSONResponse({"result": {"replyText": text, "lastEdited": comment["lastModified"]}})
