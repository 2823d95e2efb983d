"""Private replies on Bluesky: a chat message (``chat.bsky.convo.sendMessage``) through the chat proxy.

The conversation comes from the message answered (``bsky-chat:<convoId>:<id>``) or, for a private
reply to a public post, from ``chat.bsky.convo.getConvoForMembers`` with the customer's DID. The chat
service has no idempotency key, so :meth:`ChatSender.find_sent` looks through the conversation's
newest messages for one from the brand with the same text, sent since the reply was queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from socialdesk.channels.bluesky.chat import (
    MAX_BYTES,
    MAX_GRAPHEMES,
    PROXY_HEADERS,
    convo_of,
    message_id,
)
from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.bluesky.parse import uri_author
from socialdesk.channels.bluesky.xrpc import XrpcSession
from socialdesk.channels.framework import SendRefused
from socialdesk.domain.text_length import count
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult

CLOCK_SLACK = timedelta(minutes=2)


class ChatSender:
    def __init__(self, session: XrpcSession, resolver: IdentityResolver) -> None:
        self.session = session
        self.resolver = resolver

    def _text(self, item: OutboxItem) -> str:
        text = str(item.payload.get("text") or "").strip()
        if not text:
            raise SendRefused("reply text is empty")
        if count("bluesky", text) > MAX_GRAPHEMES or len(text.encode("utf-8")) > MAX_BYTES:
            raise SendRefused(f"a Bluesky chat message takes at most {MAX_GRAPHEMES} characters")
        return text

    def _recipient(self, item: OutboxItem) -> str:
        did = str(item.payload.get("recipient_id") or "")
        if did.startswith("did:"):
            return did
        parent = uri_author(str(item.payload.get("in_reply_to") or ""))
        if parent:
            return parent
        handle = str(item.payload.get("recipient") or "").strip().lstrip("@")
        if not handle:
            raise SendRefused("a Bluesky chat message needs a recipient")
        did = self.resolver.did_for_handle(handle) or ""
        if not did:
            raise SendRefused(f"no Bluesky account @{handle}")
        return did

    def convo_id(self, item: OutboxItem) -> str:
        found = convo_of(str(item.payload.get("in_reply_to") or ""))
        if found:
            return found
        answer = self.session.query(
            "chat.bsky.convo.getConvoForMembers", {"members": [self._recipient(item)]}, headers=PROXY_HEADERS
        )
        return str(answer["convo"]["id"])

    def send(self, item: OutboxItem) -> SendResult:
        text = self._text(item)
        convo = self.convo_id(item)
        sent = self.session.procedure(
            "chat.bsky.convo.sendMessage",
            {"convoId": convo, "message": {"text": text}},
            headers=PROXY_HEADERS,
        )
        return SendResult(external_id=message_id(convo, str(sent["id"])))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        text = str(item.payload.get("text") or "").strip()
        convo = self.convo_id(item)
        page = self.session.query(
            "chat.bsky.convo.getMessages", {"convoId": convo, "limit": 50}, headers=PROXY_HEADERS
        )
        self.session.ensure()
        since = item.created_at - CLOCK_SLACK
        for message in page.get("messages") or []:
            sender = (message.get("sender") or {}).get("did")
            sent_at = str(message.get("sentAt") or "")
            try:
                when = datetime.fromisoformat(sent_at.replace("Z", "+00:00"))
            except ValueError:
                continue
            if sender == self.session.did and message.get("text", "").strip() == text and when >= since:
                return SendResult(external_id=message_id(convo, str(message["id"])))
        return None
