"""Replies from the brand account: ``app.bsky.feed.post`` records with reply refs and facets.

Idempotency without a lookup table: the record key (rkey) of a reply is a TID computed from the outbox
item itself (its ``created_at`` in microseconds, and a clock id taken from the idempotency key), and
the record carries the key under ``socialdeskKey``. ``find_sent`` is then one ``getRecord`` of the
brand's own repository, and if a retry raced past it anyway, ``createRecord`` refuses the second write
of the same rkey. A reply is never posted twice. A private reply is a chat message (chat_send.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from socialdesk.channels.bluesky.chat_send import ChatSender
from socialdesk.channels.bluesky.facets import build_facets
from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.bluesky.parse import POST, split_uri
from socialdesk.channels.bluesky.xrpc import Xrpc, XrpcError, XrpcSession
from socialdesk.channels.framework import ChannelError, SendRefused, utc_now
from socialdesk.domain.text_length import count, limit
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import Clock, SendResult

KEY_FIELD = "socialdeskKey"
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post#text maxLength (bytes); the grapheme limit is 300
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def tid(at: datetime, clock_id: int) -> str:
    """A record key in TID form: 53 bits of microseconds since 1970, then a 10-bit clock id."""
    micros = (at - _EPOCH) // timedelta(microseconds=1)
    value = (micros << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def reply_rkey(item: OutboxItem) -> str:
    """The rkey the reply for ``item`` gets, the same on every attempt."""
    clock_id = int.from_bytes(hashlib.sha256(item.idempotency_key.encode()).digest()[:2], "big")
    return tid(item.created_at, clock_id)


def _strong_ref(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and value.get("uri") and value.get("cid"):
        return {"uri": str(value["uri"]), "cid": str(value["cid"])}
    return None


class BlueskySender:
    """The ChannelSender for Bluesky: posts as the account of ``session`` (the brand)."""

    def __init__(
        self, session: XrpcSession, resolver: IdentityResolver, *, clock: Clock | None = None
    ) -> None:
        self.session = session
        self.resolver = resolver
        self.clock = clock

    # -- ChannelSender -------------------------------------------------------------------------------

    def send(self, item: OutboxItem) -> SendResult:
        if item.payload.get("visibility") == "private":  # a chat message (chat_send.py)
            return ChatSender(self.session, self.resolver).send(item)
        record = self.build_record(item)
        try:
            created = self.session.procedure(
                "com.atproto.repo.createRecord",
                {"repo": self._brand_did(), "collection": POST, "rkey": reply_rkey(item), "record": record},
            )
        except XrpcError:
            # The rkey may be taken (the reference PDS answers 500 then): a concurrent or
            # half-recorded attempt already posted this reply.
            found = self.find_sent(item)
            if found is None:
                raise
            return found
        return SendResult(external_id=str(created["uri"]))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        if item.payload.get("visibility") == "private":
            return ChatSender(self.session, self.resolver).find_sent(item)
        did = self._brand_did()
        try:
            got = self.session.query(
                "com.atproto.repo.getRecord", {"repo": did, "collection": POST, "rkey": reply_rkey(item)}
            )
        except XrpcError as exc:
            if exc.status in (400, 404) and exc.error in ("RecordNotFound", "InvalidRequest", "NotFound"):
                return None
            raise
        value = got.get("value") or {}
        if value.get(KEY_FIELD) != item.idempotency_key:
            raise ChannelError(f"record {got.get('uri')} holds another reply than outbox item {item.id}")
        return SendResult(external_id=str(got["uri"]))

    # -- building the record -------------------------------------------------------------------------

    def build_record(self, item: OutboxItem) -> dict[str, Any]:
        """The post record for ``item``; raises SendRefused for replies Bluesky would refuse."""
        text = str(item.payload.get("text") or "").strip()
        if not text:
            raise SendRefused("reply text is empty")
        if item.payload.get("visibility") == "private":
            raise SendRefused("a private reply on Bluesky is a chat message, not a post record")
        most = limit("bluesky")
        if most is not None and count("bluesky", text) > most:
            raise SendRefused(f"reply is {count('bluesky', text)} of Bluesky's {most} characters")
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise SendRefused(f"reply is more than Bluesky's {MAX_TEXT_BYTES} bytes")
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": utc_now(self.clock).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            KEY_FIELD: item.idempotency_key,
        }
        parent_uri = item.payload.get("in_reply_to")
        if parent_uri:
            record["reply"] = self.reply_refs(str(parent_uri))
        facets = build_facets(text, self.resolver.did_for_handle)
        if facets:
            record["facets"] = facets
        lang = item.payload.get("lang")
        if isinstance(lang, str) and lang:
            record["langs"] = [lang]
        return record

    def reply_refs(self, parent_uri: str) -> dict[str, dict[str, str]]:
        """``{"root": ..., "parent": ...}`` strong refs (uri + cid) for a reply to ``parent_uri``."""
        try:
            did, collection, rkey = split_uri(parent_uri)
        except ValueError as exc:
            raise SendRefused(str(exc)) from None
        if collection != POST:
            raise SendRefused(f"{parent_uri} is not a post")
        try:
            got = self._service_of(did).query(
                "com.atproto.repo.getRecord", {"repo": did, "collection": collection, "rkey": rkey}
            )
        except XrpcError as exc:
            if exc.error == "RecordNotFound":
                raise SendRefused(f"the post {parent_uri} was deleted") from None
            raise
        parent = {"uri": str(got["uri"]), "cid": str(got["cid"])}
        reply = (got.get("value") or {}).get("reply") or {}
        root = _strong_ref(reply.get("root")) or parent
        return {"root": root, "parent": parent}

    def _brand_did(self) -> str:
        if not self.session.did:
            self.session.ensure()
        return self.session.did

    def _service_of(self, did: str) -> Xrpc:
        if did == self._brand_did():
            return self.session
        pds = self.resolver.identity(did).pds
        if not pds:
            raise ChannelError(f"{did} names no PDS in its DID document")
        if pds.rstrip("/") == self.session.service:
            return self.session
        return Xrpc(pds, http=self.session.http)
