"""Replies on X: public replies (``POST /2/tweets``) and DMs (``POST /2/dm_conversations/with/:id/messages``).

X has no idempotency key, so :meth:`XSender.find_sent` looks for the reply itself: a tweet of the
brand replying to the same tweet with the same text (links compared loosely, X rewrites them to
t.co), or a DM from the brand with the same text, posted since the reply's first attempt; it pages
(``pagination_token``) through every tweet since then, or says it could not (SendUnconfirmed).
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from socialdesk.channels.framework import ChannelAuthError, ChannelError, SendRefused
from socialdesk.channels.x.policy import error_detail
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed

DM_LIMIT = 10_000
CLOCK_SLACK = timedelta(minutes=2)  # our clock and X's may disagree a little
PAGE_SIZE = 100  # the most tweets GET /2/users/:id/tweets answers at once
FIND_PAGES = 10  # find_sent looks through at most 1,000 of the brand's tweets since the attempt
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")


def comparable(text: str) -> str:
    """Text as X shows it back, reduced to what survives X's rewriting."""
    return _SPACE.sub(" ", _URL.sub("<link>", html.unescape(text))).strip()


def _x_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _check(resp: httpx.Response) -> dict[str, Any]:
    if resp.status_code in (401, 403) and "duplicate" not in resp.text.lower():
        raise ChannelAuthError(error_detail(resp))
    if resp.status_code >= 400:
        raise ChannelError(error_detail(resp))
    body: dict[str, Any] = resp.json()
    return body


class XSender:
    """A ChannelSender for one brand account. ``http`` carries a *user* token (OAuth 2.0 with
    ``tweet.read tweet.write users.read dm.read dm.write``)."""

    def __init__(self, http: httpx.Client, brand_user_id: str, *, find_pages: int = FIND_PAGES) -> None:
        self.http = http
        self.brand_user_id = brand_user_id
        self.find_pages = find_pages
        self._ids: dict[str, str] = {}

    def send(self, item: OutboxItem) -> SendResult:
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        if item.payload.get("visibility") == "private":
            return self._send_dm(item, text)
        most = limit("x") or 280
        if count("x", text) > most:
            raise SendRefused(f"reply is {count('x', text)} of X's {most} weighted characters")
        body: dict[str, Any] = {"text": text}
        if item.payload.get("in_reply_to"):
            body["reply"] = {"in_reply_to_tweet_id": str(item.payload["in_reply_to"])}
        resp = self.http.post("/2/tweets", json=body)
        if resp.status_code == 403 and "duplicate" in resp.text.lower():
            found = self.find_sent(item)  # X refuses the same text twice: it is already there
            if found is not None:
                return found
        return SendResult(external_id=str(_check(resp)["data"]["id"]))

    def _send_dm(self, item: OutboxItem, text: str) -> SendResult:
        if len(text) > DM_LIMIT:
            raise SendRefused(f"direct message is {len(text)} of X's {DM_LIMIT} characters")
        participant = self._participant(item)
        resp = self.http.post(f"/2/dm_conversations/with/{participant}/messages", json={"text": text})
        return SendResult(external_id=str(_check(resp)["data"]["dm_event_id"]))

    def _participant(self, item: OutboxItem) -> str:
        if item.payload.get("recipient_id"):
            return str(item.payload["recipient_id"])
        handle = str(item.payload.get("recipient") or "").strip().lstrip("@")
        if not handle:
            raise SendRefused("a direct message needs a recipient")
        if handle not in self._ids:
            data = _check(self.http.get(f"/2/users/by/username/{handle}")).get("data")
            if not data:
                raise SendRefused(f"no X user @{handle}")
            self._ids[handle] = str(data["id"])
        return self._ids[handle]

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text = comparable(str(item.payload.get("text", "")))
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        if item.payload.get("visibility") == "private":
            return self._find_dm(item, text, since)
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "tweet.fields": "created_at,referenced_tweets",
            "start_time": _x_time(since),
        }
        parent = item.payload.get("in_reply_to")
        for _page in range(self.find_pages):
            body = _check(self.http.get(f"/2/users/{self.brand_user_id}/tweets", params=params))
            for tweet in body.get("data") or []:
                replied = {
                    ref["id"] for ref in tweet.get("referenced_tweets") or [] if ref["type"] == "replied_to"
                }
                if (parent is None or str(parent) in replied) and comparable(tweet.get("text", "")) == text:
                    return SendResult(external_id=str(tweet["id"]))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return None  # every tweet since the first attempt (start_time) was looked at
            params = {**params, "pagination_token": str(token)}
        raise SendUnconfirmed(
            f"looked through the brand's {self.find_pages * PAGE_SIZE} latest tweets without reaching "
            f"the first attempt at {since + CLOCK_SLACK:%Y-%m-%d %H:%M:%S} UTC; check the brand's "
            "timeline for this reply"
        )

    def _find_dm(self, item: OutboxItem, text: str, since: datetime) -> SendResult | None:
        """The brand's DM with the same text in the conversation since ``since``: pages back (newest
        first, ``pagination_token``) until an older event, the end, or the page budget."""
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "dm_event.fields": "sender_id,text,created_at,event_type",
        }
        path = f"/2/dm_conversations/with/{self._participant(item)}/dm_events"
        for _page in range(self.find_pages):
            body = _check(self.http.get(path, params=params))
            for event in body.get("data") or []:
                created = event.get("created_at")
                if created and datetime.fromisoformat(created.replace("Z", "+00:00")) < since:
                    return None  # newest first: older ones cannot be this message
                if (
                    event.get("event_type", "MessageCreate") == "MessageCreate"
                    and event.get("sender_id") == self.brand_user_id
                    and comparable(event.get("text", "")) == text
                ):
                    return SendResult(external_id=str(event["id"]))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return None
            params = {**params, "pagination_token": str(token)}
        raise SendUnconfirmed(
            f"looked through the {self.find_pages * PAGE_SIZE} latest direct messages with the recipient "
            f"without reaching the first attempt at {since + CLOCK_SLACK:%Y-%m-%d %H:%M:%S} UTC; check the "
            "conversation for this message"
        )
