"""`socialdesk channels backfill`: fetch an account's past posts in a time range, where the network allows.

X: the mentions timeline with ``start_time``/``end_time`` (X keeps about the last 800 mentions).
Mastodon: mention notifications, paging back with ``max_id`` until older than the range.
Bluesky: notifications, paging back with the cursor. RSS/Atom: whatever the feed holds now.
Each page goes to ``on_posts`` (ingest, which commits); the live cursors are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from socialdesk.channels.bluesky.notifications import LIST_NOTIFICATIONS, REASONS, post_from_notification
from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelError, PostDict, PostsCallback
from socialdesk.channels.mastodon import parse as mastodon_parse
from socialdesk.channels.mastodon.client import error_detail as mastodon_error
from socialdesk.channels.rss.parse import feed_posts
from socialdesk.channels.x import parse as x_parse
from socialdesk.channels.x.client import TWEET_FIELDS, USER_FIELDS
from socialdesk.channels.x.policy import error_detail as x_error
from socialdesk.ports_channels import ChannelAccount

MAX_PAGES = 100


class BackfillUnsupported(ChannelError):
    """The network keeps no history this account can read back."""


def _when(post: PostDict) -> datetime:
    return datetime.fromisoformat(str(post["created_at"]).replace("Z", "+00:00"))


def _in_range(posts: list[PostDict], since: datetime, until: datetime) -> list[PostDict]:
    return sorted((p for p in posts if since <= _when(p) < until), key=_when)


def _x(
    http: httpx.Client, account: ChannelAccount, since: datetime, until: datetime, out: PostsCallback
) -> int:
    params: dict[str, Any] = {
        "expansions": "author_id",
        "tweet.fields": TWEET_FIELDS,
        "user.fields": USER_FIELDS,
        "max_results": 100,
        "start_time": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_time": until.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    total = 0
    for _ in range(MAX_PAGES):
        resp = http.get(f"/2/users/{account.settings['user_id']}/mentions", params=params)
        if resp.status_code != 200:
            raise ChannelError(x_error(resp))
        body = resp.json()
        posts = _in_range(x_parse.tweets_page(body), since, until)
        if posts:
            out(posts)
            total += len(posts)
        token = (body.get("meta") or {}).get("next_token")
        if not token:
            break
        params["pagination_token"] = token
    return total


def _mastodon(
    http: httpx.Client, account: ChannelAccount, since: datetime, until: datetime, out: PostsCallback
) -> int:
    params: dict[str, Any] = {"types[]": ["mention"], "limit": 40}
    total = 0
    for _ in range(MAX_PAGES):
        resp = http.get("/api/v1/notifications", params=params)
        if resp.status_code != 200:
            raise ChannelError(mastodon_error(resp))
        page = resp.json()
        parsed = [p for entity in page if (p := mastodon_parse.notification(entity)) is not None]
        posts = _in_range(parsed, since, until)
        if posts:
            out(posts)
            total += len(posts)
        next_link = resp.links.get("next", {}).get("url")
        max_id = parse_qs(urlsplit(next_link).query).get("max_id") if next_link else None
        oldest = min((_when(p) for p in parsed), default=None)
        if not page or not max_id or (oldest is not None and oldest < since):
            break
        params["max_id"] = max_id[0]
    return total


def _bluesky(
    connector: Connector,
    account: ChannelAccount,
    http: httpx.Client,
    since: datetime,
    until: datetime,
    out: PostsCallback,
) -> int:
    session = connector.bluesky_session(account, http)
    cursor: str | None = None
    total = 0
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": 100, "reasons": list(REASONS)}
        if cursor:
            params["cursor"] = cursor
        page = session.query(LIST_NOTIFICATIONS, params)
        items = [n for n in page.get("notifications") or [] if n.get("reason") in REASONS]
        parsed = [p for n in items if (p := post_from_notification(n)) is not None]
        posts = _in_range(parsed, since, until)
        if posts:
            out(posts)
            total += len(posts)
        cursor = page.get("cursor")
        oldest = min((_when(p) for p in parsed), default=None)
        if not cursor or not page.get("notifications") or (oldest is not None and oldest < since):
            break
    return total


def backfill(
    connector: Connector,
    account: ChannelAccount,
    since: datetime,
    until: datetime,
    on_posts: PostsCallback,
    *,
    now: Callable[[], datetime],
) -> int:
    """Hand the account's posts from ``since`` (inclusive) to ``until`` to ``on_posts``; returns how many."""
    if account.network == "webhook":
        raise BackfillUnsupported("webhook sources push their posts; ask the sender to send them again")
    with connector.http(account) as http:
        if account.network == "x":
            return _x(http, account, since, until, on_posts)
        if account.network == "mastodon":
            return _mastodon(http, account, since, until, on_posts)
        if account.network == "bluesky":
            return _bluesky(connector, account, http, since, until, on_posts)
        url = str(account.settings["feed_url"])
        resp = http.get(url, follow_redirects=True)
        if resp.status_code != 200:
            raise ChannelError(f"HTTP {resp.status_code} for {url}")
        posts = sorted(feed_posts(resp.content, url, now()), key=_when)
        if posts:
            on_posts(posts)
        return len(posts)
