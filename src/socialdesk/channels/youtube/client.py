"""The poller of an account's comment threads: ``commentThreads.list`` over all the channel's videos.

Each poll reads the newest threads (``allThreadsRelatedToChannelId``, ``order=time``, 100 a page, 1
quota unit a page) back to the newest comment already seen, at most ``max_pages`` pages, and hands the
comments not seen before (top-level comments and the replies the API includes) to ``on_posts``, oldest
first. Where a thread holds more replies than the API included, the rest are read with
``comments.list?parentId=`` (1 unit a page). The cursor (the newest time and the ids seen) is stored
after ``on_posts`` returns. A spent daily quota waits for the next midnight in Pacific Time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.framework import (
    ChannelAuthError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
)
from socialdesk.channels.youtube import parse
from socialdesk.channels.youtube.api import YouTubeError, check
from socialdesk.channels.youtube.quota import next_quota_day
from socialdesk.ports.services import Clock

PAGE_SIZE = 100
MAX_PAGES = 5
REMEMBERED_IDS = 2000
BROKEN_REASONS = ("forbidden", "insufficientPermissions", "channelNotFound")


def when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def threads_params(channel_id: str, page_token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "part": "snippet,replies",
        "allThreadsRelatedToChannelId": channel_id,
        "order": "time",
        "maxResults": PAGE_SIZE,
        "textFormat": "plainText",
    }
    if page_token:
        params["pageToken"] = page_token
    return params


def missing_replies(thread: dict[str, Any]) -> bool:
    """The thread has more replies than the API included in it."""
    total = (thread.get("snippet") or {}).get("totalReplyCount") or 0
    included = len((thread.get("replies") or {}).get("comments") or [])
    return isinstance(total, int) and total > included


def all_replies(http: httpx.Client, parent_id: str, pages: int = MAX_PAGES) -> list[PostDict]:
    """Every reply to a top-level comment (``comments.list?parentId=``), up to ``pages`` pages."""
    params: dict[str, Any] = {"part": "snippet", "parentId": parent_id, "maxResults": PAGE_SIZE}
    params["textFormat"] = "plainText"
    found: list[PostDict] = []
    for _ in range(pages):
        body = check(http.get("/youtube/v3/comments", params=params))
        found.extend(parse.threads_page(body))
        token = body.get("nextPageToken")
        if not token:
            break
        params["pageToken"] = token
    return found


class YouTubePoller:
    def __init__(
        self,
        http: httpx.Client,
        channel_id: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 300.0,
        max_pages: int = MAX_PAGES,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.http, self.channel_id, self.on_posts = http, channel_id, on_posts
        self.health, self.cursors, self.interval, self.max_pages = health, cursors, interval, max_pages
        self._sleep = sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(30.0, cap=3600.0)
        self.cursor_key = f"youtube:threads:{channel_id}"

    def poll_once(self) -> list[PostDict]:
        state: dict[str, Any] = json.loads(self.cursors.get(self.cursor_key) or "{}")
        newest = when(state["newest"]) if state.get("newest") else None
        seen: list[str] = state.get("seen", [])
        known = set(seen)
        posts: list[PostDict] = []
        token: str | None = None
        for _ in range(self.max_pages):
            body = check(
                self.http.get("/youtube/v3/commentThreads", params=threads_params(self.channel_id, token))
            )
            items = [i for i in body.get("items") or [] if isinstance(i, dict)]
            for item in items:
                posts.extend(parse.threads_page({"items": [item]}))
                top = (item.get("snippet") or {}).get("topLevelComment") or {}
                if missing_replies(item) and top.get("id"):
                    posts.extend(all_replies(self.http, str(top["id"])))
            token = body.get("nextPageToken")
            older = [p for p in posts if newest is not None and when(p["created_at"]) < newest]
            if not token or older:
                break
        fresh = {p["id"]: p for p in posts if p["id"] not in known}
        ordered = sorted(fresh.values(), key=lambda p: when(p["created_at"]))
        if ordered:
            self.on_posts(ordered)
        latest = max((when(p["created_at"]) for p in posts), default=newest)
        state = {
            "newest": latest.isoformat() if latest else None,
            "seen": ([p["id"] for p in reversed(ordered)] + seen)[:REMEMBERED_IDS],
        }
        self.cursors.set(self.cursor_key, json.dumps(state))
        return ordered

    def run(self, stop: StopFlag) -> None:
        sleep = self._sleep or stop.sleep
        while not stop.is_set():
            try:
                self.poll_once()
            except ChannelAuthError as exc:
                self.health.broken(str(exc), at=self.clock.now())
                return
            except (httpx.TransportError, YouTubeError) as exc:
                delay = self._delay(exc)
                if delay is None:
                    return
                reason = str(exc) if isinstance(exc, YouTubeError) else f"network error: {type(exc).__name__}"
                self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
                sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            sleep(self.interval)

    def _delay(self, exc: Exception) -> float | None:
        """Seconds to wait before the next try, or None when a person must fix the account."""
        scheduled = self.backoff.next_delay()
        if not isinstance(exc, YouTubeError):
            return scheduled
        if exc.quota_spent:
            now = self.clock.now()
            return max((next_quota_day(now) - now).total_seconds(), 60.0)
        if exc.status == 401 or (exc.status == 403 and exc.reason in BROKEN_REASONS) or exc.status == 404:
            self.health.broken(str(exc), at=self.clock.now())
            return None
        retry_after = exc.headers.get("retry-after", "")
        return float(retry_after) if retry_after.isdigit() else scheduled
