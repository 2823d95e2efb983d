"""Replies on Google Play: ``reviews.reply`` (``POST .../reviews/{reviewId}:reply {"replyText"}``),
a public answer of at most 350 characters under the review.

A review has one developer reply: a new reply replaces the old one. Never twice: before resending,
:meth:`PlaySender.find_sent` reads the review (``reviews.get``) and finds the reply there when its
``developerComment`` holds our text, changed since the first attempt.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from socialdesk.channels.framework import ChannelAuthError, SendRefused
from socialdesk.channels.google_play import parse
from socialdesk.channels.google_play.api import PlayError, check
from socialdesk.channels.google_play.quota import reviews_path
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult

CLOCK_SLACK = timedelta(minutes=2)
_SPACE = re.compile(r"\s+")


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


class PlaySender:
    def __init__(self, http: httpx.Client, package_name: str) -> None:
        self.http, self.package_name = http, package_name

    def _review(self, item: OutboxItem) -> str:
        answered = str(item.payload.get("in_reply_to") or "").strip()
        if not answered:
            raise SendRefused("a Google Play reply answers a review: this one names none")
        return parse.review_of(answered)

    def _text(self, item: OutboxItem) -> str:
        if item.payload.get("visibility") == "private":
            raise SendRefused("Google Play has no private messages: reply in public, or hand off to e-mail")
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        most = limit(parse.NAME) or 350
        if count(parse.NAME, text) > most:
            raise SendRefused(f"reply is {count(parse.NAME, text)} of Google Play's {most} characters")
        return text

    def send(self, item: OutboxItem) -> SendResult:
        text, review = self._text(item), self._review(item)
        path = f"{reviews_path(self.package_name)}/{review}:reply"
        try:
            check(self.http.post(path, json={"replyText": text}))
        except PlayError as exc:
            if exc.status == 401:
                raise ChannelAuthError(str(exc)) from None
            if exc.status in (400, 403, 404):
                raise SendRefused(str(exc)) from None  # the review gone, too long, no access...
            raise
        return SendResult(external_id=parse.reply_id(review))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text, review = self._text(item), self._review(item)
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        body = check(self.http.get(f"{reviews_path(self.package_name)}/{review}"))
        for post in parse.reviews_page(body, self.package_name):
            ours = post["in_reply_to"] == review and _same(post["text"], text)
            if ours and parse.when_changed(post) >= since:
                return SendResult(external_id=str(post["id"]))
        return None
