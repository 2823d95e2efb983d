"""Reading an e-mail account's folder over IMAP: IDLE where the server offers it, else polling.

Each round selects the folder, fetches every message whose UID is above the cursor (oldest first, in
batches), hands the posts and delivery reports to ``on_posts`` and only then saves the cursor
``{"uidvalidity": V, "uid": N}`` (a crash before the batch is durable fetches it again; ingest keeps
one post per Message-ID). A new ``UIDVALIDITY`` (the folder was rebuilt) reads the folder again from
the start. Messages are fetched with ``BODY.PEEK[]``: the mailbox's read flags stay as they were.

Between rounds the client IDLEs (RFC 2177) when the server lists ``IDLE`` and the account's mode is
``idle``, for at most ``idle_seconds`` (servers drop an IDLE after 30 minutes), waking as soon as
the server says ``EXISTS``; otherwise it sleeps ``interval`` seconds. New mail the server announced
while a round ran (an ``EXISTS`` among the answers to its commands, which IDLE would not repeat)
starts another round at once. A lost connection, a server
restart or an IMAP error marks the channel degraded and reconnects after 5 s, doubling up to 5
minutes; refused credentials mark it broken (a person must act).
"""

from __future__ import annotations

import contextlib
import imaplib
import json
import logging
import re
import select
import socket
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.email.parse import read_message
from socialdesk.channels.framework import (
    ChannelAuthError,
    ChannelError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
)
from socialdesk.ports.services import Clock

log = logging.getLogger(__name__)
BATCH = 25
IDLE_SECONDS = 600.0
WAKE_CHECK = 0.5  # how often an IDLE looks at the stop flag
_UID = re.compile(rb"UID (\d+)")
_VALIDITY = re.compile(rb"UIDVALIDITY (\d+)")

Connect = Callable[[], imaplib.IMAP4]


def _line(sock: socket.socket) -> bytes:
    """One line from the socket, read byte by byte (nothing beyond it is consumed)."""
    found = bytearray()
    while not found.endswith(b"\n"):
        byte = sock.recv(1)
        if not byte:
            raise imaplib.IMAP4.abort("the server closed the connection during IDLE")
        found += byte
        if len(found) > 100_000:
            raise imaplib.IMAP4.abort("an IDLE line longer than 100,000 bytes")
    if found.startswith(b"* BYE"):
        raise imaplib.IMAP4.abort(f"the server ended the session: {bytes(found[:200])!r}")
    return bytes(found)


def _is_news(line: bytes) -> bool:
    return b"EXISTS" in line or b"RECENT" in line


class ImapFailure(ChannelError):
    """The server answered a command with NO or BAD."""


def _ok(answer: tuple[str, Sequence[Any]], what: str) -> list[Any]:
    kind, data = answer
    if kind != "OK":
        raise ImapFailure(f"IMAP {what}: {kind} {data!r:.300}")
    return list(data)


class ImapInbox:
    def __init__(
        self,
        connect: Connect,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        folder: str = "INBOX",
        idle: bool = True,
        interval: float = 60.0,
        idle_seconds: float = IDLE_SECONDS,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.connect, self.on_posts, self.health, self.cursors = connect, on_posts, health, cursors
        self.folder, self.use_idle, self.interval, self.idle_seconds = folder, idle, interval, idle_seconds
        self._sleep = sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(5.0, cap=300.0)
        self.cursor_key = f"imap:{folder}"

    # -- one round -----------------------------------------------------------------------------------

    def _cursor(self) -> tuple[str | None, int]:
        try:
            saved = json.loads(self.cursors.get(self.cursor_key) or "{}")
            return saved.get("uidvalidity"), int(saved.get("uid") or 0)
        except (ValueError, TypeError, AttributeError):
            return None, 0

    def fetch_new(self, conn: imaplib.IMAP4) -> list[PostDict]:
        """Everything above the cursor, handed over batch by batch; returns what was handed over."""
        _ok(conn.select(f'"{self.folder}"', readonly=True), f"SELECT {self.folder}")
        validity_data = conn.response("UIDVALIDITY")[1]
        validity = next((v.decode() for v in validity_data if isinstance(v, bytes)), None)
        conn.untagged_responses.pop("EXISTS", None)  # the folder's size now; a later one is new mail
        saved_validity, last = self._cursor()
        if validity != saved_validity:
            last = 0  # a new folder (or the first run): read it from the start
        found = _ok(conn.uid("SEARCH", f"UID {last + 1}:*"), "UID SEARCH")
        uids = sorted(
            {int(u) for u in (found[0] or b"").split()} if found and isinstance(found[0], bytes) else set()
        )
        uids = [u for u in uids if u > last]
        handed: list[PostDict] = []
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            posts = self._fetch(conn, chunk)
            if posts:
                self.on_posts(posts)  # returns once durable: only then does the cursor move
                handed.extend(posts)
            self.cursors.set(self.cursor_key, json.dumps({"uidvalidity": validity, "uid": chunk[-1]}))
        if not uids and validity != saved_validity:
            self.cursors.set(self.cursor_key, json.dumps({"uidvalidity": validity, "uid": last}))
        return handed

    def _fetch(self, conn: imaplib.IMAP4, uids: list[int]) -> list[PostDict]:
        data = _ok(conn.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])"), "UID FETCH")
        now = self.clock.now()
        posts: list[tuple[int, PostDict]] = []
        for entry in data:
            if not isinstance(entry, tuple) or len(entry) < 2:
                continue
            head, body = entry[0], entry[1]
            match = _UID.search(head) if isinstance(head, bytes) else None
            if match is None or not isinstance(body, bytes):
                continue
            try:
                posts.append((int(match.group(1)), read_message(body, now)))
            except Exception:
                log.exception("e-mail UID %s in %s could not be read; skipped", match.group(1), self.folder)
        return [post for _, post in sorted(posts, key=lambda p: p[0])]

    # -- waiting -------------------------------------------------------------------------------------

    def idle(self, conn: imaplib.IMAP4, stop: StopFlag) -> bool:
        """IDLE until the server reports new mail, ``idle_seconds`` pass or ``stop``; True: new mail.

        The lines of the IDLE are read from the socket itself, one byte at a time, never through
        imaplib's buffered reader: an ``EXISTS`` sent in the same packet as the ``+ idling`` answer
        would otherwise sit in that buffer while ``select`` waits on an empty socket. (imaplib's reader
        holds nothing here: outside a command the server sends nothing unasked.)"""
        tag = conn._new_tag().decode()  # noqa: SLF001 (imaplib has no IDLE before Python 3.14)
        sock = conn.socket()
        conn.send(f"{tag} IDLE\r\n".encode())
        first = _line(sock)
        if not first.startswith(b"+"):
            raise ImapFailure(f"IMAP IDLE refused: {first[:200]!r}")
        deadline = time.monotonic() + self.idle_seconds
        news = False
        while not news and not stop.is_set() and time.monotonic() < deadline:
            pending = getattr(sock, "pending", lambda: 0)()
            if not pending and not select.select([sock], [], [], WAKE_CHECK)[0]:
                continue
            news = _is_news(_line(sock))
        conn.send(b"DONE\r\n")
        while True:
            line = _line(sock)
            if line.startswith(tag.encode()):
                return news
            news = news or _is_news(line)

    def _pause(self, seconds: float, stop: StopFlag) -> None:
        (self._sleep or stop.sleep)(seconds)

    # -- the loop ------------------------------------------------------------------------------------

    def session(self, stop: StopFlag) -> None:
        """One connection: rounds until ``stop`` or an error (raised)."""
        conn = self.connect()
        try:
            idle = self.use_idle and "IDLE" in conn.capabilities
            while not stop.is_set():
                self.fetch_new(conn)
                self.backoff.reset()
                self.health.connected(at=self.clock.now())
                if conn.untagged_responses.pop("EXISTS", None):
                    continue  # mail arrived while this round ran (the server said so): read it now
                if idle:
                    self.idle(conn, stop)
                else:
                    _ok(conn.noop(), "NOOP")
                    self._pause(self.interval, stop)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    def run(self, stop: StopFlag) -> None:
        while not stop.is_set():
            try:
                self.session(stop)
            except ChannelAuthError as exc:
                self.health.broken(str(exc), at=self.clock.now())
                return
            except (OSError, imaplib.IMAP4.error, ChannelError) as exc:
                if stop.is_set():
                    return
                delay = self.backoff.next_delay()
                now = self.clock.now()
                reason = f"IMAP: {type(exc).__name__}: {str(exc)[:200]}"
                self.health.degraded(reason, now + timedelta(seconds=delay), at=now)
                log.info("e-mail: %s; reconnecting in %.0f s", reason, delay)
                self._pause(delay, stop)
