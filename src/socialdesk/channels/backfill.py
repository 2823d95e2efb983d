"""`socialdesk channels backfill`: fetch an account's past posts in a time range, where the network allows.

Each network's backfill is its descriptor's ``backfill`` (``channels/<network>/backfill.py``): X reads
the mentions timeline with ``start_time``/``end_time`` (X keeps about the last 800 mentions), Mastodon
and Bluesky page back through notifications until older than the range, RSS/Atom hands over whatever
the feed holds now. Each page goes to ``on_posts`` (ingest, which commits); the live cursors are left
alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelError, PostDict, PostsCallback
from socialdesk.channels.registry import REGISTRY, BackfillRequest
from socialdesk.ports.channels import ChannelAccount

MAX_PAGES = 100


class BackfillUnsupported(ChannelError):
    """The network keeps no history this account can read back."""


def when(post: PostDict) -> datetime:
    return datetime.fromisoformat(str(post["created_at"]).replace("Z", "+00:00"))


def in_range(posts: list[PostDict], since: datetime, until: datetime) -> list[PostDict]:
    """The posts from ``since`` (inclusive) to ``until``, oldest first."""
    return sorted((p for p in posts if since <= when(p) < until), key=when)


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
    descriptor = REGISTRY.find(account.network)
    if descriptor is None:
        raise BackfillUnsupported(f"socialdesk has no adapter for the network {account.network!r}")
    if descriptor.backfill is None:
        raise BackfillUnsupported(descriptor.no_backfill)
    return descriptor.backfill(BackfillRequest(connector, account, since, until, on_posts, now))
