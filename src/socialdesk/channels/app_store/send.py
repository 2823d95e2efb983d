"""Responses on the App Store: ``POST /v1/customerReviewResponses`` (JSON:API: ``responseBody``, the
review in ``relationships.review``), public, at most 5,970 characters.

A review has one response. Never twice: before resending, :meth:`AppStoreSender.find_sent` reads
``GET /v1/customerReviews/{id}/response`` and finds the response there when it holds our text.
"""

from __future__ import annotations

import re

import httpx

from socialdesk.channels.app_store import parse
from socialdesk.channels.app_store.api import AppStoreError, check
from socialdesk.channels.framework import SendRefused
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult

_SPACE = re.compile(r"\s+")


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


class AppStoreSender:
    def __init__(self, http: httpx.Client, app_id: str) -> None:
        self.http, self.app_id = http, app_id

    def _review(self, item: OutboxItem) -> str:
        review = str(item.payload.get("in_reply_to") or "").strip()
        if not review:
            raise SendRefused("an App Store response answers a customer review: this one names none")
        return review

    def _text(self, item: OutboxItem) -> str:
        if item.payload.get("visibility") == "private":
            raise SendRefused(
                "the App Store has no private messages: respond in public, or hand off to e-mail"
            )
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        most = limit(parse.NAME) or 5_970
        if count(parse.NAME, text) > most:
            raise SendRefused(f"reply is {count(parse.NAME, text)} of the App Store's {most} characters")
        return text

    def send(self, item: OutboxItem) -> SendResult:
        text, review = self._text(item), self._review(item)
        body = {
            "data": {
                "type": "customerReviewResponses",
                "attributes": {"responseBody": text},
                "relationships": {"review": {"data": {"type": "customerReviews", "id": review}}},
            }
        }
        try:
            made = check(self.http.post("/v1/customerReviewResponses", json=body))
        except AppStoreError as exc:
            if exc.status in (400, 403, 404, 409, 422):
                raise SendRefused(str(exc)) from None  # the review gone, already answered, too long...
            raise
        return SendResult(external_id=str((made.get("data") or {})["id"]))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text, review = self._text(item), self._review(item)
        answer = self.http.get(f"/v1/customerReviews/{review}/response")
        if answer.status_code == 404:
            return None
        found = check(answer).get("data")
        if not isinstance(found, dict):
            return None
        try:
            post = parse.response(found, review, self.app_id)
        except parse.NotAReview:
            return None
        return SendResult(external_id=str(post["id"])) if _same(post["text"], text) else None
