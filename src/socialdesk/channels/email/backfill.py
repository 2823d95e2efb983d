"""E-mail backfill: the folder's messages in a date range (IMAP ``SEARCH SINCE .. BEFORE``).

IMAP searches by day, so the search is widened to whole days and each post is kept only when its
own time is within ``[since, until)``. Ingest keeps one post per Message-ID: running it twice adds
nothing."""

from __future__ import annotations

import contextlib
import imaplib
from datetime import timedelta

from socialdesk.channels.backfill import in_range
from socialdesk.channels.email.inbox import BATCH, ImapFailure
from socialdesk.channels.email.network import imap_opener, settings_of
from socialdesk.channels.email.parse import read_message
from socialdesk.channels.framework import PostDict
from socialdesk.channels.registry import BackfillRequest


def _day(value: object) -> str:
    return imaplib.Time2Internaldate(value).strip('"').split(" ")[0]  # type: ignore[arg-type]


def backfill(request: BackfillRequest) -> int:
    s = settings_of(request.account)
    conn = imap_opener(request.connector, request.account)()
    total = 0
    try:
        kind, data = conn.select(f'"{s.folder}"', readonly=True)
        if kind != "OK":
            raise ImapFailure(f"the folder {s.folder!r} cannot be opened: {data!r:.200}")
        since = _day(request.since)
        before = _day(request.until + timedelta(days=1))
        kind, found = conn.uid("SEARCH", "SINCE", since, "BEFORE", before)
        if kind != "OK":
            raise ImapFailure(f"IMAP SEARCH: {found!r:.200}")
        uids = (
            sorted(int(u) for u in (found[0] or b"").split()) if found and isinstance(found[0], bytes) else []
        )
        for start in range(0, len(uids), BATCH):
            chunk = ",".join(map(str, uids[start : start + BATCH]))
            kind, data = conn.uid("FETCH", chunk, "(UID BODY.PEEK[])")
            if kind != "OK":
                raise ImapFailure(f"IMAP FETCH: {data!r:.200}")
            now = request.now()
            parsed: list[PostDict] = []
            for entry in data:
                if isinstance(entry, tuple) and isinstance(entry[1], bytes):
                    parsed.append(read_message(entry[1], now))
            posts = in_range([p for p in parsed if "delivery_report" not in p], request.since, request.until)
            if posts:
                request.on_posts(posts)
                total += len(posts)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    return total
