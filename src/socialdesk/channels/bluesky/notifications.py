"""Discover mentions and replies through the AppView's notifications (``listNotifications``).

Where the account's PDS can reach an AppView (every account on bsky.social can), this is the simpler
path: one authenticated poll returns the posts that mention, reply to or quote the brand, with the
authors' handles and display names. Pages come newest first; the poller walks back until it reaches
the newest ``indexedAt`` it already handed over (the cursor), then hands the new ones over oldest first
and saves the cursor only after ``on_posts`` returns. With ``chat``, each poll also reads the brand's
chat messages (chat_poll.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from socialdesk.channels.bluesky.chat_poll import ChatLog
from socialdesk.channels.bluesky.parse import post_from_record
from socialdesk.channels.bluesky.xrpc import XrpcSession
from socialdesk.channels.framework import (
    Backoff,
    ChannelAuthError,
    ChannelError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    StopFlag,
    utc_now,
)
from socialdesk.ports.services import Clock

LIST_NOTIFICATIONS = "app.bsky.notification.listNotifications"
REASONS = ("mention", "reply", "quote")
MAX_PAGES = 20  # at most 20 x 100 notifications per poll; older ones are left behind


def post_from_notification(notification: dict[str, Any]) -> PostDict | None:
    author = notification.get("author") or {}
    post = post_from_record(
        str(notification["uri"]),
        str(notification["cid"]),
        notification.get("record") or {},
        str(author.get("did", "")),
        author.get("handle"),
        seen_at=notification.get("indexedAt"),
    )
    if post is not None and author.get("displayName"):
        post["author"]["name"] = str(author["displayName"])[:200]
    return post


@dataclass
class NotificationsPoller:
    """Poll ``session``'s notifications every ``interval`` seconds; call :meth:`run` in a thread."""

    session: XrpcSession
    on_posts: PostsCallback
    cursors: CursorStore
    interval: float = 20.0
    health: ChannelHealth = field(default_factory=lambda: ChannelHealth("bluesky"))
    backoff: Backoff = field(default_factory=lambda: Backoff.exponential(5.0, cap=300.0))
    clock: Clock | None = None
    chat: ChatLog | None = None  # also poll the brand's chat messages (private posts)

    @property
    def cursor_key(self) -> str:
        self.session.ensure()
        return f"bluesky:notifications:{self.session.did}"

    def poll_once(self) -> int:
        """Hand over what is new since the last poll; returns how many posts that was."""
        seen = self.cursors.get(self.cursor_key) or ""
        fresh: list[dict[str, Any]] = []
        page_cursor: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": 100, "reasons": list(REASONS)}
            if page_cursor:
                params["cursor"] = page_cursor
            page = self.session.query(LIST_NOTIFICATIONS, params)
            items = page.get("notifications") or []
            older = [n for n in items if str(n.get("indexedAt", "")) <= seen]
            fresh.extend(n for n in items if str(n.get("indexedAt", "")) > seen)
            page_cursor = page.get("cursor")
            if older or not items or not page_cursor:
                break
        unique = {str(n.get("uri")): n for n in fresh}  # a page boundary may repeat an item
        wanted = sorted(
            (n for n in unique.values() if n.get("reason") in REASONS),
            key=lambda n: str(n.get("indexedAt", "")),
            reverse=True,
        )
        posts = [p for n in reversed(wanted) if (p := post_from_notification(n)) is not None]
        if posts:
            self.on_posts(posts)
        if fresh:
            self.cursors.set(self.cursor_key, max(str(n.get("indexedAt", "")) for n in fresh))
        return len(posts) + (self.chat.poll(self.on_posts) if self.chat is not None else 0)

    def run(self, stop: StopFlag) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except ChannelAuthError as exc:
                self.health.broken(str(exc), utc_now(self.clock))
                return
            except (ChannelError, OSError) as exc:
                delay = self.backoff.next_delay()
                now = utc_now(self.clock)
                self.health.degraded(str(exc), now + timedelta(seconds=delay), now)
                stop.sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(utc_now(self.clock))
            stop.sleep(self.interval)
