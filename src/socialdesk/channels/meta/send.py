"""Replies through the Graph API, for a Facebook Page or an Instagram professional account.

* A public reply answers a comment: ``POST /{comment-id}/{reply_edge}`` with ``message`` (the Page's
  ``comments`` edge, Instagram's ``replies``).
* A private reply to a public comment (a private message whose ``in_reply_to`` is a comment, not a
  message: comment ids are digits, message ids never are):
  ``POST /me/messages`` with ``recipient.comment_id``. Meta takes one per comment, within 7 days.
* A private message in a conversation: ``POST /me/messages`` with ``recipient.id`` (the customer's
  page- or Instagram-scoped id) and ``messaging_type: RESPONSE``, only within 24 hours of the
  customer's last message (Meta's standard messaging window). The sender reads the conversation
  first and refuses outside the window with when the customer last wrote, so the agent sees why.

Never twice: Graph has no idempotency key, so :meth:`MetaSender.find_sent` looks for the reply
itself, a comment by the brand under the same comment (or a message by the brand in the
conversation) with the same text since the first attempt. A private reply to a comment cannot be
looked up (it opens a conversation whose id the comment does not give); Meta itself refuses a
second private reply to the same comment, which is what keeps that one from going out twice.

Needs re-authorisation: once Graph answers 190 or 102 (the Page token expired or was revoked), this
sender refuses every later send and lookup with that reason, without calling Graph again. The
dispatcher's senders (channels/senders.py) build a new sender when the account's credentials change,
so a new token (``channels rotate``, the API's PATCH) resumes sending on the same account.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx

from socialdesk.channels.framework import SendRefused
from socialdesk.channels.meta.graph import TokenInvalid, check
from socialdesk.domain.networks import private_rule
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed

WINDOW = timedelta(hours=24)
CLOCK_SLACK = timedelta(minutes=2)
PAGE_SIZE = 100
FIND_PAGES = 10
_COMMENT_ID = re.compile(r"\d+(_\d+)?")
_SPACE = re.compile(r"\s+")


def is_comment_id(value: str) -> bool:
    """Comment and post ids are digits (``<post>_<comment>`` on Pages); message ids never are."""
    return _COMMENT_ID.fullmatch(value) is not None


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


def graph_time(value: Any) -> datetime | None:
    """Graph's ``2024-04-03T18:05:55+0000`` (or Instagram's ``...Z``) as an aware datetime."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("+0000", "+00:00"))
    except ValueError:
        return None


class MetaSender:
    """A ChannelSender for one Page or Instagram account; ``http`` carries its Page token."""

    def __init__(
        self,
        http: httpx.Client,
        brand_id: str,
        *,
        platform: str,
        reply_edge: str,
        hide_field: str = "is_hidden",
        now: Callable[[], datetime] | None = None,
        find_pages: int = FIND_PAGES,
    ) -> None:
        self.http = http
        self.brand_id = brand_id
        self.platform = platform  # "messenger" or "instagram": the conversations this account holds
        self.reply_edge = reply_edge
        self.hide_field = hide_field  # the Page's is_hidden, Instagram's hide
        self.now = now or (lambda: datetime.now(UTC))
        self.find_pages = find_pages
        self.needs_reauthorisation: str | None = None

    def _call(self, request: Callable[[], httpx.Response]) -> dict[str, Any]:
        if self.needs_reauthorisation is not None:
            raise TokenInvalid(self.needs_reauthorisation)
        try:
            return check(request())
        except TokenInvalid as exc:
            self.needs_reauthorisation = str(exc)
            raise

    # -- sending -------------------------------------------------------------------------------------

    def send(self, item: OutboxItem) -> SendResult:
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        parent = str(item.payload.get("in_reply_to") or "")
        if item.payload.get("visibility") == "private":
            self._check_length(item.channel, text, private=True)
            if parent and is_comment_id(parent):
                body = {"recipient": {"comment_id": parent}, "message": {"text": text}}
                answer = self._call(lambda: self.http.post("/me/messages", json=body))
                return SendResult(external_id=str(answer["message_id"]))
            return self._send_message(item, text)
        self._check_length(item.channel, text, private=False)
        if not parent or not is_comment_id(parent):
            raise SendRefused("a public reply answers a comment or a post; this one names none")
        answer = self._call(lambda: self.http.post(f"/{parent}/{self.reply_edge}", data={"message": text}))
        return SendResult(external_id=str(answer["id"]))

    def _check_length(self, channel: str, text: str, *, private: bool) -> None:
        rule = private_rule(channel) if private else None
        most = rule.limit if rule is not None else limit(channel)
        size = rule.counter(text) if rule is not None else count(channel, text)
        if most is not None and size > most:
            what = "private message" if private else "reply"
            raise SendRefused(f"{what} is {size} of the {most} characters Meta takes")

    def _recipient(self, item: OutboxItem) -> str:
        found = str(item.payload.get("recipient_id") or item.payload.get("recipient") or "").lstrip("@")
        if not found:
            raise SendRefused("a private message needs the customer's id on the network")
        return found

    def _send_message(self, item: OutboxItem, text: str) -> SendResult:
        customer = self._recipient(item)
        last = self._last_customer_message(customer)
        now = self.now()
        if last is None or now - last > WINDOW:
            when = f"last wrote at {last:%Y-%m-%d %H:%M} UTC" if last else "has not written to the brand"
            raise SendRefused(
                f"outside Meta's 24-hour messaging window: the customer {when}, and Meta only lets a "
                "business message a person within 24 hours of their last message; answer in public or "
                "wait for them to write again"
            )
        body = {"recipient": {"id": customer}, "messaging_type": "RESPONSE", "message": {"text": text}}
        answer = self._call(lambda: self.http.post("/me/messages", json=body))
        return SendResult(external_id=str(answer["message_id"]))

    def _conversation(self, customer: str) -> list[dict[str, Any]]:
        """The conversation's messages, newest first (one page: the window and a retry need no more)."""
        params = {
            "platform": self.platform,
            "user_id": customer,
            "fields": f"messages.limit({PAGE_SIZE}){{id,message,from,created_time}}",
        }
        data = self._call(lambda: self.http.get("/me/conversations", params=params)).get("data") or []
        if not data:
            return []
        messages = (data[0].get("messages") or {}).get("data") or []
        return [m for m in messages if isinstance(m, dict)]

    def _last_customer_message(self, customer: str) -> datetime | None:
        for message in self._conversation(customer):
            if str((message.get("from") or {}).get("id")) == customer:
                return graph_time(message.get("created_time"))
        return None

    # -- never twice ---------------------------------------------------------------------------------

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text = str(item.payload.get("text", "")).strip()
        since = (item.attempted_at or item.created_at) - CLOCK_SLACK
        parent = str(item.payload.get("in_reply_to") or "")
        if item.payload.get("visibility") == "private":
            if parent and is_comment_id(parent):
                return None  # Meta refuses a second private reply to one comment (module docstring)
            return self._find_message(self._recipient(item), text, since)
        if not parent:
            return None
        return self._find_comment(parent, text, since)

    def _find_message(self, customer: str, text: str, since: datetime) -> SendResult | None:
        for message in self._conversation(customer):
            created = graph_time(message.get("created_time"))
            if created is not None and created < since:
                return None
            if str((message.get("from") or {}).get("id")) == self.brand_id and _same(
                str(message.get("message") or ""), text
            ):
                return SendResult(external_id=str(message["id"]))
        return None

    def _find_comment(self, parent: str, text: str, since: datetime) -> SendResult | None:
        params: dict[str, Any] = {
            "fields": "id,message,text,from,created_time,timestamp",
            "order": "reverse_chronological",
            "limit": PAGE_SIZE,
        }
        for _page in range(self.find_pages):
            body = self._call(partial(self.http.get, f"/{parent}/{self.reply_edge}", params=dict(params)))
            for comment in body.get("data") or []:
                created = graph_time(comment.get("created_time") or comment.get("timestamp"))
                if created is not None and created < since:
                    return None
                words = str(comment.get("message") or comment.get("text") or "")
                if str((comment.get("from") or {}).get("id")) == self.brand_id and _same(words, text):
                    return SendResult(external_id=str(comment["id"]))
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (body.get("paging") or {}).get("next"):
                return None
            params = {**params, "after": str(after)}
        raise SendUnconfirmed(
            f"looked through the {self.find_pages * PAGE_SIZE} latest replies to comment {parent} without "
            f"reaching the first attempt at {since + CLOCK_SLACK:%Y-%m-%d %H:%M:%S} UTC; check the comment"
        )

    # -- moderation ----------------------------------------------------------------------------------

    def hide_comment(self, comment_id: str, *, hidden: bool = True) -> None:
        """Hide (or show again) a comment: ``POST /{comment-id}`` with ``is_hidden`` (Pages) or
        ``hide`` (Instagram). Hidden comments stay visible to their author and their friends."""
        if not is_comment_id(comment_id):
            raise SendRefused(f"{comment_id!r} is no comment id")
        flag = "true" if hidden else "false"
        self._call(partial(self.http.post, f"/{comment_id}", data={self.hide_field: flag}))

    def delete_comment(self, comment_id: str) -> None:
        """Delete a comment on the brand's post or media: ``DELETE /{comment-id}``."""
        if not is_comment_id(comment_id):
            raise SendRefused(f"{comment_id!r} is no comment id")
        self._call(partial(self.http.delete, f"/{comment_id}"))
