"""Discover posts that mention or answer the brand on a repository firehose (``subscribeRepos``).

The stream is a websocket of binary frames, each two DAG-CBOR objects: a header (``op`` 1 with the
message type ``t``, or ``op`` -1 for an error) and a body. A ``#commit`` body names the repository (the
author's DID), its ``ops`` (``create`` of ``app.bsky.feed.post/<rkey>``, with the record's cid) and
``blocks``, a CAR file holding the new records. Every message carries a ``seq``; reconnecting with
``?cursor=<seq>`` replays what came after it.

The stream can be one PDS (a self-hosted one, or the test network) or a relay that carries the whole
network (``https://bsky.network``): the filter is the same either way. A batch of normalized posts goes
to ``on_posts``; the cursor is saved only after ``on_posts`` returns, so a crash replays the batch (ingest
is idempotent) and never skips it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import libipld
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection

from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.bluesky.parse import (
    POST,
    REPOST,
    mentioned_dids,
    post_from_record,
    quoted_uri,
    reply_refs,
    uri_author,
)
from socialdesk.channels.framework import (
    Backoff,
    ChannelError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    StopFlag,
    utc_now,
)
from socialdesk.channels.url_policy import AddressNotAllowed, UrlPolicy
from socialdesk.ports.services import Clock

log = logging.getLogger(__name__)
SUBSCRIBE_REPOS = "com.atproto.sync.subscribeRepos"
MAX_FRAME_BYTES = 5 * 1024 * 1024  # commits are capped at 2 MB of blocks; leave room


class FirehoseError(ChannelError):
    """The server sent an error frame (e.g. ``FutureCursor``, ``ConsumerTooSlow``)."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(f"{error}: {message}" if message else error)
        self.error = error


def decode_frame(data: bytes) -> tuple[str | None, dict[str, Any]]:
    """(message type such as ``#commit``, body) of one frame; raises FirehoseError for error frames."""
    header, body = libipld.decode_dag_cbor_multi(data)
    if header.get("op") == -1:
        raise FirehoseError(str(body.get("error", "Error")), str(body.get("message") or ""))
    return header.get("t"), body


@dataclass(frozen=True, slots=True)
class CreatedRecord:
    uri: str
    cid: str
    did: str
    collection: str
    record: dict[str, Any]
    time: str | None


def created_records(body: dict[str, Any]) -> Iterator[CreatedRecord]:
    """The post and repost records a ``#commit`` body creates, decoded from its CAR blocks."""
    ops = [op for op in body.get("ops") or [] if op.get("action") == "create"]
    wanted = [op for op in ops if str(op.get("path", "")).split("/")[0] in (POST, REPOST)]
    if not wanted or not body.get("blocks"):
        return
    _, blocks = libipld.decode_car(body["blocks"])
    did = str(body["repo"])
    for op in wanted:
        link = op.get("cid")  # a CID link: raw CID bytes, which also key the CAR blocks
        record = blocks.get(link) if isinstance(link, bytes) else None
        if isinstance(record, dict):
            cid = libipld.encode_cid(link)
            collection = str(op["path"]).split("/")[0]
            yield CreatedRecord(f"at://{did}/{op['path']}", cid, did, collection, record, body.get("time"))


def concerns(record: CreatedRecord, brand_did: str) -> bool:
    """Does this record mention, answer, quote or repost the brand (and is not the brand's own)?"""
    if record.did == brand_did:
        return False
    if record.collection == REPOST:
        subject = record.record.get("subject")
        return isinstance(subject, dict) and uri_author(subject.get("uri")) == brand_did
    parent, root = reply_refs(record.record)
    return (
        brand_did in mentioned_dids(record.record)
        or brand_did in (uri_author(parent), uri_author(root))
        or uri_author(quoted_uri(record.record)) == brand_did
    )


def websocket_url(service: str, cursor: str | None) -> str:
    parts = urlsplit(service.rstrip("/"))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    query = f"?{urlencode({'cursor': cursor})}" if cursor else ""
    return f"{scheme}://{parts.netloc}{parts.path}/xrpc/{SUBSCRIBE_REPOS}{query}"


@dataclass
class FirehoseClient:
    """Follow ``service``'s firehose for posts concerning ``brand_did``; call :meth:`run` in a thread.

    ``on_posts`` receives normalized post dicts (see ``parse.post_from_record``), oldest first, in
    batches of at most ``batch_size`` stream messages or whatever arrived within ``batch_wait`` seconds.
    """

    service: str
    brand_did: str
    on_posts: PostsCallback
    resolver: IdentityResolver
    cursors: CursorStore
    health: ChannelHealth = field(default_factory=lambda: ChannelHealth("bluesky"))
    backoff: Backoff = field(default_factory=lambda: Backoff.exponential(1.0, cap=120.0))
    clock: Clock | None = None
    batch_size: int = 200
    batch_wait: float = 0.2
    open_timeout: float = 10.0
    url_policy: UrlPolicy = field(default_factory=UrlPolicy)

    @property
    def cursor_key(self) -> str:
        return f"bluesky:firehose:{urlsplit(self.service).netloc}:{self.brand_did}"

    def run(self, stop: StopFlag) -> None:
        """Consume until ``stop`` is set, reconnecting after errors with a growing delay."""
        while not stop.is_set():
            try:
                self._session(stop)
            except FirehoseError as exc:
                if exc.error in ("FutureCursor", "OutdatedCursor"):
                    log.warning("bluesky firehose: %s; starting again from the live stream", exc)
                    self.cursors.set(self.cursor_key, "")
                self._wait(stop, str(exc))
            except (OSError, TimeoutError, WebSocketException, ChannelError, AddressNotAllowed) as exc:
                self._wait(stop, f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # on_posts failed: replay the batch after a pause
                log.exception("bluesky firehose: batch callback failed")
                self._wait(stop, f"callback failed: {exc}")

    def _wait(self, stop: StopFlag, reason: str) -> None:
        delay = self.backoff.next_delay()
        now = utc_now(self.clock)
        self.health.degraded(reason, now + timedelta(seconds=delay), now)
        stop.sleep(delay)

    def _session(self, stop: StopFlag) -> None:
        cursor = self.cursors.get(self.cursor_key) or None
        url = websocket_url(self.service, cursor)
        connection = self.url_policy.websocket(url, open_timeout=self.open_timeout, max_size=MAX_FRAME_BYTES)
        with connection as ws:
            self.health.connected(utc_now(self.clock))
            while not stop.is_set():
                if self._batch(ws, stop):
                    self.backoff.reset()

    def _batch(self, ws: ClientConnection, stop: StopFlag) -> bool:
        """Read one batch, hand it over, then save the cursor. True when anything arrived."""
        posts: list[PostDict] = []
        last_seq: int | None = None
        for _ in range(self.batch_size):
            try:
                data = ws.recv(timeout=self.batch_wait if last_seq is not None else 1.0)
            except TimeoutError:
                break
            if not isinstance(data, bytes):
                continue
            kind, body = decode_frame(data)
            posts.extend(self._posts_of(kind, body))
            seq = body.get("seq")
            if isinstance(seq, int):
                last_seq = seq
            if stop.is_set():
                break
        if last_seq is None:
            return False
        if posts:
            self.on_posts(posts)
        self.cursors.set(self.cursor_key, str(last_seq))
        return True

    def _posts_of(self, kind: str | None, body: dict[str, Any]) -> list[PostDict]:
        if kind in ("#identity", "#handle"):
            did = str(body.get("did", ""))
            if body.get("handle"):
                self.resolver.remember(did, str(body["handle"]))
            else:
                self.resolver.forget(did)
            return []
        if kind != "#commit" or body.get("tooBig"):
            return []
        posts = []
        for record in created_records(body):
            if not concerns(record, self.brand_did):
                continue
            handle = self.resolver.handle(record.did)
            post = post_from_record(
                record.uri, record.cid, record.record, record.did, handle, seen_at=record.time
            )
            if post is not None:
                posts.append(post)
        return posts
