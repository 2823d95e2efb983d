"""Bluesky's backfill: notifications, paging back with the cursor until older than the range."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.backfill import MAX_PAGES, in_range, when
from socialdesk.channels.bluesky.network import session_for
from socialdesk.channels.bluesky.notifications import LIST_NOTIFICATIONS, REASONS, post_from_notification
from socialdesk.channels.registry import BackfillRequest


def backfill(request: BackfillRequest) -> int:
    since, until = request.since, request.until
    total = 0
    with request.connector.http(request.account) as http:
        session = session_for(request.connector, request.account, http)
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": 100, "reasons": list(REASONS)}
            if cursor:
                params["cursor"] = cursor
            page = session.query(LIST_NOTIFICATIONS, params)
            items = [n for n in page.get("notifications") or [] if n.get("reason") in REASONS]
            parsed = [p for n in items if (p := post_from_notification(n)) is not None]
            posts = in_range(parsed, since, until)
            if posts:
                request.on_posts(posts)
                total += len(posts)
            cursor = page.get("cursor")
            oldest = min((when(p) for p in parsed), default=None)
            if not cursor or not page.get("notifications") or (oldest is not None and oldest < since):
                break
    return total
