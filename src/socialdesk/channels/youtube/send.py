"""Replies on YouTube: ``comments.insert`` under the thread's top-level comment (50 quota units).

YouTube nests one level: a reply to a reply is posted under the top-level comment (a reply's id is
``<top-level id>.<reply id>``, and its ``parentId`` is the top-level comment). There are no private
messages on YouTube: a private reply is refused with the reason.

Never twice: the API has no idempotency key, so :meth:`YouTubeSender.find_sent` looks for the reply
itself, a reply by the brand's channel under the same comment with the same text since the first
attempt (``comments.list?parentId=``, 1 unit a page). When it cannot read every reply it says so
(SendUnconfirmed) rather than guess.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from socialdesk.channels.framework import ChannelAuthError, SendRefused
from socialdesk.channels.youtube import parse
from socialdesk.channels.youtube.api import YouTubeError, check
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed

CLOCK_SLACK = timedelta(minutes=2)
FIND_PAGES = 10
_SPACE = re.compile(r"\s+")


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


def top_level(comment_id: str) -> str:
    """The top-level comment a reply goes under: the part of a reply id before its first dot."""
    return comment_id.split(".", 1)[0]


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


class YouTubeSender:
    def __init__(self, http: httpx.Client, channel_id: str, *, find_pages: int = FIND_PAGES) -> None:
        self.http, self.channel_id, self.find_pages = http, channel_id, find_pages

    def _parent(self, item: OutboxItem) -> str:
        parent = str(item.payload.get("in_reply_to") or "").strip()
        if not parent:
            raise SendRefused("a YouTube reply answers a comment: this one names none")
        return top_level(parent)

    def _text(self, item: OutboxItem) -> str:
        if item.payload.get("visibility") == "private":
            raise SendRefused("YouTube has no private messages: answer in public, or hand off to e-mail")
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        most = limit(parse.NAME) or 10_000
        if count(parse.NAME, text) > most:
            raise SendRefused(f"reply is {count(parse.NAME, text)} of YouTube's {most} characters")
        return text

    def send(self, item: OutboxItem) -> SendResult:
        text, parent = self._text(item), self._parent(item)
        body = {"snippet": {"parentId": parent, "textOriginal": text}}
        try:
            made = check(self.http.post("/youtube/v3/comments", params={"part": "snippet"}, json=body))
        except YouTubeError as exc:
            if exc.status == 401:
                raise ChannelAuthError(str(exc)) from None
            if exc.status in (400, 403, 404) and not exc.quota_spent:
                raise SendRefused(str(exc)) from None  # comments disabled, the comment gone, too long...
            raise
        return SendResult(external_id=str(made["id"]))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text, parent = self._text(item), self._parent(item)
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        params: dict[str, Any] = {"part": "snippet", "parentId": parent, "maxResults": 100}
        params["textFormat"] = "plainText"
        for _ in range(self.find_pages):
            body = check(self.http.get("/youtube/v3/comments", params=params))
            for reply in body.get("items") or []:
                snippet = reply.get("snippet") or {}
                author = (snippet.get("authorChannelId") or {}).get("value")
                published = _when(snippet.get("publishedAt"))
                original = str(snippet.get("textOriginal") or snippet.get("textDisplay") or "")
                if author == self.channel_id and published and published >= since and _same(original, text):
                    return SendResult(external_id=str(reply["id"]))
            token = body.get("nextPageToken")
            if not token:
                return None
            params["pageToken"] = token
        raise SendUnconfirmed(
            f"more than {self.find_pages} pages of replies under {parent}: not read to the end"
        )
