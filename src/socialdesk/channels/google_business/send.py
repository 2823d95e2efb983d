"""Replies on Google Business Profile: ``PUT .../reviews/{reviewId}/reply {"comment"}``, public, at
most 4,096 characters. A review has one reply (a new one replaces it). Never twice: before resending,
:meth:`BusinessSender.find_sent` reads the review and finds its ``reviewReply`` holding our text,
updated since the first attempt."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx

from socialdesk.channels.framework import ChannelAuthError, SendRefused
from socialdesk.channels.google_business import parse
from socialdesk.channels.google_business.quota import reviews_path
from socialdesk.channels.google_oauth import GoogleApiError, check
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult

CLOCK_SLACK = timedelta(minutes=2)
_SPACE = re.compile(r"\s+")


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


class BusinessSender:
    def __init__(self, http: httpx.Client, account_id: str, location_id: str) -> None:
        self.http, self.path, self.location_id = http, reviews_path(account_id, location_id), location_id

    def _review(self, item: OutboxItem) -> str:
        answered = str(item.payload.get("in_reply_to") or "").strip()
        if not answered:
            raise SendRefused("a Business Profile reply answers a review: this one names none")
        return parse.review_of(answered)

    def _text(self, item: OutboxItem) -> str:
        if item.payload.get("visibility") == "private":
            raise SendRefused("Business Profile reviews have no private messages: reply in public")
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        most = limit(parse.NAME) or 4_096
        if count(parse.NAME, text) > most:
            raise SendRefused(f"reply is {count(parse.NAME, text)} of Business Profile's {most} characters")
        return text

    def send(self, item: OutboxItem) -> SendResult:
        text, review = self._text(item), self._review(item)
        try:
            check(self.http.put(f"{self.path}/{review}/reply", json={"comment": text}))
        except GoogleApiError as exc:
            if exc.status == 401:
                raise ChannelAuthError(str(exc)) from None
            if exc.status in (400, 403, 404):
                raise SendRefused(str(exc)) from None
            raise
        return SendResult(external_id=parse.reply_id(review))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text, review = self._text(item), self._review(item)
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        body = check(self.http.get(f"{self.path}/{review}"))
        for post in parse.reviews_page(body, self.location_id):
            changed = datetime.fromisoformat(str(post["created_at"]).replace("Z", "+00:00"))
            if post["in_reply_to"] == review and _same(post["text"], text) and changed >= since:
                return SendResult(external_id=str(post["id"]))
        return None
