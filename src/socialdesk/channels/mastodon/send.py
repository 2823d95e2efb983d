"""Replies on Mastodon: ``POST /api/v1/statuses`` with ``in_reply_to_id`` and an ``Idempotency-Key``.

A public reply takes the visibility of the status it answers (public, unlisted, private, direct), so
a reply never widens who can see a conversation; a private reply is a ``direct`` status. The
author being answered is mentioned at the start unless the text already mentions them (a direct
status reaches only the accounts it mentions). The 500-character limit is checked with
``domain.text_length``. Mastodon keeps an ``Idempotency-Key`` for an hour, and, after an attempt that
may have gone out, :meth:`find_sent` pages back through the brand's own statuses to that attempt
for the same reply, so a reply is never posted twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from socialdesk.channels.framework import ChannelAuthError, ChannelError, SendRefused
from socialdesk.channels.mastodon.client import error_detail
from socialdesk.channels.mastodon.parse import status_text
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed

CLOCK_SLACK = timedelta(minutes=2)
PAGE_SIZE = 40  # the most statuses GET /api/v1/accounts/:id/statuses answers at once
FIND_PAGES = 25  # find_sent looks through at most 1,000 of the brand's statuses
_MENTION = re.compile(r"(?<![\w@])@([\w.\-]+)(?:@[\w.\-]+)?")
_SPACE = re.compile(r"\s+")


def _check(resp: httpx.Response) -> Any:
    if resp.status_code in (401, 403):
        raise ChannelAuthError(error_detail(resp))
    if resp.status_code == 422:
        raise SendRefused(error_detail(resp))
    if resp.status_code >= 400:
        raise ChannelError(error_detail(resp))
    return resp.json()


def comparable(text: str) -> str:
    """The text without mentions and extra spaces: what must match between sent and found."""
    return _SPACE.sub(" ", _MENTION.sub("", text)).strip()


def _mentions(text: str) -> set[str]:
    return {m.casefold() for m in _MENTION.findall(text)}


class MastodonSender:
    def __init__(
        self, http: httpx.Client, brand_account_id: str | None = None, *, find_pages: int = FIND_PAGES
    ) -> None:
        self.http = http
        self._brand_id = brand_account_id
        self.find_pages = find_pages

    @property
    def brand_account_id(self) -> str:
        if self._brand_id is None:
            self._brand_id = str(_check(self.http.get("/api/v1/accounts/verify_credentials"))["id"])
        return self._brand_id

    def compose(self, item: OutboxItem) -> dict[str, Any]:
        """The ``POST /api/v1/statuses`` body for an outbox item (fetches the original status)."""
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        parent = item.payload.get("in_reply_to")
        original = _check(self.http.get(f"/api/v1/statuses/{parent}")) if parent else None
        private = item.payload.get("visibility") == "private"
        visibility = "direct" if private or original is None else str(original.get("visibility", "public"))
        if original is None and not private:
            visibility = "public"
        addressee = str(original["account"]["acct"]) if original else str(item.payload.get("recipient") or "")
        addressee = addressee.lstrip("@")
        if private and not addressee:
            raise SendRefused("a direct message needs a recipient")
        if addressee and addressee.split("@")[0].casefold() not in _mentions(text):
            text = f"@{addressee} {text}"
        most = limit("mastodon") or 500
        if count("mastodon", text) > most:
            raise SendRefused(f"reply is {count('mastodon', text)} of Mastodon's {most} characters")
        body: dict[str, Any] = {"status": text, "visibility": visibility}
        if parent:
            body["in_reply_to_id"] = str(parent)
        return body

    def send(self, item: OutboxItem) -> SendResult:
        body = self.compose(item)
        resp = self.http.post(
            "/api/v1/statuses", json=body, headers={"Idempotency-Key": item.idempotency_key}
        )
        return SendResult(external_id=str(_check(resp)["id"]))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        """The brand's status answering the same post with the same text, posted since the item's
        first attempt. Pages back (``max_id``, newest first) until a status older than that attempt,
        the end of the timeline, or the page budget: then SendUnconfirmed, never a guess."""
        wanted = comparable(str(item.payload.get("text", "")))
        parent = item.payload.get("in_reply_to")
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        path = f"/api/v1/accounts/{self.brand_account_id}/statuses"
        params: dict[str, Any] = {"limit": PAGE_SIZE, "exclude_reblogs": "true"}
        for _page in range(self.find_pages):
            statuses = _check(self.http.get(path, params=params))
            for found in statuses:
                created = datetime.fromisoformat(str(found["created_at"]).replace("Z", "+00:00"))
                if created < since:
                    return None  # newest first: older ones cannot be this reply
                same_parent = parent is None or str(found.get("in_reply_to_id")) == str(parent)
                if same_parent and comparable(status_text(found)) == wanted:
                    return SendResult(external_id=str(found["id"]))
            if not statuses:
                return None  # the start of the brand's timeline (a short page may not be: filters)
            params = {**params, "max_id": str(statuses[-1]["id"])}
        raise SendUnconfirmed(
            f"looked through the brand's {self.find_pages * PAGE_SIZE} latest Mastodon statuses without "
            f"reaching the first attempt at {since + CLOCK_SLACK:%Y-%m-%d %H:%M:%S} UTC; check the "
            "brand's timeline for this reply"
        )
