"""RSS/Atom's backfill: whatever the feed holds now (a feed keeps no older history)."""

from __future__ import annotations

from socialdesk.channels.backfill import when
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.registry import BackfillRequest
from socialdesk.channels.rss.parse import feed_posts


def backfill(request: BackfillRequest) -> int:
    url = str(request.account.settings["feed_url"])
    with request.connector.http(request.account) as http:
        resp = http.get(url, follow_redirects=True)
    if resp.status_code != 200:
        raise ChannelError(f"HTTP {resp.status_code} for {url}")
    posts = sorted(feed_posts(resp.content, url, request.now()), key=when)
    if posts:
        request.on_posts(posts)
    return len(posts)
