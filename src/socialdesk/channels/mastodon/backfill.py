"""Mastodon's backfill: mention notifications, paging back with ``max_id`` until older than the range."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from socialdesk.channels.backfill import MAX_PAGES, in_range, when
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.mastodon import parse as mastodon_parse
from socialdesk.channels.mastodon.client import error_detail
from socialdesk.channels.registry import BackfillRequest


def backfill(request: BackfillRequest) -> int:
    since, until = request.since, request.until
    params: dict[str, Any] = {"types[]": ["mention"], "limit": 40}
    total = 0
    with request.connector.http(request.account) as http:
        for _ in range(MAX_PAGES):
            resp = http.get("/api/v1/notifications", params=params)
            if resp.status_code != 200:
                raise ChannelError(error_detail(resp))
            page = resp.json()
            parsed = [p for entity in page if (p := mastodon_parse.notification(entity)) is not None]
            posts = in_range(parsed, since, until)
            if posts:
                request.on_posts(posts)
                total += len(posts)
            next_link = resp.links.get("next", {}).get("url")
            max_id = parse_qs(urlsplit(next_link).query).get("max_id") if next_link else None
            oldest = min((when(p) for p in parsed), default=None)
            if not page or not max_id or (oldest is not None and oldest < since):
                break
            params["max_id"] = max_id[0]
    return total
